// Foundation (issue 2) against a real alvd and MariaDB: errors of the HTTP core,
// static files, security headers, sessions, CSRF, rate limits, audit chain, migrations.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { cpSync, mkdtempSync, writeFileSync, readFileSync, appendFileSync, readdirSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startAlvd, demoLogins, sourceDir, runAlvd } from './lib/alvd.mjs';
import { readable } from './lib/mail.mjs';

let alvd;
before(async () => { alvd = await startAlvd({ demo: true }); });
after(async () => { await alvd?.stop(); });

/** A raw HTTP/1.1 request, for paths fetch() would normalise (such as ".."). */
function rawRequest(port, requestText) {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => socket.write(requestText));
    let data = '';
    socket.on('data', (chunk) => { data += chunk; });
    socket.on('end', () => resolve(data));
    socket.on('error', reject);
    socket.setTimeout(5000, () => { socket.destroy(); resolve(data); });
  });
}

test('health answers ok with the version', async () => {
  const r = await alvd.client().get('/api/health');
  assert.equal(r.status, 200);
  assert.equal(r.json.status, 'ok');
  assert.equal(r.json.db, 'ok');
  assert.match(r.json.version, /^\d+\.\d+\.\d+$/);
});

test('unknown route 404, wrong method 405 with Allow, both in the error shape', async () => {
  const c = alvd.client();
  const missing = await c.get('/api/no-such-thing');
  assert.equal(missing.status, 404);
  assert.equal(missing.json.code, 'not_found');
  assert.equal(typeof missing.json.error, 'string');
  const wrong = await c.put('/api/health', {});
  assert.equal(wrong.status, 405);
  assert.equal(wrong.json.code, 'method_not_allowed');
  assert.match(wrong.headers.get('allow'), /GET/);
});

test('malformed JSON is 400, a non-object is 400, duplicate keys are 400', async () => {
  const c = alvd.client();
  for (const body of ['{"email": "a@b", ', '[1,2]', '{"email":"a@b","email":"c@d","password":"x"}']) {
    const r = await c.request('POST', '/api/session', body, { raw: true, contentType: 'application/json' });
    assert.equal(r.status, 400, body);
    assert.equal(r.json.code, 'malformed_json');
  }
});

test('a 1 MiB body is refused with 413 and a wrong content type with 415', async () => {
  const c = alvd.client();
  const big = JSON.stringify({ email: 'x@y', password: 'a'.repeat(1024 * 1024) });
  const r = await c.request('POST', '/api/session', big, { raw: true, contentType: 'application/json' });
  assert.equal(r.status, 413);
  assert.equal(r.json.code, 'too_large');
  const typed = await c.request('POST', '/api/session', 'email=x', { raw: true, contentType: 'application/x-www-form-urlencoded' });
  assert.equal(typed.status, 415);
  assert.equal(typed.json.code, 'unsupported_media_type');
});

test('a chunked body that grows past the limit is refused with 413', async () => {
  const chunk = 'a'.repeat(70 * 1024);
  const text = `POST /api/session HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n${chunk.length.toString(16)}\r\n${chunk}\r\n0\r\n\r\n`;
  const response = await rawRequest(alvd.port, text);
  assert.match(response, /^HTTP\/1\.1 413/);
});

test('paths with .. never leave web/ (plain and encoded)', async () => {
  for (const path of ['/../etc/passwd', '/%2e%2e/%2e%2e/etc/passwd', '/css/../../migrations/0001_foundation.sql', '/.git/config']) {
    const response = await rawRequest(alvd.port, `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`);
    assert.match(response, /^HTTP\/1\.1 (404|400)/, path);
    assert.doesNotMatch(response, /root:|CREATE TABLE|\[core\]/, path);
  }
});

test('static files have a type, an ETag and answer 304 to If-None-Match', async () => {
  const c = alvd.client();
  const page = await c.get('/');
  assert.equal(page.status, 200);
  assert.match(page.headers.get('content-type'), /^text\/html/);
  const etag = page.headers.get('etag');
  assert.ok(etag);
  const again = await c.get('/', { headers: { 'If-None-Match': etag } });
  assert.equal(again.status, 304);
});

