// Issue 15 point 2: a key per meldpunt officer and a second officer's approval before a
// reporter's identity is released. Starts from the old world: one keypair whose secret
// every officer opened with one shared passphrase (tests/api/fixtures/meldpunt-shared.key,
// made by the code before this change). The first officer moves to an own passphrase,
// which retires the shared one; the next officer chooses a passphrase and is granted
// access by the first, without learning any secret of theirs; identity requests need the
// other officer; removing an officer ends their access; passphrases change.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startAlvd, sourceDir } from './lib/alvd.mjs';

const SHARED = 'de gedeelde wachtzin van vroeger';
const OWN = { anna: 'anna haar eigen lange wachtzin', bob: 'bob zijn eigen lange wachtzin', cleo: 'cleo haar eigen lange wachtzin' };
const REPORTER = { name: 'Henk Onbekend', email: 'henk.onbekend@thuis.example', phone: '06-11223344' };
let alvd;
const officers = {};
const ids = {};

async function officer(name) {
  const email = `${name}@meldpunt.example`;
  const made = alvd.run(['user', 'add', '--email', email, '--name', name, '--role', 'meldpunt', '--password-stdin'],
    `${name}-wachtwoord-2026\n`);
  assert.equal(made.status, 0, made.stderr);
  const client = alvd.client();
  await client.login(email, `${name}-wachtwoord-2026`);
  client.userId = Number(alvd.sql(`SELECT id FROM users WHERE email = '${email}'`)[0][0]);
  return client;
}

const keysDir = () => join(alvd.dataDir, 'keys');

before(async () => {
  alvd = await startAlvd();
  alvd.sql(`INSERT INTO organisations (id, name, kvk, created_at, updated_at) VALUES
    (1, 'Bel Gerust BV', '12345678', UTC_TIMESTAMP(6), UTC_TIMESTAMP(6))`);
  alvd.sql(`INSERT INTO code_versions (id, label, effective_from, created_at) VALUES (1, 'Code 2025', '2025-01-01', UTC_TIMESTAMP(6))`);
  alvd.sql(`INSERT INTO code_articles (version_id, article_id, position, title, text) VALUES (1, '6a', 1, 'Eerlijke beloning', 'tekst')`);
  // The meldpunt as it was set up before per-officer keys.
  mkdirSync(keysDir(), { recursive: true, mode: 0o700 });
  copyFileSync(join(sourceDir, 'tests', 'api', 'fixtures', 'meldpunt-shared.key'), join(keysDir(), 'meldpunt.key'));
  for (const name of ['anna', 'bob']) officers[name] = await officer(name);
  const sent = await alvd.client().post('/api/reports', { reporter: REPORTER, organisation_id: 1, norms: ['6a'], text: 'Sealed to the old key.' });
  assert.equal(sent.status, 201, sent.text);
  ids.first = sent.json.id;
});

after(async () => {
  await alvd?.stop();
  assert.doesNotMatch(alvd?.log || '', /AddressSanitizer|runtime error|LeakSanitizer/, 'alvd ran clean under the sanitizers');
});

test('the shared passphrase is retired by the first officer who chooses an own passphrase', async () => {
  const { anna } = officers;
  assert.deepEqual((await anna.get('/api/meldpunt/status')).json,
    { set_up: true, unlocked: false, officer: 'none', shared_passphrase: true, officers: 0 });
  const unlock = await anna.post('/api/meldpunt/unlock', { passphrase: SHARED });
  assert.equal(unlock.status, 409);
  assert.equal(unlock.json.code, 'shared_passphrase_migration');
  const wrong = await anna.post('/api/meldpunt/migrate', { shared_passphrase: 'niet de gedeelde wachtzin', passphrase: OWN.anna });
  assert.equal(wrong.status, 403);
  assert.equal(wrong.json.field, 'shared_passphrase');
  const same = await anna.post('/api/meldpunt/migrate', { shared_passphrase: SHARED, passphrase: SHARED });
  assert.equal(same.json.code, 'same_passphrase');
  const migrated = await anna.post('/api/meldpunt/migrate', { shared_passphrase: SHARED, passphrase: OWN.anna });
  assert.equal(migrated.status, 200, migrated.text);
  assert.equal(migrated.json.unlocked, true);
  // The shared key file is gone; the public key lives on in its own file; Anna has hers.
  assert.equal(existsSync(join(keysDir(), 'meldpunt.key')), false, 'shared key file retired');
  const fixture = readFileSync(join(sourceDir, 'tests', 'api', 'fixtures', 'meldpunt-shared.key'));
  assert.deepEqual(readFileSync(join(keysDir(), 'meldpunt.pub')), fixture.subarray(0, 32), 'the same meldpunt key');
  assert.equal(readFileSync(join(keysDir(), `meldpunt-officer-${anna.userId}.key`)).length, 136);
  // The report sealed before opens for Anna (content; the identity is a separate step).
  const detail = await anna.get(`/api/reports/${ids.first}`);
  assert.equal(detail.status, 200, detail.text);
  assert.equal(detail.json.text, 'Sealed to the old key.');
  assert.equal(detail.json.reporter, null, 'who reported is not shown without a release');
  assert.equal(alvd.sql(`SELECT COUNT(*) FROM audit_log WHERE action = 'meldpunt.shared_passphrase_retired'`)[0][0], '1');
  // Anna alone: her request is approved at once (and says so); then she sees the reporter.
  const request = await anna.post(`/api/reports/${ids.first}/identity-requests`, { reason: 'Ik moet de melder om aanvullende informatie vragen.' });
  assert.equal(request.status, 201, request.text);
  assert.equal(request.json.state, 'approved');
  assert.equal(request.json.sole_officer, true);
  assert.deepEqual((await anna.get(`/api/reports/${ids.first}`)).json.reporter, REPORTER);
});

