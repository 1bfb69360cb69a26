// The meldpunt end to end: a confidential report through signal, comply-or-explain
// answer, judgement and feedback; who may see what; the half-year counts with "<3";
// a database dump and the data directory that reveal nothing of the reporter; reminders
// and retention with an injected clock ("today" is ALVD_TEST_TODAY, set at start-up).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { subtractionAttack, naiveSubtractions, tableFromCsv } from './lib/subtraction-attack.mjs';
import { startAlvd } from './lib/alvd.mjs';
import { readable } from './lib/mail.mjs';

const PASSPHRASE = 'een lange wachtzin voor het meldpunt';
const REPORTER = {
  name: 'Gerrit Zeldzaamheid',
  email: 'gerrit.zeldzaam@melder.example',
  phone: '06-98765432',
};
const SENTENCE = 'De wachtrij duurde zeventien uur zonder enige uitleg van de klantenservice';
const ADDED = 'Ook mijn buurvrouw wachtte negentien uur op de lijn';
const FEEDBACK = 'Wij hebben de organisatie gehoord en haar uitleg aanvaard';

let alvd;
let officer;
let board;
let admin;
const ids = {};

function png(extraChunkText) {
  const chunk = (type, data) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    return Buffer.concat([length, Buffer.from(type, 'latin1'), data, Buffer.alloc(4, 0xab)]);
  };
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', Buffer.alloc(13, 1)),
    chunk('tEXt', Buffer.from(`Author\0${extraChunkText}`, 'latin1')),
    chunk('IDAT', Buffer.from('pixeldata')),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

async function restartOn(day) {
  await alvd.kill();
  alvd.env.ALVD_TEST_TODAY = day;
  await alvd.start();
}

async function staff(role) {
  const email = `${role}@meldpunt-test.example`;
  const made = alvd.run(['user', 'add', '--email', email, '--name', `Test ${role}`, '--role', role, '--password-stdin'],
    `${role}-wachtwoord-2026\n`);
  assert.equal(made.status, 0, made.stderr);
  const client = alvd.client();
  await client.login(email, `${role}-wachtwoord-2026`);
  return client;
}

async function contactSession(email) {
  // The contact logs in as a contact person does: with the link from the signal mail.
  const rows = alvd.sql(`SELECT REGEXP_SUBSTR(body_text, '/l/[A-Za-z0-9_-]{43}') FROM outbox
    WHERE recipient = '${email}' AND kind = 'login_link' ORDER BY id DESC LIMIT 1`);
  assert.equal(rows.length, 1, `a login mail for ${email}`);
  const link = rows[0][0].slice(3);
  const client = alvd.client();
  client.adopt(await client.post('/api/session/link', { link }));
  return client;
}

/** Every file under dir (recursively) that contains needle as UTF-8 bytes, or — for a
 * mail file — in its decoded text (quoted-printable hides "é" and long lines). */
function filesContaining(dir, needle) {
  const found = [];
  const bytes = Buffer.from(needle, 'utf8');
  const walk = (path) => {
    for (const name of readdirSync(path)) {
      const full = join(path, name);
      if (statSync(full).isDirectory()) walk(full);
      else if (readFileSync(full).includes(bytes)) found.push(full);
      else if (name.endsWith('.eml') && readable(readFileSync(full, 'utf8')).text.includes(needle)) found.push(full);
    }
  };
  walk(dir);
  return found;
}

