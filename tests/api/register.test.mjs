// The register of bound organisations (issue 3): organisations, contacts, bases,
// binding status for every rule case, the CSV member import/export and the public register.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { startAlvd } from './lib/alvd.mjs';
import { amsterdamDate } from './lib/poll-fixtures.mjs';

let alvd, secretariat, admin, board;

const V2_MARKDOWN = '1. Preambule\n\nTekst een.\n\n2. Doelen\n\nTekst twee, gewijzigd.\n';

before(async () => {
  alvd = await startAlvd({ demo: true });
  secretariat = await alvd.login('secretariat');
  admin = await alvd.login('admin');
  board = await alvd.login('board');
});

after(async () => { if (alvd?.process?.exitCode !== null) console.error(alvd?.log); await alvd?.stop(); });

const count = (table, where = '1') => Number(alvd.sql(`SELECT COUNT(*) FROM ${table} WHERE ${where}`)[0][0]);

async function createOrganisation(fields) {
  const response = await secretariat.post('/api/organisations', fields);
  assert.equal(response.status, 201, response.text);
  return response.json;
}

test('the demo register holds about 40 organisations with mixed bases', async () => {
  const all = await board.get('/api/organisations');
  assert.equal(all.status, 200);
  assert.ok(all.json.items.length >= 40, `${all.json.items.length} organisations`);
  const members = await board.get('/api/organisations?member=true');
  const signatories = await board.get('/api/organisations?basis=signature');
  const contracts = await board.get('/api/organisations?basis=contract');
  const unbound = await board.get('/api/organisations?basis=none');
  for (const list of [members, signatories, contracts, unbound]) assert.ok(list.json.items.length > 0);
  assert.ok(members.json.items.every((o) => o.member && o.active_bases.includes('membership')));
  assert.ok(signatories.json.items.every((o) => o.active_bases.includes('signature')));
  assert.ok(contracts.json.items.every((o) => o.active_bases.includes('contract')));
  assert.ok(unbound.json.items.every((o) => o.active_bases.length === 0));
  assert.ok(members.json.items.length + signatories.json.items.length < all.json.items.length);
  const search = await board.get(`/api/organisations?q=${encodeURIComponent('Twente')}`);
  assert.deepEqual(search.json.items.map((o) => o.name), ['Belcentrale Twente B.V.']);
  const byKvk = await board.get(`/api/organisations?q=${search.json.items[0].kvk}`);
  assert.equal(byKvk.json.items.length, 1);
  const percent = await board.get(`/api/organisations?q=${encodeURIComponent('%')}`);
  assert.equal(percent.json.items.length, 0, 'a % in the search is a literal character');
  assert.equal((await board.get('/api/organisations?basis=everything')).status, 400);
  assert.equal((await board.get('/api/organisations?member=maybe')).status, 400);
});