test('a second officer chooses a passphrase and gets access from the first, sharing nothing', async () => {
  const { anna, bob } = officers;
  assert.equal((await bob.get('/api/meldpunt/status')).json.shared_passphrase, false);
  const late = await bob.post('/api/meldpunt/migrate', { shared_passphrase: SHARED, passphrase: OWN.bob });
  assert.equal(late.json.code, 'no_shared_passphrase', 'the shared passphrase opens nothing any more');
  assert.equal((await bob.post('/api/meldpunt/unlock', { passphrase: OWN.bob })).json.code, 'no_officer_key');
  assert.equal((await bob.post('/api/meldpunt/officer-key', { passphrase: 'kort' })).json.code, 'weak_passphrase');
  const key = await bob.post('/api/meldpunt/officer-key', { passphrase: OWN.bob });
  assert.equal(key.status, 201, key.text);
  assert.equal(key.json.officer, 'waiting');
  const waiting = await bob.post('/api/meldpunt/unlock', { passphrase: OWN.bob });
  assert.equal(waiting.status, 403);
  assert.equal(waiting.json.code, 'not_granted');
  // Bob cannot grant himself: he has nothing to pass on.
  assert.equal((await bob.post(`/api/meldpunt/officers/${bob.userId}/grant`, {})).json.code, 'locked');
  const list = await anna.get('/api/meldpunt/officers');
  assert.deepEqual(list.json.items.map((o) => [o.name, o.state]), [['anna', 'active'], ['bob', 'waiting']]);
  const granted = await anna.post(`/api/meldpunt/officers/${bob.userId}/grant`, {});
  assert.equal(granted.status, 200, granted.text);
  assert.equal((await anna.post(`/api/meldpunt/officers/${bob.userId}/grant`, {})).json.code, 'already_granted');
  assert.equal((await bob.post('/api/meldpunt/unlock', { passphrase: OWN.anna })).json.code, 'wrong_passphrase',
    "Anna's passphrase does not open Bob's key");
  assert.equal((await bob.post('/api/meldpunt/unlock', { passphrase: OWN.bob })).status, 200);
  assert.equal((await bob.get(`/api/reports/${ids.first}`)).json.text, 'Sealed to the old key.');
  assert.equal((await bob.get('/api/meldpunt/status')).json.officers, 2);
});