test('security headers are on API answers, pages and errors', async () => {
  const c = alvd.client();
  for (const path of ['/api/health', '/', '/api/no-such-thing', '/no-such-page.html']) {
    const r = await c.get(path);
    assert.match(r.headers.get('content-security-policy') || '', /frame-ancestors 'none'/, path);
    assert.equal(r.headers.get('x-content-type-options'), 'nosniff', path);
    assert.ok(r.headers.get('referrer-policy'), path);
    if (path.startsWith('/api/')) assert.equal(r.headers.get('cache-control'), 'no-store', path);
  }
});

test('login: right password gives a session, wrong and unknown get the same 401', async () => {
  const c = alvd.client();
  const { email, password } = demoLogins.secretariat;
  const ok = await c.post('/api/session', { email, password });
  assert.equal(ok.status, 200);
  assert.equal(ok.json.token.length, 43);
  assert.ok(ok.json.csrf);
  assert.deepEqual(ok.json.user.roles, ['secretariat']);
  const wrong = await alvd.client().post('/api/session', { email, password: 'not-the-password' });
  const unknown = await alvd.client().post('/api/session', { email: 'nobody@nowhere.example', password: 'not-the-password' });
  assert.equal(wrong.status, 401);
  assert.equal(unknown.status, 401);
  assert.equal(wrong.text, unknown.text);
  const me = await (await alvd.login('secretariat')).get('/api/session');
  assert.equal(me.status, 200);
  assert.equal(me.json.user.email, email);
  assert.equal(me.json.token, undefined);
});

test('the session token is stored only as a hash', async () => {
  const c = await alvd.login('board');
  const rows = alvd.sql('SELECT HEX(token_hash) FROM sessions');
  assert.ok(rows.length > 0);
  assert.ok(!rows.some(([hash]) => hash.includes(Buffer.from(c.token).toString('hex').toUpperCase())));
});

test('cookie session: a change without X-CSRF-Token is 403, with it succeeds; cross-origin is 403', async () => {
  const c = alvd.client({ cookies: true });
  const { email, password } = demoLogins.board;
  const login = await c.post('/api/session', { email, password });
  assert.equal(login.status, 200);
  assert.match(login.headers.get('set-cookie'), /HttpOnly/);
  assert.match(login.headers.get('set-cookie'), /SameSite=Strict/);
  c.csrf = login.json.csrf;
  assert.equal((await c.get('/api/session')).status, 200);
  const noToken = await c.delete('/api/session', { headers: { 'X-CSRF-Token': '' } });
  assert.equal(noToken.status, 403);
  assert.equal(noToken.json.code, 'csrf');
  const crossSite = await c.delete('/api/session', { headers: { Origin: 'https://evil.example' } });
  assert.equal(crossSite.status, 403);
  assert.equal(crossSite.json.code, 'bad_origin');
  assert.equal((await c.get('/api/session')).status, 200, 'still logged in after refused changes');
  assert.equal((await c.delete('/api/session')).status, 204);
  assert.equal((await c.get('/api/session')).status, 401, 'logout killed the session server-side');
});

test('an idle (2 h) or absolutely (12 h) expired session is refused with 401', async () => {
  const idle = await alvd.login('chair');
  const absolute = await alvd.login('meldpunt');
  assert.equal((await idle.get('/api/session')).status, 200);
  const [[idleId]] = alvd.sql('SELECT MAX(id) - 1 FROM sessions');
  const [[absoluteId]] = alvd.sql('SELECT MAX(id) FROM sessions');
  alvd.sql(`UPDATE sessions SET last_seen_at = UTC_TIMESTAMP(6) - INTERVAL 121 MINUTE WHERE id = ${idleId}`);
  alvd.sql(`UPDATE sessions SET expires_at = UTC_TIMESTAMP(6) - INTERVAL 1 SECOND WHERE id = ${absoluteId}`);
  const a = await idle.get('/api/session');
  assert.equal(a.status, 401);
  assert.equal(a.json.code, 'not_logged_in');
  assert.equal((await absolute.get('/api/session')).status, 401);
});