before(async () => {
  alvd = await startAlvd({ env: { ALVD_TEST_TODAY: '2026-03-02' } });
  alvd.sql(`INSERT INTO organisations (id, name, kvk, created_at, updated_at) VALUES
    (1, 'Bel Gerust BV', '12345678', UTC_TIMESTAMP(6), UTC_TIMESTAMP(6)),
    (2, 'Andere Lijn NV', '87654321', UTC_TIMESTAMP(6), UTC_TIMESTAMP(6))`);
  alvd.sql(`INSERT INTO contacts (organisation_id, name, email, created_at) VALUES
    (1, 'Carla Contact', 'carla@belgerust.example', UTC_TIMESTAMP(6)),
    (2, 'Dirk Derde', 'dirk@anderelijn.example', UTC_TIMESTAMP(6))`);
  alvd.sql(`INSERT INTO code_versions (id, label, effective_from, created_at) VALUES (1, 'Code 2025', '2025-01-01', UTC_TIMESTAMP(6))`);
  alvd.sql(`INSERT INTO code_articles (version_id, article_id, position, title, text) VALUES
    (1, '5', 5, 'Meldpunt', 'tekst'), (1, '6', 6, 'Algemene principes', 'tekst'),
    (1, '6a', 7, 'Eerlijke beloning', 'tekst'), (1, '6b', 8, 'Goed werkgeverschap', 'tekst'),
    (1, '6c', 9, 'Kwaliteit van dienstverlening', 'tekst'), (1, '6d', 10, 'Duurzame relaties', 'tekst')`);
  officer = await staff('meldpunt');
  board = await staff('board');
  admin = await staff('admin');
});

after(async () => {
  await alvd?.stop();
  assert.doesNotMatch(alvd?.log || '', /AddressSanitizer|runtime error|LeakSanitizer/, 'alvd ran clean under the sanitizers');
});

test('the officer sets up the meldpunt key with a passphrase; weak ones are refused', async () => {
  assert.deepEqual((await officer.get('/api/meldpunt/status')).json,
    { set_up: false, unlocked: false, officer: 'none', shared_passphrase: false, officers: 0 });
  const anonymous = alvd.client();
  const early = await anonymous.post('/api/reports', {
    reporter: { name: 'X', email: 'x@y.example' }, organisation_id: 1, norms: ['6a'], text: 'te vroeg',
  });
  assert.equal(early.status, 503, 'no intake before the meldpunt has a key');
  assert.equal((await officer.post('/api/meldpunt/setup', { passphrase: 'kort' })).status, 422);
  const made = await officer.post('/api/meldpunt/setup', { passphrase: PASSPHRASE });
  assert.equal(made.status, 201, made.text);
  assert.deepEqual((await officer.get('/api/meldpunt/status')).json,
    { set_up: true, unlocked: true, officer: 'active', shared_passphrase: false, officers: 1 });
  assert.equal((await officer.post('/api/meldpunt/setup', { passphrase: PASSPHRASE })).status, 409);
  // On disk: the meldpunt's public key, and the officer's own key with its secret half
  // locked under the passphrase; the meldpunt's secret exists only sealed to that key.
  assert.equal(readFileSync(join(alvd.dataDir, 'keys', 'meldpunt.pub')).length, 32);
  const officerId = alvd.sql(`SELECT id FROM users WHERE email = 'meldpunt@meldpunt-test.example'`)[0][0];
  const keyFile = readFileSync(join(alvd.dataDir, 'keys', `meldpunt-officer-${officerId}.key`));
  assert.equal(keyFile.length, 32 + 16 + 16 + 32 + 40);
  assert.equal(alvd.sql(`SELECT LENGTH(wrapped_secret) FROM meldpunt_officers WHERE user_id = ${officerId}`)[0][0], '80');
});

test('the public form: organisations by name and the norms of the Code in force', async () => {
  const anonymous = alvd.client();
  const found = await anonymous.get('/api/meldpunt/organisations?q=gerust');
  assert.deepEqual(found.json.items, [{ id: 1, name: 'Bel Gerust BV' }]);
  const norms = await anonymous.get('/api/meldpunt/norms');
  assert.deepEqual(norms.json.items.map((n) => n.id), ['6', '6a', '6b', '6c', '6d']);
});

