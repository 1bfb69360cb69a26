// The ALV in the hall: meetings, signed tickets and their QR codes, door scans into the
// presence ledger (idempotent, concurrent, refused with a reason), proxies, closing,
// ticket login of a phone, and live events over SSE from the database.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { startAlvd } from './lib/alvd.mjs';

let alvd, secretariat, board, chair, meldpunt;
const members = {}; // name → organisation id

function addMembers(prefix, count, since = '2020-01-01', kvkStart = 70000000) {
  const values = [];
  for (let i = 0; i < count; i++) {
    values.push(`('${prefix} ${String(i).padStart(3, '0')}', '${kvkStart + i}', UTC_TIMESTAMP(6), UTC_TIMESTAMP(6))`);
  }
  alvd.sql(`INSERT INTO organisations (name, kvk, created_at, updated_at) VALUES ${values.join(',')}`);
  alvd.sql(`INSERT INTO bases (organisation_id, basis, since, created_at)
            SELECT id, 'membership', '${since}', UTC_TIMESTAMP(6) FROM organisations WHERE name LIKE '${prefix} %'`);
  for (const [id, name] of alvd.sql(`SELECT id, name FROM organisations WHERE name LIKE '${prefix} %'`)) members[name] = Number(id);
}

async function createMeeting(fields = {}) {
  const response = await secretariat.post('/api/meetings', {
    title: 'ALV test', date: '2029-06-16', starts_at: '19:30', location: 'Utrecht', ...fields,
  });
  assert.equal(response.status, 201, response.text);
  return response.json;
}

async function issue(meetingId) {
  const response = await secretariat.post(`/api/meetings/${meetingId}/tickets`);
  assert.equal(response.status, 201, response.text);
  const list = await secretariat.get(`/api/meetings/${meetingId}/tickets`);
  assert.equal(list.status, 200, list.text);
  const byName = {};
  for (const item of list.json.items) byName[item.name] = item;
  return { issued: response.json, items: list.json.items, byName };
}

function scan(meetingId, ticket, direction = 'entry', nonce = randomUUID()) {
  return secretariat.post(`/api/meetings/${meetingId}/scans`, { ticket, direction, nonce });
}

async function present(meetingId, query = '') {
  const response = await secretariat.get(`/api/meetings/${meetingId}/attendance${query}`);
  assert.equal(response.status, 200, response.text);
  return response.json;
}

function flipBit(code, index) {
  const bytes = Buffer.from(code, 'base64url');
  bytes[index] ^= 0x01;
  return bytes.toString('base64url');
}

before(async () => {
  alvd = await startAlvd({ demo: true });
  secretariat = await alvd.login('secretariat');
  board = await alvd.login('board');
  chair = await alvd.login('chair');
  meldpunt = await alvd.login('meldpunt');
  addMembers('Testlid', 4);
  alvd.sql(`INSERT INTO contacts (organisation_id, name, email, created_at) VALUES
            (${members['Testlid 000']}, 'Anne Testlid', 'anne@testlid0.example', UTC_TIMESTAMP(6)),
            (${members['Testlid 000']}, 'Bert Testlid', 'bert@testlid0.example', UTC_TIMESTAMP(6))`);
  // 200 members whose membership starts in 2030: only the 2030 meeting sees them.
  addMembers('Drukte', 200, '2030-01-01', 71000000);
});

after(async () => {
  const result = await alvd?.stop();
  // Under the sanitizer build a memory error or leak shows in the server's output.
  assert.doesNotMatch(alvd?.log || '', /ERROR: (Address|Leak)Sanitizer|runtime error:/, alvd?.log);
  assert.equal(result?.code, 0, `alvd exit ${JSON.stringify(result)}`);
});

