// alvd on its own TLS listener for the TLS tests: a throwaway self-signed certificate,
// ALVD_PUBLIC_URL https, and a wait until /api/health answers over TLS.
import https from 'node:https';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { startAlvd } from '../../api/lib/alvd.mjs';

/** GET /api/health over TLS (certificate not checked); the status, or 0 on failure. */
export function healthOverTls(port) {
  return new Promise((resolve) => {
    https.get({ host: '127.0.0.1', port, path: '/api/health', rejectUnauthorized: false }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode));
    }).on('error', () => resolve(0));
  });
}

/** Start alvd serving TLS with a certificate made in dir; returns the instance. */
export async function startTlsAlvd(dir) {
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=alvd-test',
    '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')], { stdio: 'ignore' });
  const alvd = await startAlvd({ serve: false });
  Object.assign(alvd.env, { ALVD_TLS_CERT: join(dir, 'cert.pem'), ALVD_TLS_KEY: join(dir, 'key.pem'),
    ALVD_PUBLIC_URL: `https://127.0.0.1:${alvd.port}` });
  // The harness waits with plain fetch, which refuses a self-signed certificate: start
  // the process and wait over TLS here, by attempts.
  alvd.start().catch(() => null);
  let status = 0;
  for (let attempt = 0; attempt < 200 && status !== 200; attempt++) {
    status = await healthOverTls(alvd.port);
    if (status !== 200) await new Promise((resolve) => setTimeout(resolve, 100));
  }
  if (status !== 200) throw new Error(`alvd did not answer over TLS:\n${alvd.log.slice(-2000)}`);
  return alvd;
}