test('an organisation is created with a validated KvK number and an optional membership', async () => {
  const before = count('organisations');
  const short = await secretariat.post('/api/organisations', { name: 'Zeven Cijfers B.V.', kvk: '1234567', email: 'info@zeven.example' });
  assert.equal(short.status, 422);
  assert.equal(short.json.code, 'bad_kvk');
  assert.equal(short.json.field, 'kvk');
  assert.match(short.json.error, /8 cijfers/);
  for (const kvk of ['123456789', '1234567a', '']) {
    const bad = await secretariat.post('/api/organisations', { name: 'X', kvk, email: 'x@x.example' });
    assert.ok([400, 422].includes(bad.status), `${kvk}: ${bad.status}`);
  }
  const badMail = await secretariat.post('/api/organisations', { name: 'X', kvk: '87654321', email: 'geen-adres' });
  assert.equal(badMail.status, 422);
  assert.equal(badMail.json.field, 'email');
  const unknown = await secretariat.post('/api/organisations', { name: 'X', kvk: '87654321', colour: 'blue' });
  assert.equal(unknown.status, 400);
  assert.equal(count('organisations'), before, 'nothing stored by bad input');

  const made = await createOrganisation({ name: 'Nieuw Contact B.V.', kvk: ' 01234567 ', email: 'info@nieuw.example',
    member: true, member_since: '2024-02-01', address: 'Dorpsstraat 1, Gouda', member_number: 'KSF-9001', public_consent: true });
  assert.equal(made.kvk, '01234567', 'leading zero kept, spaces trimmed');
  assert.equal(made.member, true);
  assert.equal(made.bases.length, 1);
  assert.equal(made.bases[0].basis, 'membership');
  assert.equal(made.bases[0].since, '2024-02-01');
  assert.equal(made.status.bound, true);
  const again = await secretariat.post('/api/organisations', { name: 'Dubbel', kvk: '01234567', email: 'd@d.example' });
  assert.equal(again.status, 409);
  const grouped = await secretariat.post('/api/organisations', { name: 'Dubbel', kvk: '01 23 45 67', email: 'd@d.example' });
  assert.equal(grouped.status, 409, 'written in groups it is the same number');
  const dotted = await createOrganisation({ name: 'Punten B.V.', kvk: '7654.3210', email: 'info@punten.example' });
  assert.equal(dotted.kvk, '76543210', 'a number written with a dot is stored as 8 digits');
  assert.equal(again.json.code, 'kvk_taken');
  const number = await secretariat.post('/api/organisations', { name: 'Dubbel nummer', kvk: '01234568', member_number: 'KSF-9001' });
  assert.equal(number.status, 409);
  assert.equal(number.json.field, 'member_number');
  const sinceOnly = await secretariat.post('/api/organisations', { name: 'Y', kvk: '01234569', member_since: '2024-01-01' });
  assert.equal(sinceOnly.status, 422);
  assert.equal(count("audit_log", "action = 'organisation.create' AND object_id = " + made.id), 1);
  assert.equal(count('audit_log', `action = 'basis.create' AND object_id = ${made.bases[0].id}`), 1);

  const plain = await createOrganisation({ name: 'Alleen Naam B.V.', kvk: '11223344', email: 'info@naam.example' });
  assert.equal(plain.member, false);
  assert.deepEqual(plain.bases, []);
  assert.equal(plain.status.bound, false);
});

test('the detail shows contacts, and contacts can be added and removed', async () => {
  const org = await createOrganisation({ name: 'Contactpersonen B.V.', kvk: '22334455', email: 'info@cp.example' });
  const first = await secretariat.post(`/api/organisations/${org.id}/contacts`, { name: 'Eva de Jong', email: 'Eva@CP.example', function: 'Directeur' });
  assert.equal(first.status, 201, first.text);
  assert.equal(first.json.email, 'eva@cp.example');
  const second = await secretariat.post(`/api/organisations/${org.id}/contacts`, { name: 'Piet Klaassen', email: 'piet@cp.example' });
  assert.equal(second.status, 201);
  const duplicate = await secretariat.post(`/api/organisations/${org.id}/contacts`, { name: 'Eva', email: 'eva@cp.example' });
  assert.equal(duplicate.status, 409);
  const bad = await secretariat.post(`/api/organisations/${org.id}/contacts`, { name: 'Eva', email: 'nope' });
  assert.equal(bad.status, 422);
  const missing = await secretariat.post('/api/organisations/999999/contacts', { name: 'Eva', email: 'e@x.example' });
  assert.equal(missing.status, 404);
  let detail = await board.get(`/api/organisations/${org.id}`);
  assert.deepEqual(detail.json.contacts.map((c) => c.name), ['Eva de Jong', 'Piet Klaassen']);
  assert.equal((await secretariat.delete(`/api/contacts/${second.json.id}`)).status, 204);
  assert.equal((await secretariat.delete(`/api/contacts/${second.json.id}`)).status, 404);
  detail = await board.get(`/api/organisations/${org.id}`);
  assert.deepEqual(detail.json.contacts.map((c) => c.name), ['Eva de Jong']);
  assert.equal(count('contacts', `id = ${second.json.id} AND removed_at IS NOT NULL`), 1, 'kept with a trace');
  assert.equal(count('audit_log', `action = 'contact.remove' AND object_id = ${second.json.id}`), 1);
  const back = await secretariat.post(`/api/organisations/${org.id}/contacts`, { name: 'Piet Klaassen', email: 'piet@cp.example' });
  assert.equal(back.status, 201);
  assert.equal(back.json.id, second.json.id, 'a returning contact keeps its row');
});