test('a meeting is created with its settings; bad input is refused with the field', async () => {
  const meeting = await createMeeting({ majority_rule: 'two_thirds', proxies_allowed: true, max_proxies: 2 });
  assert.equal(meeting.title, 'ALV test');
  assert.equal(meeting.date, '2029-06-16');
  assert.equal(meeting.majority_rule, 'two_thirds');
  assert.equal(meeting.proxies_allowed, true);
  assert.equal(meeting.max_proxies, 2);
  assert.equal(meeting.notice_days, 14);
  assert.equal(meeting.state, 'planned');
  const badDate = await secretariat.post('/api/meetings', { title: 'x', date: '2029-02-30', starts_at: '19:30', location: 'x' });
  assert.equal(badDate.status, 400);
  assert.equal(badDate.json.field, 'date');
  const badRule = await secretariat.post('/api/meetings', { title: 'x', date: '2029-02-03', starts_at: '19:30', location: 'x', majority_rule: 'most' });
  assert.equal(badRule.status, 422);
  assert.equal(badRule.json.field, 'majority_rule');
  const badTime = await secretariat.post('/api/meetings', { title: 'x', date: '2029-02-03', starts_at: '25:00', location: 'x' });
  assert.equal(badTime.status, 400);
  assert.equal(badTime.json.field, 'starts_at');
  const badCap = await secretariat.post('/api/meetings', { title: 'x', date: '2029-02-03', starts_at: '19:30', location: 'x', max_proxies: 0 });
  assert.equal(badCap.status, 422);
  assert.equal(badCap.json.field, 'max_proxies');
  const changed = await secretariat.patch(`/api/meetings/${meeting.id}`, { location: 'Jaarbeurs', max_proxies: 3 });
  assert.equal(changed.status, 200, changed.text);
  assert.equal(changed.json.location, 'Jaarbeurs');
  assert.equal(changed.json.max_proxies, 3);
  assert.equal(changed.json.majority_rule, 'two_thirds');
});

test('the agenda takes proposal ids and other items; the current item is set by the chair', async () => {
  const meeting = await createMeeting();
  const refused = await secretariat.post(`/api/meetings/${meeting.id}/agenda`, { proposal_ids: [1] });
  assert.equal(refused.status, 403);
  // The demo cycle has proposals that are ready for the ALV and one that is not.
  const ready = alvd.sql("SELECT id FROM proposals WHERE state = 'ready' ORDER BY id").map(([id]) => Number(id));
  const [[notReady]] = alvd.sql("SELECT id FROM proposals WHERE state <> 'ready' ORDER BY id LIMIT 1");
  assert.ok(ready.length >= 2);
  const draft = await board.post(`/api/meetings/${meeting.id}/agenda`, { proposal_ids: [Number(notReady)] });
  assert.equal(draft.status, 422);
  assert.equal(draft.json.code, 'proposal_not_ready');
  const unknown = await board.post(`/api/meetings/${meeting.id}/agenda`, { proposal_ids: [999999] });
  assert.equal(unknown.status, 422);
  assert.equal(unknown.json.code, 'unknown_proposal');
  const set = await board.post(`/api/meetings/${meeting.id}/agenda`, { proposal_ids: [ready[0], ready[1]], items: [{ title: 'Rondvraag' }] });
  assert.equal(set.status, 200, set.text);
  assert.deepEqual(set.json.agenda.map((a) => [a.position, a.proposal_id]), [[1, ready[0]], [2, ready[1]], [3, null]]);
  const [[title]] = alvd.sql(`SELECT r.title FROM proposals p JOIN proposal_revisions r ON r.id = p.current_revision_id WHERE p.id = ${ready[0]}`);
  assert.equal(set.json.agenda[0].title, title, 'the agenda item carries the proposal title');
  const twice = await board.post(`/api/meetings/${meeting.id}/agenda`, { proposal_ids: [ready[0], ready[0]] });
  assert.equal(twice.status, 422);
  assert.equal((await secretariat.get(`/api/meetings/${meeting.id}`)).json.agenda.length, 3, 'a refused agenda changes nothing');
  const current = await chair.post(`/api/meetings/${meeting.id}/agenda/current`, { position: 3 });
  assert.equal(current.status, 200, current.text);
  assert.equal(current.json.title, 'Rondvraag');
  assert.equal((await secretariat.get(`/api/meetings/${meeting.id}`)).json.current_item, 3);
  assert.equal((await chair.post(`/api/meetings/${meeting.id}/agenda/current`, { position: 9 })).status, 422);
});

