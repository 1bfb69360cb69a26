// HTTPS with a given certificate and key (libmicrohttpd's TLS): the API answers over
// TLS, the session cookie becomes __Host- with Secure, and HSTS is sent.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import https from 'node:https';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startAlvd, demoLogins } from './lib/alvd.mjs';

const dir = mkdtempSync(join(tmpdir(), 'alvd-tls-'));
let alvd;
after(async () => { await alvd?.stop(); rmSync(dir, { recursive: true, force: true }); });

function request(port, method, path, body) {
  return new Promise((resolve, reject) => {
    const payload = body ? JSON.stringify(body) : undefined;
    const req = https.request({
      host: '127.0.0.1', port, method, path, rejectUnauthorized: false,
      headers: payload ? { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(payload) } : {},
    }, (res) => {
      const cert = res.socket.getPeerCertificate();
      let data = '';
      res.on('data', (chunk) => { data += chunk; });
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: data, cert }));
    });
    req.on('error', reject);
    if (payload) req.write(payload);
    req.end();
  });
}

test('alvd serves HTTPS with the configured certificate', async () => {
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=alvd-test',
    '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')], { stdio: 'ignore' });
  const placeholder = await startAlvd({ demo: true, serve: false });
  alvd = placeholder;
  Object.assign(alvd.env, {
    ALVD_TLS_CERT: join(dir, 'cert.pem'),
    ALVD_TLS_KEY: join(dir, 'key.pem'),
    ALVD_PUBLIC_URL: `https://127.0.0.1:${alvd.port}`,
  });
  alvd.url = `https://127.0.0.1:${alvd.port}`;
  // The harness polls /api/health with fetch, which refuses self-signed certificates;
  // start the process and poll over https ourselves.
  const start = alvd.start().catch(() => null);
  let health = null;
  for (let i = 0; i < 100 && !health; i++) {
    try { health = await request(alvd.port, 'GET', '/api/health'); } catch { await new Promise((r) => setTimeout(r, 50)); }
  }
  void start;
  assert.equal(health.status, 200);
  assert.equal(JSON.parse(health.body).status, 'ok');
  assert.match(health.headers['strict-transport-security'], /max-age=\d+/);
  assert.equal(health.cert.subject.CN, 'alvd-test');

  const login = await request(alvd.port, 'POST', '/api/session', demoLogins.secretariat);
  assert.equal(login.status, 200);
  const cookie = login.headers['set-cookie'][0];
  assert.match(cookie, /^__Host-alvd_session=/);
  assert.match(cookie, /; Secure/);
  assert.match(cookie, /HttpOnly/);
});