test('a report is taken in confidentially and gets a receipt of 20 digits', async () => {
  const anonymous = alvd.client();
  const bad = await anonymous.post('/api/reports', {
    reporter: REPORTER, organisation_id: 1, norms: ['9z'], text: 'x',
  });
  assert.equal(bad.status, 422);
  assert.equal(bad.json.field, 'norms');
  const notImage = await anonymous.post('/api/reports', {
    reporter: REPORTER, organisation_id: 1, norms: ['6a'], text: 'x',
    attachments: [{ name: 'x.html', content_base64: Buffer.from('<html><script>alert(1)</script>').toString('base64') }],
  });
  assert.equal(notImage.status, 415);
  // An address the acknowledgement cannot go to is refused before anything is stored.
  const counts = () => alvd.sql('SELECT (SELECT COUNT(*) FROM meldpunt_reports), (SELECT COUNT(*) FROM outbox)')[0];
  const before = counts();
  for (const email of ['fatima@@voorbeeld.nl', 'fatima@voorbeeld', 'fatima voorbeeld.nl', '@voorbeeld.nl']) {
    const refused = await anonymous.post('/api/reports', {
      reporter: { name: 'Fatima', email }, organisation_id: 1, norms: ['6a'], text: 'Een melding met een fout adres.',
    });
    assert.equal(refused.status, 422, email);
    assert.deepEqual(refused.json, { error: 'Vul een geldig e-mailadres in, zoals naam@voorbeeld.nl.', code: 'bad_email', field: 'reporter.email' });
  }
  assert.deepEqual(counts(), before, 'no report and no mail stored for a refused address');
  const made = await anonymous.post('/api/reports', {
    reporter: REPORTER,
    organisation_id: 1,
    norms: ['6a', '6c'],
    text: `${SENTENCE}. Daarna werd de verbinding verbroken.`,
    attachments: [{ name: 'schermafdruk-gerrit.png', content_base64: png('Gerrit Zeldzaamheid').toString('base64') }],
  });
  assert.equal(made.status, 201, made.text);
  assert.match(made.json.receipt, /^\d{4}( \d{4}){4}$/);
  assert.equal(made.json.received_on, '2026-03-02');
  assert.equal(made.json.acknowledgement_due, '2026-03-09');
  assert.equal(made.json.feedback_due, '2026-06-02');
  ids.report = made.json.id;
  ids.receipt = made.json.receipt;
  // A second report that nobody handles: it will be overdue.
  const second = await anonymous.post('/api/reports', {
    reporter: { name: 'Tweede Melder', email: 'tweede@melder.example' }, organisation_id: 2, norms: ['6b'],
    text: 'Een tweede melding die blijft liggen.',
  });
  assert.equal(second.status, 201, second.text);
  ids.second = second.json.id;
});

test('the board, admin and secretariat get 403 on report content; the officer sees the overview', async () => {
  const secretariat = await staff('secretariat');
  for (const client of [board, admin, secretariat]) {
    assert.equal((await client.get(`/api/reports/${ids.report}`)).status, 403);
    assert.equal((await client.get('/api/reports')).status, 403);
    assert.equal((await client.post(`/api/reports/${ids.report}/signal`, { summary: 'x' })).status, 403);
  }
  const overview = await officer.get('/api/reports');
  assert.equal(overview.status, 200);
  const item = overview.json.items.find((i) => i.id === ids.report);
  assert.equal(item.state, 'received');
  assert.equal(item.acknowledgement_due, '2026-03-09');
  assert.equal(item.feedback_due, '2026-06-02');
  assert.equal(item.overdue, false);
  assert.deepEqual(item.norms, ['6a', '6c']);
  assert.equal(item.organisation.name, 'Bel Gerust BV');
  assert.ok(!JSON.stringify(overview.json).includes(REPORTER.name), 'the overview shows no identity');
});