test('an organisation is updated with an audited before/after', async () => {
  const org = await createOrganisation({ name: 'Oude Naam B.V.', kvk: '33445566', email: 'info@oud.example' });
  const changed = await secretariat.patch(`/api/organisations/${org.id}`, { name: 'Nieuwe Naam B.V.', public_consent: true, email: null });
  assert.equal(changed.status, 200, changed.text);
  assert.equal(changed.json.name, 'Nieuwe Naam B.V.');
  assert.equal(changed.json.public_consent, true);
  assert.equal(changed.json.email, null);
  const badKvk = await secretariat.patch(`/api/organisations/${org.id}`, { kvk: '123' });
  assert.equal(badKvk.status, 422);
  const [details] = alvd.sql(`SELECT details FROM audit_log WHERE action = 'organisation.update' AND object_id = ${org.id}`)[0];
  const parsed = JSON.parse(details);
  assert.equal(parsed.before.name, 'Oude Naam B.V.');
  assert.equal(parsed.changes.name, 'Nieuwe Naam B.V.');
  assert.equal((await secretariat.patch('/api/organisations/999999', { name: 'X' })).status, 404);
});

test('bases are validated: unknown basis, until before since, contract without reference, overlap', async () => {
  const org = await createOrganisation({ name: 'Grondslagen B.V.', kvk: '44556677', email: 'info@gs.example' });
  const before = count('bases', `organisation_id = ${org.id}`);
  const cases = [
    [{ basis: 'friendship', since: '2025-01-01' }, 422, 'bad_choice', 'basis'],
    [{ basis: 'membership', since: '2025-06-01', until: '2025-05-31' }, 422, 'until_before_since', 'until'],
    [{ basis: 'contract', since: '2025-06-01' }, 422, 'contract_ref_required', 'contract_ref'],
    [{ basis: 'membership', since: '2025-06-01', contract_ref: 'X' }, 422, 'not_a_contract', 'contract_ref'],
    [{ basis: 'contract', since: '2025-06-01', contract_ref: 'C1', follows_amendments: true, pinned_version_id: 1 }, 422, 'pinned_and_following', 'pinned_version_id'],
    [{ basis: 'contract', since: '2025-06-01', contract_ref: 'C1', pinned_version_id: 999 }, 422, 'unknown_version', 'pinned_version_id'],
    [{ basis: 'membership', since: '2025-02-30' }, 400, 'bad_date', 'since'],
    [{ basis: 'membership' }, 422, 'required', 'since'],
  ];
  for (const [body, status, code, field] of cases) {
    const response = await secretariat.post(`/api/organisations/${org.id}/bases`, body);
    assert.equal(response.status, status, `${JSON.stringify(body)}: ${response.text}`);
    assert.equal(response.json.code, code, JSON.stringify(body));
    assert.equal(response.json.field, field, JSON.stringify(body));
    assert.ok(response.json.error.length > 10);
  }
  assert.equal(count('bases', `organisation_id = ${org.id}`), before, 'nothing stored');
  const member = await secretariat.post(`/api/organisations/${org.id}/bases`, { basis: 'membership', since: '2025-01-01' });
  assert.equal(member.status, 201, member.text);
  const overlap = await secretariat.post(`/api/organisations/${org.id}/bases`, { basis: 'membership', since: '2025-03-01' });
  assert.equal(overlap.status, 409);
  assert.equal(overlap.json.code, 'overlapping_basis');
  const contract1 = await secretariat.post(`/api/organisations/${org.id}/bases`, { basis: 'contract', since: '2025-03-01', contract_ref: 'A-1', counterparty: 'Klant A' });
  const contract2 = await secretariat.post(`/api/organisations/${org.id}/bases`, { basis: 'contract', since: '2025-03-01', contract_ref: 'B-2', follows_amendments: true });
  assert.equal(contract1.status, 201);
  assert.equal(contract2.status, 201, 'several contracts may run at once');
  assert.equal(contract2.json.follows_amendments, true);
  assert.equal((await secretariat.post('/api/organisations/999999/bases', { basis: 'membership', since: '2025-01-01' })).status, 404);
});

