#!/usr/bin/python3
"""Parse every message file in a directory with Python's standard email package
(policy=default, the strict modern parser) and report, as JSON on stdout, per message:
the parser's defects (message, every part, every header), what the raw octets break
(line ends, lines over 998 octets, 8-bit octets, encoded-words over 75 characters,
header lines with encoded-words over 76), and the decoded text a recipient reads.
Used by tests/api/mail-postfix.test.mjs.

Usage: check_mail.py DIR [maildir|eml]. A maildir file holds the message as Postfix
delivered it, with LF line ends (Postfix's convention; on the wire it refused any bare
LF, so CRLF was checked there), so any CR in it is a stray one. An .eml file is the
message as alvd wrote it, which must use CRLF throughout."""
import email
import email.policy
import json
import os
import re
import sys

ENCODED_WORD = re.compile(rb"=\?[^?\s]+\?[BbQq]\?[^?\s]*\?=")


def raw_problems(raw, crlf):
    problems = []
    if crlf:
        if re.search(rb"(?<!\r)\n", raw):
            problems.append("bare LF")
        if re.search(rb"\r(?!\n)", raw):
            problems.append("bare CR")
        lines = raw.split(b"\r\n")
        separator = b"\r\n\r\n"
    else:
        if b"\r" in raw:
            problems.append("stray CR")
        lines = raw.split(b"\n")
        separator = b"\n\n"
    if any(byte >= 0x80 for byte in raw):
        problems.append("8-bit octet")
    longest = max((len(line) for line in lines), default=0)
    if longest > 998:
        problems.append("line of %d octets" % longest)
    head = raw.split(separator, 1)[0]
    for line in head.split(b"\r\n" if crlf else b"\n"):
        words = ENCODED_WORD.findall(line)
        for word in words:
            if len(word) > 75:
                problems.append("encoded-word of %d characters" % len(word))
        if words and len(line) > 76:
            problems.append("header line with encoded-words of %d octets" % len(line))
    return problems


def check(path, crlf):
    with open(path, "rb") as handle:
        raw = handle.read()
    # Postfix adds its own trace headers on top (Return-Path, Delivered-To, Received):
    # they are checked as part of the message like everything else.
    message = email.message_from_bytes(raw, policy=email.policy.default)
    defects = [type(d).__name__ + ": " + str(d) for d in message.defects]
    texts = []
    for part in message.walk():
        defects += ["part " + type(d).__name__ + ": " + str(d) for d in part.defects]
        for name, value in part.items():
            defects += ["header %s %s: %s" % (name, type(d).__name__, d) for d in getattr(value, "defects", [])]
        if not part.is_multipart():
            try:
                texts.append({"type": part.get_content_type(), "text": part.get_content()})
            except Exception as error:  # a body the parser cannot decode is a defect too
                defects.append("content %s: %s" % (type(error).__name__, error))
    return {
        "file": os.path.basename(path),
        "to": str(message["To"]),
        "from": str(message["From"]),
        "subject": str(message["Subject"]),
        "defects": defects,
        "raw_problems": raw_problems(raw, crlf),
        "transfer_encodings": sorted({str(p["Content-Transfer-Encoding"]) for p in message.walk() if not p.is_multipart()}),
        "parts": texts,
    }


def main():
    folder = sys.argv[1]
    crlf = len(sys.argv) > 2 and sys.argv[2] == "eml"
    names = sorted(n for n in os.listdir(folder) if not crlf or n.endswith(".eml")) if os.path.isdir(folder) else []
    print(json.dumps([check(os.path.join(folder, name), crlf) for name in names], ensure_ascii=False))


if __name__ == "__main__":
    main()