test('tickets: one per voting member, idempotent, no personal data, QR decodes to the ticket URL', async () => {
  const meeting = await createMeeting();
  const first = await secretariat.post(`/api/meetings/${meeting.id}/tickets`);
  assert.equal(first.status, 201);
  const voting = Number(alvd.sql(`SELECT COUNT(DISTINCT organisation_id) FROM bases WHERE basis = 'membership'
                                  AND since <= '2029-06-16' AND (until IS NULL OR until >= '2029-06-16')`)[0][0]);
  assert.equal(first.json.issued, voting);
  assert.equal(first.json.total, voting);
  const again = await secretariat.post(`/api/meetings/${meeting.id}/tickets`);
  assert.deepEqual(again.json, { issued: 0, total: voting });
  const list = await secretariat.get(`/api/meetings/${meeting.id}/tickets`);
  assert.equal(list.json.items.length, voting);
  assert.ok(!list.json.items.some((i) => i.name.startsWith('Drukte')), 'members from 2030 on are not voting in 2029');
  const mine = list.json.items.find((i) => i.name === 'Testlid 001');
  assert.equal(mine.organisation_id, members['Testlid 001']);
  assert.equal(mine.url, `${alvd.url}/t/${mine.code}`);
  assert.match(mine.code, /^[A-Za-z0-9_-]{130}$/);
  const payload = Buffer.from(mine.code, 'base64url');
  assert.equal(payload.length, 1 + 8 + 8 + 16 + 64, 'version, meeting, ticket, nonce, signature');
  assert.equal(payload[0], 1);
  assert.equal(payload.readBigUInt64BE(1), BigInt(meeting.id));
  assert.ok(!payload.includes(Buffer.from('Testlid')), 'no name in the code');
  // the code is not stored: only its hash
  assert.equal(alvd.sql(`SELECT COUNT(*) FROM tickets WHERE code_hash = '${mine.code}'`)[0][0], '0');

  const png = await secretariat.request('GET', `/api/meetings/${meeting.id}/tickets/${mine.organisation_id}/qr.png`);
  assert.equal(png.status, 200);
  assert.equal(png.headers.get('content-type'), 'image/png');
  const raw = await fetch(`${alvd.url}/api/meetings/${meeting.id}/tickets/${mine.organisation_id}/qr.png`,
    { headers: { Authorization: `Bearer ${secretariat.token}` } });
  const dir = mkdtempSync(join(tmpdir(), 'alvd-qr-'));
  try {
    const file = join(dir, 'ticket.png');
    writeFileSync(file, Buffer.from(await raw.arrayBuffer()));
    const decoded = execFileSync('zbarimg', ['--raw', '-q', file], { encoding: 'utf8' }).trim();
    assert.equal(decoded, mine.url);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const svg = await secretariat.get(`/api/meetings/${meeting.id}/tickets/${mine.organisation_id}/qr.svg`);
  assert.equal(svg.status, 200);
  assert.equal(svg.headers.get('content-type'), 'image/svg+xml');
  assert.equal((svg.text.match(/<path/g) || []).length, 1);
  assert.match(svg.text, /viewBox="0 0 (\d+) \1"/);
  const none = await secretariat.get(`/api/meetings/${meeting.id}/tickets/${members['Drukte 000']}/qr.png`);
  assert.equal(none.status, 404);
});

test('entry, double entry, exit, exit again, re-entry: the ledger holds only real changes', async () => {
  const meeting = await createMeeting();
  const { byName } = await issue(meeting.id);
  const code = byName['Testlid 002'].code;
  const org = members['Testlid 002'];
  let r = await scan(meeting.id, code, 'entry');
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.result, 'entered');
  assert.equal(r.json.organisation.name, 'Testlid 002');
  assert.equal(r.json.present, 1);
  r = await scan(meeting.id, byName['Testlid 002'].url, 'entry'); // the whole URL, as a camera reads it
  assert.equal(r.json.result, 'already_inside');
  assert.equal(r.json.present, 1);
  r = await scan(meeting.id, code, 'exit');
  assert.equal(r.json.result, 'left');
  assert.equal(r.json.present, 0);
  r = await scan(meeting.id, code, 'exit');
  assert.equal(r.json.result, 'not_inside');
  r = await scan(meeting.id, code, 'entry');
  assert.equal(r.json.result, 'entered');
  assert.equal(r.json.present, 1);
  const ledger = alvd.sql(`SELECT direction, source FROM attendance_events WHERE meeting_id = ${meeting.id} AND organisation_id = ${org} ORDER BY id`);
  assert.deepEqual(ledger, [['entry', 'scan'], ['exit', 'scan'], ['entry', 'scan']]);
  const attendance = await present(meeting.id);
  assert.equal(attendance.present, 1);
  assert.equal(attendance.was_present, 1);
  assert.equal(attendance.members.find((m) => m.organisation_id === org).inside, true);
});

