// Mail through a configured SMTP relay: a queued message is delivered by libcurl and
// marked sent (no .eml written); with the relay unreachable it is retried with a
// back-off, and after the last attempt it is failed, visible with its error.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { startAlvd, freePort } from './lib/alvd.mjs';
import { startRelay } from './lib/smtp-relay.mjs';
import { readable } from './lib/mail.mjs';

const running = [];
let relay;
after(async () => {
  for (const instance of running) await instance.stop();
  relay?.close();
});

function addContact(alvd, email) {
  alvd.sql("INSERT INTO organisations (name, kvk, created_at, updated_at) VALUES ('Relaistest BV', '31313131', UTC_TIMESTAMP(6), UTC_TIMESTAMP(6))");
  alvd.sql(`INSERT INTO contacts (organisation_id, name, email, created_at) SELECT id, 'Rita Relais', '${email}', UTC_TIMESTAMP(6) FROM organisations WHERE kvk = '31313131'`);
}

/** Poll the outbox row of a recipient until predicate(row) holds (bounded attempts). */
async function outboxRow(alvd, email, predicate) {
  let row = null;
  for (let attempt = 0; attempt < 100; attempt++) {
    const rows = alvd.sql(`SELECT state, attempts, last_error, next_attempt_at > UTC_TIMESTAMP(6), eml_path FROM outbox WHERE recipient = '${email}' ORDER BY id DESC LIMIT 1`);
    if (rows.length) {
      const [state, attempts, lastError, later, emlPath] = rows[0];
      row = { state, attempts: Number(attempts), lastError, later: later === '1', emlPath };
      if (predicate(row)) return row;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return row;
}

test('a queued mail goes to the relay and is marked sent', async () => {
  const port = await freePort();
  let mails;
  ({ server: relay, mails } = await startRelay(port));
  const alvd = await startAlvd({ env: { ALVD_SMTP_URL: `smtp://127.0.0.1:${port}` } });
  running.push(alvd);
  addContact(alvd, 'rita@relais.example');
  assert.equal((await alvd.client().post('/api/session/link-request', { email: 'rita@relais.example' })).status, 202);
  const row = await outboxRow(alvd, 'rita@relais.example', (r) => r.state !== 'pending');
  assert.equal(row.state, 'sent');
  assert.equal(row.attempts, 1);
  assert.equal(row.emlPath, null, 'with a relay nothing is written as .eml');
  const mail = mails.find((m) => m.rcpt.some((r) => r.includes('rita@relais.example')));
  assert.ok(mail, 'the relay received the mail');
  assert.match(mail.data, /Subject: /);
  assert.match(readable(mail.data).text, /\/l\/[A-Za-z0-9_-]{43}/, 'the login link is in the mail');
  const outbox = join(alvd.dataDir, 'outbox');
  assert.ok(!existsSync(outbox) || readdirSync(outbox).length === 0);
});

test('an unreachable relay: retried with back-off, then failed with its error, visible to the admin', async () => {
  const closedPort = await freePort(); // nobody listens here
  const alvd = await startAlvd({ demo: true, env: { ALVD_SMTP_URL: `smtp://127.0.0.1:${closedPort}` } });
  running.push(alvd);
  addContact(alvd, 'rita@relais.example');
  await alvd.client().post('/api/session/link-request', { email: 'rita@relais.example' });
  const retried = await outboxRow(alvd, 'rita@relais.example', (r) => r.attempts >= 1);
  assert.equal(retried.state, 'pending', 'a failed attempt is retried');
  assert.ok(retried.lastError, 'the error is kept');
  assert.equal(retried.later, true, 'the next attempt waits (back-off)');
  // Skip the back-off to the last attempt.
  alvd.sql("UPDATE outbox SET attempts = 4, next_attempt_at = UTC_TIMESTAMP(6) WHERE recipient = 'rita@relais.example'");
  const failed = await outboxRow(alvd, 'rita@relais.example', (r) => r.state === 'failed');
  assert.equal(failed.state, 'failed');
  assert.equal(failed.attempts, 5);
  const admin = await alvd.login('admin');
  const list = await admin.get('/api/outbox?state=failed');
  assert.equal(list.status, 200);
  const item = list.json.items.find((m) => m.recipient === 'rita@relais.example');
  assert.ok(item, 'the failed mail is listed');
  assert.ok(item.last_error);
});