test('ending a basis makes a new row and supersedes the old one, audited', async () => {
  const org = await createOrganisation({ name: 'Opzegger B.V.', kvk: '55667788', email: 'info@op.example', member: true, member_since: '2020-01-01' });
  const basisId = org.bases[0].id;
  const early = await secretariat.post(`/api/bases/${basisId}/end`, { until: '2019-12-31' });
  assert.equal(early.status, 422);
  assert.equal(early.json.code, 'until_before_since');
  const ended = await secretariat.post(`/api/bases/${basisId}/end`, { until: '2026-03-31', reason: 'Opgezegd per brief' });
  assert.equal(ended.status, 200, ended.text);
  assert.equal(ended.json.until, '2026-03-31');
  assert.equal(ended.json.since, '2020-01-01');
  assert.equal(ended.json.supersedes, basisId);
  const [[supersededBy, until]] = alvd.sql(`SELECT superseded_by, until FROM bases WHERE id = ${basisId}`);
  assert.equal(Number(supersededBy), ended.json.id);
  assert.equal(until, null, 'the old row itself is not edited');
  const again = await secretariat.post(`/api/bases/${basisId}/end`, { until: '2026-04-30' });
  assert.equal(again.status, 409);
  assert.equal(again.json.code, 'superseded');
  assert.equal(count('audit_log', `action = 'basis.end' AND object_id = ${ended.json.id}`), 1);
  assert.equal(count('audit_log', `action = 'basis.revise' AND object_id = ${ended.json.id}`), 1);
  const detail = await board.get(`/api/organisations/${org.id}`);
  assert.equal(detail.json.bases.length, 2, 'the timeline keeps both rows');
  assert.deepEqual(detail.json.bases.map((b) => b.current), [false, true]);
  assert.equal((await secretariat.post('/api/bases/999999/end', { until: '2026-01-01' })).status, 404);
  assert.equal((await secretariat.post(`/api/bases/${ended.json.id}/end`, { })).status, 422);
});

