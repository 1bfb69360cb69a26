// Withdrawals by registered letter (issue 7): intake and preview, refusal without a
// signature, the effect on the signature basis on E−1, E and E+1 for a timely and a late
// withdrawer, pending withdrawals applied when a later version is scheduled, corrections,
// scans checked by their bytes, the online notice, the deadlines overview and the ICS feed.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readdirSync, existsSync } from 'node:fs';
import http from 'node:http';
import { join } from 'node:path';
import { startAlvd, demoLogins } from './lib/alvd.mjs';

// ---- civil dates as "YYYY-MM-DD", computed in UTC so no time zone shifts a day
const addDays = (date, days) => {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
};
const compact = (date) => date.replaceAll('-', '');

let alvd;
let secretariat;
let board;
let today; // the server's Amsterdam date, from GET /api/deadlines
const ids = {};

function one(query) {
  const rows = alvd.sql(query);
  return rows.length ? rows[0][0] : null;
}
function insertId(query) {
  return Number(one(`${query}; SELECT LAST_INSERT_ID()`));
}
function organisation(name, kvk, email = null) {
  return insertId(`INSERT INTO organisations (name, kvk, email, created_at, updated_at) VALUES ('${name}', '${kvk}', ${email ? `'${email}'` : 'NULL'}, UTC_TIMESTAMP(6), UTC_TIMESTAMP(6))`);
}
function basis(organisationId, kind, since, until = null) {
  return insertId(`INSERT INTO bases (organisation_id, basis, since, until, created_at) VALUES (${organisationId}, '${kind}', '${since}', ${until ? `'${until}'` : 'NULL'}, UTC_TIMESTAMP(6))`);
}
function contact(organisationId, name, email) {
  return insertId(`INSERT INTO contacts (organisation_id, name, email, created_at) VALUES (${organisationId}, '${name}', '${email}', UTC_TIMESTAMP(6))`);
}
function version(label, effectiveFrom, source = 'adoption') {
  return insertId(`INSERT INTO code_versions (label, effective_from, source, created_at) VALUES ('${label}', '${effectiveFrom}', '${source}', UTC_TIMESTAMP(6))`);
}
/** Current (not superseded) signature rows of an organisation that hold on date. */
function signatureActiveOn(organisationId, date) {
  return Number(one(`SELECT COUNT(*) FROM bases WHERE organisation_id = ${organisationId} AND basis = 'signature' AND superseded_by IS NULL AND since <= '${date}' AND (until IS NULL OR until >= '${date}')`));
}
function membershipActiveOn(organisationId, date) {
  return Number(one(`SELECT COUNT(*) FROM bases WHERE organisation_id = ${organisationId} AND basis = 'membership' AND superseded_by IS NULL AND since <= '${date}' AND (until IS NULL OR until >= '${date}')`));
}
function versionInForceOn(date) {
  return Number(one(`SELECT id FROM code_versions WHERE effective_from <= '${date}' ORDER BY effective_from DESC, id LIMIT 1`));
}
function withdrawalCount() {
  return Number(one('SELECT COUNT(*) FROM withdrawals'));
}

before(async () => {
  alvd = await startAlvd();
  for (const [role, login] of Object.entries(demoLogins)) {
    const made = alvd.run(['user', 'add', '--email', login.email, '--name', `Test ${role}`, '--role', role, '--password-stdin'], `${login.password}\n`);
    assert.equal(made.status, 0, made.stderr);
  }
  secretariat = await alvd.login('secretariat');
  board = await alvd.login('board');
  const overview = await secretariat.get('/api/deadlines');
  assert.equal(overview.status, 200, overview.text);
  today = overview.json.today;
  assert.match(today, /^\d{4}-\d{2}-\d{2}$/);

  ids.v0 = version('2022-1', '2022-06-01', 'import');
  ids.e1 = addDays(today, 10);            // W1 = today − 18
  ids.w1 = addDays(ids.e1, -28);
  ids.v1 = version('2027-test-1', ids.e1);

  ids.timely = organisation('Tijdig BV', '10000001');   // signatory and member
  basis(ids.timely, 'signature', '2023-01-01');
  basis(ids.timely, 'membership', '2020-01-01');
  contact(ids.timely, 'Tineke Tijdig', 'tineke@tijdig.example');
  ids.late = organisation('Laat NV', '10000002');       // signatory only
  basis(ids.late, 'signature', '2023-01-01');
  contact(ids.late, 'Lars Laat', 'lars@laat.example');
  ids.memberOnly = organisation('Alleen Lid VOF', '10000003');
  basis(ids.memberOnly, 'membership', '2021-01-01');
  ids.contract = organisation('Contract BV', '10000004');
  basis(ids.contract, 'contract', '2024-01-01');
  ids.online = organisation('Online Opzegger BV', '10000005');
  basis(ids.online, 'signature', '2024-01-01');
  ids.onlineContact = contact(ids.online, 'Olga Online', 'olga@online.example');
  ids.memberContact = contact(ids.memberOnly, 'Mo Lid', 'mo@lid.example');
});