test('the 6th wrong password within a minute is 429 with Retry-After, even with the right one', async () => {
  const { email } = demoLogins.admin;
  for (let i = 1; i <= 5; i++) {
    const r = await alvd.client().post('/api/session', { email, password: `wrong-${i}-password` });
    assert.equal(r.status, 401, `attempt ${i}`);
  }
  const sixth = await alvd.client().post('/api/session', { email, password: 'wrong-6-password' });
  assert.equal(sixth.status, 429);
  assert.equal(sixth.json.code, 'too_many_attempts');
  assert.ok(sixth.headers.get('retry-after'));
  const right = await alvd.client().post('/api/session', { email, password: demoLogins.admin.password });
  assert.equal(right.status, 429);
});

test('a changed audit row, a deleted one and a truncated chain are each named by audit verify', () => {
  const intact = runAlvd(['audit', 'verify'], alvd.env);
  assert.equal(intact.status, 0, intact.stdout + intact.stderr);
  const checked = Number(/(\d+) entries checked/.exec(intact.stdout)[1]);
  assert.ok(checked >= 5);

  const [[original]] = alvd.sql('SELECT actor_label FROM audit_log WHERE id = 3');
  alvd.sql("UPDATE audit_log SET actor_label = 'mallory@evil.example' WHERE id = 3");
  const edited = runAlvd(['audit', 'verify'], alvd.env);
  assert.notEqual(edited.status, 0);
  assert.match(edited.stdout, /entry 3 was changed/);
  alvd.sql(`UPDATE audit_log SET actor_label = '${original}' WHERE id = 3`);
  assert.equal(runAlvd(['audit', 'verify'], alvd.env).status, 0, 'restoring the row restores the chain');
});

test('audit verify names a deleted entry and a removed tail', async () => {
  const db = await startAlvd({ demo: true, serve: false });
  try {
    assert.equal(db.run(['audit', 'verify']).status, 0);
    db.sql('DELETE FROM audit_log WHERE id = 2');
    const deleted = db.run(['audit', 'verify']);
    assert.notEqual(deleted.status, 0);
    assert.match(deleted.stdout, /entry 2 is missing/);
    const db2 = await startAlvd({ demo: true, serve: false });
    try {
      const [[last]] = db2.sql('SELECT MAX(id) FROM audit_log');
      db2.sql(`DELETE FROM audit_log WHERE id = ${last}`);
      const tail = db2.run(['audit', 'verify']);
      assert.notEqual(tail.status, 0);
      assert.match(tail.stdout, new RegExp(`entry ${last} is missing`));
    } finally { await db2.stop(); }
  } finally { await db.stop(); }
});

test('migrations: pending ones stop serve, a second migrate is a no-op, an edited file is refused by name', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'alvd-migrations-'));
  cpSync(join(sourceDir, 'migrations'), dir, { recursive: true });
  const db = await startAlvd({ serve: false, migrate: false, env: { ALVD_MIGRATIONS_DIR: dir } });
  try {
    const serve = db.run(['serve']);
    assert.notEqual(serve.status, 0);
    assert.match(serve.stderr, /pending migration/);
    assert.equal(db.run(['migrate']).status, 0);
    const again = db.run(['migrate']);
    assert.equal(again.status, 0);
    assert.match(again.stdout, /0 applied/);
    const [[count]] = db.sql('SELECT COUNT(*) FROM schema_migrations');
    assert.equal(Number(count), readdirSync(dir).filter((f) => /^\d{4}_.*\.sql$/.test(f)).length);
    appendFileSync(join(dir, '0001_foundation.sql'), '\n-- edited later\n');
    const edited = db.run(['migrate']);
    assert.notEqual(edited.status, 0);
    assert.match(edited.stderr, /0001_foundation\.sql was changed/);
  } finally { await db.stop(); }
});

test('alvd user add creates a staff user who can log in; a bad role is refused', async () => {
  const made = alvd.run(['user', 'add', '--email', 'nieuw@ksf.example', '--name', 'Nieuwe Collega', '--role', 'board', '--password-stdin'], 'een-goed-wachtwoord\n');
  assert.equal(made.status, 0, made.stderr);
  const c = alvd.client();
  assert.equal((await c.login('nieuw@ksf.example', 'een-goed-wachtwoord')).status, 200);
  const bad = alvd.run(['user', 'add', '--email', 'x@ksf.example', '--name', 'X', '--role', 'king', '--password-stdin'], 'een-goed-wachtwoord\n');
  assert.notEqual(bad.status, 0);
  assert.match(bad.stderr, /king/);
});

