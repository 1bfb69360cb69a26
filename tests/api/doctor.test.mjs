// alvd doctor (issue 19): a healthy installation is all "ok"; each thing an IT person can
// get wrong is named as a problem with what to do about it, and makes doctor exit 1.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { appendFileSync, chmodSync, cpSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startAlvd, freePort, sourceDir, binary } from './lib/alvd.mjs';
import { startRelay } from './lib/smtp-relay.mjs';

let alvd;
const dir = mkdtempSync(join(tmpdir(), 'alvd-doctor-'));
before(async () => { alvd = await startAlvd(); }); // serve makes keys/
after(async () => { await alvd?.stop(); rmSync(dir, { recursive: true, force: true }); });

function runDoctor(env = {}) {
  try {
    const stdout = execFileSync(binary, ['doctor'],
      { env: { ...process.env, ...alvd.env, ...env }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    return { status: 0, stdout };
  } catch (error) {
    return { status: error.status, stdout: String(error.stdout) };
  }
}

const line = (out, topic) => out.split('\n').filter((l) => l.slice(6).startsWith(topic));

test('a healthy installation: every check ok or a warning, exit 0', () => {
  const { status, stdout } = runDoctor();
  assert.equal(status, 0, stdout);
  assert.match(stdout, /^alvd \S+ doctor$/m);
  for (const topic of ['configuration', 'data directory', 'web files', 'migrations', 'keys', 'tls', 'database', 'database rights', 'galera', 'time', 'migration account']) {
    assert.ok(line(stdout, topic).some((l) => l.startsWith('ok ')), `${topic}:\n${stdout}`);
  }
  assert.match(stdout, /ok {4}database rights +alvd@localhost \(role alvd_service\): no UPDATE or DELETE on the \d+ append-only and read-only tables/);
  assert.match(stdout, /ok {4}keys +.*directory 0700, files 0600/);
  assert.match(stdout, /ok {4}time +clocks agree within \d+\.\d s; today in Europe\/Amsterdam is \d{4}-\d\d-\d\d/);
  assert.match(stdout, /WARN {2}mail +no relay \(ALVD_SMTP_URL unset\)/);
  assert.match(stdout, /WARN {2}public address +http:\/\/127\.0\.0\.1:\d+ is not https/);
  assert.match(stdout, /^0 problem\(s\), \d+ warning\(s\)$/m);
});

test('root, loose key files, pending migrations and a frozen "today" are problems that say what to do', () => {
  const asRoot = runDoctor({ ALVD_DB_USER: 'root', ALVD_DB_PASSWORD_FILE: '' });
  assert.equal(asRoot.status, 1);
  assert.match(asRoot.stdout, /FAIL {2}database rights +alvd connects as MariaDB root \(root@localhost\).*run `alvd setup-db`/);

  const keys = join(alvd.dataDir, 'keys');
  const keyFile = readdirSync(keys)[0];
  chmodSync(join(keys, keyFile), 0o644);
  try {
    const loose = runDoctor();
    assert.equal(loose.status, 1);
    assert.match(loose.stdout, new RegExp(`FAIL {2}keys +1 key file\\(s\\) readable by others \\(${keyFile}\\): chmod 0600`));
  } finally { chmodSync(join(keys, keyFile), 0o600); }

  const migrations = join(dir, 'migrations');
  cpSync(join(sourceDir, 'migrations'), migrations, { recursive: true });
  writeFileSync(join(migrations, '9999_later.sql'), 'CREATE TABLE IF NOT EXISTS later (id INT PRIMARY KEY);\n');
  const pending = runDoctor({ ALVD_MIGRATIONS_DIR: migrations });
  assert.equal(pending.status, 1);
  assert.match(pending.stdout, /FAIL {2}migrations +1 migration\(s\) pending: run `alvd migrate`/);

  const frozen = runDoctor({ ALVD_TEST_TODAY: '2026-01-01' });
  assert.equal(frozen.status, 1);
  assert.match(frozen.stdout, /FAIL {2}configuration +ALVD_TEST_TODAY=2026-01-01 is set/);

  const unreachable = runDoctor({ ALVD_DB_SOCKET: join(dir, 'no-such.sock') });
  assert.equal(unreachable.status, 1);
  assert.match(unreachable.stdout, /FAIL {2}database +cannot connect to database/);
});

test('TLS files: a matching pair shows its days left, a foreign key and a key for everyone are problems', () => {
  const make = (name, days) => execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', String(days),
    '-subj', `/CN=${name}`, '-keyout', join(dir, `${name}.key`), '-out', join(dir, `${name}.pem`)], { stdio: 'ignore' });
  make('good', 90);
  make('other', 10);
  chmodSync(join(dir, 'good.key'), 0o600);
  const good = runDoctor({ ALVD_TLS_CERT: join(dir, 'good.pem'), ALVD_TLS_KEY: join(dir, 'good.key') });
  assert.match(good.stdout, /ok {4}tls +certificate and key match; the certificate is valid for (89|90) more day\(s\)/);
  const soon = runDoctor({ ALVD_TLS_CERT: join(dir, 'other.pem'), ALVD_TLS_KEY: join(dir, 'other.key') });
  assert.match(soon.stdout, /WARN {2}tls +certificate and key match; the certificate is valid for (9|10) more day\(s\): renew it soon/);
  const foreign = runDoctor({ ALVD_TLS_CERT: join(dir, 'good.pem'), ALVD_TLS_KEY: join(dir, 'other.key') });
  assert.equal(foreign.status, 1);
  assert.match(foreign.stdout, /FAIL {2}tls +.*good\.pem and .*other\.key are not a PEM certificate with its own private key/);
  chmodSync(join(dir, 'good.key'), 0o644);
  const open = runDoctor({ ALVD_TLS_CERT: join(dir, 'good.pem'), ALVD_TLS_KEY: join(dir, 'good.key') });
  assert.equal(open.status, 1);
  assert.match(open.stdout, /FAIL {2}tls +the private key .*good\.key is readable by every user/);
  appendFileSync(join(dir, 'broken.pem'), 'not a certificate\n');
  const broken = runDoctor({ ALVD_TLS_CERT: join(dir, 'broken.pem'), ALVD_TLS_KEY: join(dir, 'good.key') });
  assert.equal(broken.status, 1);
});

test('the SMTP relay: one that answers is ok, a closed port is a problem', async () => {
  const port = await freePort();
  const relay = await startRelay(port);
  try {
    // The relay answers from this process, so doctor must not block it: run it async.
    const reached = await new Promise((resolve) => execFile(binary, ['doctor'],
      { env: { ...process.env, ...alvd.env, ALVD_SMTP_URL: `smtp://127.0.0.1:${port}` } },
      (error, stdout) => resolve(String(stdout))));
    assert.match(reached, new RegExp(`ok {4}mail +the relay smtp://127\\.0\\.0\\.1:${port} answers`));
  } finally { relay.server.close(); }
  const closed = await freePort();
  const refused = runDoctor({ ALVD_SMTP_URL: `smtp://127.0.0.1:${closed}` });
  assert.equal(refused.status, 1);
  assert.match(refused.stdout, new RegExp(`FAIL {2}mail +the relay smtp://127\\.0\\.0\\.1:${closed} does not answer`));
});
