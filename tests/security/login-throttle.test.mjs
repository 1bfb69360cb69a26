// Nobody without the password keeps the rightful user out (issue 16, points 4 and 6):
// a password-guessing burst from one address while the chair logs in from another;
// the chair's own browser (device cookie) gets in even from the attacker's address;
// an account guessed at from many addresses is locked for unknown browsers only, and
// its owner gets in by e-mailed login link; unknown addresses are throttled alike and
// cost the server the same as known ones (alvd's CPU time, not the clock).
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { startAlvd, demoLogins } from '../api/lib/alvd.mjs';
import { requestFrom, cpuSeconds } from './lib/hostile.mjs';

const ATTACKER = '127.0.0.2';
const chair = demoLogins.chair;
let alvd;
after(async () => { await alvd?.stop(); });

const login = (from, email, password, headers) => requestFrom(alvd.port, from, 'POST', '/api/session', { email, password }, headers);
const cookieOf = (answer, name) => (answer.headers['set-cookie'] || []).map((c) => c.split(';')[0]).find((c) => c.startsWith(`${name}=`));

async function waitForMail(predicate) {
  const dir = join(alvd.dataDir, 'outbox');
  for (let attempt = 0; attempt < 100; attempt++) {
    if (existsSync(dir)) {
      for (const name of readdirSync(dir).filter((f) => f.endsWith('.eml')).sort().reverse()) {
        const text = readFileSync(join(dir, name), 'utf8');
        if (predicate(text)) return { text, mode: statSync(join(dir, name)).mode & 0o777 };
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('mail did not arrive');
}

test('a guessing burst from one address: growing waits there, the chair logs in from another', async () => {
  alvd = await startAlvd({ demo: true });
  // The chair logged in before from her own laptop: it carries a device cookie.
  const earlier = await login('127.0.0.1', chair.email, chair.password);
  assert.equal(earlier.status, 200);
  const device = cookieOf(earlier, 'alvd_device');
  assert.ok(device, 'a successful login sets a device cookie');

  const answers = [];
  for (let i = 0; i < 12; i++) answers.push(await login(ATTACKER, chair.email, `geraden-${i}-wachtwoord`));
  const statuses = answers.map((a) => a.status);
  console.log(JSON.stringify({ burst: statuses, retry_after: answers.map((a) => a.headers['retry-after'] || null) }));
  assert.deepEqual(statuses.slice(0, 5), [401, 401, 401, 401, 401], 'five free guesses');
  assert.ok(statuses.slice(5).every((s) => s === 429), 'then a wait, without checking the password');
  assert.ok(Number(answers[5].headers['retry-after']) > 0, 'with Retry-After');
  const right = await login(ATTACKER, chair.email, chair.password);
  assert.equal(right.status, 429, 'from the guessing address, even the right password waits');

  const elsewhere = await login('127.0.0.1', chair.email, chair.password);
  assert.equal(elsewhere.status, 200, 'the chair logs in from another address');
  const ownBrowser = await login(ATTACKER, chair.email, chair.password, { Cookie: device });
  assert.equal(ownBrowser.status, 200, "her own browser gets in even from the attacker's address (hall Wi-Fi)");
  const forged = await login(ATTACKER, chair.email, chair.password, { Cookie: 'alvd_device=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' });
  assert.equal(forged.status, 429, 'a made-up device cookie is an unknown browser');
});

test('an account guessed at from many addresses is locked for unknown browsers; the e-mailed link gets its owner in', async () => {
  const { email, password } = demoLogins.board;
  for (let address = 10; address < 16; address++) {
    for (let i = 0; i < 5; i++) assert.equal((await login(`127.0.1.${address}`, email, `fout-${address}-${i}-xx`)).status, 401);
  }
  const locked = await login('127.0.2.1', email, password);
  assert.equal(locked.status, 429);
  assert.equal(locked.json.code, 'account_locked');
  assert.match(locked.json.error, /inloglink/);
  const asked = await requestFrom(alvd.port, '127.0.2.1', 'POST', '/api/session/link-request', { email });
  assert.equal(asked.status, 202);
  const mail = await waitForMail((text) => text.includes(email) && text.includes('/l/'));
  assert.equal(mail.mode, 0o600, 'the outbox file is readable by alvd only');
  assert.match(mail.text, /10 minuten/);
  const link = /\/l\/([A-Za-z0-9_-]{43})/.exec(mail.text)[1];
  const [[lifetime]] = alvd.sql(`SELECT TIMESTAMPDIFF(SECOND, created_at, expires_at) FROM login_links ORDER BY id DESC LIMIT 1`);
  assert.equal(Number(lifetime), 600, 'a requested login link lives 10 minutes');
  const used = await requestFrom(alvd.port, '127.0.2.1', 'POST', '/api/session/link', { link });
  assert.equal(used.status, 200, used.text);
  assert.equal(used.json.user.email, email);
  assert.ok(used.json.user.roles.includes('board'));
  const session = await requestFrom(alvd.port, '127.0.2.1', 'GET', '/api/session', undefined, { Authorization: `Bearer ${used.json.token}` });
  assert.equal(session.status, 200);
  assert.equal(session.json.kind, 'user');
  // Having logged in, that browser is known: its password login is no longer locked.
  const device = cookieOf(used, 'alvd_device');
  assert.equal((await login('127.0.2.1', email, password, { Cookie: device })).status, 200);
  assert.equal((await requestFrom(alvd.port, '127.0.2.1', 'POST', '/api/session/link', { link })).status, 401, 'a link works once');
});

test('a login for an unknown address costs alvd what a known one costs (CPU time within 1.2)', async () => {
  if (!alvd) alvd = await startAlvd({ demo: true });
  const pid = alvd.process.pid;
  const rounds = 8;
  let address = 1;
  const attempt = async (email) => {
    const before = cpuSeconds(pid);
    assert.equal((await login(`127.0.4.${address++}`, email, 'een-fout-wachtwoord')).status, 401);
    return cpuSeconds(pid) - before;
  };
  // Warm up first (argon2id's 64 MiB are faulted in once), then alternate known and
  // unknown so a busier moment of the machine hits both alike.
  await attempt(demoLogins.admin.email);
  await attempt('onbekend-0@ksf.example');
  let known = 0;
  let unknown = 0;
  for (let i = 0; i < rounds; i++) {
    known += await attempt(i % 2 ? demoLogins.secretariat.email : demoLogins.meldpunt.email);
    unknown += await attempt(`onbekend-${i}@ksf.example`);
  }
  const ratio = unknown / known;
  console.log(JSON.stringify({ cpu_seconds_known: known, cpu_seconds_unknown: unknown, ratio: Number(ratio.toFixed(3)) }));
  assert.ok(ratio < 1.2 && ratio > 1 / 1.2, `unknown/known CPU ratio ${ratio.toFixed(3)} within 1.2`);
});