test('with two officers, the identity opens only after the other officer approves', async () => {
  const { anna, bob } = officers;
  const reason = 'De melder vroeg om teruggebeld te worden over de afhandeling.';
  const request = await bob.post(`/api/reports/${ids.first}/identity-requests`, { reason });
  assert.equal(request.status, 201);
  assert.equal(request.json.state, 'pending');
  assert.equal((await bob.post(`/api/reports/${ids.first}/identity-requests`, { reason })).json.code, 'already_requested');
  const before = (await bob.get(`/api/reports/${ids.first}`)).json;
  assert.equal(before.reporter, null);
  assert.equal(before.identity.state, 'pending');
  assert.equal(before.identity.approval_needed, true);
  const own = await bob.post(`/api/meldpunt/identity-requests/${request.json.id}/approve`, {});
  assert.equal(own.status, 403);
  assert.equal(own.json.code, 'own_request');
  // Anna sees the request with its reason (sealed at rest, readable to an unlocked officer).
  const queue = await anna.get('/api/meldpunt/identity-requests');
  const item = queue.json.items.find((i) => i.id === request.json.id);
  assert.equal(item.reason, reason);
  assert.equal(item.can_decide, true);
  assert.equal(item.requested_by.name, 'bob');
  assert.ok(!JSON.stringify(alvd.sql('SELECT reason FROM meldpunt_identity_requests')).includes('teruggebeld'), 'the reason is sealed');
  const approved = await anna.post(`/api/meldpunt/identity-requests/${request.json.id}/approve`, {});
  assert.equal(approved.status, 200, approved.text);
  assert.equal((await anna.post(`/api/meldpunt/identity-requests/${request.json.id}/approve`, {})).json.code, 'not_pending');
  const after = (await bob.get(`/api/reports/${ids.first}`)).json;
  assert.deepEqual(after.reporter, REPORTER);
  assert.equal(after.identity.request.decided_by, 'anna');
  const trail = alvd.sql(`SELECT actor_label, action FROM audit_log WHERE object_type = 'report' AND action LIKE 'report.identity%' ORDER BY id`);
  assert.deepEqual(trail.slice(-3), [['bob@meldpunt.example', 'report.identity_requested'],
    ['anna@meldpunt.example', 'report.identity_approved'], ['bob@meldpunt.example', 'report.identity_viewed']]);

  // A refused request keeps the identity closed; asking again is a new request.
  const second = await alvd.client().post('/api/reports', { reporter: REPORTER, organisation_id: 1, norms: ['6a'], text: 'Tweede.' });
  const asked = await anna.post(`/api/reports/${second.json.id}/identity-requests`, { reason: 'Nodig voor het signaal aan de organisatie.' });
  assert.equal(asked.json.state, 'pending', 'Anna is no longer the only officer');
  assert.equal((await bob.post(`/api/meldpunt/identity-requests/${asked.json.id}/refuse`, {})).status, 200);
  const refused = (await anna.get(`/api/reports/${second.json.id}`)).json;
  assert.equal(refused.reporter, null);
  assert.equal(refused.identity.state, 'refused');
  assert.equal((await anna.post(`/api/reports/${second.json.id}/identity-requests`, { reason: 'Opnieuw, nu met toestemming van de melder.' })).json.state, 'pending');
  assert.equal((await anna.post(`/api/reports/${second.json.id}/identity-requests`, { reason: 'kort' })).json.code, 'too_short');
});

test('removing an officer ends their access; the last officer cannot be removed; passphrases change', async () => {
  const { anna, bob } = officers;
  const bobKey = readFileSync(join(keysDir(), `meldpunt-officer-${bob.userId}.key`));
  assert.equal((await anna.delete(`/api/meldpunt/officers/${bob.userId}`)).status, 204);
  assert.equal(existsSync(join(keysDir(), `meldpunt-officer-${bob.userId}.key`)), false);
  assert.equal((await bob.get(`/api/reports/${ids.first}`)).json.code, 'locked', 'his open session is closed');
  assert.equal((await bob.post('/api/meldpunt/unlock', { passphrase: OWN.bob })).json.code, 'no_officer_key');
  const last = await anna.delete(`/api/meldpunt/officers/${anna.userId}`);
  assert.equal(last.status, 409);
  assert.equal(last.json.code, 'last_officer');

  // Cleo joins; Anna grants; Cleo changes her passphrase: the old one stops working.
  officers.cleo = await officer('cleo');
  const { cleo } = officers;
  assert.equal((await cleo.post('/api/meldpunt/officer-key', { passphrase: OWN.cleo })).status, 201);
  assert.equal((await anna.post(`/api/meldpunt/officers/${cleo.userId}/grant`, {})).status, 200);
  const wrongOld = await cleo.post('/api/meldpunt/officer-key/passphrase', { passphrase: OWN.anna, new_passphrase: 'cleo haar nieuwe lange wachtzin' });
  assert.equal(wrongOld.json.code, 'wrong_passphrase');
  const changed = await cleo.post('/api/meldpunt/officer-key/passphrase', { passphrase: OWN.cleo, new_passphrase: 'cleo haar nieuwe lange wachtzin' });
  assert.equal(changed.status, 200, changed.text);
  assert.equal((await cleo.post('/api/meldpunt/unlock', { passphrase: OWN.cleo })).json.code, 'wrong_passphrase');
  assert.equal((await cleo.post('/api/meldpunt/unlock', { passphrase: 'cleo haar nieuwe lange wachtzin' })).status, 200);
  // Bob's old key file, put back, opens nothing: his sealed copy of the meldpunt key is gone.
  writeFileSync(join(keysDir(), `meldpunt-officer-${bob.userId}.key`), bobKey, { mode: 0o600 });
  assert.equal((await bob.post('/api/meldpunt/unlock', { passphrase: OWN.bob })).json.code, 'no_officer_key');
  assert.equal(alvd.sql(`SELECT COUNT(*) FROM meldpunt_officers WHERE user_id = ${bob.userId}`)[0][0], '0');
});
