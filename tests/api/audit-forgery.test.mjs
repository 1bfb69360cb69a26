// Issue 15 point 3: someone with write access to the database rewrites who viewed a
// reporter's identity and recomputes every later hash with SQL; `alvd audit verify` and
// GET /api/audit/verify must name the rewritten entry, because the chain is
// authenticated with a key that lives only in keys/ (never in the database).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, rmSync, existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startAlvd, demoLogins } from './lib/alvd.mjs';
import { blake2b } from './lib/blake2b.mjs';
import { waitForMails } from './lib/cycle-fixtures.mjs';

const PASSPHRASE = 'demo-meldpunt-wachtzin-2026';
const SECOND_PASSPHRASE = 'demo-noor-wachtzin-2026';
const OUTSIDE = 'notaris@buiten.example';

let alvd;
let admin;

before(async () => {
  alvd = await startAlvd({ demo: true });
  admin = await alvd.login('admin');
});
after(async () => { await alvd?.stop(); });

/** Every audit entry as the forger reads it with SQL (text fields hex-encoded). */
function readChain() {
  return readChainOf(alvd);
}

function readChainOf(instance) {
  return instance.sql(`SELECT id, HEX(DATE_FORMAT(created_at, '%Y-%m-%d %H:%i:%S.%f')), HEX(actor_kind), actor_id,
                          HEX(actor_label), HEX(action), HEX(object_type), object_id, HEX(details),
                          HEX(prev_hash), HEX(hash) FROM audit_log ORDER BY id`)
    .map(([id, createdAt, kind, actorId, label, action, objectType, objectId, details, prev, hash]) => ({
      id: Number(id), createdAt: Buffer.from(createdAt, 'hex'), kind: Buffer.from(kind, 'hex'), actorId,
      label: Buffer.from(label, 'hex'), action: Buffer.from(action, 'hex'), objectType: Buffer.from(objectType, 'hex'),
      objectId, details: Buffer.from(details, 'hex'), prev: Buffer.from(prev, 'hex'), hash: Buffer.from(hash, 'hex'),
    }));
}

/** The chain's hash of one entry: BLAKE2b-256(previous hash ‖ "id\nactor_id\nobject_id\n" ‖ fields, NUL-ended). */
function entryHash(previous, entry) {
  const zero = Buffer.alloc(1);
  return blake2b([previous, Buffer.from(`${entry.id}\n${entry.actorId}\n${entry.objectId}\n`),
    entry.createdAt, zero, entry.kind, zero, entry.label, zero, entry.action, zero, entry.objectType, zero,
    entry.details, zero], 32);
}

/** The MAC alvd keeps beside the hash: BLAKE2b-256 keyed with keys/audit.key over a label, the previous MAC and the entry. */
function entryMac(key, previousMac, entry) {
  const zero = Buffer.alloc(1);
  return blake2b([Buffer.from('alvd audit mac v1\0'), previousMac, Buffer.from(`${entry.id}\n${entry.actorId}\n${entry.objectId}\n`),
    entry.createdAt, zero, entry.kind, zero, entry.label, zero, entry.action, zero, entry.objectType, zero,
    entry.details, zero], 32, key);
}

/**
 * The forger's tool: recompute hash and prev_hash of every entry from fromId on (and,
 * for a forger who also holds keys/audit.key, every MAC); returns the SQL.
 */
function recomputeFrom(chain, fromId, key = null) {
  const statements = ['BEGIN'];
  let previous = Buffer.alloc(32);
  let previousMac = Buffer.alloc(32);
  for (const entry of chain) {
    const hash = entryHash(previous, entry);
    const mac = key ? entryMac(key, previousMac, entry) : null;
    if (entry.id >= fromId) {
      const macSet = mac ? `, mac = X'${mac.toString('hex')}'` : '';
      statements.push(`UPDATE audit_log SET prev_hash = X'${previous.toString('hex')}', hash = X'${hash.toString('hex')}'${macSet} WHERE id = ${entry.id}`);
      // The recorded heads too (one row per append), so the newest one agrees.
      statements.push(`UPDATE audit_heads SET hash = X'${hash.toString('hex')}'${macSet} WHERE id = ${entry.id}`);
    }
    previous = hash;
    previousMac = mac;
  }
  statements.push('COMMIT');
  return statements.join(';\n');
}