test('the same nonce twice gives the same answer and one event', async () => {
  const meeting = await createMeeting();
  const { byName } = await issue(meeting.id);
  const nonce = randomUUID();
  const first = await scan(meeting.id, byName['Testlid 003'].code, 'entry', nonce);
  const second = await scan(meeting.id, byName['Testlid 003'].code, 'entry', nonce);
  assert.equal(first.status, 200);
  assert.equal(second.status, 200);
  assert.equal(second.json.result, 'entered', 'a retry is answered like the first scan, not "already inside"');
  assert.equal(second.json.present, first.json.present);
  assert.equal(second.json.replayed, true);
  assert.equal(alvd.sql(`SELECT COUNT(*) FROM attendance_events WHERE meeting_id = ${meeting.id}`)[0][0], '1');
  // the same nonce racing itself
  const nonce2 = randomUUID();
  const raced = await Promise.all([1, 2, 3, 4].map(() => scan(meeting.id, byName['Testlid 003'].code, 'exit', nonce2)));
  assert.deepEqual(raced.map((x) => x.json.result), ['left', 'left', 'left', 'left']);
  assert.equal(alvd.sql(`SELECT COUNT(*) FROM attendance_events WHERE meeting_id = ${meeting.id}`)[0][0], '2');
});

test('forged, bit-flipped, garbage, revoked and other-meeting tickets are refused with the reason and logged', async () => {
  const meeting = await createMeeting();
  const other = await createMeeting({ title: 'Andere ALV' });
  const { byName } = await issue(meeting.id);
  const otherTickets = await issue(other.id);
  const good = byName['Testlid 000'].code;

  const flipped = await scan(meeting.id, flipBit(good, 20));
  assert.equal(flipped.status, 400);
  assert.equal(flipped.json.code, 'forged');
  const flippedSignature = await scan(meeting.id, flipBit(good, 90));
  assert.equal(flippedSignature.json.code, 'forged');
  const garbage = await scan(meeting.id, 'dit-is-geen-ticket!!');
  assert.equal(garbage.status, 400);
  assert.equal(garbage.json.code, 'forged');
  const truncated = await scan(meeting.id, good.slice(0, 100));
  assert.equal(truncated.json.code, 'forged');
  // a payload rewritten to another ticket id under the old signature
  const bytes = Buffer.from(good, 'base64url');
  bytes[16] ^= 0x02;
  const rewritten = await scan(meeting.id, bytes.toString('base64url'));
  assert.equal(rewritten.json.code, 'forged');

  const wrong = await scan(meeting.id, otherTickets.byName['Testlid 000'].code);
  assert.equal(wrong.status, 403);
  assert.equal(wrong.json.code, 'wrong_meeting');

  const reissued = await secretariat.post(`/api/meetings/${meeting.id}/tickets/${members['Testlid 000']}/reissue`);
  assert.equal(reissued.status, 201, reissued.text);
  assert.notEqual(reissued.json.code, good);
  assert.equal(reissued.json.revoked, 1);
  const revoked = await scan(meeting.id, good);
  assert.equal(revoked.status, 403);
  assert.equal(revoked.json.code, 'revoked');
  const fresh = await scan(meeting.id, reissued.json.code);
  assert.equal(fresh.json.result, 'entered');
  const list = await secretariat.get(`/api/meetings/${meeting.id}/tickets`);
  assert.equal(list.json.items.find((i) => i.organisation_id === members['Testlid 000']).code, reissued.json.code);

  const revokeOnly = await secretariat.post(`/api/meetings/${meeting.id}/tickets/${members['Testlid 001']}/revoke`);
  assert.equal(revokeOnly.status, 200);
  assert.equal((await scan(meeting.id, byName['Testlid 001'].code)).json.code, 'revoked');

  assert.equal((await present(meeting.id)).present, 1, 'refused scans change nothing');
  const reasons = alvd.sql(`SELECT reason, COUNT(*) FROM scan_failures WHERE meeting_id = ${meeting.id} GROUP BY reason ORDER BY reason`);
  assert.deepEqual(reasons, [['forged', '5'], ['revoked', '2'], ['wrong_meeting', '1']]);
  const failures = await secretariat.get(`/api/meetings/${meeting.id}/scan-failures`);
  assert.equal(failures.json.items.length, 8);
  assert.equal(failures.json.items.find((f) => f.reason === 'wrong_meeting').organisation_name, 'Testlid 000');
  // the tickets of the other meeting still work there
  assert.equal((await scan(other.id, otherTickets.byName['Testlid 000'].code)).json.result, 'entered');
});

