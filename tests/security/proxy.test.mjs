// alvd behind a TLS-terminating reverse proxy (issue 16, point 3): ALVD_PUBLIC_URL is
// https while alvd itself speaks plain HTTP to the proxy on loopback. The session cookie
// is then __Host- and Secure, every answer carries HSTS, logout clears that same cookie,
// and an Origin is compared with its scheme. X-Forwarded-For is believed only from a
// listed proxy: there it separates the clients behind it (one client's guessing does not
// lock out another), from anyone else it is ignored (spoofing it does not escape a limit).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startAlvd, demoLogins } from '../api/lib/alvd.mjs';
import { requestFrom } from './lib/hostile.mjs';

const PROXY = '127.0.0.1'; // listed in ALVD_TRUSTED_PROXIES
const OUTSIDER = '127.0.0.3'; // not listed: talks to alvd directly
const PUBLIC = 'https://alvd.example';
const board = demoLogins.board;
let alvd;

before(async () => {
  alvd = await startAlvd({ demo: true, env: { ALVD_TRUSTED_PROXIES: PROXY, ALVD_PUBLIC_URL: PUBLIC } });
});
after(async () => { await alvd?.stop(); });

/** A request as the proxy passes it on for a client at address `client` (over https). */
const viaProxy = (client, method, path, body, headers = {}) => requestFrom(alvd.port, PROXY, method, path, body,
  { 'X-Forwarded-For': client, 'X-Forwarded-Proto': 'https', Host: 'alvd.example', ...headers });
const cookies = (answer) => answer.headers['set-cookie'] || [];
const cookieNamed = (answer, name) => cookies(answer).find((cookie) => cookie.startsWith(`${name}=`));

test('behind an https proxy: __Host- session cookie with Secure, HSTS, logout clears it, Origin with its scheme', async () => {
  const health = await viaProxy('198.51.100.7', 'GET', '/api/health');
  assert.equal(health.status, 200);
  assert.equal(health.headers['strict-transport-security'], 'max-age=31536000', 'HSTS on an ordinary answer');

  const login = await viaProxy('198.51.100.7', 'POST', '/api/session', { email: board.email, password: board.password },
    { Origin: PUBLIC });
  assert.equal(login.status, 200, login.text);
  const session = cookieNamed(login, '__Host-alvd_session');
  assert.ok(session, `a __Host- session cookie: ${JSON.stringify(cookies(login))}`);
  const attributes = session.split(';').map((part) => part.trim().toLowerCase());
  assert.ok(attributes.includes('secure'), session);
  assert.ok(attributes.includes('path=/'), session);
  assert.ok(attributes.includes('httponly'), session);
  assert.ok(!attributes.some((part) => part.startsWith('domain=')), '__Host- cookies carry no Domain');
  assert.equal(cookieNamed(login, 'alvd_session'), undefined, 'no cookie without the prefix');
  const device = cookieNamed(login, '__Host-alvd_device');
  assert.ok(device && /;\s*Secure/i.test(device), `the device cookie is __Host- and Secure too: ${device}`);
  assert.equal(login.headers['strict-transport-security'], 'max-age=31536000');

  // The browser sends the cookie back; a change needs the CSRF token and the site's Origin.
  const jar = { Cookie: session.split(';')[0], 'X-CSRF-Token': login.json.csrf };
  const plainHttp = await viaProxy('198.51.100.7', 'DELETE', '/api/session', undefined, { ...jar, Origin: 'http://alvd.example' });
  assert.equal(plainHttp.status, 403, plainHttp.text);
  assert.equal(plainHttp.json.code, 'bad_origin', 'http://alvd.example is another origin than https://alvd.example');
  const otherSite = await viaProxy('198.51.100.7', 'DELETE', '/api/session', undefined, { ...jar, Origin: 'https://evil.example' });
  assert.equal(otherSite.json.code, 'bad_origin');
  assert.equal((await viaProxy('198.51.100.7', 'GET', '/api/session', undefined, jar)).status, 200, 'still logged in');

  const logout = await viaProxy('198.51.100.7', 'DELETE', '/api/session', undefined, { ...jar, Origin: PUBLIC });
  assert.equal(logout.status, 204, logout.text);
  const cleared = cookieNamed(logout, '__Host-alvd_session');
  assert.ok(cleared, `logout clears the cookie login set: ${JSON.stringify(cookies(logout))}`);
  assert.match(cleared, /^__Host-alvd_session=;/);
  assert.match(cleared, /Max-Age=0/);
  assert.match(cleared, /;\s*Secure/i, 'with the same attributes, or the browser keeps it');
  assert.equal((await viaProxy('198.51.100.7', 'GET', '/api/session', undefined, jar)).status, 401, 'the session ended');
});

test('X-Forwarded-For from the listed proxy separates clients; from anyone else it is ignored', async () => {
  const wrong = (n) => ({ email: board.email, password: `fout-wachtwoord-${n}` });
  // One client behind the proxy guesses: five failures, then it waits.
  for (let i = 0; i < 5; i++) assert.equal((await viaProxy('198.51.100.10', 'POST', '/api/session', wrong(i))).status, 401);
  const waits = await viaProxy('198.51.100.10', 'POST', '/api/session', wrong(5));
  assert.equal(waits.status, 429);
  assert.ok(Number(waits.headers['retry-after']) > 0);
  // A first hop the client wrote itself does not make it someone else: read from the right.
  const spoofedHop = await viaProxy('203.0.113.9, 198.51.100.10', 'POST', '/api/session', wrong(6));
  assert.equal(spoofedHop.status, 429, 'the address the proxy appended is the client');
  // Another client behind the same proxy is not held up by it.
  assert.equal((await viaProxy('198.51.100.20', 'POST', '/api/session', wrong(7))).status, 401, 'counted on its own');
  const rightful = await viaProxy('198.51.100.20', 'POST', '/api/session', { email: board.email, password: board.password });
  assert.equal(rightful.status, 200, rightful.text);

  // Not the proxy: a made-up X-Forwarded-For changes nothing, the peer's address counts.
  const direct = (n, forwarded) => requestFrom(alvd.port, OUTSIDER, 'POST', '/api/session', wrong(100 + n),
    { 'X-Forwarded-For': forwarded });
  for (let i = 0; i < 5; i++) assert.equal((await direct(i, `192.0.2.${i + 1}`)).status, 401);
  const caught = await direct(5, '192.0.2.99');
  assert.equal(caught.status, 429, 'a new X-Forwarded-For each time does not escape the limit');
  // … and the clients behind the proxy are still served.
  const behind = await viaProxy('198.51.100.30', 'POST', '/api/session', { email: board.email, password: board.password });
  assert.equal(behind.status, 200, behind.text);
});