after(async () => { await alvd?.stop(); });

test('the preview answers before saving and saves nothing', async () => {
  const before = withdrawalCount();
  const preview = await secretariat.post('/api/withdrawals/preview', {
    organisation_id: ids.timely, received_on: addDays(ids.w1, -2), form: 'registered', tracking_code: 'rr 1234 5678 5 nl',
  });
  assert.equal(preview.status, 200, preview.text);
  assert.equal(preview.json.version_id, ids.v1);
  assert.equal(preview.json.deadline, ids.w1);
  assert.equal(preview.json.timely, true);
  assert.equal(preview.json.tracking_code, 'RR123456785NL');
  assert.match(preview.json.effect, /^Tijdig: /);
  assert.match(preview.json.effect, new RegExp(`eindigt op ${addDays(ids.e1, -1)}`));
  assert.equal(withdrawalCount(), before, 'a preview stores nothing');
});

test('intake of a timely letter: 201 with the API fields, the signature ends on E − 1', async () => {
  const response = await secretariat.post('/api/withdrawals', {
    organisation_id: ids.timely, received_on: ids.w1, sent_on: addDays(ids.w1, -2), form: 'registered',
    tracking_code: 'RR123456785NL', note: 'Ontvangen bij de balie',
  });
  assert.equal(response.status, 201, response.text);
  const body = response.json;
  for (const key of ['id', 'version_id', 'deadline', 'timely', 'effect']) assert.ok(key in body, key);
  assert.equal(body.version_id, ids.v1);
  assert.equal(body.deadline, ids.w1);
  assert.equal(body.timely, true, 'received on W is timely');
  assert.equal(body.state, 'applied');
  ids.timelyWithdrawal = body.id;

  // The basis was superseded, not edited: the old row keeps its content.
  const rows = alvd.sql(`SELECT id, until, ended_by, superseded_by FROM bases WHERE organisation_id = ${ids.timely} AND basis = 'signature' ORDER BY id`);
  assert.equal(rows.length, 2);
  assert.deepEqual([rows[0][1], rows[0][2], rows[0][3]], [null, null, rows[1][0]]);
  assert.deepEqual([rows[1][1], rows[1][2], rows[1][3]], [addDays(ids.e1, -1), `withdrawal:${body.id}`, null]);

  // The confirmation went to the contact person through the outbox.
  const mail = alvd.sql(`SELECT subject, REPLACE(body_text, CHAR(10), ' | ') FROM outbox WHERE recipient = 'tineke@tijdig.example' AND kind = 'withdrawal_confirmation'`);
  assert.equal(mail.length, 1);
  assert.match(mail[0][0], new RegExp(`INT-${body.id}`));
  assert.match(mail[0][1], /Ontvangen op: /);
  assert.match(mail[0][1], /2027-test-1/);
  assert.match(mail[0][1], /Beoordeling: tijdig/);
  // What it does, in words the organisation reads: dates as "donderdag 17 december 2026", never YYYY-MM-DD.
  const long = (date) => new Intl.DateTimeFormat('nl-NL', { timeZone: 'UTC', weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' })
    .format(new Date(`${date}T00:00:00Z`)).replace(',', '');
  assert.equal(mail[0][0], `Bevestiging intrekking ondertekening Code (kenmerk INT-${body.id})`);
  assert.ok(mail[0][1].includes(`Gevolg: Op tijd voor versie 2027-test-1, die ingaat op ${long(ids.e1)}. De ondertekening eindigt op `
    + `${long(addDays(ids.e1, -1))}; de organisatie wordt op grond van haar ondertekening niet aan die versie gebonden.`), mail[0][1]);
  assert.doesNotMatch(mail[0][1], /\d{4}-\d{2}-\d{2}|opzegging/);
  assert.ok(Number(one(`SELECT COUNT(*) FROM audit_log WHERE action = 'withdrawal.recorded' AND object_id = ${body.id}`)) === 1);
});

test('intake of a late letter (W + 1): recorded as late, pending, the basis untouched', async () => {
  const response = await secretariat.post('/api/withdrawals', {
    organisation_id: ids.late, received_on: addDays(ids.w1, 1), form: 'letter',
  });
  assert.equal(response.status, 201, response.text);
  assert.equal(response.json.timely, false);
  assert.equal(response.json.version_id, ids.v1);
  assert.equal(response.json.outcome, 'late_pending');
  assert.equal(response.json.state, 'pending');
  assert.match(response.json.effect, new RegExp(`Te laat voor versie 2027-test-1.*vanaf ${ids.e1} aan die versie gebonden`));
  ids.lateWithdrawal = response.json.id;
  const rows = alvd.sql(`SELECT until, ended_by, superseded_by FROM bases WHERE organisation_id = ${ids.late} AND basis = 'signature'`);
  assert.deepEqual(rows, [[null, null, null]]);
});

test('binding on E − 1, E and E + 1 for the timely and the late withdrawer', () => {
  const dayBefore = addDays(ids.e1, -1);
  const dayAfter = addDays(ids.e1, 1);
  assert.equal(versionInForceOn(dayBefore), ids.v0);
  assert.equal(versionInForceOn(ids.e1), ids.v1);
  assert.equal(versionInForceOn(dayAfter), ids.v1);
  // Timely: bound by signature until E − 1 (on the old version), never to the new one.
  assert.equal(signatureActiveOn(ids.timely, dayBefore), 1, 'timely: still a signatory on E − 1');
  assert.equal(signatureActiveOn(ids.timely, ids.e1), 0, 'timely: not bound by signature on E');
  assert.equal(signatureActiveOn(ids.timely, dayAfter), 0, 'timely: not bound by signature on E + 1');
  // Membership is never touched by a withdrawal.
  for (const date of [dayBefore, ids.e1, dayAfter]) assert.equal(membershipActiveOn(ids.timely, date), 1, `membership on ${date}`);
  // Late: bound to the new version from E.
  for (const date of [dayBefore, ids.e1, dayAfter]) assert.equal(signatureActiveOn(ids.late, date), 1, `late: signatory on ${date}`);
});

test('the register status endpoint agrees on E − 1, E and E + 1', async () => {
  const status = async (organisationId, date) => {
    const response = await secretariat.get(`/api/organisations/${organisationId}/status?date=${date}`);
    assert.equal(response.status, 200, response.text);
    const active = (kind) => response.json.bases.some((b) => b.basis === kind && b.active);
    return { bound: response.json.bound, version: response.json.version_id, signature: active('signature'), membership: active('membership') };
  };
  const dayBefore = addDays(ids.e1, -1);
  const dayAfter = addDays(ids.e1, 1);
  assert.deepEqual(await status(ids.late, dayBefore), { bound: true, version: ids.v0, signature: true, membership: false });
  assert.deepEqual(await status(ids.late, ids.e1), { bound: true, version: ids.v1, signature: true, membership: false });
  assert.deepEqual(await status(ids.late, dayAfter), { bound: true, version: ids.v1, signature: true, membership: false });
  // The timely withdrawer keeps its membership: still bound, but no longer by signature.
  assert.deepEqual(await status(ids.timely, dayBefore), { bound: true, version: ids.v0, signature: true, membership: true });
  assert.deepEqual(await status(ids.timely, ids.e1), { bound: true, version: ids.v1, signature: false, membership: true });
  assert.deepEqual(await status(ids.timely, dayAfter), { bound: true, version: ids.v1, signature: false, membership: true });
});

test('the deadlines overview lists the late withdrawer among those still to be bound, not the timely one', async () => {
  const overview = await secretariat.get('/api/deadlines');
  assert.equal(overview.status, 200, overview.text);
  const item = overview.json.items.find((v) => v.version_id === ids.v1);
  assert.ok(item, 'the scheduled version is listed');
  assert.equal(item.effective_from, ids.e1);
  assert.equal(item.deadline, ids.w1);
  assert.equal(item.days_left, -18, 'W lies 18 days before the server\'s today');
  assert.equal(item.deadline_passed, true);
  assert.equal(item.withdrawals.timely, 1);
  assert.equal(item.withdrawals.late, 1);
  const bound = item.to_be_bound.items.map((o) => o.organisation_id);
  assert.ok(bound.includes(ids.late), 'late withdrawer is still bound');
  assert.ok(!bound.includes(ids.timely), 'timely withdrawer is not');
  assert.ok(bound.includes(ids.online), 'an ordinary signatory is bound');
  assert.ok(!bound.includes(ids.memberOnly) && !bound.includes(ids.contract), 'only signatories are listed');
  assert.equal(item.to_be_bound.items.find((o) => o.organisation_id === ids.late).late_withdrawal, true);
  assert.ok(overview.json.pending.some((p) => p.id === ids.lateWithdrawal), 'the late letter waits for the next amendment');
  assert.ok(item.advice.startsWith('Verstuur de brief uiterlijk op'));
});

test('refusal without a signature basis (membership or contract only): 422 with the reason', async () => {
  const before = withdrawalCount();
  for (const organisationId of [ids.memberOnly, ids.contract]) {
    const response = await secretariat.post('/api/withdrawals', { organisation_id: organisationId, received_on: today, form: 'registered' });
    assert.equal(response.status, 422, response.text);
    assert.equal(response.json.code, 'no_signature_basis');
    assert.equal(response.json.field, 'organisation_id');
    assert.match(response.json.error, /geen lopende ondertekening/);
    assert.match(response.json.error, /Alleen een ondertekening kan per brief worden ingetrokken/);
  }
  const preview = await secretariat.post('/api/withdrawals/preview', { organisation_id: ids.memberOnly, received_on: today, form: 'letter' });
  assert.equal(preview.status, 422);
  assert.equal(preview.json.code, 'no_signature_basis');
  assert.equal(withdrawalCount(), before, 'nothing stored');
  assert.equal(Number(one(`SELECT COUNT(*) FROM bases WHERE organisation_id = ${ids.memberOnly}`)), 1, 'membership untouched');
});

test('bad input is refused and changes nothing', async () => {
  const before = withdrawalCount();
  const cases = [
    [{ organisation_id: ids.online, received_on: today, form: 'registered', tracking_code: 'RR123456784NL' }, 422, 'bad_tracking_code', 'tracking_code'],
    [{ organisation_id: ids.online, received_on: today, form: 'registered', tracking_code: 'RR12345678NL' }, 422, 'bad_tracking_code', 'tracking_code'],
    [{ organisation_id: ids.online, received_on: today, form: 'registered', tracking_code: '3SABCD12345678' }, 422, 'bad_tracking_code', 'tracking_code'],
    [{ organisation_id: ids.online, received_on: addDays(today, 1), form: 'letter' }, 422, 'received_in_future', 'received_on'],
    [{ organisation_id: ids.online, received_on: today, sent_on: addDays(today, 1), form: 'letter' }, 422, 'sent_after_received', 'sent_on'],
    [{ organisation_id: ids.online, received_on: today, form: 'fax' }, 422, 'bad_choice', 'form'],
    [{ organisation_id: 999999, received_on: today, form: 'letter' }, 422, 'unknown_organisation', 'organisation_id'],
    [{ organisation_id: ids.online, received_on: '2026-02-30', form: 'letter' }, 400, null, 'received_on'],
    [{ organisation_id: ids.online, received_on: today, form: 'letter', extra: 1 }, 400, 'unknown_field', null],
  ];
  for (const [body, status, code, field] of cases) {
    const response = await secretariat.post('/api/withdrawals', body);
    assert.equal(response.status, status, `${JSON.stringify(body)}: ${response.text}`);
    if (code) assert.equal(response.json.code, code);
    if (field) assert.equal(response.json.field, field);
  }
  // A 3S code of 13 and an S10 code pass in the preview, normalised.
  const ok = await secretariat.post('/api/withdrawals/preview', { organisation_id: ids.online, received_on: today, form: 'registered', tracking_code: '3s abcd 1234567' });
  assert.equal(ok.status, 200, ok.text);
  assert.equal(ok.json.tracking_code, '3SABCD1234567');
  assert.equal(ok.json.tracking_kind, 'postnl_3s');
  assert.equal(withdrawalCount(), before);
  // The board may look but not record.
  assert.equal((await board.post('/api/withdrawals', { organisation_id: ids.online, received_on: today, form: 'letter' })).status, 403);
  assert.equal((await board.get('/api/withdrawals')).status, 200);
});

test('a second letter for an organisation that already withdrew is a conflict', async () => {
  const again = await secretariat.post('/api/withdrawals', { organisation_id: ids.timely, received_on: addDays(ids.w1, -1), form: 'letter' });
  assert.equal(again.status, 409, again.text);
  assert.equal(again.json.code, 'already_withdrawn');
  const pending = await secretariat.post('/api/withdrawals', { organisation_id: ids.late, received_on: today, form: 'letter' });
  assert.equal(pending.status, 409, pending.text);
  assert.equal(pending.json.code, 'withdrawal_pending');
});

test('a later scheduled version applies the pending late withdrawal (R5)', async () => {
  // The admin schedules version 2 through the Code API; creating it applies what waited.
  ids.e2 = addDays(today, 60);
  const admin = await alvd.login('admin');
  const created = await admin.post('/api/code/versions', { label: '2027-test-2', effective_from: ids.e2, decided_on: today, markdown: '1. Een\ntekst' });
  assert.equal(created.status, 201, created.text);
  ids.v2 = created.json.id;
  assert.equal(Number(one(`SELECT COUNT(*) FROM audit_log WHERE action = 'withdrawal.pending_applied' AND object_id = ${ids.lateWithdrawal}`)), 1);
  // Bound to version 1 from E1, not to version 2: the signature ends on E2 − 1.
  assert.equal(signatureActiveOn(ids.late, ids.e1), 1);
  assert.equal(signatureActiveOn(ids.late, addDays(ids.e2, -1)), 1);
  assert.equal(signatureActiveOn(ids.late, ids.e2), 0);
  assert.equal(one(`SELECT ended_by FROM bases WHERE organisation_id = ${ids.late} AND basis = 'signature' AND superseded_by IS NULL`), `withdrawal:${ids.lateWithdrawal}`);
  const detail = await secretariat.get(`/api/withdrawals/${ids.lateWithdrawal}`);
  assert.equal(detail.status, 200);
  assert.equal(detail.json.state, 'applied');
  assert.equal(detail.json.effect_version_id, ids.v2);
  assert.equal(detail.json.signature_ends, addDays(ids.e2, -1));
  assert.equal(alvd.sql(`SELECT COUNT(*) FROM outbox WHERE recipient = 'lars@laat.example' AND subject LIKE '%werkt nu%'`)[0][0], '1');
  // Running it again changes nothing.
  assert.equal((await secretariat.post('/api/withdrawals/apply-pending', { version_id: ids.v2 })).json.applied, 0);
  const listed = await secretariat.get(`/api/withdrawals?version_id=${ids.v2}`);
  assert.ok(listed.json.items.some((w) => w.id === ids.lateWithdrawal));
});

test('a correction is a new entry that supersedes the old one and redoes the effect', async () => {
  // The letter of Tijdig BV was in fact received after W1: late for version 1, in time for version 2.
  const received = addDays(ids.w1, 3);
  const response = await secretariat.post(`/api/withdrawals/${ids.timelyWithdrawal}/correct`, {
    organisation_id: ids.timely, received_on: received, form: 'registered', tracking_code: 'RR123456785NL',
    reason: 'Ontvangstdatum verkeerd overgenomen van de envelop',
  });
  assert.equal(response.status, 201, response.text);
  const corrected = response.json;
  assert.notEqual(corrected.id, ids.timelyWithdrawal);
  assert.equal(corrected.corrects_id, ids.timelyWithdrawal);
  assert.equal(corrected.timely, false);
  assert.equal(corrected.outcome, 'late_next');
  assert.equal(corrected.effect_version_id, ids.v2);
  // The old entry is unchanged apart from superseded_by.
  const old = alvd.sql(`SELECT received_on, timely, superseded_by FROM withdrawals WHERE id = ${ids.timelyWithdrawal}`)[0];
  assert.deepEqual(old, [ids.w1, '1', String(corrected.id)]);
  // The register: original → ended (E1 − 1) → restored → ended (E2 − 1), one current row.
  const rows = alvd.sql(`SELECT until, ended_by, superseded_by IS NULL FROM bases WHERE organisation_id = ${ids.timely} AND basis = 'signature' ORDER BY id`);
  assert.deepEqual(rows, [
    [null, null, '0'],
    [addDays(ids.e1, -1), `withdrawal:${ids.timelyWithdrawal}`, '0'],
    [null, null, '0'],
    [addDays(ids.e2, -1), `withdrawal:${corrected.id}`, '1'],
  ]);
  assert.equal(signatureActiveOn(ids.timely, ids.e1), 1, 'now bound to version 1 from E1');
  assert.equal(signatureActiveOn(ids.timely, ids.e2), 0, 'but not to version 2');
  assert.equal(Number(one(`SELECT COUNT(*) FROM bases WHERE organisation_id = ${ids.timely} AND basis = 'membership'`)), 1, 'membership untouched');
  // Everything audited, and a corrected confirmation mailed.
  for (const action of ['withdrawal.corrected', 'basis.withdrawal_undone', 'basis.ended_by_withdrawal']) {
    assert.ok(Number(one(`SELECT COUNT(*) FROM audit_log WHERE action = '${action}'`)) >= 1, action);
  }
  assert.equal(alvd.sql(`SELECT COUNT(*) FROM outbox WHERE recipient = 'tineke@tijdig.example' AND subject LIKE 'Gecorrigeerde bevestiging%'`)[0][0], '1');
  // The superseded entry cannot be corrected again; the list hides it unless asked.
  const twice = await secretariat.post(`/api/withdrawals/${ids.timelyWithdrawal}/correct`, {
    organisation_id: ids.timely, received_on: received, form: 'registered', reason: 'nogmaals',
  });
  assert.equal(twice.status, 409);
  assert.equal(twice.json.code, 'already_corrected');
  const current = (await secretariat.get(`/api/withdrawals?organisation_id=${ids.timely}`)).json.items;
  assert.deepEqual(current.map((w) => w.id), [corrected.id]);
  const all = (await secretariat.get(`/api/withdrawals?organisation_id=${ids.timely}&all=1`)).json.items;
  assert.equal(all.find((w) => w.id === ids.timelyWithdrawal).state, 'superseded');
  // A correction without a reason is refused.
  const noReason = await secretariat.post(`/api/withdrawals/${corrected.id}/correct`, { organisation_id: ids.timely, received_on: received, form: 'registered' });
  assert.equal(noReason.status, 422);
  assert.equal(noReason.json.field, 'reason');
  ids.timelyWithdrawal = corrected.id;
});

test('scans: checked by their bytes, stored outside web/ under a random name, served as an attachment', async () => {
  const pdf = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
  const upload = await secretariat.request('POST', '/api/withdrawals/scans?name=brief%20Tijdig.pdf', pdf, { raw: true, contentType: 'application/octet-stream' });
  assert.equal(upload.status, 201, upload.text);
  assert.equal(upload.json.media_type, 'application/pdf');
  assert.equal(upload.json.sha256, createHash('sha256').update(pdf).digest('hex'));
  const dir = join(alvd.dataDir, 'withdrawals');
  const files = readdirSync(dir);
  assert.equal(files.length, 1);
  assert.match(files[0], /^[0-9a-f]{32}$/, 'random name, not the uploaded one');

  // Claims to be a PDF but is HTML; a JPEG named .pdf; neither is stored.
  const fake = await secretariat.request('POST', '/api/withdrawals/scans?name=brief.pdf', Buffer.from('<html><script>alert(1)</script></html>'), { raw: true, contentType: 'application/octet-stream' });
  assert.equal(fake.status, 422, fake.text);
  assert.equal(fake.json.code, 'scan_type');
  const jpegNamedPdf = await secretariat.request('POST', '/api/withdrawals/scans?name=brief.pdf', Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46]), { raw: true, contentType: 'application/octet-stream' });
  assert.equal(jpegNamedPdf.status, 422, jpegNamedPdf.text);
  assert.equal(jpegNamedPdf.json.code, 'scan_type_mismatch');
  const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);
  assert.equal((await secretariat.request('POST', '/api/withdrawals/scans?name=scan.png', png, { raw: true, contentType: 'application/octet-stream' })).status, 201);
  const wrongType = await secretariat.request('POST', '/api/withdrawals/scans', pdf, { raw: true, contentType: 'text/html' });
  assert.equal(wrongType.status, 415);
  const tooLarge = await postOversized(alvd.url, '/api/withdrawals/scans?name=groot.pdf', secretariat.token, Buffer.concat([pdf, Buffer.alloc(10 * 1024 * 1024)]));
  assert.equal(tooLarge.status, 413);
  assert.equal(readdirSync(dir).length, 2, 'refused files leave nothing behind');
  assert.ok(!existsSync(join(alvd.env.ALVD_WEB_DIR, 'withdrawals')), 'nothing under web/');

  // Attach it to an intake: the online organisation's letter today.
  const intake = await secretariat.post('/api/withdrawals', { organisation_id: ids.online, received_on: addDays(today, -1), form: 'registered', tracking_code: '3SABCD1234567', scan_id: upload.json.id });
  assert.equal(intake.status, 201, intake.text);
  const detail = await secretariat.get(`/api/withdrawals/${intake.json.id}`);
  assert.equal(detail.json.scan_id, upload.json.id);
  assert.equal(detail.json.scan.media_type, 'application/pdf');
  const download = await board.get(`/api/withdrawals/scans/${upload.json.id}`);
  assert.equal(download.status, 200);
  assert.equal(download.text, pdf.toString());
  assert.equal(download.headers.get('content-type'), 'application/pdf');
  assert.match(download.headers.get('content-disposition'), /^attachment; filename="intrekking-scan-\d+\.pdf"$/);
  assert.match(download.headers.get('content-security-policy'), /(^|, )sandbox($|,)/);
  assert.match(download.headers.get('x-content-type-options'), /nosniff/);
  assert.equal((await secretariat.get('/api/withdrawals/scans/999999')).status, 404);
  // Undo this one so the online notice below finds the signature again.
  const undo = await secretariat.post(`/api/withdrawals/${intake.json.id}/correct`, { organisation_id: ids.memberOnly, received_on: addDays(today, -1), form: 'registered', reason: 'verkeerde organisatie' });
  assert.equal(undo.status, 422, 'a correction to an organisation without signature is refused too');
  assert.equal(undo.json.code, 'no_signature_basis');
  assert.equal(one(`SELECT superseded_by FROM withdrawals WHERE id = ${intake.json.id}`), null, 'the refused correction changed nothing');
  assert.equal(signatureActiveOn(ids.online, ids.e2), 0, 'the effect of the entry is still in place');
  ids.onlineIntake = intake.json.id;
});

