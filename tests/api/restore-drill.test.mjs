// The restore drill (issue 19): back up during a meeting with votes and meldpunt reports,
// restore on a fresh database and data directory, and check what the association would:
// the audit chain verifies, an issued ticket still logs in, a sealed meldpunt report opens
// with the passphrase, every table holds as many rows as before, and the meeting goes on.
// A second backup taken while votes pour in restores to a consistent state.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { startAlvd, binary } from './lib/alvd.mjs';
import { addCycle, addProposal, hall, vote } from './lib/poll-fixtures.mjs';

const PASSPHRASE = 'demo-meldpunt-wachtzin-2026'; // printed by `alvd demo`
const REPORTER = { name: 'Hanna Herstel', email: 'hanna.herstel@melder.example', phone: '06-11223344' };

let alvd;
const staff = {};
const cleanup = [];
before(async () => {
  alvd = await startAlvd({ demo: true });
  for (const role of ['secretariat', 'board', 'chair']) staff[role] = await alvd.login(role);
});
after(async () => {
  for (const undo of cleanup.reverse()) await undo();
  await alvd?.stop();
});

/** A small real PNG (the meldpunt accepts only real images), its pixels saying text. */
function png(text) {
  const chunk = (type, data) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    return Buffer.concat([length, Buffer.from(type, 'latin1'), data, Buffer.alloc(4, 0xab)]);
  };
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', Buffer.alloc(13, 1)),
    chunk('IDAT', Buffer.from(text)), chunk('IEND', Buffer.alloc(0))]);
}

