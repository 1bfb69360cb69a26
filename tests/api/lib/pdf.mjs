// A small PDF writer for the attachment tests: a one-page document with an information
// dictionary, an XMP metadata stream and an incremental update with a second information
// dictionary, with a correct cross-reference table (qpdf --check passes on it).

/** objects: array of strings (the text between "N 0 obj" and "endobj"), numbered from 1. */
function serialise(header, objects, trailer, previous = null, firstNumber = 1, base = '') {
  let text = base || header;
  const offsets = [];
  objects.forEach((body, i) => {
    offsets.push(Buffer.byteLength(text, 'latin1'));
    text += `${firstNumber + i} 0 obj\n${body}\nendobj\n`;
  });
  const xref = Buffer.byteLength(text, 'latin1');
  const entries = offsets.map((offset) => `${String(offset).padStart(10, '0')} 00000 n \n`).join('');
  text += base
    ? `xref\n${firstNumber} ${objects.length}\n${entries}`
    : `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${entries}`;
  text += `trailer\n<< ${trailer}${previous === null ? '' : ` /Prev ${previous}`} >>\nstartxref\n${xref}\n%%EOF\n`;
  return { text, xref };
}

/** A PDF whose metadata names author (Info /Author, XMP dc:creator) and, in an
 *  incremental update, updater (a second Info). */
export function pdfWithMetadata({ author, updater, title = 'Bewijs van de wachttijd', body = 'Wachttijd 17 uur' }) {
  const content = `BT /F1 18 Tf 72 720 Td (${body}) Tj ET`;
  const xmp = '<?xpacket begin="\uFEFF" id="W5M0MpCehiHzreSzNTczkc9d"?>'
    + '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
    + `<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:creator><rdf:Seq><rdf:li>${author}</rdf:li></rdf:Seq></dc:creator></rdf:Description>`
    + '</rdf:RDF></x:xmpmeta><?xpacket end="w"?>';
  const xmpBytes = Buffer.byteLength(xmp, 'utf8');
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R /Metadata 6 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${content.length} >>\nstream\n${content}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
    `<< /Type /Metadata /Subtype /XML /Length ${xmpBytes} >>\nstream\n${Buffer.from(xmp, 'utf8').toString('latin1')}\nendstream`,
    `<< /Title (${title}) /Author (${author}) /Creator (Tekstverwerker) /Producer (PDF-maker 1.0) /CreationDate (D:20261201120000+01'00') >>`,
  ];
  const first = serialise('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n', objects, '/Size 8 /Root 1 0 R /Info 7 0 R');
  const update = serialise('', [`<< /Title (${title}) /Author (${updater}) /Producer (Bijwerker 2.0) >>`],
    '/Size 9 /Root 1 0 R /Info 8 0 R', first.xref, 8, first.text);
  return Buffer.from(update.text, 'latin1');
}