test('binding status follows the rules: member, signatory, pinned and following contracts, dates', async () => {
  // Version 1 is the demo Code (2025-07-01); version 2 takes effect 2030-01-01.
  const v2 = await admin.post('/api/code/versions', { label: 'test-2030', effective_from: '2030-01-01', decided_on: amsterdamDate(), markdown: V2_MARKDOWN });
  assert.equal(v2.status, 201, v2.text);
  const [[v1]] = alvd.sql("SELECT id FROM code_versions WHERE label = '2025-1'");
  const v1id = Number(v1), v2id = v2.json.id;
  const make = async (name, kvk, bases) => {
    const org = await createOrganisation({ name, kvk, email: `info@${kvk}.example` });
    for (const basis of bases) {
      const response = await secretariat.post(`/api/organisations/${org.id}/bases`, basis);
      assert.equal(response.status, 201, response.text);
    }
    return org.id;
  };
  const memberOnly = await make('Alleen Lid', '66000001', [{ basis: 'membership', since: '2024-01-01' }]);
  const signatoryOnly = await make('Alleen Ondertekenaar', '66000002', [{ basis: 'signature', since: '2025-08-01' }]);
  const pinned = await make('Vast Contract', '66000003', [{ basis: 'contract', since: '2026-01-01', contract_ref: 'P-1' }]);
  const following = await make('Volgend Contract', '66000004', [{ basis: 'contract', since: '2026-01-01', contract_ref: 'F-1', follows_amendments: true }]);
  const endedMember = await make('Opgezegd Lid', '66000005', [{ basis: 'membership', since: '2020-01-01', until: '2026-03-31' }]);
  const explicitPin = await make('Expliciet Vast', '66000006', [{ basis: 'contract', since: '2031-01-01', contract_ref: 'E-1', pinned_version_id: v1id }]);

  const status = async (id, date) => {
    const response = await board.get(`/api/organisations/${id}/status?date=${date}`);
    assert.equal(response.status, 200, response.text);
    return response.json;
  };
  let s = await status(memberOnly, '2030-06-01');
  assert.equal(s.bound, true);
  assert.equal(s.version_id, v2id, 'a member follows the version in force');
  assert.match(s.reason, /lid/);
  assert.equal(s.bases.length, 1);
  assert.deepEqual(Object.keys(s.bases[0]).filter((k) => ['basis', 'since', 'until', 'version_id'].includes(k)).sort(), ['basis', 'since', 'until', 'version_id']);
  s = await status(signatoryOnly, '2030-06-01');
  assert.equal(s.version_id, v2id, 'a signatory follows the version in force');
  assert.match(s.reason, /ondertekenaar/);
  s = await status(signatoryOnly, '2025-07-31');
  assert.equal(s.bound, false, 'before the signature');
  s = await status(pinned, '2030-06-01');
  assert.equal(s.bound, true);
  assert.equal(s.version_id, v1id, 'R8: a contract signed before the amendment stays on its version');
  s = await status(following, '2030-06-01');
  assert.equal(s.version_id, v2id, 'a contract that follows amendments moves on');
  s = await status(memberOnly, '2025-06-30');
  assert.equal(s.bound, false, 'a date before any version binds to nothing');
  assert.equal(s.version_id, null);
  s = await status(endedMember, '2026-04-01');
  assert.equal(s.bound, false, 'a basis that ended the day before');
  assert.match(s.reason, /2026-03-31/);
  s = await status(endedMember, '2026-03-31');
  assert.equal(s.bound, true, 'on its last day the basis still holds');
  s = await status(explicitPin, '2031-06-01');
  assert.equal(s.version_id, v1id, 'an explicit pin holds');
  assert.equal(s.version_label, '2025-1');

  assert.equal((await board.get(`/api/organisations/${memberOnly}/status?date=2026-13-01`)).status, 400);
  assert.equal((await board.get('/api/organisations/999999/status?date=2026-01-01')).status, 404);
  const today = await board.get(`/api/organisations/${memberOnly}/status`);
  assert.equal(today.status, 200, 'the date defaults to today');
  assert.match(today.json.date, /^\d{4}-\d{2}-\d{2}$/);
});