test('the identity opens only in an unlocked session, and every view is audited', async () => {
  // A second login of the same officer starts locked.
  const other = alvd.client();
  await other.login('meldpunt@meldpunt-test.example', 'meldpunt-wachtwoord-2026');
  const locked = await other.get(`/api/reports/${ids.report}`);
  assert.equal(locked.status, 403);
  assert.equal(locked.json.code, 'locked');
  const wrong = await other.post('/api/meldpunt/unlock', { passphrase: 'een verkeerde wachtzin hier' });
  assert.equal(wrong.status, 403);
  assert.equal(wrong.json.code, 'wrong_passphrase');
  assert.equal((await other.post('/api/meldpunt/unlock', { passphrase: PASSPHRASE })).status, 200);
  // Opening the case shows what happened, not who reported: that takes a release with a
  // reason (the only officer's own request stands approved; with two, the other decides).
  const closed = await other.get(`/api/reports/${ids.report}`);
  assert.equal(closed.json.reporter, null);
  assert.deepEqual(closed.json.identity, { state: 'hidden', request: null, approval_needed: false });
  const release = await other.post(`/api/reports/${ids.report}/identity-requests`, { reason: 'Ik wil de melder bellen over de bijlage.' });
  assert.equal(release.status, 201, release.text);
  assert.equal(release.json.sole_officer, true);
  const before = Number(alvd.sql(`SELECT COUNT(*) FROM audit_log WHERE action = 'report.identity_viewed'`)[0][0]);
  const detail = await other.get(`/api/reports/${ids.report}`);
  assert.equal(detail.status, 200, detail.text);
  assert.deepEqual(detail.json.reporter, REPORTER);
  assert.ok(detail.json.text.startsWith(SENTENCE));
  assert.equal(detail.json.files.length, 1);
  assert.equal(detail.json.files[0].name, 'schermafdruk-gerrit.png');
  const after = alvd.sql(`SELECT actor_label, object_id, details FROM audit_log WHERE action = 'report.identity_viewed' ORDER BY id`);
  assert.equal(after.length, before + 1);
  assert.equal(after.at(-1)[0], 'meldpunt@meldpunt-test.example');
  assert.equal(Number(after.at(-1)[1]), ids.report);
  assert.ok(!after.at(-1)[2].includes('Gerrit'));
  // Locking ends it for that session only.
  assert.equal((await other.post('/api/meldpunt/lock', {})).status, 200);
  assert.equal((await other.get(`/api/reports/${ids.report}`)).json.code, 'locked');
  assert.equal((await officer.get(`/api/reports/${ids.report}`)).status, 200);
});

test('an attachment is served to the officer stripped, as an attachment, sandboxed', async () => {
  const detail = await officer.get(`/api/reports/${ids.report}`);
  const file = await officer.get(detail.json.files[0].url);
  assert.equal(file.status, 200);
  assert.equal(file.headers.get('content-type'), 'image/png');
  assert.match(file.headers.get('content-disposition'), /^attachment; filename="bijlage-\d+-\d+\.png"$/);
  assert.equal(file.headers.get('x-content-type-options'), 'nosniff');
  assert.match(file.headers.get('content-security-policy'), /sandbox/);
  assert.ok(!file.text.includes('Gerrit'), 'the tEXt chunk with the author is gone');
  assert.ok(file.text.includes('pixeldata'));
  assert.equal((await board.get(detail.json.files[0].url)).status, 403);
});

