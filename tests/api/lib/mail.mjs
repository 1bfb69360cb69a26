// Reading alvd's mail in the tests as a mail program would: unfolded headers with their
// RFC 2047 encoded-words decoded, multipart bodies split, and each part's
// quoted-printable or base64 decoded, so assertions see the text a recipient reads.

function decodeWords(value) {
  // White space between two encoded-words is not part of the text (RFC 2047 6.2).
  return value
    .replace(/(=\?[^?]+\?[BbQq]\?[^?]*\?=)\s+(?==\?[^?]+\?[BbQq]\?[^?]*\?=)/g, '$1')
    .replace(/=\?([^?]+)\?([BbQq])\?([^?]*)\?=/g, (_, charset, kind, data) => {
      const bytes = kind.toUpperCase() === 'B' ? Buffer.from(data, 'base64')
        : Buffer.from(data.replace(/_/g, ' ').replace(/=([0-9A-Fa-f]{2})/g, (m, h) => String.fromCharCode(parseInt(h, 16))), 'latin1');
      return bytes.toString(/utf-?8/i.test(charset) ? 'utf8' : 'latin1');
    });
}

export function decodeQuotedPrintable(text) {
  const bytes = [];
  const raw = Buffer.from(text.replace(/=\r?\n/g, ''), 'latin1');
  for (let i = 0; i < raw.length; i++) {
    if (raw[i] === 0x3d && /^[0-9A-Fa-f]{2}$/.test(raw.subarray(i + 1, i + 3).toString('latin1'))) {
      bytes.push(parseInt(raw.subarray(i + 1, i + 3).toString('latin1'), 16));
      i += 2;
    } else {
      bytes.push(raw[i]);
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

function splitHead(raw) {
  const match = /\r?\n\r?\n/.exec(raw);
  return match ? [raw.slice(0, match.index), raw.slice(match.index + match[0].length)] : [raw, ''];
}

function headersOf(head) {
  const headers = {};
  for (const line of head.replace(/\r?\n[ \t]/g, ' ').split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).toLowerCase();
    (headers[name] ??= []).push(decodeWords(line.slice(colon + 1).trim()));
  }
  return headers;
}

function parameter(value, name) {
  const match = new RegExp(`${name}="?([^";]+)"?`, 'i').exec(value || '');
  return match ? match[1] : null;
}

/** Parse one message (or part): {headers, type, text?, html?, parts}. */
export function parseMail(raw) {
  const [head, body] = splitHead(raw);
  const headers = headersOf(head);
  const type = (headers['content-type']?.[0] || 'text/plain').split(';')[0].trim().toLowerCase();
  const mail = { headers, type, parts: [], text: '', html: '' };
  if (type.startsWith('multipart/')) {
    const boundary = parameter(headers['content-type'][0], 'boundary');
    const pieces = body.split(new RegExp(`\\r?\\n?--${boundary.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
    for (const piece of pieces.slice(1)) {
      if (piece.startsWith('--')) break;
      const part = parseMail(piece.replace(/^\r?\n/, ''));
      mail.parts.push(part);
      mail.text ||= part.text;
      mail.html ||= part.html;
    }
    return mail;
  }
  const encoding = (headers['content-transfer-encoding']?.[0] || '7bit').toLowerCase();
  const decoded = encoding === 'quoted-printable' ? decodeQuotedPrintable(body)
    : encoding === 'base64' ? Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8') : body;
  if (type === 'text/html') mail.html = decoded; else mail.text = decoded;
  return mail;
}

/** The fields the tests look at: to, subject, the readable text (text and HTML parts). */
export function readable(raw) {
  const mail = parseMail(raw);
  const to = /<([^>]+)>/.exec(mail.headers.to?.[0] || '')?.[1] || mail.headers.to?.[0];
  const subject = mail.headers.subject?.[0] ?? '';
  return { mail, to, subject, text: `${mail.text}\n${mail.html}` };
}
