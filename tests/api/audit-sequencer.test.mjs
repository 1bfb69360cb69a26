// Issue 17, point 3: no global row in the business transaction. A change commits its audit
// entry unchained (audit_pending) and its events without a stream position; one sequencer,
// the holder of a lease row shared by every alvd process, chains and numbers them just
// after. Here: pending entries and gaps in `alvd audit verify`, a forged or replayed pending
// entry, a holder killed and taken over, an event that commits after a later one was
// streamed, and a long import that no longer holds up a login, a scan or a vote.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startAlvd, awaitChained, rawSql } from './lib/alvd.mjs';
import { blake2b } from './lib/blake2b.mjs';
import { addCycle, addProposal, hall, vote } from './lib/poll-fixtures.mjs';
import { listen } from './lib/sse.mjs';

const instances = [];
after(async () => { for (const instance of instances.reverse()) await instance.stop(); });

async function start(options) {
  const instance = await startAlvd(options);
  instances.push(instance);
  return instance;
}

/** The MAC alvd gives an entry when its transaction commits it (server/crypto/audit.c,
 * audit_entry_mac): keyed BLAKE2b over a label, the nonce, the numbers and the texts. */
function entryMac(key, nonce, entry) {
  const parts = [Buffer.from('alvd audit entry v1\0'), nonce, Buffer.from(`${entry.actorId}\n${entry.objectId}\n`)];
  for (const field of [entry.createdAt, entry.actorKind, entry.actorLabel, entry.action, entry.objectType, entry.details]) {
    parts.push(Buffer.from(field, 'utf8'), Buffer.alloc(1));
  }
  return blake2b(Buffer.concat(parts), 32, key);
}

/** UTC "YYYY-MM-DD HH:MM:SS.ffffff" secondsAgo seconds before now (as audit_now writes it). */
function stamp(secondsAgo) {
  return new Date(Date.now() - secondsAgo * 1000).toISOString().replace('T', ' ').replace('Z', '000');
}

/** Insert a committed-but-unchained entry as root: with the audit key it is one alvd could
 * have written (a genuine entry the sequencer never reached); without, a forgery. */
function insertPending(instance, { action, secondsAgo = 0, key = null }) {
  const entry = { createdAt: stamp(secondsAgo), actorKind: 'system', actorId: 0, actorLabel: 'test', action,
    objectType: 'test', objectId: 7, details: '{}' };
  const nonce = randomBytes(16);
  const mac = key ? entryMac(key, nonce, entry) : randomBytes(32);
  instance.sql(`INSERT INTO audit_pending (created_at, actor_kind, actor_id, actor_label, action, object_type, object_id,
    details, nonce, mac) VALUES ('${entry.createdAt}', 'system', 0, 'test', '${action}', 'test', 7, '{}',
    X'${nonce.toString('hex')}', X'${mac.toString('hex')}')`);
  return mac;
}

/** Hold the sequencer's lease for a process that does not exist (a stuck holder). */
function holdLease(instance) {
  instance.sql("UPDATE audit_sequencer SET holder = 'elders:1:stuck', lease_until = UTC_TIMESTAMP(6) + INTERVAL 1 HOUR WHERE id = 1");
}

function releaseLease(instance) {
  instance.sql("UPDATE audit_sequencer SET lease_until = '2000-01-01' WHERE id = 1");
}

async function verifyApi(instance) {
  const admin = await instance.login('admin');
  const response = await admin.get('/api/audit/verify');
  assert.equal(response.status, 200, response.text);
  return response.json;
}