test('full cycle: acknowledge → signal → comply-or-explain → judgement → feedback → closed', async () => {
  const acknowledged = await officer.post(`/api/reports/${ids.report}/acknowledge`, {});
  assert.equal(acknowledged.status, 200, acknowledged.text);
  assert.equal(acknowledged.json.state, 'acknowledged');
  assert.equal(acknowledged.json.acknowledged_on, '2026-03-02');
  // No judgement before the organisation was heard.
  assert.equal((await officer.post(`/api/reports/${ids.report}/judgement`, { judgement: 'compliant' })).status, 409);

  const summary = 'Een melder geeft aan dat klanten in februari uren moesten wachten zonder uitleg (norm 6a, 6c).';
  const signal = await officer.post(`/api/reports/${ids.report}/signal`, { summary });
  assert.equal(signal.status, 201, signal.text);
  assert.equal(signal.json.summary, summary);
  assert.deepEqual(signal.json.norms.split(','), ['6a', '6c']);
  assert.notEqual(signal.json.id, ids.report);
  assert.ok(!('report_id' in signal.json));
  assert.equal(signal.json.contacts_mailed, 1);
  ids.signal = signal.json.id;
  assert.equal((await officer.post(`/api/reports/${ids.report}/signal`, { summary })).status, 409);

  // The organisation's contact logs in by the mailed link and sees only its own signal.
  const carla = await contactSession('carla@belgerust.example');
  const list = await carla.get('/api/signals');
  assert.equal(list.status, 200);
  assert.equal(list.json.items.length, 1);
  assert.equal(list.json.items[0].id, ids.signal);
  assert.equal(list.json.items[0].summary, summary);
  const seen = JSON.stringify(list.json);
  assert.ok(!seen.includes('report'), 'nothing in the signal names the report');
  assert.ok(!seen.includes(REPORTER.name) && !seen.includes(REPORTER.email));
  assert.equal((await carla.get(`/api/reports/${ids.report}`)).status, 403);

  const response = await carla.post(`/api/signals/${ids.signal}/response`, {
    stance: 'explain', text: 'Wij wijken af door een storing; wij hebben extra medewerkers ingezet.',
  });
  assert.equal(response.status, 201, response.text);
  assert.equal(response.json.stance, 'explain');
  assert.equal(response.json.responded_on, '2026-03-02');
  assert.equal((await carla.post(`/api/signals/${ids.signal}/response`, { stance: 'comply' })).status, 409);

  const afterResponse = await officer.get(`/api/reports/${ids.report}`);
  assert.equal(afterResponse.json.state, 'response');
  assert.equal(afterResponse.json.signal.stance, 'explain');

  const judged = await officer.post(`/api/reports/${ids.report}/judgement`, { judgement: 'explained' });
  assert.equal(judged.status, 200, judged.text);
  assert.equal(judged.json.state, 'judgement');
  assert.equal(judged.json.judgement, 'explained');
  assert.equal((await officer.post(`/api/reports/${ids.report}/judgement`, { judgement: 'unsure' })).status, 422);

  // Closing needs feedback first.
  assert.equal((await officer.post(`/api/reports/${ids.report}/close`, {})).status, 422);
  const fed = await officer.post(`/api/reports/${ids.report}/feedback`, { text: FEEDBACK });
  assert.equal(fed.status, 200, fed.text);
  assert.equal(fed.json.state, 'feedback');
  assert.equal(fed.json.mailed, true);
  const closed = await officer.post(`/api/reports/${ids.report}/close`, {});
  assert.equal(closed.status, 200, closed.text);
  assert.equal(closed.json.state, 'closed');
  assert.equal(closed.json.closed_on, '2026-03-02');
  const audit = alvd.sql(`SELECT action FROM audit_log WHERE object_type = 'report' AND object_id = ${ids.report} ORDER BY id`).map((r) => r[0]);
  for (const action of ['report.received', 'report.acknowledged', 'report.signal_sent', 'report.judgement', 'report.feedback', 'report.closed']) {
    assert.ok(audit.includes(action), `audited: ${action}`);
  }
});

test("another organisation's contact gets 404 on the signal, the same as for no signal", async () => {
  // Dirk's organisation has no signal yet: get him a login link the ordinary way.
  const anonymous = alvd.client();
  assert.equal((await anonymous.post('/api/session/link-request', { email: 'dirk@anderelijn.example' })).status, 202);
  const dirk = await contactSession('dirk@anderelijn.example');
  assert.deepEqual((await dirk.get('/api/signals')).json.items, []);
  const foreign = await dirk.get(`/api/signals/${ids.signal}`);
  const missing = await dirk.get('/api/signals/4242424242');
  assert.equal(foreign.status, 404);
  assert.deepEqual(foreign.json, missing.json);
  const answer = await dirk.post(`/api/signals/${ids.signal}/response`, { stance: 'comply' });
  assert.equal(answer.status, 404);
  assert.equal((await board.get('/api/signals')).status, 403);
});

test('the reporter follows up with the receipt, adds information and reads the feedback', async () => {
  const anonymous = alvd.client();
  const wrong = await anonymous.post('/api/reports/follow-up', { receipt: '0000 0000 0000 0000 0000' });
  assert.equal(wrong.status, 404);
  const status = await anonymous.post('/api/reports/follow-up', { receipt: ids.receipt });
  assert.equal(status.status, 200, status.text);
  assert.equal(status.json.state, 'closed');
  assert.equal(status.json.feedback, FEEDBACK);
  assert.ok(!JSON.stringify(status.json).includes(REPORTER.email), 'the follow-up shows no identity');
  const added = await anonymous.post('/api/reports/follow-up/messages', { receipt: ids.receipt.replaceAll(' ', '-'), text: ADDED });
  assert.equal(added.status, 201, added.text);
  const detail = await officer.get(`/api/reports/${ids.report}`);
  assert.deepEqual(detail.json.messages.map((m) => m.text), [ADDED]);
});

