// A PDF attached to a meldpunt report loses its metadata before it is sealed (issue 15
// point 2): the information dictionary of every revision, the XMP stream, also when the
// information dictionary sits compressed in an object stream (qpdf writes those). Read
// back as the officer with Debian's pdfinfo and checked with qpdf --check; the page text
// is still there (pdftotext).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startAlvd } from './lib/alvd.mjs';
import { pdfWithMetadata } from './lib/pdf.mjs';

let alvd;
let officer;
let work;

before(async () => {
  work = mkdtempSync(join(tmpdir(), 'alvd-pdf-'));
  alvd = await startAlvd();
  alvd.sql(`INSERT INTO organisations (id, name, kvk, created_at, updated_at) VALUES
    (1, 'Bel Gerust BV', '12345678', UTC_TIMESTAMP(6), UTC_TIMESTAMP(6))`);
  alvd.sql(`INSERT INTO code_versions (id, label, effective_from, created_at) VALUES (1, 'Code 2025', '2025-01-01', UTC_TIMESTAMP(6))`);
  alvd.sql(`INSERT INTO code_articles (version_id, article_id, position, title, text) VALUES (1, '6a', 1, 'Eerlijke beloning', 'tekst')`);
  const made = alvd.run(['user', 'add', '--email', 'mp@pdf.example', '--name', 'Functionaris', '--role', 'meldpunt',
    '--password-stdin'], 'functionaris-wachtwoord\n');
  assert.equal(made.status, 0, made.stderr);
  officer = alvd.client();
  await officer.login('mp@pdf.example', 'functionaris-wachtwoord');
  assert.equal((await officer.post('/api/meldpunt/setup', { passphrase: 'een lange eigen wachtzin' })).status, 201);
});

after(async () => {
  await alvd?.stop();
  rmSync(work, { recursive: true, force: true });
  assert.doesNotMatch(alvd?.log || '', /AddressSanitizer|runtime error|LeakSanitizer/, 'alvd ran clean under the sanitizers');
});

/** Send pdf as a report's attachment and download it as the officer; returns its bytes (or the refusal). */
async function roundTrip(pdf, name) {
  const sent = await alvd.client().post('/api/reports', {
    reporter: { name: 'Melder', email: 'melder@thuis.example' }, organisation_id: 1, norms: ['6a'], text: 'Zie bijlage.',
    attachments: [{ name, content_base64: pdf.toString('base64') }],
  });
  if (sent.status !== 201) return { refused: sent };
  const detail = await officer.get(`/api/reports/${sent.json.id}`);
  assert.equal(detail.status, 200, detail.text);
  const response = await fetch(alvd.url + detail.json.files[0].url, { headers: { Authorization: `Bearer ${officer.token}` } });
  assert.equal(response.status, 200);
  assert.equal(response.headers.get('content-type'), 'application/pdf');
  return { bytes: Buffer.from(await response.arrayBuffer()) };
}

function tool(command, args) {
  return execFileSync(command, args, { encoding: 'utf8' });
}

const SECRETS = ['Gerrit Zeldzaam', 'Tweede Auteur', 'Tekstverwerker', 'PDF-maker', 'Bijwerker', 'Bewijs van de wachttijd'];

test('the information dictionary of every revision and the XMP metadata are gone; the page is intact', async () => {
  const original = pdfWithMetadata({ author: 'Gerrit Zeldzaam', updater: 'Tweede Auteur' });
  const source = join(work, 'origineel.pdf');
  writeFileSync(source, original);
  assert.match(tool('pdfinfo', [source]), /Author: +Tweede Auteur/, 'the test file does carry metadata');
  assert.match(tool('pdfinfo', ['-meta', source]), /Gerrit Zeldzaam/);
  const { bytes, refused } = await roundTrip(original, 'bewijs.pdf');
  assert.equal(refused, undefined, refused?.text);
  assert.equal(bytes.length, original.length, 'stripped in place: the same length, every offset kept');
  const file = join(work, 'ontvangen.pdf');
  writeFileSync(file, bytes);
  const info = tool('pdfinfo', [file]);
  for (const key of ['Title', 'Author', 'Creator', 'Producer', 'CreationDate']) {
    assert.doesNotMatch(info, new RegExp(`^${key}:`, 'm'), `pdfinfo still shows ${key}:\n${info}`);
  }
  assert.equal(tool('pdfinfo', ['-meta', file]).trim(), '', 'the XMP stream is empty');
  for (const secret of SECRETS) assert.ok(!bytes.includes(Buffer.from(secret)), `"${secret}" is still in the file`);
  assert.match(tool('qpdf', ['--check', file]), /No syntax or stream encoding errors/);
  assert.match(tool('pdftotext', [file, '-']), /Wachttijd 17 uur/, 'the page text is unchanged');
});

test('an information dictionary compressed in an object stream is stripped too', async () => {
  const source = join(work, 'bron.pdf');
  const packed = join(work, 'objectstreams.pdf');
  writeFileSync(source, pdfWithMetadata({ author: 'Gerrit Zeldzaam', updater: 'Tweede Auteur' }));
  tool('qpdf', ['--object-streams=generate', source, packed]);
  const original = readFileSync(packed);
  assert.match(tool('qpdf', ['--show-xref', packed]), /compressed; stream/, 'qpdf wrote object streams');
  assert.match(tool('pdfinfo', [packed]), /Author: +Tweede Auteur/);
  assert.ok(!original.includes(Buffer.from('Tweede Auteur')), 'the author is not readable as plain bytes');
  const { bytes, refused } = await roundTrip(original, 'gecomprimeerd.pdf');
  assert.equal(refused, undefined, refused?.text);
  const file = join(work, 'ontvangen-os.pdf');
  writeFileSync(file, bytes);
  assert.doesNotMatch(tool('pdfinfo', [file]), /^(Author|Title|Producer):/m);
  assert.match(tool('qpdf', ['--check', file]), /No syntax or stream encoding errors/);
  const inflated = tool('qpdf', ['--qdf', '--object-streams=disable', file, '-']);
  for (const secret of SECRETS) assert.ok(!inflated.includes(secret), `"${secret}" is in the inflated file`);
  assert.match(tool('pdftotext', [file, '-']), /Wachttijd 17 uur/);
});

test('a PDF whose compressed metadata cannot be rewritten is refused, not stored with it', async () => {
  // An object stream that is not FlateDecode-only (here: with a predictor) and holds the Info.
  const source = join(work, 'predictor-bron.pdf');
  const packed = join(work, 'predictor.pdf');
  writeFileSync(source, pdfWithMetadata({ author: 'Gerrit Zeldzaam', updater: 'Tweede Auteur' }));
  tool('qpdf', ['--object-streams=generate', source, packed]);
  const bytes = readFileSync(packed);
  const text = bytes.toString('latin1');
  const marked = text.replace('/Type /ObjStm', '/Type /ObjStm /DecodeParms << /Predictor 1 >>');
  assert.notEqual(marked, text);
  const { refused } = await roundTrip(Buffer.from(marked, 'latin1'), 'anders.pdf');
  assert.equal(refused?.status, 422, refused?.text);
  assert.equal(refused.json.code, 'pdf_metadata');
  assert.match(refused.json.error, /Afdrukken als PDF/);
});