test('the online notice of a contact person: recorded as e-mail with its own proof', async () => {
  const orgId = organisation('Digitaal BV', '10000006');
  basis(orgId, 'signature', '2024-06-01');
  const contactId = contact(orgId, 'Dirk Digitaal', 'dirk@digitaal.example');
  const issued = alvd.run(['session', 'add', '--kind', 'contact', '--organisation', String(orgId), '--contact', String(contactId)]);
  assert.equal(issued.status, 0, issued.stderr);
  const dirk = alvd.client();
  dirk.token = issued.stdout.trim();

  const position = await dirk.get('/api/my/withdrawal');
  assert.equal(position.status, 200, position.text);
  assert.equal(position.json.can_send, true);
  // Sent today: too late for version 1 (W1 has passed), so it works for version 2.
  assert.equal(position.json.preview.version_id, ids.v1);
  assert.equal(position.json.preview.timely, false);
  assert.equal(position.json.preview.effect_version_id, ids.v2);

  assert.equal((await dirk.post('/api/my/withdrawal', { text: 'Wij zeggen op.' })).status, 422, 'confirmation required');
  const text = 'Digitaal BV zegt hierbij de ondertekening van de Code op.';
  const sent = await dirk.post('/api/my/withdrawal', { text, confirm: true });
  assert.equal(sent.status, 201, sent.text);
  assert.equal(sent.json.received_on, position.json.today);
  assert.equal(sent.json.form, 'email');
  assert.equal(sent.json.channel, 'online');
  assert.equal(sent.json.timely, false);
  assert.equal(sent.json.outcome, 'late_next');
  const sha = createHash('sha256').update(text).digest('hex');
  assert.equal(sent.json.proof_text_sha256, sha);
  const row = alvd.sql(`SELECT form, channel, proof_contact_id, proof_contact_email, proof_text_sha256, proof_session_id IS NOT NULL, proof_submitted_at IS NOT NULL, created_by_kind FROM withdrawals WHERE id = ${sent.json.id}`)[0];
  assert.deepEqual(row, ['email', 'online', String(contactId), 'dirk@digitaal.example', sha, '1', '1', 'contact']);
  assert.equal(signatureActiveOn(orgId, ids.e2), 0);
  const detail = await secretariat.get(`/api/withdrawals/${sent.json.id}`);
  assert.equal(detail.json.proof.text, text);
  assert.equal(detail.json.proof.text_sha256, sha);
  // Twice is a conflict; the contact sees its own entries.
  assert.equal((await dirk.post('/api/my/withdrawal', { text, confirm: true })).status, 409);
  const after = await dirk.get('/api/my/withdrawal');
  assert.equal(after.json.can_send, false);
  assert.equal(after.json.withdrawals.length, 1);
  assert.ok(!('note' in after.json.withdrawals[0]));

  // A contact of an organisation without a signature gets the reason and cannot send.
  const memberToken = alvd.run(['session', 'add', '--kind', 'contact', '--organisation', String(ids.memberOnly), '--contact', String(ids.memberContact)]).stdout.trim();
  const mo = alvd.client();
  mo.token = memberToken;
  const moPosition = await mo.get('/api/my/withdrawal');
  assert.equal(moPosition.json.can_send, false);
  assert.equal(moPosition.json.refusal.code, 'no_signature_basis');
  const moSend = await mo.post('/api/my/withdrawal', { text: 'Opzegging', confirm: true });
  assert.equal(moSend.status, 422);
  assert.equal(moSend.json.code, 'no_signature_basis');
});