test('200 concurrent entry scans of 200 different tickets give exactly 200 present', async () => {
  const meeting = await createMeeting({ title: 'Drukke ALV', date: '2030-06-16' });
  const { items } = await issue(meeting.id);
  const crowd = items.filter((i) => i.name.startsWith('Drukte'));
  assert.equal(crowd.length, 200);
  const answers = await Promise.all(crowd.map((t) => scan(meeting.id, t.code, 'entry')));
  const statuses = answers.map((a) => a.status);
  assert.deepEqual([...new Set(statuses)], [200], `statuses: ${[...new Set(statuses)]}`);
  assert.equal(answers.filter((a) => a.json.result === 'entered').length, 200);
  const counts = answers.map((a) => a.json.present).sort((a, b) => a - b);
  assert.equal(counts[counts.length - 1], 200);
  assert.equal(new Set(counts).size, 200, 'each scan saw its own exact count: 1..200');
  const attendance = await present(meeting.id);
  assert.equal(attendance.present, 200);
  assert.equal(alvd.sql(`SELECT COUNT(*) FROM attendance_events WHERE meeting_id = ${meeting.id}`)[0][0], '200');
  // two doors scanning the same ticket at once: one entry, the rest "already inside"
  const racer = crowd[0];
  await scan(meeting.id, racer.code, 'exit');
  const doors = await Promise.all(Array.from({ length: 10 }, () => scan(meeting.id, racer.code, 'entry')));
  assert.equal(doors.filter((d) => d.json.result === 'entered').length, 1);
  assert.equal(doors.filter((d) => d.json.result === 'already_inside').length, 9);
  assert.equal((await present(meeting.id)).present, 200);
});

test('present at an instant, and closing the meeting checks everyone out', async () => {
  const meeting = await createMeeting();
  const { byName } = await issue(meeting.id);
  await scan(meeting.id, byName['Testlid 000'].code, 'entry');
  await scan(meeting.id, byName['Testlid 001'].code, 'entry');
  await scan(meeting.id, byName['Testlid 001'].code, 'exit');
  const at = alvd.sql(`SELECT DATE_FORMAT(at, '%Y-%m-%dT%H:%i:%s.%fZ') FROM attendance_events WHERE meeting_id = ${meeting.id} ORDER BY id`).map((r) => r[0]);
  assert.equal((await present(meeting.id, `?at=${encodeURIComponent(at[0])}`)).present, 1);
  const second = await present(meeting.id, `?at=${encodeURIComponent(at[1])}`);
  assert.equal(second.present, 2);
  assert.equal(second.members.find((m) => m.organisation_id === members['Testlid 001']).inside, true);
  const third = await present(meeting.id, `?at=${encodeURIComponent(at[2])}`);
  assert.equal(third.present, 1);
  assert.equal(third.was_present, 2);
  assert.equal((await present(meeting.id, '?at=2000-01-01T00:00:00%2B01:00')).present, 0);
  assert.equal((await secretariat.get(`/api/meetings/${meeting.id}/attendance?at=gisteren`)).status, 400);

  const timeline = await secretariat.get(`/api/meetings/${meeting.id}/attendance/timeline`);
  assert.deepEqual(timeline.json.points.map((p) => p.present), [1, 2, 1]);
  assert.equal(timeline.json.peak, 2);

  const csv = await secretariat.get(`/api/meetings/${meeting.id}/attendance.csv`);
  assert.equal(csv.status, 200);
  assert.match(csv.headers.get('content-type'), /^text\/csv/);
  assert.match(csv.headers.get('content-disposition'), /attachment; filename="presentielijst-\d+\.csv"/);
  const lines = csv.text.replace(/^\uFEFF/, '').trim().split('\r\n');
  assert.match(lines[0], /^organisatie;lidnummer;kvk;aanwezig_geweest/);
  assert.match(lines.find((l) => l.startsWith('Testlid 000')), /;ja;\d{4}-\d\d-\d\d \d\d:\d\d;;ja;;zaal;nee$/);
  assert.match(lines.find((l) => l.startsWith('Testlid 001')), /;ja;.+;.+;nee;;;nee$/);

  const closed = await chair.post(`/api/meetings/${meeting.id}/close`);
  assert.equal(closed.status, 200, closed.text);
  assert.equal(closed.json.state, 'closed');
  assert.equal(closed.json.checked_out, 1);
  const after = await present(meeting.id);
  assert.equal(after.present, 0);
  assert.equal(after.was_present, 2);
  assert.deepEqual(alvd.sql(`SELECT direction, source FROM attendance_events WHERE meeting_id = ${meeting.id} ORDER BY id DESC LIMIT 1`), [['exit', 'close']]);
  const late = await scan(meeting.id, byName['Testlid 002'].code);
  assert.equal(late.status, 409);
  assert.equal(late.json.code, 'meeting_closed');
  assert.equal((await chair.post(`/api/meetings/${meeting.id}/close`)).status, 409);
});