test('a dump of the database and the data directory reveal nothing of the reporter', async () => {
  // First let the outbox deliver everything pending, so every mail is on disk when the
  // data directory is searched (a cap only against hanging, not a timing assertion).
  for (let i = 0; i < 150; i++) {
    const [[pending]] = alvd.sql("SELECT COUNT(*) FROM outbox WHERE state = 'pending'");
    if (Number(pending) === 0) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  assert.equal(Number(alvd.sql("SELECT COUNT(*) FROM outbox WHERE state = 'pending'")[0][0]), 0, 'all mail delivered');
  const dump = execFileSync('mariadb-dump', ['--no-defaults', '-S', alvd.socket, '-uroot', alvd.database],
    { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  assert.ok(dump.includes('meldpunt_reports'), 'the dump holds the meldpunt tables');
  assert.ok(dump.includes('Bel Gerust BV'), 'the dump is real (plain register data is there)');
  const secrets = [REPORTER.name, 'Zeldzaamheid', REPORTER.email, REPORTER.phone, SENTENCE, ADDED, FEEDBACK,
    'schermafdruk-gerrit', 'tweede@melder.example'];
  for (const secret of secrets) {
    assert.ok(!dump.includes(secret), `database dump contains "${secret}"`);
    assert.deepEqual(filesContaining(alvd.dataDir, secret), [], `data directory contains "${secret}"`);
  }
  // The data directory does hold the mail outbox (.eml) and the encrypted attachment.
  assert.ok(existsSync(join(alvd.dataDir, 'outbox')), 'the .eml outbox is there and was searched');
  assert.ok(readdirSync(join(alvd.dataDir, 'outbox')).some((f) => f.endsWith('.eml')));
  assert.ok(readdirSync(join(alvd.dataDir, 'outbox')).some((f) => f.endsWith('.eml.sealed')),
    'the acknowledgement was written sealed');
  assert.equal(readdirSync(join(alvd.dataDir, 'meldpunt')).length, 1);
  // No outbox row was ever addressed to a reporter.
  assert.equal(alvd.sql(`SELECT COUNT(*) FROM outbox WHERE kind LIKE 'meldpunt_ack%' OR kind = 'meldpunt_feedback'`)[0][0], '0');
});

test('the half-year report: nothing public before publication; the officer sees a marked preview; "<3" with complementary "x"', async () => {
  // Older reports (2025H2) whose personal data is already gone: only counts remain.
  const judgements = ['compliant', 'compliant', 'compliant', 'explained', 'pending'];
  const norms = ['6a', '6a', '6a', '6a', '6b'];
  for (let i = 0; i < judgements.length; i++) {
    alvd.sql(`INSERT INTO meldpunt_reports (received_on, state, judgement, closed_on, personal_data_deleted_on)
      VALUES ('2025-0${7 + i}-10', 'closed', '${judgements[i]}', '2025-12-01', '2025-12-01');
      INSERT INTO meldpunt_report_norms (report_id, norm) VALUES (LAST_INSERT_ID(), '${norms[i]}')`);
  }
  const anonymous = alvd.client();
  for (const path of ['/api/meldpunt/half-year/2025H2', '/api/meldpunt/half-year/2025H2?format=csv', '/api/meldpunt/half-year/2026H1']) {
    const hidden = await anonymous.get(path);
    assert.equal(hidden.status, 404, `${path}: ${hidden.text}`);
    assert.equal(hidden.json.code, 'not_published');
    assert.match(hidden.json.error, /nog niet gepubliceerd/);
  }
  // The officer's preview is marked, and already suppressed as it would be published.
  const preview = await officer.get('/api/meldpunt/half-year/2025H2');
  assert.equal(preview.status, 200, preview.text);
  assert.equal(preview.json.published, false);
  assert.equal(preview.json.preview, true);
  assert.match(preview.json.preview_note, /niet gepubliceerd/);
  assert.equal(preview.json.reports, 5);
  // "6a,4,3,0,<3,0" would give the small count as 4 − 3: a second entry of 6a is hidden,
  // and the total (5) no longer gives 6b's "<3" as 5 − 4.
  const expected = {
    '6a': { reports: 'x', compliant: 'x', non_compliant: 0, explained: '<3', pending: 0 },
    '6b': { reports: '<3', compliant: 0, non_compliant: 0, explained: 0, pending: '<3' },
  };
  assert.deepEqual(preview.json.by_norm, expected);
  assert.equal(preview.json.suppressed_mark, 'x');
  assert.deepEqual(subtractionAttack(preview.json, { singleNorm: true }).disclosed, []);
  // The board is not the meldpunt: no preview.
  assert.equal((await board.get('/api/meldpunt/half-year/2025H2')).status, 404);
  const previewCsv = await officer.get('/api/meldpunt/half-year/2025H2?format=csv');
  assert.match(previewCsv.headers.get('content-disposition'), /concept-niet-gepubliceerd/);

  assert.equal((await officer.post('/api/meldpunt/half-year/2025H2/publish', {})).status, 200);
  const report = await anonymous.get('/api/meldpunt/half-year/2025H2');
  assert.equal(report.status, 200, report.text);
  assert.equal(report.json.published, true);
  assert.equal(report.json.reports, 5);
  assert.deepEqual(report.json.by_norm, expected);
  const csv = await anonymous.get('/api/meldpunt/half-year/2025H2?format=csv');
  assert.equal(csv.status, 200);
  assert.match(csv.headers.get('content-type'), /^text\/csv/);
  assert.equal(csv.text, 'norm,reports,compliant,non_compliant,explained,pending\r\n6a,x,x,0,<3,0\r\n6b,<3,0,0,0,<3\r\ntotal,5,,,,\r\n');
  for (const table of [report.json, tableFromCsv(csv.text)]) {
    assert.deepEqual(subtractionAttack(table, { singleNorm: true }).disclosed, []);
    assert.deepEqual(naiveSubtractions(table, { singleNorm: true }), []);
  }
  // What the old table gave away, the attack finds: the row and the total.
  const leaky = { reports: 5, by_norm: { '6a': { reports: 4, compliant: 3, non_compliant: 0, explained: '<3', pending: 0 },
    '6b': { reports: '<3', compliant: 0, non_compliant: 0, explained: 0, pending: '<3' } } };
  assert.deepEqual(subtractionAttack(leaky, { singleNorm: true }).disclosed.map((d) => `${d.where}=${d.value}`).sort(),
    ['6a.explained=1', '6b.pending=1', '6b.reports=1']);

  // Published means frozen: a later judgement does not change the public table.
  alvd.sql("UPDATE meldpunt_reports SET judgement = 'non_compliant' WHERE received_on = '2025-07-10'");
  assert.deepEqual((await anonymous.get('/api/meldpunt/half-year/2025H2')).json.by_norm, expected);
  assert.equal((await anonymous.get('/api/meldpunt/half-year/2025H3')).status, 400);
});

test('guidance and amendment suggestions are published after the half year; the board reads the suggestions', async () => {
  const text = await officer.post('/api/meldpunt/half-year/2025H1/text', {
    guidance: 'Organisaties: leg wachttijden uit aan de klant.',
    suggestions: [{ article: '6c', text: 'Neem een maximale wachttijd op in norm 6c.' }],
  });
  assert.equal(text.status, 200, text.text);
  assert.equal((await board.post('/api/meldpunt/half-year/2025H1/text', { guidance: 'x' })).status, 403);
  assert.equal((await anonymous().get('/api/meldpunt/half-year/2025H1')).status, 404, 'not public before publication');
  const early = await officer.post('/api/meldpunt/half-year/2026H1/publish', {});
  assert.equal(early.status, 422, 'the current half year cannot be published yet');
  assert.equal((await officer.post('/api/meldpunt/half-year/2025H1/publish', {})).status, 200);
  const published = await anonymous().get('/api/meldpunt/half-year/2025H1');
  assert.equal(published.json.published, true);
  assert.equal(published.json.guidance, 'Organisaties: leg wachttijden uit aan de klant.');
  assert.equal(published.json.suggestions[0].article, '6c');
  const forBoard = await board.get('/api/meldpunt/half-year/2025H1/suggestions');
  assert.equal(forBoard.status, 200);
  assert.equal(forBoard.json.items[0].text, 'Neem een maximale wachttijd op in norm 6c.');
  assert.equal(forBoard.json.items[0].proposal_id, null);
  assert.equal((await officer.post('/api/meldpunt/half-year/2025H1/text', { guidance: 'later' })).status, 409);
});

function anonymous() { return alvd.client(); }

test('an unacknowledged report is overdue after 7 days and the officers get one reminder a day', async () => {
  await restartOn('2026-03-10');
  const overview = await officer.get('/api/reports');
  assert.equal(overview.json.today, '2026-03-10');
  const second = overview.json.items.find((i) => i.id === ids.second);
  assert.equal(second.acknowledgement_overdue, true);
  assert.equal(second.overdue, true);
  assert.equal(overview.json.items.find((i) => i.id === ids.report).overdue, false, 'a closed report is never overdue');
  const run = await admin.post('/api/meldpunt/jobs/run', {});
  assert.equal(run.status, 200, run.text);
  assert.equal(run.json.reminders, 1);
  assert.equal(run.json.personal_data_deleted, 0);
  const mails = alvd.sql(`SELECT subject, LOCATE('tweede@melder.example', body_text) FROM outbox
    WHERE kind = 'meldpunt_reminder' AND recipient = 'meldpunt@meldpunt-test.example'`);
  assert.equal(mails.length, 1);
  assert.match(mails[0][0], new RegExp(`melding ${ids.second} is over tijd`));
  assert.equal(mails[0][1], '0', 'the reminder names no reporter');
  assert.equal((await admin.post('/api/meldpunt/jobs/run', {})).json.reminders, 0, 'once a day');
  assert.equal((await board.post('/api/meldpunt/jobs/run', {})).status, 403);
});

test('12 months after closure the personal data, messages, files and signal are gone; the counts stay', async () => {
  await restartOn('2027-03-01');
  assert.equal((await admin.post('/api/meldpunt/jobs/run', {})).json.personal_data_deleted, 0, 'one day early');
  await restartOn('2027-03-02');
  const run = await admin.post('/api/meldpunt/jobs/run', {});
  assert.equal(run.json.personal_data_deleted, 1);
  const row = alvd.sql(`SELECT reporter_name, reporter_email, reporter_phone, description, feedback, wrapped_key,
    reporter_wrapped_key, receipt_verifier, organisation_id, signal_id, judgement, received_on, personal_data_deleted_on
    FROM meldpunt_reports WHERE id = ${ids.report}`)[0];
  assert.deepEqual(row.slice(0, 10), [null, null, null, null, null, null, null, null, null, null]);
  assert.deepEqual(row.slice(10), ['explained', '2026-03-02', '2027-03-02']);
  assert.equal(alvd.sql(`SELECT COUNT(*) FROM meldpunt_messages WHERE report_id = ${ids.report}`)[0][0], '0');
  assert.equal(alvd.sql(`SELECT COUNT(*) FROM meldpunt_files WHERE report_id = ${ids.report}`)[0][0], '0');
  assert.equal(alvd.sql(`SELECT COUNT(*) FROM meldpunt_signals WHERE id = ${ids.signal}`)[0][0], '0');
  assert.equal(alvd.sql(`SELECT COUNT(*) FROM meldpunt_identity_requests WHERE report_id = ${ids.report}`)[0][0], '0',
    'the identity release and its reason are gone');
  assert.deepEqual(readdirSync(join(alvd.dataDir, 'meldpunt')), [], 'the attachment file is gone');
  assert.equal(alvd.sql(`SELECT COUNT(*) FROM meldpunt_report_norms WHERE report_id = ${ids.report}`)[0][0], '2');
  // The open second report keeps its data; the counts of 2026H1 are unchanged.
  assert.notEqual(alvd.sql(`SELECT reporter_name FROM meldpunt_reports WHERE id = ${ids.second}`)[0][0], null);
  const half = await officer.get('/api/meldpunt/half-year/2026H1');
  assert.equal(half.json.preview, true);
  assert.equal(half.json.reports, '<3');
  assert.equal(half.json.by_norm['6a'].explained, '<3');
  // The receipt no longer opens anything, and the officer sees the case as cleaned up.
  assert.equal((await anonymous().post('/api/reports/follow-up', { receipt: ids.receipt })).status, 404);
  assert.equal((await officer.get(`/api/reports/${ids.report}`)).status, 409);
});
