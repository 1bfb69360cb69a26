// The TLS listener speaks TLS 1.2 and 1.3 only, with forward-secret AEAD suites only
// (issue 16, point 6): an OpenSSL client that is allowed everything (security level 0)
// is refused for TLS 1.0/1.1, for static-RSA key exchange and for CBC suites, and gets
// in with ECDHE + AES-GCM or ChaCha20-Poly1305.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import https from 'node:https';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startAlvd } from '../api/lib/alvd.mjs';

const dir = mkdtempSync(join(tmpdir(), 'alvd-tls-suites-'));
let alvd;
after(async () => { await alvd?.stop(); rmSync(dir, { recursive: true, force: true }); });

/** One handshake with openssl s_client; the negotiated protocol and cipher, or null. */
function handshake(port, args) {
  const result = spawnSync('openssl', ['s_client', '-connect', `127.0.0.1:${port}`, '-servername', 'localhost', ...args],
    { input: '', encoding: 'utf8', timeout: 20000 });
  const line = /New, (TLSv[\d.]+), Cipher is (\S+)/.exec(result.stdout);
  return line && line[2] !== '(NONE)' ? { protocol: line[1], cipher: line[2] } : null;
}

function health(port) {
  return new Promise((resolve) => {
    https.get({ host: '127.0.0.1', port, path: '/api/health', rejectUnauthorized: false }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode));
    }).on('error', () => resolve(0));
  });
}

test('TLS 1.2+ with forward-secret AEAD suites only', async () => {
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=alvd-test',
    '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')], { stdio: 'ignore' });
  alvd = await startAlvd({ serve: false });
  Object.assign(alvd.env, { ALVD_TLS_CERT: join(dir, 'cert.pem'), ALVD_TLS_KEY: join(dir, 'key.pem'),
    ALVD_PUBLIC_URL: `https://127.0.0.1:${alvd.port}` });
  alvd.start().catch(() => null);
  let status = 0;
  for (let i = 0; i < 200 && status !== 200; i++) {
    status = await health(alvd.port);
    if (status !== 200) await new Promise((r) => setTimeout(r, 100));
  }
  assert.equal(status, 200, 'alvd answers over TLS');
  const everything = ['-cipher', 'ALL:@SECLEVEL=0'];
  const refused = {
    'TLS 1.0': ['-tls1', ...everything],
    'TLS 1.1': ['-tls1_1', ...everything],
    'static RSA, GCM (no forward secrecy)': ['-tls1_2', '-cipher', 'AES128-GCM-SHA256:AES256-GCM-SHA384:@SECLEVEL=0'],
    'static RSA, CBC': ['-tls1_2', '-cipher', 'AES128-SHA:AES256-SHA256:@SECLEVEL=0'],
    'ECDHE with CBC': ['-tls1_2', '-cipher', 'ECDHE-RSA-AES128-SHA:ECDHE-RSA-AES256-SHA384:ECDHE-RSA-AES128-SHA256:@SECLEVEL=0'],
    'DHE (finite-field)': ['-tls1_2', '-cipher', 'DHE-RSA-AES128-GCM-SHA256:@SECLEVEL=0'],
    '3DES': ['-tls1_2', '-cipher', 'DES-CBC3-SHA:ECDHE-RSA-DES-CBC3-SHA:@SECLEVEL=0'],
  };
  const accepted = {
    'TLS 1.3': ['-tls1_3'],
    'TLS 1.2 ECDHE AES-128-GCM': ['-tls1_2', '-cipher', 'ECDHE-RSA-AES128-GCM-SHA256'],
    'TLS 1.2 ECDHE AES-256-GCM': ['-tls1_2', '-cipher', 'ECDHE-RSA-AES256-GCM-SHA384'],
    'TLS 1.2 ECDHE ChaCha20-Poly1305': ['-tls1_2', '-cipher', 'ECDHE-RSA-CHACHA20-POLY1305'],
    'a client that offers everything': ['-cipher', 'ALL:@SECLEVEL=0'],
  };
  const seen = {};
  for (const [name, args] of Object.entries(refused)) {
    const got = handshake(alvd.port, args);
    seen[name] = got;
    assert.equal(got, null, `${name} is refused (got ${JSON.stringify(got)})`);
  }
  for (const [name, args] of Object.entries(accepted)) {
    const got = handshake(alvd.port, args);
    seen[name] = got;
    assert.ok(got, `${name} is accepted`);
    assert.match(got.protocol, /^TLSv1\.[23]$/, `${name}: ${got.protocol}`);
    assert.match(got.cipher, /^(TLS_|ECDHE-)/, `${name}: forward secret (${got.cipher})`);
    assert.match(got.cipher, /GCM|CHACHA20/, `${name}: an AEAD cipher (${got.cipher})`);
  }
  console.log(JSON.stringify(seen));
});