/**
 * The officer opens a reporter's identity the way the meldpunt allows it since issue 15:
 * a sealed request with a reason, approved by the second officer, then the audited view.
 */
async function viewIdentity(instance, officer) {
  const reports = await officer.get('/api/reports');
  assert.equal(reports.status, 200, reports.text);
  const reportId = reports.json.items[0].id;
  const request = await officer.post(`/api/reports/${reportId}/identity-requests`, { reason: 'De melder om aanvullende informatie vragen.' });
  assert.equal(request.status, 201, request.text);
  if (request.json.state !== 'approved') {
    const second = await instance.login('meldpunt2');
    assert.equal((await second.post('/api/meldpunt/unlock', { passphrase: SECOND_PASSPHRASE })).status, 200);
    const approved = await second.post(`/api/meldpunt/identity-requests/${request.json.id}/approve`, {});
    assert.equal(approved.status, 200, approved.text);
  }
  const viewed = await officer.get(`/api/reports/${reportId}`);
  assert.equal(viewed.status, 200, viewed.text);
  assert.ok(viewed.json.reporter, 'the reporter is shown after the release');
  return viewed;
}

/** A fresh alvd with the demo, the officer's identity view and the id of that entry. */
async function freshChainWithIdentityView(env = {}) {
  const instance = await startAlvd({ demo: true, env });
  const officer = await instance.login('meldpunt');
  assert.equal((await officer.post('/api/meldpunt/unlock', { passphrase: PASSPHRASE })).status, 200);
  await viewIdentity(instance, officer);
  const [[entryId]] = instance.sql(`SELECT id FROM audit_log WHERE action = 'report.identity_viewed' ORDER BY id DESC LIMIT 1`);
  return { instance, entryId: Number(entryId) };
}

test('rewriting who viewed a reporter\'s identity and recomputing every hash with SQL is named by verify', async () => {
  // The meldpunt officer opens a reporter's identity: an audited view.
  const officer = await alvd.login('meldpunt');
  assert.equal((await officer.post('/api/meldpunt/unlock', { passphrase: PASSPHRASE })).status, 200);
  await viewIdentity(alvd, officer);
  const [[entryId, label]] = alvd.sql(`SELECT id, actor_label FROM audit_log WHERE action = 'report.identity_viewed' ORDER BY id DESC LIMIT 1`);
  assert.equal(label, 'meldpunt@ksf.example');
  await alvd.login('board'); // later entries, so the forger has a chain to recompute
  assert.equal(alvd.run(['audit', 'verify']).status, 0, 'intact before the forgery');

  // The forger's tool reproduces the stored chain exactly: the recomputation is faithful.
  const chain = readChain();
  let previous = Buffer.alloc(32);
  for (const entry of chain) {
    const hash = entryHash(previous, entry);
    assert.ok(entry.prev.equals(previous) && entry.hash.equals(hash), `the forger's tool agrees with entry ${entry.id}`);
    previous = hash;
  }

  // Rewrite: the board, not the officer, viewed the identity; then every hash from there on.
  const [[boardId]] = alvd.sql(`SELECT id FROM users WHERE email = 'bestuur@ksf.example'`);
  alvd.sql(`UPDATE audit_log SET actor_label = 'bestuur@ksf.example', actor_id = ${boardId} WHERE id = ${entryId}`);
  alvd.sql(recomputeFrom(readChain(), Number(entryId)));
  // The unkeyed chain is now consistent again: every link and every hash matches.
  previous = Buffer.alloc(32);
  for (const entry of readChain()) {
    assert.ok(entry.prev.equals(previous) && entry.hash.equals(entryHash(previous, entry)), `recomputed ${entry.id}`);
    previous = entry.hash;
  }

  const verify = alvd.run(['audit', 'verify']);
  assert.notEqual(verify.status, 0, `alvd audit verify must fail:\n${verify.stdout}${verify.stderr}`);
  assert.match(verify.stdout, new RegExp(`[Ee]ntry ${entryId}\\b`), verify.stdout);
  const api = await admin.get('/api/audit/verify');
  assert.equal(api.status, 200, api.text);
  assert.equal(api.json.intact, false, api.text);
  assert.equal(api.json.bad_entry, Number(entryId));
  assert.match(api.json.message, new RegExp(`\\b${entryId}\\b`));
});

