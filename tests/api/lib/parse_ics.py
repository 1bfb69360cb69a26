#!/usr/bin/python3
"""Parse an iCalendar feed from standard input with the python icalendar library
(Debian's python3-icalendar) and print its events as JSON, with what the raw text
breaks (RFC 5545 3.1: CRLF line ends, lines of at most 75 octets) and what an event
lacks (UID and DTSTAMP are required). Used by tests/api/deadlines-ics.test.mjs."""
import json
import sys

import icalendar


def main():
    raw = sys.stdin.buffer.read()
    problems = []
    if b"\n" in raw.replace(b"\r\n", b""):
        problems.append("bare LF")
    for line in raw.split(b"\r\n"):
        if len(line) > 75:
            problems.append("line of %d octets" % len(line))
    calendar = icalendar.Calendar.from_ical(raw)
    events = []
    for event in calendar.walk("VEVENT"):
        for required in ("UID", "DTSTAMP", "DTSTART"):
            if required not in event:
                problems.append("%s without %s" % (event.get("UID"), required))
        events.append({
            "uid": str(event.get("UID")),
            "sequence": int(event.get("SEQUENCE", 0)),
            "created": event.decoded("CREATED").isoformat() if "CREATED" in event else None,
            "last_modified": event.decoded("LAST-MODIFIED").isoformat() if "LAST-MODIFIED" in event else None,
            "dtstart": event.decoded("DTSTART").isoformat(),
            "dtend": event.decoded("DTEND").isoformat() if "DTEND" in event else None,
            "status": str(event.get("STATUS", "")),
            "summary": str(event.get("SUMMARY", "")),
            "description": str(event.get("DESCRIPTION", "")),
        })
    print(json.dumps({"method": str(calendar.get("METHOD", "")), "events": events, "problems": problems},
                     ensure_ascii=False))


if __name__ == "__main__":
    main()