/** `alvd backup|restore DIR` with env, without blocking the event loop (phones keep voting). */
function runAsync(args, env) {
  return new Promise((resolve) => {
    const child = spawn(binary, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    child.on('exit', (status) => resolve({ status, stdout, stderr }));
  });
}

/** Every table's row count. */
function counts(instance) {
  const tables = instance.sql(`SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = '${instance.database}' ORDER BY TABLE_NAME`).map((r) => r[0]);
  const result = {};
  for (const [table, count] of instance.sql(tables.map((t) => `SELECT '${t}', COUNT(*) FROM \`${t}\``).join(' UNION ALL ')))
    result[table] = Number(count);
  return result;
}

/** relative path → SHA-256 of every file under dir. */
function tree(dir) {
  const found = {};
  const walk = (path) => {
    for (const name of readdirSync(path)) {
      const full = join(path, name);
      if (statSync(full).isDirectory()) walk(full);
      else found[relative(dir, full)] = createHash('sha256').update(readFileSync(full)).digest('hex');
    }
  };
  walk(dir);
  return found;
}

/** A fresh, empty database on the same server (the administrator's `alvd setup-db` step). */
function freshTarget(tag) {
  const database = `t_restore_${tag}_${randomBytes(4).toString('hex')}`;
  alvd.sql(`CREATE DATABASE ${database} CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  const dataDir = join(mkdtempSync(join(tmpdir(), 'alvd-restored-')), 'data');
  cleanup.push(() => {
    alvd.sql(`DROP DATABASE IF EXISTS ${database}; DELETE FROM mysql.tables_priv WHERE Db = '${database}'; FLUSH PRIVILEGES`);
    rmSync(join(dataDir, '..'), { recursive: true, force: true });
  });
  return { database, dataDir, env: { ...alvd.env, ALVD_DB_NAME: database, ALVD_DATA_DIR: dataDir } };
}

function backupDir() {
  const dir = join(mkdtempSync(join(tmpdir(), 'alvd-backup-')), 'backup');
  cleanup.push(() => rmSync(join(dir, '..'), { recursive: true, force: true }));
  return dir;
}

test('back up during a meeting, restore on a fresh database and directory: everything holds', async () => {
  // A meeting in progress: one poll decided, one open with votes cast.
  const cycle = addCycle(alvd, 2097);
  const decided = addProposal(alvd, cycle, 'Herstel een', [{ article: '6a', action: 'replace', text: 'Tekst een.' }]);
  const pending = addProposal(alvd, cycle, 'Herstel twee', [{ article: '6b', action: 'replace', text: 'Tekst twee.' }]);
  const room = await hall(alvd, { prefix: 'Herstel', present: 5, absent: 1, proposalIds: [decided, pending], staff });
  const poll = async (proposalId) => {
    const created = await staff.chair.post(`/api/meetings/${room.meeting.id}/polls`, { proposal_id: proposalId });
    assert.equal(created.status, 201, created.text);
    assert.equal((await staff.chair.post(`/api/polls/${created.json.id}/open`)).status, 200);
    return created.json.id;
  };
  const first = await poll(decided);
  const choices = ['for', 'for', 'for', 'against', 'abstain'];
  for (const [i, phone] of room.phones.entries()) assert.ok([200, 201].includes((await vote(phone, first, choices[i])).status));
  const closed = await staff.chair.post(`/api/polls/${first}/close`);
  assert.equal(closed.status, 200, closed.text);
  const second = await poll(pending);
  for (const phone of room.phones.slice(0, 2)) assert.ok([200, 201].includes((await vote(phone, second, 'for')).status));

  // A meldpunt report with the reporter's identity and an attachment, both sealed.
  const anonymous = alvd.client();
  const organisation = (await anonymous.get('/api/meldpunt/organisations?q=b')).json.items[0];
  const norm = (await anonymous.get('/api/meldpunt/norms')).json.items[0].id;
  const report = await anonymous.post('/api/reports', {
    reporter: REPORTER, organisation_id: organisation.id, norms: [norm],
    text: 'Na de herstart van de centrale kreeg ik drie keer een andere uitleg.',
    attachments: [{ name: 'gesprek.png', content_base64: png('herstelbeeld').toString('base64') }],
  });
  assert.equal(report.status, 201, report.text);

  // The originals, and a phone with an event stream open while the backup runs.
  const original = counts(alvd);
  const originalAudit = alvd.run(['audit', 'verify']);
  assert.equal(originalAudit.status, 0, originalAudit.stdout);
  const controller = new AbortController();
  const stream = await fetch(`${alvd.url}/api/meetings/${room.meeting.id}/events`, {
    headers: { Authorization: `Bearer ${room.phones[4].client.token}` }, signal: controller.signal,
  });
  assert.equal(stream.status, 200);
  const dir = backupDir();
  const backup = runAsync(['backup', dir], alvd.env);
  for (let i = 0; i < 5; i++) assert.equal((await room.phones[3].client.get(`/api/polls/${second}`)).status, 200);
  const made = await backup;
  controller.abort();
  assert.equal(made.status, 0, made.stderr);
  assert.match(made.stdout, /database\.sql: \d+ bytes \(mariadb-dump --single-transaction, as alvd\)/);
  assert.deepEqual(counts(alvd), original, 'nothing was written while the backup ran');

  // The backup: a manifest, checksums Debian's sha256sum accepts, every file 0600.
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
  assert.equal(manifest.format, 'alvd-backup 1');
  assert.equal(manifest.database, alvd.database);
  const checked = execFileSync('sha256sum', ['--check', '--strict', 'SHA256SUMS'], { cwd: dir, encoding: 'utf8' });
  assert.ok(checked.split('\n').filter(Boolean).every((line) => line.endsWith(': OK')), checked);
  // The meldpunt key lives on as its public half and each officer's own sealed copy (issue 15).
  assert.match(checked, /data\/keys\/meldpunt\.pub: OK/);
  assert.match(checked, /data\/keys\/meldpunt-officer-\d+\.key: OK/);
  assert.match(checked, /data\/meldpunt\/.+: OK/, 'the sealed attachment is in the backup');
  for (const [path, ] of Object.entries(tree(dir))) assert.equal(statSync(join(dir, path)).mode & 0o777, 0o600, path);
  assert.equal(statSync(dir).mode & 0o777, 0o700);

  // Restore on a fresh, empty database and a data directory that does not exist yet.
  const target = freshTarget('drill');
  const restored = await runAsync(['restore', dir], target.env);
  assert.equal(restored.status, 0, restored.stderr + restored.stdout);
  assert.match(restored.stdout, /files match SHA256SUMS/);
  assert.match(restored.stdout, /role alvd_service: rights set on \d+ tables/);
  assert.match(restored.stdout, /audit: \d+ entries checked, chain intact/);
  assert.deepEqual(tree(target.dataDir), tree(alvd.dataDir), 'keys/, uploads and outbox are back, byte for byte');
  assert.equal(statSync(join(target.dataDir, 'keys')).mode & 0o777, 0o700);

  // It refuses to restore over what is there now.
  const again = await runAsync(['restore', dir], target.env);
  assert.notEqual(again.status, 0);
  assert.match(again.stderr, /is not empty: restore only into an empty or new directory/);
  const otherDir = { ...target.env, ALVD_DATA_DIR: join(target.dataDir, '..', 'elsewhere') };
  const overDatabase = await runAsync(['restore', dir], otherDir);
  assert.notEqual(overDatabase.status, 0);
  assert.match(overDatabase.stderr, /holds \d+ tables: restore only into an empty database/);
  assert.equal(existsSync(otherDir.ALVD_DATA_DIR), false, 'a refused restore writes nothing');

  const copy = await startAlvd({ database: target.database, dataDir: target.dataDir, migrate: false });
  try {
    // The audit chain verifies, as long as it was.
    const verified = copy.run(['audit', 'verify']);
    assert.equal(verified.status, 0, verified.stdout);
    assert.equal(/(\d+) entries checked/.exec(verified.stdout)[1], /(\d+) entries checked/.exec(originalAudit.stdout)[1]);
    // Every table holds as many rows as the original.
    assert.deepEqual(counts(copy), original);
    // An issued ticket still logs in (its signature checks with the restored keys).
    const member = copy.client();
    const ticketLogin = await member.post('/api/session/ticket', { ticket: room.absentPhones[0].ticket });
    assert.equal(ticketLogin.status, 200, ticketLogin.text);
    // The sealed meldpunt report opens with the passphrase, attachment and all.
    const officer = await copy.login('meldpunt');
    assert.equal((await officer.post('/api/meldpunt/unlock', { passphrase: PASSPHRASE })).status, 200);
    const detail = await officer.get(`/api/reports/${report.json.id}`);
    assert.equal(detail.status, 200, detail.text);
    assert.deepEqual(detail.json.reporter, REPORTER);
    assert.equal(detail.json.files.length, 1);
    const file = await officer.get(detail.json.files[0].url);
    assert.equal(file.status, 200);
    assert.ok(file.text.includes('herstelbeeld'));
    // The meeting goes on: a phone that had not voted votes, and the chair closes.
    const phone = { client: copy.client() };
    phone.client.token = room.phones[2].client.token;
    assert.ok([200, 201].includes((await vote(phone, second, 'against')).status));
    const chair = copy.client();
    chair.token = staff.chair.token;
    chair.csrf = staff.chair.csrf;
    const result = await chair.post(`/api/polls/${second}/close`);
    assert.equal(result.status, 200, result.text);
    assert.equal(result.json.for, 2);
    assert.equal(result.json.against, 1);
    const decidedThen = await chair.get(`/api/polls/${first}`);
    assert.equal(decidedThen.json.for, 3, 'the decided poll kept its result');
  } finally { await copy.stop(); }
});

test('a backup taken while votes pour in restores to one consistent moment', async () => {
  const cycle = addCycle(alvd, 2098);
  const proposalId = addProposal(alvd, cycle, 'Stormherstel', [{ article: '6c', action: 'replace', text: 'Tekst.' }]);
  const room = await hall(alvd, { prefix: 'Storm', present: 30, proposalIds: [proposalId], staff });
  const created = await staff.chair.post(`/api/meetings/${room.meeting.id}/polls`, { proposal_id: proposalId });
  assert.equal((await staff.chair.post(`/api/polls/${created.json.id}/open`)).status, 200);
  const pollId = created.json.id;
  const dir = backupDir();
  // Votes and the backup at once; each vote is answered only after its batch committed.
  const votes = room.phones.map((phone, i) => new Promise((r) => setTimeout(r, i * 5)).then(() => vote(phone, pollId, 'for')));
  const backup = runAsync(['backup', dir], alvd.env);
  const answers = await Promise.all(votes);
  assert.ok(answers.every((a) => [200, 201].includes(a.status)));
  const made = await backup;
  assert.equal(made.status, 0, made.stderr);

  const target = freshTarget('storm');
  const restored = await runAsync(['restore', dir], target.env);
  assert.equal(restored.status, 0, restored.stderr + restored.stdout);
  const copy = await startAlvd({ database: target.database, dataDir: target.dataDir, migrate: false });
  try {
    assert.equal(copy.run(['audit', 'verify']).status, 0, 'the chain is whole at the moment of the dump');
    const chair = copy.client();
    chair.token = staff.chair.token;
    chair.csrf = staff.chair.csrf;
    const state = await chair.get(`/api/polls/${pollId}`);
    const cast = state.json.cast;
    assert.ok(cast >= 0 && cast <= 30, `cast ${cast}`);
    const closed = await chair.post(`/api/polls/${pollId}/close`);
    assert.equal(closed.status, 200, closed.text);
    assert.equal(closed.json.for, cast, 'every vote counted in the restored copy has its ballot, and no more');
    assert.equal(closed.json.against + closed.json.abstain, 0);
  } finally { await copy.stop(); }
});