test('proxies: off by default, the cap per holder, and they count only while the holder is inside and the principal is not', async () => {
  const off = await createMeeting();
  await issue(off.id);
  const refused = await secretariat.post(`/api/meetings/${off.id}/proxies`, { principal_id: members['Testlid 000'], holder_id: members['Testlid 001'] });
  assert.equal(refused.status, 422);
  assert.equal(refused.json.code, 'proxies_off');

  const meeting = await createMeeting({ proxies_allowed: true, max_proxies: 1 });
  const { byName } = await issue(meeting.id);
  const [A, B, H, X] = ['Testlid 000', 'Testlid 001', 'Testlid 002', 'Testlid 003'].map((n) => members[n]);
  const made = await secretariat.post(`/api/meetings/${meeting.id}/proxies`, { principal_id: A, holder_id: H });
  assert.equal(made.status, 201, made.text);
  const overCap = await secretariat.post(`/api/meetings/${meeting.id}/proxies`, { principal_id: B, holder_id: H });
  assert.equal(overCap.status, 422);
  assert.equal(overCap.json.code, 'proxy_cap');
  assert.match(overCap.json.error, /maximum per lid is 1/);
  assert.equal((await secretariat.post(`/api/meetings/${meeting.id}/proxies`, { principal_id: A, holder_id: X })).status, 409);
  assert.equal((await secretariat.post(`/api/meetings/${meeting.id}/proxies`, { principal_id: H, holder_id: X })).json.code, 'proxy_chain');
  assert.equal((await secretariat.post(`/api/meetings/${meeting.id}/proxies`, { principal_id: X, holder_id: X })).status, 422);

  let counts = await present(meeting.id);
  assert.deepEqual([counts.present, counts.represented, counts.eligible], [0, 0, 0], 'holder not inside: the proxy does not count');
  await scan(meeting.id, byName['Testlid 002'].code, 'entry');
  counts = await present(meeting.id);
  assert.deepEqual([counts.present, counts.represented, counts.eligible], [1, 1, 2], 'holder inside: the principal counts in P');
  assert.equal(counts.members.find((m) => m.organisation_id === A).represented_by, H);
  await scan(meeting.id, byName['Testlid 000'].code, 'entry');
  counts = await present(meeting.id);
  assert.deepEqual([counts.present, counts.represented, counts.eligible], [2, 0, 2], 'principal inside: counts once, in person');
  await scan(meeting.id, byName['Testlid 000'].code, 'exit');
  assert.equal((await present(meeting.id)).eligible, 2);
  await scan(meeting.id, byName['Testlid 002'].code, 'exit');
  counts = await present(meeting.id);
  assert.deepEqual([counts.present, counts.represented, counts.eligible], [0, 0, 0], 'holder left: the proxy stops counting');

  const list = await secretariat.get(`/api/meetings/${meeting.id}/proxies`);
  assert.equal(list.json.items.length, 1);
  assert.equal(list.json.items[0].counts, false);
  const revoked = await secretariat.post(`/api/meetings/${meeting.id}/proxies/${made.json.id}/revoke`);
  assert.equal(revoked.status, 200);
  assert.equal((await secretariat.post(`/api/meetings/${meeting.id}/proxies`, { principal_id: B, holder_id: H })).status, 201, 'a revoked proxy frees the cap');
});