/** POST a body whose declared size is over the limit with "Expect: 100-continue": alvd
 * answers 413 from the headers alone, so the body is never sent. */
function postOversized(base, path, token, body) {
  return new Promise((resolve, reject) => {
    const request = http.request(`${base}${path}`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/octet-stream', 'Content-Length': body.length, Expect: '100-continue' },
    }, (response) => {
      let text = '';
      response.on('data', (chunk) => { text += chunk; });
      response.on('end', () => { resolve({ status: response.statusCode, text }); request.destroy(); });
    });
    request.on('continue', () => request.end(body));
    request.on('error', reject);
  });
}

/** A small RFC 5545 check: CRLF, folding at 75 octets, BEGIN/END nesting, required properties. */
function parseICalendar(text) {
  assert.ok(text.endsWith('\r\n'), 'ends with CRLF');
  const physical = text.slice(0, -2).split('\r\n');
  for (const line of physical) {
    assert.ok(!line.includes('\n') && !line.includes('\r'), `bare LF or CR in ${JSON.stringify(line)}`);
    assert.ok(Buffer.byteLength(line, 'utf8') <= 75, `line longer than 75 octets: ${line}`);
  }
  // Unfold: a line starting with a space or tab continues the previous one.
  const lines = [];
  for (const line of physical) {
    if (line.startsWith(' ') || line.startsWith('\t')) {
      assert.ok(lines.length > 0, 'continuation without a first line');
      lines[lines.length - 1] += line.slice(1);
    } else {
      lines.push(line);
    }
  }
  const root = { name: null, props: [], children: [] };
  const stack = [root];
  for (const line of lines) {
    const colon = line.indexOf(':');
    assert.ok(colon > 0, `content line without a name: ${line}`);
    const [name, ...params] = line.slice(0, colon).split(';');
    const value = line.slice(colon + 1);
    assert.match(name, /^[A-Z0-9-]+$/, `property name ${name}`);
    if (name === 'BEGIN') {
      const component = { name: value, props: [], children: [] };
      stack[stack.length - 1].children.push(component);
      stack.push(component);
    } else if (name === 'END') {
      assert.equal(stack.pop().name, value, `END:${value} closes the open component`);
    } else {
      stack[stack.length - 1].props.push({ name, params, value });
    }
  }
  assert.equal(stack.length, 1, 'every BEGIN has its END');
  assert.equal(root.children.length, 1);
  const calendar = root.children[0];
  assert.equal(calendar.name, 'VCALENDAR');
  const prop = (component, name) => component.props.filter((p) => p.name === name);
  assert.deepEqual(prop(calendar, 'VERSION').map((p) => p.value), ['2.0']);
  assert.equal(prop(calendar, 'PRODID').length, 1);
  const events = calendar.children.filter((c) => c.name === 'VEVENT');
  for (const event of events) {
    for (const required of ['UID', 'DTSTAMP', 'DTSTART', 'SUMMARY']) assert.equal(prop(event, required).length, 1, `${required} once`);
    assert.match(prop(event, 'DTSTAMP')[0].value, /^\d{8}T\d{6}Z$/);
    const start = prop(event, 'DTSTART')[0];
    assert.deepEqual(start.params, ['VALUE=DATE']);
    assert.match(start.value, /^\d{8}$/);
  }
  const uids = events.map((e) => prop(e, 'UID')[0].value);
  assert.equal(new Set(uids).size, uids.length, 'UIDs are unique');
  const unescape = (v) => v.replace(/\\([\\;,nN])/g, (m, c) => (c === 'n' || c === 'N' ? '\n' : c));
  return events.map((e) => Object.fromEntries(e.props.map((p) => [p.name, unescape(p.value)])));
}