test('SIGTERM lets a request in flight finish, then alvd exits cleanly', async () => {
  const own = await startAlvd({ demo: true });
  try {
    const { email, password } = demoLogins.chair;
    // The login goes over a connection already open (fetch keeps it), as a browser's
    // would: SIGTERM closes the listener, so a connection still being made is refused.
    assert.equal((await own.client().get('/api/health')).status, 200);
    const inFlight = own.client().post('/api/session', { email, password }); // argon2id on a worker
    await new Promise((r) => setTimeout(r, 20));
    const exited = own.kill('SIGTERM');
    const response = await inFlight;
    assert.equal(response.status, 200);
    const { code, signal } = await exited;
    assert.equal(code, 0, own.log);
    assert.equal(signal, null);
    assert.match(own.log, /stopped/);
  } finally { await own.stop(); }
});

async function waitForMail(dataDir, predicate, attempts = 80) {
  const dir = join(dataDir, 'outbox');
  for (let attempt = 0; ; attempt++) {
    if (existsSync(dir)) {
      for (const name of readdirSync(dir).filter((f) => f.endsWith('.eml')).sort()) {
        // The readable mail: headers decoded, quoted-printable undone (lib/mail.mjs).
        const raw = readFileSync(join(dir, name), 'utf8');
        const text = `${raw}\n${readable(raw).text}`;
        if (predicate(text)) return text;
      }
    }
    if (attempt >= attempts) throw new Error('mail did not arrive');
    await new Promise((r) => setTimeout(r, 100));
  }
}

test('login link: same answer for unknown addresses, GET does not spend it, POST does once, expiry holds', async () => {
  alvd.sql("INSERT INTO organisations (name, kvk, created_at, updated_at) VALUES ('Linkbedrijf BV', '11112222', UTC_TIMESTAMP(6), UTC_TIMESTAMP(6))");
  alvd.sql("INSERT INTO contacts (organisation_id, name, email, created_at) SELECT id, 'Lies Link', 'lies@linkbedrijf.example', UTC_TIMESTAMP(6) FROM organisations WHERE kvk = '11112222'");
  const c = alvd.client();
  const known = await c.post('/api/session/link-request', { email: 'lies@linkbedrijf.example' });
  const unknown = await c.post('/api/session/link-request', { email: 'niemand@nergens.example' });
  assert.equal(known.status, 202);
  assert.equal(unknown.status, 202);
  assert.equal(known.text, unknown.text);
  const mail = await waitForMail(alvd.dataDir, (t) => t.includes('lies@linkbedrijf.example'));
  const link = /\/l\/([A-Za-z0-9_-]{43})/.exec(mail)[1];
  assert.match(mail, /Subject: /);
  assert.match(mail, /Content-Type: multipart\/alternative/);
  const page = await c.get(`/l/${link}`);
  assert.equal(page.status, 200);
  assert.match(page.headers.get('content-type'), /text\/html/);
  const first = await c.post('/api/session/link', { link });
  assert.equal(first.status, 200, first.text);
  assert.equal(first.json.contact.email, 'lies@linkbedrijf.example');
  const contact = alvd.client();
  contact.adopt(first);
  const me = await contact.get('/api/session');
  assert.equal(me.json.kind, 'contact');
  assert.equal(me.json.contact.name, 'Linkbedrijf BV');
  const second = await c.post('/api/session/link', { link });
  assert.equal(second.status, 401);
  assert.equal(second.json.code, 'link_invalid');
  // An expired link is refused as well.
  await c.post('/api/session/link-request', { email: 'lies@linkbedrijf.example' });
  const mail2 = await waitForMail(alvd.dataDir, (t) => t.includes('lies@linkbedrijf.example') && !t.includes(link));
  const link2 = /\/l\/([A-Za-z0-9_-]{43})/.exec(mail2)[1];
  alvd.sql('UPDATE login_links SET expires_at = UTC_TIMESTAMP(6) - INTERVAL 1 SECOND WHERE used_at IS NULL');
  assert.equal((await c.post('/api/session/link', { link: link2 })).status, 401);
});