test('a phone logs in by ticket as that member for that meeting only', async () => {
  const meeting = await createMeeting();
  const other = await createMeeting({ title: 'Andere' });
  const { byName } = await issue(meeting.id);
  const phone = alvd.client({ cookies: true });
  const login = await phone.post('/api/session/ticket', { ticket: byName['Testlid 001'].code });
  assert.equal(login.status, 200, login.text);
  phone.adopt(login);
  assert.deepEqual(login.json.member, { organisation_id: members['Testlid 001'], name: 'Testlid 001' });
  assert.equal(login.json.meeting_id, meeting.id);
  assert.match(login.headers.get('set-cookie'), /HttpOnly; SameSite=Strict/);
  const mine = await phone.get(`/api/meetings/${meeting.id}`);
  assert.equal(mine.status, 200);
  assert.equal(mine.json.me.inside, false);
  await scan(meeting.id, byName['Testlid 001'].code, 'entry');
  assert.equal((await phone.get(`/api/meetings/${meeting.id}`)).json.me.inside, true);
  assert.equal((await phone.get(`/api/meetings/${other.id}`)).status, 404);
  assert.equal((await phone.get(`/api/meetings/${meeting.id}/tickets/${members['Testlid 001']}/qr.svg`)).status, 200);
  assert.equal((await phone.get(`/api/meetings/${meeting.id}/tickets/${members['Testlid 002']}/qr.svg`)).status, 404);
  assert.equal((await phone.get(`/api/meetings/${meeting.id}/attendance`)).status, 403);
  assert.equal((await phone.post(`/api/meetings/${meeting.id}/scans`, { ticket: 'x', direction: 'entry', nonce: 'abcdefgh' })).status, 403);

  const forged = await alvd.client().post('/api/session/ticket', { ticket: flipBit(byName['Testlid 001'].code, 5) });
  assert.equal(forged.status, 401);
  assert.equal(forged.json.code, 'ticket_invalid');
  await secretariat.post(`/api/meetings/${meeting.id}/tickets/${members['Testlid 002']}/revoke`);
  const revoked = await alvd.client().post('/api/session/ticket', { ticket: byName['Testlid 002'].code });
  assert.equal(revoked.status, 401);
  assert.equal(revoked.json.code, 'revoked');
  const page = await fetch(`${alvd.url}/t/${byName['Testlid 001'].code}`);
  assert.equal(page.status, 200);
  assert.match(await page.text(), /Aanmelden op deze telefoon/);
  assert.equal(alvd.sql(`SELECT COUNT(*) FROM sessions WHERE kind = 'member' AND meeting_id = ${meeting.id}`)[0][0], '1', 'GET of the page logs nobody in');
});

test('the convocation mails every contact person the agenda and the personal ticket, with a notice warning', async () => {
  const late = await createMeeting({ date: '2020-03-03' });
  await board.post(`/api/meetings/${late.id}/agenda`, { proposal_ids: [], items: [{ title: 'Herziening van de Code' }] });
  const sent = await secretariat.post(`/api/meetings/${late.id}/convocation`);
  assert.equal(sent.status, 200, sent.text);
  assert.equal(sent.json.notice.sufficient, false);
  assert.equal(sent.json.warnings.length, 1);
  const mails = alvd.sql(`SELECT recipient FROM outbox WHERE kind = 'convocation' AND body_text LIKE '%Testlid 000%' AND subject LIKE '%2020%'`);
  assert.deepEqual(mails.map((m) => m[0]).sort(), ['anne@testlid0.example', 'bert@testlid0.example']);
  const tickets = await secretariat.get(`/api/meetings/${late.id}/tickets`);
  const url = tickets.json.items.find((i) => i.name === 'Testlid 000').url;
  const body = alvd.sql(`SELECT REPLACE(body_text, '\n', ' ') FROM outbox WHERE kind = 'convocation' AND recipient = 'anne@testlid0.example' ORDER BY id DESC LIMIT 1`)[0][0];
  assert.ok(body.includes(url), 'the personal ticket link is in the mail');
  assert.ok(body.includes('Herziening van de Code'), 'the agenda is in the mail');
  const early = await createMeeting({ date: '2099-06-16' });
  const ok = await secretariat.post(`/api/meetings/${early.id}/convocation`);
  assert.equal(ok.json.notice.sufficient, true);
  assert.deepEqual(ok.json.warnings, []);
});