test('stripped MACs are named and never re-made; a chain from before the key is checked, then sealed once', async () => {
  const { instance, entryId } = await freshChainWithIdentityView();
  try {
    const [[entries]] = instance.sql('SELECT COUNT(*) FROM audit_log');
    assert.equal(instance.run(['audit', 'verify']).status, 0);
    instance.sql('UPDATE audit_log SET mac = NULL; UPDATE audit_heads SET mac = NULL');
    const stripped = instance.run(['audit', 'verify']);
    assert.notEqual(stripped.status, 0);
    assert.match(stripped.stdout, /Audit entry 1 has no MAC/);
    // The key exists, so the migration path is closed: nothing is re-authenticated.
    const migrate = instance.run(['migrate']);
    assert.equal(migrate.status, 0, migrate.stderr);
    assert.doesNotMatch(migrate.stdout, /authenticated/);
    assert.notEqual(instance.run(['audit', 'verify']).status, 0, 'still broken after migrate');
    // Appending refuses too, rather than continuing a chain nobody can check.
    // (the board: no second factor to ask for first, so the login reaches its audit entry)
    const login = await instance.client().post('/api/session', demoLogins.board);
    assert.equal(login.status, 500, login.text);

    // Without keys/audit.key this is what an installation from before issue 15 has.
    const keyFile = join(instance.dataDir, 'keys', 'audit.key');
    const oldKey = readFileSync(keyFile);
    rmSync(keyFile);
    const noKey = instance.run(['audit', 'verify']);
    assert.notEqual(noKey.status, 0);
    assert.match(noKey.stdout, /keys\/audit\.key is missing/);
    // A chain already broken is not sealed (that would bless the forgery): migrate says where.
    const [[label]] = instance.sql(`SELECT actor_label FROM audit_log WHERE id = ${entryId}`);
    instance.sql(`UPDATE audit_log SET actor_label = 'bestuur@ksf.example' WHERE id = ${entryId}`);
    const refused = instance.run(['migrate']);
    assert.notEqual(refused.status, 0);
    assert.match(refused.stderr, new RegExp(`Audit entry ${entryId} was changed`));
    assert.ok(!existsSync(keyFile), 'no key was put in place');
    instance.sql(`UPDATE audit_log SET actor_label = '${label}' WHERE id = ${entryId}`);
    const sealed = instance.run(['migrate']);
    assert.equal(sealed.status, 0, sealed.stderr);
    assert.match(sealed.stdout, new RegExp(`audit: ${entries} existing entries authenticated with the new key`));
    assert.ok(existsSync(keyFile) && !readFileSync(keyFile).equals(oldKey), 'a new key');
    assert.ok(!existsSync(`${keyFile}.pending`));
    const verify = instance.run(['audit', 'verify']);
    assert.equal(verify.status, 0, verify.stdout);
    assert.match(verify.stdout, new RegExp(`audit: ${entries} entries checked, chain intact`));
    // And the sealed chain catches the SQL forgery from here on.
    instance.sql(`UPDATE audit_log SET actor_label = 'bestuur@ksf.example' WHERE id = ${entryId}`);
    instance.sql(recomputeFrom(readChainOf(instance), entryId));
    assert.match(instance.run(['audit', 'verify']).stdout, new RegExp(`Audit entry ${entryId} was rewritten without the audit key`));
  } finally {
    await instance.stop();
  }
});

