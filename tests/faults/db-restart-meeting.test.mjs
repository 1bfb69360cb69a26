// MariaDB restarted in the middle of a meeting: while it is down, scans and the
// attendance answer 503 with Retry-After and nothing is half-written; when it is back,
// the same alvd process serves again, scans continue, the present count equals the
// ledger, a projector stream opened before the restart carries on, and the audit chain
// verifies.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { listen } from '../api/lib/sse.mjs';
import { startAlvd, ensureDatabaseServer, sourceDir } from '../api/lib/alvd.mjs';

const dbDir = mkdtempSync(join(tmpdir(), 'alvd-meeting-restart-db-'));
const db = (command) => execFileSync(join(sourceDir, 'scripts', 'db'), [command, dbDir], { stdio: 'ignore' });
let alvd;
let stream;

after(async () => {
  stream?.stop();
  await alvd?.stop();
  try { db('stop'); } catch { /* already stopped */ }
  rmSync(dbDir, { recursive: true, force: true });
});

/** Who is inside by the ledger: members whose last event is an entry. */
function ledgerPresent(meetingId) {
  const [[count]] = alvd.sql(`SELECT COUNT(*) FROM attendance_events a WHERE a.meeting_id = ${meetingId}
    AND a.direction = 'entry' AND a.id = (SELECT MAX(b.id) FROM attendance_events b
    WHERE b.meeting_id = a.meeting_id AND b.organisation_id = a.organisation_id)`);
  return Number(count);
}

test('a meeting survives a MariaDB restart: 503 meanwhile, exact presence and live events after', async () => {
  const socket = ensureDatabaseServer(dbDir);
  alvd = await startAlvd({ demo: true, socket });
  const secretariat = await alvd.login('secretariat');
  const chair = await alvd.login('chair');
  const meetingId = 1;
  const tickets = (await secretariat.get(`/api/meetings/${meetingId}/tickets`)).json.items;
  assert.ok(tickets.length >= 10, 'the demo meeting has tickets');
  const scan = (ticket, direction = 'entry', nonce = randomUUID()) =>
    secretariat.post(`/api/meetings/${meetingId}/scans`, { ticket: ticket.code, direction, nonce });

  // Five members in before the fault.
  for (const ticket of tickets.slice(0, 5)) assert.equal((await scan(ticket)).json.result, 'entered');
  assert.equal((await secretariat.get(`/api/meetings/${meetingId}/attendance`)).json.present, 5);

  // The projector's stream, opened before the restart.
  stream = listen(`${alvd.url}/api/meetings/${meetingId}/events`, chair.token);
  await new Promise((r) => setTimeout(r, 300));
  assert.equal(stream.status, 200);
  const pid = alvd.process.pid;
  const ledgerBefore = alvd.sql(`SELECT COUNT(*) FROM attendance_events WHERE meeting_id = ${meetingId}`)[0][0];
  const eventsBefore = alvd.sql('SELECT COUNT(*) FROM events')[0][0];
  const lastEventBefore = Number(alvd.sql('SELECT COALESCE(MAX(id), 0) FROM events')[0][0]);
  const auditBefore = alvd.sql('SELECT COUNT(*) FROM audit_log')[0][0];

  db('stop');
  const refusedNonces = [];
  for (const ticket of tickets.slice(5, 8)) {
    const nonce = randomUUID();
    refusedNonces.push({ ticket, nonce });
    const refused = await scan(ticket, 'entry', nonce);
    assert.equal(refused.status, 503, refused.text);
    assert.equal(refused.json.code, 'database_unavailable');
    assert.ok(Number(refused.headers.get('retry-after')) > 0, 'Retry-After on a scan');
  }
  const exit = await scan(tickets[0], 'exit');
  assert.equal(exit.status, 503);
  const attendance = await secretariat.get(`/api/meetings/${meetingId}/attendance`);
  assert.equal(attendance.status, 503);
  assert.ok(Number(attendance.headers.get('retry-after')) > 0, 'Retry-After on the attendance');
  assert.equal((await alvd.client().get('/api/health')).status, 503);

  db('start');
  let healthy = null;
  for (let i = 0; i < 100 && healthy?.status !== 200; i++) {
    healthy = await alvd.client().get('/api/health');
    if (healthy.status !== 200) await new Promise((r) => setTimeout(r, 100));
  }
  assert.equal(healthy.status, 200);
  assert.equal(alvd.process.pid, pid, 'the same alvd process');
  assert.equal(alvd.process.exitCode, null);

  // Nothing of the refused scans was written, in any table.
  assert.equal(alvd.sql(`SELECT COUNT(*) FROM attendance_events WHERE meeting_id = ${meetingId}`)[0][0], ledgerBefore);
  assert.equal(alvd.sql('SELECT COUNT(*) FROM events')[0][0], eventsBefore);
  assert.equal(alvd.sql('SELECT COUNT(*) FROM audit_log')[0][0], auditBefore);
  const nonceList = refusedNonces.map((r) => `'${r.nonce}'`).join(',');
  assert.equal(alvd.sql(`SELECT COUNT(*) FROM scans WHERE client_nonce IN (${nonceList})`)[0][0], '0');
  assert.equal((await secretariat.get(`/api/meetings/${meetingId}/attendance`)).json.present, 5);

  // The door carries on: the refused scans are retried with their own nonces (each
  // counts once, also when sent twice), more members come in, one leaves.
  for (const { ticket, nonce } of refusedNonces) {
    const retried = await scan(ticket, 'entry', nonce);
    assert.equal(retried.status, 200, retried.text);
    assert.equal(retried.json.result, 'entered');
    assert.equal((await scan(ticket, 'entry', nonce)).json.result, 'entered', 'a replayed nonce answers the same');
  }
  for (const ticket of tickets.slice(8, 10)) assert.equal((await scan(ticket)).json.result, 'entered');
  const left = await scan(tickets[0], 'exit');
  assert.equal(left.json.result, 'left');
  const expected = 5 + 3 + 2 - 1;
  assert.equal(left.json.present, expected);
  const counted = await secretariat.get(`/api/meetings/${meetingId}/attendance`);
  assert.equal(counted.json.present, expected);
  assert.equal(counted.json.members.filter((m) => m.inside).length, expected);
  assert.equal(ledgerPresent(meetingId), expected, 'the count equals the ledger');
  assert.equal(alvd.sql(`SELECT COUNT(*) FROM attendance_events WHERE meeting_id = ${meetingId}`)[0][0],
    String(Number(ledgerBefore) + 3 + 2 + 1), 'one ledger row per accepted scan, none for the replays');

  // The stream opened before the restart stays open and delivers every attendance
  // event written after it, in order, ending with the exact count.
  const afterRestart = alvd.sql(`SELECT id FROM events WHERE meeting_id = ${meetingId} AND kind = 'attendance'
    AND id > ${lastEventBefore} ORDER BY id`).map(([id]) => Number(id));
  assert.equal(afterRestart.length, 6);
  const frames = await stream.until((f) => f.some((x) => x.event === 'attendance' && x.data.present === expected && x.id === afterRestart.at(-1)));
  assert.equal(stream.ended, false, 'the stream was not dropped by the restart');
  const seen = frames.filter((f) => f.event === 'attendance');
  assert.deepEqual(seen.map((f) => f.id), afterRestart, 'every event after the restart, none twice, in order');
  assert.deepEqual(seen.map((f) => f.data.present), [6, 7, 8, 9, 10, 9]);

  const verify = alvd.run(['audit', 'verify']);
  assert.equal(verify.status, 0, verify.stdout + verify.stderr);
});