test('CSV preview shows new, changed, unchanged and invalid rows with reasons and stores nothing', async () => {
  const org = await createOrganisation({ name: 'Bestaand Lid B.V.', kvk: '77000001', email: 'info@bestaand.example', member: true, member_since: '2021-01-01', member_number: 'KSF-7701' });
  await createOrganisation({ name: 'Ongewijzigd B.V.', kvk: '77000002', email: 'info@ongewijzigd.example', member: true, member_since: '2022-01-01', member_number: 'KSF-7702' });
  const csv = [
    'Naam;KvK-nummer;E-mail;Lidnummer;Lid sinds;Opmerking',
    'Bestaand Lid B.V.;77000001;nieuw@bestaand.example;KSF-7701;01-01-2021;x',
    'Ongewijzigd B.V.;77000002;info@ongewijzigd.example;KSF-7702;2022-01-01;',
    '"Nieuw; met puntkomma B.V.";77000003;info@nieuw3.example;KSF-7703;2025-09-01;',
    'Kapot B.V.;1234567;info@kapot.example;;;',
  ].join('\r\n');
  const before = count('organisations');
  const preview = await secretariat.request('POST', '/api/organisations/import/preview', csv, { raw: true, contentType: 'text/csv' });
  assert.equal(preview.status, 200, preview.text);
  assert.deepEqual(preview.json.counts, { total: 4, new: 1, changed: 1, unchanged: 1, invalid: 1 });
  assert.equal(preview.json.delimiter, ';');
  assert.deepEqual(preview.json.ignored_columns, ['Opmerking']);
  const [changed, unchanged, fresh, broken] = preview.json.rows;
  assert.equal(changed.status, 'changed');
  assert.deepEqual(changed.changes, ['email']);
  assert.equal(changed.organisation_id, org.id);
  assert.equal(unchanged.status, 'unchanged');
  assert.equal(fresh.status, 'new');
  assert.equal(fresh.name, 'Nieuw; met puntkomma B.V.');
  assert.equal(broken.status, 'invalid');
  assert.equal(broken.line, 5);
  assert.match(broken.reason, /8 cijfers/);
  assert.equal(count('organisations'), before, 'a preview stores nothing');

  const commit = await secretariat.request('POST', '/api/organisations/import/commit', csv, { raw: true, contentType: 'text/csv' });
  assert.equal(commit.status, 422, 'a file with a broken row is refused whole');
  assert.equal(commit.json.code, 'invalid_rows');
  assert.match(commit.json.error, /niets ingelezen/);
  assert.equal(commit.json.rows.length, 1);
  assert.equal(count('organisations'), before, 'nothing imported');
  assert.equal(count('organisations', "email = 'nieuw@bestaand.example'"), 0, 'not even the valid changes');

  const fixed = csv.split('\r\n').slice(0, 4).join('\r\n');
  const ok = await secretariat.request('POST', '/api/organisations/import/commit', fixed, { raw: true, contentType: 'text/csv' });
  assert.equal(ok.status, 200, ok.text);
  assert.deepEqual(ok.json.imported, { new: 1, changed: 1, unchanged: 1 });
  assert.equal(count('organisations'), before + 1);
  assert.equal(count('organisations', "email = 'nieuw@bestaand.example'"), 1);
  const [[newId]] = alvd.sql("SELECT id FROM organisations WHERE kvk = '77000003'");
  const detail = await board.get(`/api/organisations/${newId}`);
  assert.equal(detail.json.member_number, 'KSF-7703');
  assert.equal(detail.json.bases[0].basis, 'membership');
  assert.equal(detail.json.bases[0].since, '2025-09-01');
  assert.equal(count('audit_log', "action = 'register.import'"), 1);
  assert.equal(count('audit_log', `action = 'organisation.update' AND object_id = ${org.id}`), 1);
  const second = await secretariat.request('POST', '/api/organisations/import/preview', fixed, { raw: true, contentType: 'text/csv' });
  assert.deepEqual(second.json.counts, { total: 3, new: 0, changed: 0, unchanged: 3, invalid: 0 }, 'importing again changes nothing');
});

test('CSV import reads Windows-1252 with commas, refuses bad files, and limits the size', async () => {
  const latin = Buffer.concat([
    Buffer.from('naam,kvk,email\r\n', 'latin1'),
    Buffer.from('"Caf\xe9 Klantcontact, Noord",78000001,info@cafe.example\r\n', 'latin1'),
  ]);
  const preview = await secretariat.request('POST', '/api/organisations/import/preview', latin, { raw: true, contentType: 'text/csv' });
  assert.equal(preview.status, 200, preview.text);
  assert.equal(preview.json.encoding, 'windows-1252');
  assert.equal(preview.json.delimiter, ',');
  assert.equal(preview.json.rows[0].name, 'Café Klantcontact, Noord');
  assert.equal(preview.json.rows[0].status, 'new');
  const bom = await secretariat.request('POST', '/api/organisations/import/preview', '\ufeffnaam;kvk\nÉén B.V.;78000002\n', { raw: true, contentType: 'text/csv; charset=utf-8' });
  assert.equal(bom.status, 200, bom.text);
  assert.equal(bom.json.encoding, 'utf-8-bom');
  assert.equal(bom.json.rows[0].name, 'Één B.V.');
  const cases = [
    ['naam;email\nA;a@b.example\n', 'missing_column'],
    ['naam;kvk\n"open;12345678\n', 'unterminated_quote'],
    ['', 'empty_file'],
  ];
  for (const [body, code] of cases) {
    const response = await secretariat.request('POST', '/api/organisations/import/preview', body, { raw: true, contentType: 'text/csv' });
    assert.equal(response.status, 422, `${code}: ${response.text}`);
    assert.equal(response.json.code, code);
  }
  const json = await secretariat.post('/api/organisations/import/preview', { rows: [] });
  assert.equal(json.status, 415, 'only text/csv is accepted');
  // A declared size over the 5 MiB limit is refused before the body is read.
  const head = `POST /api/organisations/import/preview HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${secretariat.token}\r\n` +
    `Content-Type: text/csv\r\nContent-Length: ${5 * 1024 * 1024 + 1}\r\nConnection: close\r\n\r\nnaam;kvk\n`;
  const answer = await new Promise((resolve, reject) => {
    const socket = net.connect(alvd.port, '127.0.0.1', () => socket.write(head));
    let data = '';
    socket.on('data', (chunk) => { data += chunk; });
    socket.on('end', () => resolve(data));
    socket.on('error', reject);
    socket.setTimeout(5000, () => { socket.destroy(); resolve(data); });
  });
  assert.match(answer, /^HTTP\/1\.1 413/);
});