test('a signed checkpoint kept outside catches a rewrite made even with the audit key', async () => {
  const { instance, entryId } = await freshChainWithIdentityView({ ALVD_AUDIT_CHECKPOINT_MAIL: OUTSIDE });
  try {
    const made = instance.run(['audit', 'checkpoint']);
    assert.equal(made.status, 0, made.stderr);
    const [[head]] = instance.sql('SELECT MAX(id) FROM audit_heads');
    assert.match(made.stdout, new RegExp(`checkpoint of entry ${head} written .* and queued as a mail`));
    const [mail] = await waitForMails(instance.dataDir, (m) => m.to === OUTSIDE);
    assert.match(mail.subject, new RegExp(`controlepunt van het auditlogboek \\(regel ${head}\\)`));
    assert.match(mail.raw, /alvd audit verify --checkpoint/);
    const text = readFileSync(join(instance.dataDir, 'audit-checkpoints', `${String(head).padStart(12, '0')}.txt`), 'utf8');
    assert.ok(mail.raw.replace(/\r\n/g, '\n').includes(text), 'the mail carries the checkpoint as written');
    for (const line of text.split('\n')) assert.ok(line.length <= 76, `short lines survive any mail transfer encoding: ${line}`);
    const mailedCopy = join(instance.dataDir, 'outbox', mail.file);
    const good = instance.run(['audit', 'verify', '--checkpoint', mailedCopy]);
    assert.equal(good.status, 0, good.stdout);
    assert.match(good.stdout, /checkpoints: 1 signed checkpoint match the chain/);
    assert.equal((await (await instance.login('admin')).get('/api/audit/verify')).json.checkpoints, 1);

    // An insider with keys/audit.key rewrites the identity view and recomputes hashes AND
    // MACs: the chain verifies, the signed checkpoint does not.
    const key = readFileSync(join(instance.dataDir, 'keys', 'audit.key'));
    // The entry as its transaction committed it (audit_pending) would name the rewrite
    // too: the insider removes that copy and the link to it first.
    instance.sql(`DELETE p FROM audit_pending p JOIN audit_log l ON l.pending_id = p.id WHERE l.id = ${entryId}; UPDATE audit_log SET pending_id = NULL WHERE id = ${entryId}`);
    instance.sql(`UPDATE audit_log SET actor_label = 'bestuur@ksf.example' WHERE id = ${entryId}`);
    instance.sql(recomputeFrom(readChainOf(instance), entryId, key));
    const caught = instance.run(['audit', 'verify']);
    assert.notEqual(caught.status, 0);
    assert.match(caught.stdout, /chain intact/, 'the MACs were recomputed with the key');
    assert.match(caught.stdout, new RegExp(`Audit entry ${head} differs from the signed checkpoint`));
    const api = await (await instance.login('admin')).get('/api/audit/verify');
    assert.equal(api.json.intact, false);
    assert.equal(api.json.bad_entry, Number(head));
    // Removing the checkpoints from the data directory leaves the mailed copy.
    rmSync(join(instance.dataDir, 'audit-checkpoints'), { recursive: true });
    assert.equal(instance.run(['audit', 'verify']).status, 0, 'the data directory no longer shows it');
    const outside = instance.run(['audit', 'verify', '--checkpoint', mailedCopy]);
    assert.notEqual(outside.status, 0);
    assert.match(outside.stdout, new RegExp(`Audit entry ${head} differs from the signed checkpoint`));
    // A checkpoint signed by another key is refused as such.
    const forged = readFileSync(mailedCopy, 'utf8').replace(/^key: [0-9a-f]{64}$/m, `key: ${'ab'.repeat(32)}`);
    const forgedFile = join(instance.dataDir, 'forged.eml');
    writeFileSync(forgedFile, forged);
    assert.match(instance.run(['audit', 'verify', '--checkpoint', forgedFile]).stdout, /not signed by this installation's key/);
  } finally {
    await instance.stop();
  }
});