test('an entry waiting for the sequencer is pending while young and a gap once older than the bound; forged or replayed ones are refused', async () => {
  const alvd = await start({ demo: true });
  const key = readFileSync(join(alvd.dataDir, 'keys', 'audit.key'));
  assert.ok(awaitChained(alvd.socket, alvd.database), 'the demo is chained');
  const [[chainedBefore]] = rawSql(alvd.socket, alvd.database, 'SELECT COUNT(*) FROM audit_log');
  holdLease(alvd);
  // A login while nobody can chain: it answers, and its entry waits as pending.
  const board = await alvd.login('board');
  assert.ok(board.token);
  const young = await verifyApi(alvd);
  assert.equal(young.intact, true, young.message);
  assert.ok(young.pending >= 2, `the board's and the admin's logins are pending: ${young.pending}`);
  assert.equal(young.pending_bound_seconds, 60);
  const cli = alvd.run(['audit', 'verify']);
  assert.equal(cli.status, 0, cli.stdout);
  assert.match(cli.stdout, /chain intact/);
  assert.match(cli.stdout, /committed entries pending, not chained yet \(younger than 60 s/);
  const [[stillChained]] = rawSql(alvd.socket, alvd.database, 'SELECT COUNT(*) FROM audit_log');
  assert.equal(stillChained, chainedBefore, 'nothing was chained while the lease was held elsewhere');

  // The same, committed two minutes ago and never chained: a gap, not a delay.
  insertPending(alvd, { action: 'test.left_behind', secondsAgo: 120, key });
  const gap = await verifyApi(alvd);
  assert.equal(gap.intact, false);
  assert.match(gap.message, /test\.left_behind .* was committed more than 60 s ago and is still not chained \(a gap\)/);
  const gapCli = alvd.run(['audit', 'verify']);
  assert.notEqual(gapCli.status, 0);
  assert.match(gapCli.stdout, /FAILED: .*still not chained/);

  // The lease frees up: the sequencer chains every waiting entry, the late one too.
  releaseLease(alvd);
  assert.ok(awaitChained(alvd.socket, alvd.database, 10000), 'chained after the lease came free');
  const after = await verifyApi(alvd);
  assert.equal(after.intact, true, after.message);
  assert.equal(after.pending, 0);
  assert.equal(alvd.sql("SELECT COUNT(*) FROM audit_log WHERE action = 'test.left_behind'")[0][0], '1');
  assert.equal(alvd.sql("SELECT COUNT(*) FROM audit_log WHERE action = 'session.login' AND actor_label = 'bestuur@ksf.example'")[0][0] >= 1, true);
  assert.equal(alvd.run(['audit', 'verify']).status, 0);

  // A row without alvd's MAC is never chained and is named at once.
  insertPending(alvd, { action: 'test.forged' });
  // (sql() waits up to 5 s for the chain to take it: many sequencer sweeps)
  assert.equal(alvd.sql("SELECT COUNT(*) FROM audit_log WHERE action = 'test.forged'")[0][0], '0', 'not chained');
  const forged = await verifyApi(alvd);
  assert.equal(forged.intact, false);
  assert.match(forged.message, /test\.forged .* was not written by alvd/);
  // A copy of a genuine entry (a replay) cannot even be inserted: its MAC is unique.
  assert.throws(() => alvd.sql(`INSERT INTO audit_pending (created_at, actor_kind, actor_id, actor_label, action, object_type,
    object_id, details, nonce, mac) SELECT created_at, actor_kind, actor_id, actor_label, action, object_type, object_id,
    details, nonce, mac FROM audit_pending WHERE action = 'test.left_behind'`), /Duplicate entry/);
});

test('a sequencer holder killed mid-meeting is taken over after its lease expires, and the chain is intact', async () => {
  const first = await start({ demo: true, allowUncleanExit: true });
  const second = await start({ socket: first.socket, database: first.database, dataDir: first.dataDir, migrate: false,
    keepDatabase: true, allowUncleanExit: true });
  let holder = '';
  for (let i = 0; i < 100 && !holder; i++) {
    [[holder]] = first.sql('SELECT holder FROM audit_sequencer WHERE id = 1');
    if (!/:serve:/.test(holder)) { holder = ''; await new Promise((r) => setTimeout(r, 100)); }
  }
  const pid = Number(holder.split(':')[1]);
  const [victim, survivor] = pid === first.process.pid ? [first, second] : [second, first];
  assert.equal(victim.process.pid, pid, `the lease names one of the two processes: ${holder}`);
  await victim.kill('SIGKILL');
  // The survivor keeps serving; its entries wait for the dead holder's lease to expire.
  const logins = [];
  for (const role of ['board', 'chair', 'secretariat']) logins.push(await survivor.login(role));
  assert.ok(awaitChained(survivor.socket, survivor.database, 15000), 'chained by the survivor after the lease expired');
  const [[now]] = survivor.sql('SELECT holder FROM audit_sequencer WHERE id = 1');
  assert.match(now, new RegExp(`:${survivor.process.pid}:serve:`));
  // Every committed entry is chained exactly once (read in one statement, once nothing waits).
  let counts;
  for (let i = 0; i < 50; i++) {
    awaitChained(survivor.socket, survivor.database);
    [counts] = survivor.sql(`SELECT (SELECT COUNT(*) FROM audit_pending), (SELECT COUNT(*) FROM audit_log WHERE pending_id IS NOT NULL),
      (SELECT COUNT(DISTINCT pending_id) FROM audit_log WHERE pending_id IS NOT NULL)`);
    if (counts[0] === counts[1]) break;
  }
  assert.equal(counts[1], counts[0], 'as many chained as committed');
  assert.equal(counts[2], counts[0], 'none chained twice');
  const verified = survivor.run(['audit', 'verify']);
  assert.equal(verified.status, 0, verified.stdout);
  assert.match(verified.stdout, /chain intact/);
  assert.equal(logins.length, 3);
});

test('an event that commits after a later one was streamed is streamed too, live and on resume', async () => {
  const alvd = await start({ demo: true });
  const chair = await alvd.login('chair');
  const [[meetingId]] = alvd.sql('SELECT MIN(id) FROM meetings');
  const stream = listen(`${alvd.url}/api/meetings/${meetingId}/events`, chair.token);
  await stream.opened;
  assert.equal(stream.status, 200);
  // Transaction 1 takes its event id first and commits last (as two writers on one node,
  // or AUTO_INCREMENT interleaved across Galera nodes, do).
  const held = spawn('mariadb', ['--no-defaults', '-S', alvd.socket, '-uroot', '--batch', '--unbuffered', '--skip-column-names', alvd.database],
    { stdio: ['pipe', 'pipe', 'inherit'] });
  let heldOut = '';
  held.stdout.on('data', (d) => { heldOut += d; });
  held.stdin.write(`BEGIN; INSERT INTO events (meeting_id, kind, payload, created_at) VALUES (${meetingId}, 'agenda', '{"probe":"late"}', UTC_TIMESTAMP(6)); SELECT LAST_INSERT_ID();\n`);
  for (let i = 0; i < 100 && !/\d/.test(heldOut); i++) await new Promise((r) => setTimeout(r, 50));
  const lateId = Number(heldOut.trim());
  assert.ok(lateId > 0, 'transaction 1 holds its event id');
  // Transaction 2 takes a higher id and commits; the stream shows it.
  alvd.sql(`INSERT INTO events (meeting_id, kind, payload, created_at) VALUES (${meetingId}, 'agenda', '{"probe":"early"}', UTC_TIMESTAMP(6))`);
  await stream.until((frames) => frames.some((f) => f.data.probe === 'early'));
  const early = stream.frames.find((f) => f.data.probe === 'early');
  assert.ok(early && early.id > lateId, 'the higher id was streamed first');
  // Now transaction 1 commits: its lower id must still reach the stream.
  held.stdin.end('COMMIT;\n');
  await new Promise((resolve) => held.on('exit', resolve));
  await stream.until((frames) => frames.some((f) => f.data.probe === 'late'));
  stream.stop();
  const probes = stream.frames.filter((f) => f.data.probe).map((f) => [f.data.probe, f.id]);
  assert.deepEqual(probes, [['early', early.id], ['late', lateId]], 'both, each once, in commit order');
  // A client that reconnects after the early one (Last-Event-ID) gets the late one.
  const resumed = listen(`${alvd.url}/api/meetings/${meetingId}/events`, chair.token, early.id);
  await resumed.until((frames) => frames.some((f) => f.data.probe === 'late'));
  resumed.stop();
  assert.deepEqual(resumed.frames.filter((f) => f.data.probe).map((f) => f.data.probe), ['late']);
});

test('a long register import no longer holds up a login, a door scan or a vote', async () => {
  const alvd = await start({ demo: true });
  const staff = {};
  for (const role of ['secretariat', 'board', 'chair']) staff[role] = await alvd.login(role);
  const cycle = addCycle(alvd, 2096);
  const proposalId = addProposal(alvd, cycle, 'Import', [{ article: '6a', action: 'replace', text: 'Nieuwe tekst.' }]);
  const room = await hall(alvd, { prefix: 'Imp', present: 2, absent: 1, proposalIds: [proposalId], staff });
  const poll = await staff.chair.post(`/api/meetings/${room.meeting.id}/polls`, { proposal_id: proposalId });
  assert.equal(poll.status, 201, poll.text);
  assert.equal((await staff.chair.post(`/api/polls/${poll.json.id}/open`)).status, 200);
  const rows = ['Naam;KvK-nummer;E-mail;Lidnummer;Lid sinds'];
  const taken = new Set(alvd.sql('SELECT kvk FROM organisations').map(([kvk]) => kvk));
  for (let i = 0, kvk = 60000000; i < 4000; i++, kvk++) {
    while (taken.has(String(kvk))) kvk++;
    rows.push(`Importlid ${i} B.V.;${kvk};lid${i}@import.example;IMP-${i};2024-01-01`);
  }
  let importDone = false;
  const importing = staff.secretariat.request('POST', '/api/organisations/import/commit', rows.join('\r\n'),
    { raw: true, contentType: 'text/csv' }).then((response) => { importDone = true; return response; });
  // Wait until the import's transaction has written audit entries (it is under way).
  let written = 0;
  for (let i = 0; i < 600 && written < 200 && !importDone; i++) {
    const [[modified]] = alvd.sql('SELECT COALESCE(MAX(trx_rows_modified), 0) FROM information_schema.INNODB_TRX');
    written = Number(modified);
    if (written < 200) await new Promise((r) => setTimeout(r, 50));
  }
  assert.ok(written >= 200 && !importDone, `the import is under way (${written} rows written)`);
  // While it runs: a staff login, a door scan and a vote each get their answer.
  const login = await alvd.login('board');
  assert.ok(login.token);
  const absent = Object.keys(room.members).sort()[2];
  const scan = await room.scan(absent);
  assert.equal(scan.result, 'entered');
  const cast = await vote(room.phones[0], poll.json.id, 'for');
  assert.ok([200, 201].includes(cast.status), cast.text);
  assert.equal(importDone, false, 'the login, the scan and the vote were answered before the import finished');
  const imported = await importing;
  assert.equal(imported.status, 200, imported.text);
  assert.equal(imported.json.imported.new, 4000);
  assert.ok(awaitChained(alvd.socket, alvd.database, 20000));
  const verified = alvd.run(['audit', 'verify']);
  assert.equal(verified.status, 0, verified.stdout);
});
