// The audit log through the API: newest first, filters, paging, and the chain check
// reporting the entry that was changed directly in MariaDB.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startAlvd } from './lib/alvd.mjs';

let alvd;
let admin;
before(async () => { alvd = await startAlvd({ demo: true }); admin = await alvd.login('admin'); });
after(async () => { await alvd?.stop(); });

test('entries come newest first with their details, filtered and paged', async () => {
  const page = await admin.get('/api/audit?limit=3');
  assert.equal(page.status, 200);
  assert.equal(page.json.items.length, 3);
  const ids = page.json.items.map((e) => e.id);
  assert.deepEqual(ids, [...ids].sort((a, b) => b - a));
  assert.equal(page.json.items[0].action, 'session.login', 'the admin login is the newest entry');
  assert.equal(typeof page.json.items[0].details, 'object');
  assert.match(page.json.items[0].hash, /^[0-9a-f]{64}$/);
  const next = await admin.get(`/api/audit?limit=3&before=${page.json.next_before}`);
  assert.ok(next.json.items.every((e) => e.id < ids[2]));
  const users = await admin.get('/api/audit?object_type=user&limit=200');
  assert.ok(users.json.items.length >= 5);
  assert.ok(users.json.items.every((e) => e.object_type === 'user'));
  assert.equal((await admin.get('/api/audit?limit=0')).status, 400);
  assert.equal((await admin.get('/api/audit?limit=500')).status, 400);
});

test('the chain check is intact, then names an entry changed in the database', async () => {
  const intact = await admin.get('/api/audit/verify');
  assert.equal(intact.status, 200);
  assert.equal(intact.json.intact, true);
  assert.ok(intact.json.checked > 10);
  alvd.sql("UPDATE audit_log SET action = 'nothing.happened' WHERE id = 4");
  const broken = await admin.get('/api/audit/verify');
  assert.equal(broken.json.intact, false);
  assert.equal(broken.json.bad_entry, 4);
  assert.match(broken.json.message, /4/);
});