test('the ICS feed: a secret link per staff user, 404 without it, valid iCalendar with it', async () => {
  // A deadline on a public holiday for the R7 warning: W = Eerste Kerstdag.
  const year = Number(today.slice(0, 4)) + (today >= `${today.slice(0, 4)}-12-01` ? 1 : 0);
  const christmas = `${year}-12-25`;
  ids.e3 = addDays(christmas, 28);
  ids.v3 = version('Kerst, test; versie', ids.e3); // comma and semicolon must be escaped

  const overview = await secretariat.get('/api/deadlines');
  const item = overview.json.items.find((v) => v.version_id === ids.v3);
  assert.equal(item.deadline, christmas);
  assert.equal(item.holiday_name, 'Eerste Kerstdag');
  assert.match(item.warning, /feestdag \(Eerste Kerstdag\); de termijn schuift daardoor niet op/);
  assert.ok(item.send_by < christmas, 'send by a few working days before');
  assert.equal(item.days_left, Math.round((Date.parse(christmas) - Date.parse(overview.json.today)) / 86400000));

  assert.equal(overview.json.feed.active, false);
  const issued = await secretariat.post('/api/deadlines/feed-token');
  assert.equal(issued.status, 201, issued.text);
  const url = new URL(issued.json.url);
  assert.equal(url.pathname, '/api/deadlines.ics');
  const token = url.searchParams.get('token');
  assert.equal(one(`SELECT COUNT(*) FROM deadline_feed_tokens WHERE token_hash = '${token}'`), '0', 'only a hash is stored');

  const anonymous = alvd.client();
  assert.equal((await anonymous.get('/api/deadlines.ics')).status, 404);
  assert.equal((await anonymous.get('/api/deadlines.ics?token=nope')).status, 404);
  assert.equal((await anonymous.get(`/api/deadlines.ics?token=${'A'.repeat(43)}`)).status, 404);

  const feed = await anonymous.get(`/api/deadlines.ics?token=${token}`);
  assert.equal(feed.status, 200, feed.text);
  assert.match(feed.headers.get('content-type'), /^text\/calendar; charset=utf-8/);
  const events = parseICalendar(feed.text);
  const deadline1 = events.find((e) => e.DTSTART === compact(ids.w1));
  assert.ok(deadline1, 'the W of version 1 is an event');
  assert.equal(deadline1.SUMMARY, 'Uiterste ontvangstdatum intrekkingen Code 2027-test-1');
  assert.ok(events.some((e) => e.DTSTART === compact(ids.e1) && e.SUMMARY === 'Code 2027-test-1 treedt in werking'));
  const kerst = events.find((e) => e.DTSTART === compact(christmas));
  assert.equal(kerst.SUMMARY, 'Uiterste ontvangstdatum intrekkingen Code Kerst, test; versie');
  assert.match(kerst.DESCRIPTION, /Eerste Kerstdag/);
  assert.ok(feed.text.includes('Kerst\\, test\\; versie'), 'TEXT values are escaped');
  assert.ok(feed.text.split('\r\n').some((l) => l.startsWith(' ')), 'long descriptions are folded');

  // A new link replaces the old one.
  const again = await board.post('/api/deadlines/feed-token');
  assert.equal(again.status, 201);
  const renewed = await secretariat.post('/api/deadlines/feed-token');
  assert.equal((await anonymous.get(`/api/deadlines.ics?token=${token}`)).status, 404, 'the old link stops working');
  assert.equal((await anonymous.get(new URL(renewed.json.url).pathname + new URL(renewed.json.url).search)).status, 200);
  assert.equal((await anonymous.get(new URL(again.json.url).pathname + new URL(again.json.url).search)).status, 200, 'links are per user');
  assert.equal((await secretariat.get('/api/deadlines')).json.feed.active, true);
});

test('the demo: scheduled versions from today, a timely and a late letter, idempotent', async () => {
  const demo = await startAlvd({ demo: true });
  try {
    const rows = demo.sql(`SELECT o.kvk, w.timely, w.outcome FROM withdrawals w JOIN organisations o ON o.id = w.organisation_id ORDER BY o.kvk`);
    assert.deepEqual(rows, [['54368859', '1', 'timely'], ['66781468', '0', 'late_next']]);
    const again = demo.run(['demo']);
    assert.equal(again.status, 0, again.stderr);
    assert.equal(demo.sql('SELECT COUNT(*) FROM withdrawals')[0][0], '2');
    assert.equal(demo.sql('SELECT COUNT(*) FROM code_versions')[0][0], '3');
    const staff = await demo.login('secretariat');
    const overview = await staff.get('/api/deadlines');
    assert.equal(overview.json.items.length, 2);
    assert.ok(overview.json.items.some((v) => v.days_left > 0), 'a future deadline');
    assert.ok(overview.json.items.some((v) => v.deadline_passed), 'a passed deadline');
  } finally {
    await demo.stop();
  }
});