test('a 5,000-row member list previews in one go', async () => {
  const lines = ['naam;kvk;lidnummer;lid_sinds'];
  for (let i = 0; i < 5000; i++) lines.push(`Organisatie ${i} B.V.;${String(80000000 + i)};L${i};2024-01-01`);
  const preview = await secretariat.request('POST', '/api/organisations/import/preview', lines.join('\n'), { raw: true, contentType: 'text/csv' });
  assert.equal(preview.status, 200, preview.text.slice(0, 300));
  assert.equal(preview.json.counts.new, 5000);
  assert.equal(preview.json.rows.length, 5000);
});

test('the export is a CSV that the import reads back as unchanged', async () => {
  const exported = await secretariat.get('/api/organisations/export.csv');
  assert.equal(exported.status, 200);
  assert.match(exported.headers.get('content-type'), /^text\/csv/);
  assert.match(exported.headers.get('content-disposition'), /attachment; filename="register-\d{4}-\d{2}-\d{2}\.csv"/);
  const lines = exported.text.replace(/^\ufeff/, '').trim().split('\r\n');
  assert.equal(lines[0], 'naam;kvk;email;adres;lidnummer;lid_sinds;openbaar');
  assert.equal(lines.length - 1, count('organisations'));
  const back = await secretariat.request('POST', '/api/organisations/import/preview', exported.text, { raw: true, contentType: 'text/csv' });
  assert.equal(back.status, 200, back.text.slice(0, 300));
  assert.equal(back.json.counts.invalid, 0, JSON.stringify(back.json.rows.filter((r) => r.status === 'invalid').slice(0, 3)));
  assert.equal(back.json.counts.new, 0);
  // Rows without an open membership show as "changed" (the import is a member list:
  // it would make them members); every member row reads back unchanged.
  const members = back.json.rows.filter((r) => r.member_since && r.status !== 'changed');
  assert.ok(members.length > 20);
  assert.ok(back.json.rows.filter((r) => r.status === 'changed').every((r) => r.changes.join() === 'membership'));
});

test('the public register lists consenting organisations that are bound today, for anyone', async () => {
  const anonymous = alvd.client();
  const response = await anonymous.get('/api/public/register');
  assert.equal(response.status, 200);
  const names = response.json.items.map((o) => o.name);
  assert.ok(names.length >= 10, `${names.length} listed`);
  const consenting = new Set(alvd.sql('SELECT name FROM organisations WHERE public_consent = 1').map((r) => r[0]));
  assert.ok(names.every((n) => consenting.has(n)), 'only organisations that consented');
  assert.ok(!names.includes('Belcentrale Twente B.V.'), 'no consent, not listed');
  assert.ok(!names.includes('Helpdesk Haaglanden B.V.'), 'membership ended, not listed');
  assert.ok(names.includes('Klantcontact Noord B.V.'));
  assert.ok(response.json.items.every((o) => o.bases.length > 0 && !('email' in o)));
});

test('every change above is in an intact audit chain', () => {
  const verified = alvd.run(['audit', 'verify']);
  assert.equal(verified.status, 0, verified.stderr);
});