/** Read SSE frames from a stream until predicate(frames) holds or the deadline passes. */
async function readEvents(url, token, { lastEventId, until, timeoutMs = 8000 }) {
  const controller = new AbortController();
  const headers = { Authorization: `Bearer ${token}` };
  if (lastEventId !== undefined) headers['Last-Event-ID'] = String(lastEventId);
  const response = await fetch(url, { headers, signal: controller.signal });
  assert.equal(response.status, 200);
  assert.match(response.headers.get('content-type'), /^text\/event-stream/);
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let text = '';
  const frames = [];
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  try {
    while (!until(frames)) {
      const { value, done } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
      let end;
      while ((end = text.indexOf('\n\n')) >= 0) {
        const block = text.slice(0, end);
        text = text.slice(end + 2);
        const frame = {};
        for (const line of block.split('\n')) {
          const colon = line.indexOf(':');
          if (colon <= 0) continue;
          frame[line.slice(0, colon)] = line.slice(colon + 1).trim();
        }
        if (frame.event) frames.push({ id: Number(frame.id), event: frame.event, data: JSON.parse(frame.data) });
      }
    }
  } catch (error) {
    if (error.name !== 'AbortError') throw error;
  } finally {
    clearTimeout(timer);
    controller.abort();
  }
  return frames;
}

test('SSE: live attendance events, resume with Last-Event-ID, and a second process on the same database', async () => {
  const meeting = await createMeeting();
  const { byName } = await issue(meeting.id);
  const url = `${alvd.url}/api/meetings/${meeting.id}/events`;
  const live = readEvents(url, chair.token, { until: (f) => f.some((x) => x.event === 'attendance') });
  await new Promise((r) => setTimeout(r, 300));
  await scan(meeting.id, byName['Testlid 000'].code, 'entry');
  const frames = await live;
  const attendance = frames.find((f) => f.event === 'attendance');
  assert.ok(attendance, 'an attendance event arrived');
  assert.equal(attendance.data.present, 1);
  assert.equal(attendance.data.eligible, 1);

  await scan(meeting.id, byName['Testlid 001'].code, 'entry');
  await chair.post(`/api/meetings/${meeting.id}/agenda/current`, { position: null });
  const replay = await readEvents(url, chair.token, { lastEventId: 0, until: (f) => f.length >= 3 });
  assert.deepEqual(replay.map((f) => f.event), ['attendance', 'attendance', 'agenda']);
  assert.deepEqual(replay.slice(0, 2).map((f) => f.data.present), [1, 2]);
  const resumed = await readEvents(url, chair.token, { lastEventId: replay[0].id, until: (f) => f.length >= 2 });
  assert.deepEqual(resumed.map((f) => f.id), [replay[1].id, replay[2].id]);

  const second = await startAlvd({ socket: alvd.socket, database: alvd.database, dataDir: alvd.dataDir, keepDatabase: true, migrate: false });
  try {
    const otherChair = await second.login('chair');
    const viaSecond = readEvents(`${second.url}/api/meetings/${meeting.id}/events`, otherChair.token,
      { until: (f) => f.some((x) => x.event === 'attendance') });
    await new Promise((r) => setTimeout(r, 300));
    await scan(meeting.id, byName['Testlid 002'].code, 'entry'); // through the first process
    const seen = await viaSecond;
    assert.equal(seen.find((f) => f.event === 'attendance').data.present, 3);
  } finally {
    await second.kill();
  }
  // a member's phone may follow its own meeting only
  const phone = alvd.client();
  phone.adopt(await phone.post('/api/session/ticket', { ticket: byName['Testlid 003'].code }));
  const other = await createMeeting();
  assert.equal((await phone.get(`/api/meetings/${other.id}/events`)).status, 404);
});
