// Test harness for the HTTP API: starts a real alvd on its own port and its own
// database on the test MariaDB server, and gives a small client for requests.
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import net from 'node:net';
import { randomBytes, createHmac } from 'node:crypto';
import { fileURLToPath } from 'node:url';

export const sourceDir =
  process.env.ALVD_SOURCE_DIR || join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const binary = process.env.ALVD_BINARY || join(sourceDir, 'build', 'alvd');

export const demoLogins = {
  admin: { email: 'admin@ksf.example', password: 'demo-admin-2026', totp: 'KSFALVDDEMOADMINTWEESTAPSCODEAAA' },
  board: { email: 'bestuur@ksf.example', password: 'demo-bestuur-2026' },
  chair: { email: 'voorzitter@ksf.example', password: 'demo-voorzitter-2026' },
  secretariat: { email: 'secretariaat@ksf.example', password: 'demo-secretariaat-2026' },
  meldpunt: { email: 'meldpunt@ksf.example', password: 'demo-meldpunt-2026', totp: 'KSFALVDDEMOMELDPUNTTWEESTAPSAAAA' },
};

/** Demo users beyond one per role: the second meldpunt officer (identity releases need two). */
export const demoExtraLogins = {
  meldpunt2: { email: 'meldpunt2@ksf.example', password: 'demo-meldpunt2-2026', totp: 'KSFALVDDEMOMELDPUNTTWEEDESTAPAAA' },
};
export const demoLogin = (name) => demoLogins[name] || demoExtraLogins[name];

// ---- the staff second factor (TOTP, RFC 6238: HMAC-SHA-1, 6 digits, 30 s) ----

export function base32Decode(text) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = 0; let value = 0; const out = [];
  for (const c of text.replace(/[\s=-]/g, '').toUpperCase()) {
    const index = alphabet.indexOf(c);
    if (index < 0) throw new Error(`not base32: ${c}`);
    value = (value << 5) | index; bits += 5;
    if (bits >= 8) { out.push((value >>> (bits - 8)) & 0xff); bits -= 8; }
  }
  return Buffer.from(out);
}

/** The TOTP code of a base32 secret for time step `step` (default: now). */
export function totpCode(secret, step = Math.floor(Date.now() / 30000)) {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(step));
  const mac = createHmac('sha1', base32Decode(secret)).update(counter).digest();
  const offset = mac[19] & 0x0f;
  return String((mac.readUInt32BE(offset) & 0x7fffffff) % 1000000).padStart(6, '0');
}

// Secrets of users a test enrolled (by server and e-mail; the demo users' are known) and
// the last step each user logged in with: the server accepts every step once, from one
// step old to one step ahead, so two logins of one user within a step spend it and a
// third waits for the next step.
const enrolledSecrets = new Map();
const lastSteps = new Map();

export function rememberTotpSecret(base, email, secret) { enrolledSecrets.set(`${base}|${email}`, secret); }

function totpSecretOf(base, email) {
  const known = enrolledSecrets.get(`${base}|${email}`);
  if (known) return known;
  return [...Object.values(demoLogins), ...Object.values(demoExtraLogins)].find((login) => login.email === email)?.totp;
}

/** A code for email on base that this harness has not spent yet; waits for a new step when needed. */
export async function freshTotpCode(base, email, secret = totpSecretOf(base, email)) {
  if (!secret) throw new Error(`no TOTP secret known for ${email}`);
  const key = `${base}|${email}`;
  for (;;) {
    const time = Date.now();
    const now = Math.floor(time / 30000);
    const last = lastSteps.get(key) ?? -Infinity;
    // The current step (accepted until the next one ends: at least 30 s for a slow login
    // on a busy machine), else the next one; both spent, wait for a new step.
    const step = Math.max(now, last + 1);
    if (step <= now + 1) {
      lastSteps.set(key, step);
      return totpCode(secret, step);
    }
    await new Promise((resolve) => setTimeout(resolve, 30000 - (time % 30000) + 50));
  }
}

export function markTotpStepUsed(base, email, step) {
  const key = `${base}|${email}`;
  lastSteps.set(key, Math.max(lastSteps.get(key) ?? -Infinity, step));
}

/** The test MariaDB server: ALVD_TEST_DB_DIR (scripts/test sets it) or var/test-db. */
export function testDatabaseDir() {
  return process.env.ALVD_TEST_DB_DIR || join(sourceDir, 'var', 'test-db');
}

export function ensureDatabaseServer(dir = testDatabaseDir()) {
  execFileSync(join(sourceDir, 'scripts', 'db'), ['start', dir], { stdio: 'ignore' });
  return join(dir, 'mysqld.sock');
}

/**
 * The least-privilege accounts scripts/db made on the server behind socket: alvd serves
 * as `alvd` (role alvd_service, table rights from `alvd migrate`) and migrates as
 * `alvd_migrate`; passwords are files beside the socket.
 */
export function databaseAccounts(socket) {
  const dir = dirname(socket);
  return {
    ALVD_DB_USER: 'alvd',
    ALVD_DB_PASSWORD_FILE: join(dir, 'alvd.password'),
    ALVD_DB_MIGRATE_USER: 'alvd_migrate',
    ALVD_DB_MIGRATE_PASSWORD_FILE: join(dir, 'alvd_migrate.password'),
  };
}

/** Run SQL as root on a database; returns rows as arrays of strings (NULL → null).
 * Tests play the database operator (or an attacker with the database) with it. A query
 * on the audit chain first waits (up to 5 s) until every committed entry is chained:
 * the sequencer chains them just after their transaction commits (issue 17), and a test
 * reads what the chain holds once that happened, as an auditor would. */
export function sql(socket, database, query) {
  if (/\baudit_(log|heads)\b/i.test(query)) awaitChained(socket, database);
  return rawSql(socket, database, query);
}

/** Wait until no committed audit entry is left unchained (forged ones excepted: those
 * stay, and the wait ends after 5 s). */
export function awaitChained(socket, database, timeoutMs = 5000) {
  const until = Date.now() + timeoutMs;
  for (;;) {
    let left;
    try {
      [[left]] = rawSql(socket, database, 'SELECT COUNT(*) FROM audit_pending p LEFT JOIN audit_log l ON l.pending_id = p.id WHERE l.id IS NULL');
    } catch { return false; } // no audit_pending yet (a database not migrated)
    if (left === '0') return true;
    if (Date.now() >= until) return false;
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 25);
  }
}

/** Run SQL as root without waiting for the chain (a test looking at the moment itself). */
export function rawSql(socket, database, query) {
  const out = execFileSync(
    'mariadb',
    ['--no-defaults', '-S', socket, '-uroot', '--batch', '--skip-column-names', '--raw', database, '-e', query],
    { encoding: 'utf8' },
  );
  return out
    .split('\n')
    .filter((line) => line.length > 0)
    .map((line) => line.split('\t').map((cell) => (cell === 'NULL' ? null : cell)));
}

export async function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Run an alvd subcommand against env; returns {status, stdout, stderr}. */
export function runAlvd(args, env, input) {
  try {
    const stdout = execFileSync(binary, args, {
      env: { ...process.env, ...env },
      encoding: 'utf8',
      input,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    return { status: 0, stdout, stderr: '' };
  } catch (error) {
    return { status: error.status, stdout: error.stdout || '', stderr: error.stderr || '' };
  }
}

/**
 * Start alvd on a fresh database. Options: demo (load demo data), env (extra
 * environment), socket (another MariaDB server), migrate (default true), database and
 * keepDatabase (an existing database, not dropped at stop), dataDir (an existing data
 * directory with its keys, shared with another process and not removed at stop).
 * Returns an object with url, env, client(), login(role), sql(q), stop(), kill(), start().
 */
export async function startAlvd(options = {}) {
  const socket = options.socket || ensureDatabaseServer();
  const database = options.database || `t_${randomBytes(6).toString('hex')}`;
  const ownsDataDir = !options.dataDir;
  const dataDir = options.dataDir || mkdtempSync(join(tmpdir(), 'alvd-data-'));
  const port = await freePort();
  execFileSync('mariadb', ['--no-defaults', '-S', socket, '-uroot', '-e',
    `CREATE DATABASE IF NOT EXISTS ${database} CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`]);
  const env = {
    ALVD_LISTEN: `127.0.0.1:${port}`,
    ALVD_PUBLIC_URL: `http://127.0.0.1:${port}`,
    ALVD_DB_SOCKET: socket,
    ALVD_DB_NAME: database,
    ...databaseAccounts(socket),
    ALVD_DATA_DIR: dataDir,
    ALVD_WEB_DIR: join(sourceDir, 'web'),
    ALVD_MIGRATIONS_DIR: join(sourceDir, 'migrations'),
    ...(options.env || {}),
  };
  const instance = {
    url: `http://127.0.0.1:${port}`,
    port, env, socket, database, dataDir, process: null, log: '',
    client(extra = {}) { return new Client(instance.url, extra); },
    async login(role) {
      const c = instance.client();
      await c.login(demoLogin(role).email, demoLogin(role).password);
      return c;
    },
    sql(query) { return sql(instance.socket, database, query); },
    run(args, input) { return runAlvd(args, env, input); },
    async start() {
      const child = spawn(binary, ['serve'], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
      instance.process = child;
      child.stdout.on('data', (d) => { instance.log += d; });
      child.stderr.on('data', (d) => { instance.log += d; });
      const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
      instance.exited = exited;
      for (let i = 0; i < 200; i++) {
        if (child.exitCode !== null) throw new Error(`alvd exited early:\n${instance.log}`);
        try {
          const response = await fetch(`${instance.url}/api/health`);
          if (response.status === 200 || response.status === 503) return instance;
        } catch { /* not listening yet */ }
        await new Promise((r) => setTimeout(r, 50));
      }
      throw new Error(`alvd did not start:\n${instance.log}`);
    },
    async kill(signal = 'SIGTERM') {
      if (!instance.process || instance.process.exitCode !== null) return { code: instance.process?.exitCode };
      instance.process.kill(signal);
      return instance.exited;
    },
    async stop() {
      const wasRunning = instance.process && instance.process.exitCode === null && !instance.process.killed;
      const result = await instance.kill('SIGTERM');
      // ALVD_TEST_LOG_DIR keeps each server's log (scripts/test sets it to var/test-logs).
      if (process.env.ALVD_TEST_LOG_DIR) {
        try {
          mkdirSync(process.env.ALVD_TEST_LOG_DIR, { recursive: true });
          writeFileSync(join(process.env.ALVD_TEST_LOG_DIR, `${database}-${port}.log`), instance.log);
        } catch { /* a log that cannot be kept does not fail the test */ }
      }
      // A sanitizer report (leak, UB, bad access) makes alvd exit non-zero: fail loudly.
      const unclean = wasRunning && !options.allowUncleanExit && (result.code !== 0 || result.signal);
      if (!options.keepDatabase) {
        try {
          // MariaDB keeps table grants of a dropped database; the role's go with it.
          execFileSync('mariadb', ['--no-defaults', '-S', instance.socket, '-uroot', '-e',
            `DROP DATABASE IF EXISTS ${database}; DELETE FROM mysql.tables_priv WHERE Db = '${database}'; FLUSH PRIVILEGES`]);
        } catch { /* the server may be gone in fault tests */ }
      }
      if (!options.keepDatabase && ownsDataDir) rmSync(dataDir, { recursive: true, force: true });
      if (unclean) {
        throw new Error(`alvd did not exit cleanly (code ${result.code}, signal ${result.signal}):\n${instance.log.slice(-4000)}`);
      }
      return result;
    },
  };
  if (options.migrate !== false) {
    const migrated = runAlvd(['migrate'], env);
    if (migrated.status !== 0) throw new Error(`migrate failed: ${migrated.stderr}`);
  }
  if (options.demo) {
    const demo = runAlvd(['demo'], env);
    if (demo.status !== 0) throw new Error(`demo failed: ${demo.stderr}`);
    instance.demoOutput = demo.stdout;
  }
  if (options.serve !== false) await instance.start();
  return instance;
}

/**
 * fetch, retried when a pooled keep-alive connection turns out closed before any
 * answer. Tests block the event loop with execFileSync (alvd subcommands), so undici's
 * idle timer cannot retire a connection that alvd closed after its 60 s idle timeout;
 * the request never reached alvd, so sending it again on a new connection is safe. The
 * pool may hold several such connections, so a few attempts, not one.
 */
async function fetchOnce(url, init) {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fetch(url, init);
    } catch (error) {
      const code = error?.cause?.code;
      if ((code !== 'UND_ERR_SOCKET' && code !== 'EPIPE' && code !== 'ECONNRESET') || attempt >= 4) throw error;
    }
  }
}

/** A tiny HTTP client: bearer token by default, or cookie + CSRF like a browser. */
export class Client {
  constructor(base, { cookies = false } = {}) {
    this.base = base;
    this.useCookies = cookies;
    this.token = null;
    this.cookie = null;
    this.csrf = null;
  }

  async request(method, path, body, { headers = {}, raw = false, contentType } = {}) {
    const h = { ...headers };
    if (this.token && !this.useCookies) h.Authorization = `Bearer ${this.token}`;
    if (this.cookie) h.Cookie = this.cookie;
    if (this.csrf && this.useCookies && h['X-CSRF-Token'] === undefined) h['X-CSRF-Token'] = this.csrf;
    let payload;
    if (body !== undefined) {
      if (raw) { payload = body; h['Content-Type'] = contentType || 'application/octet-stream'; }
      else { payload = JSON.stringify(body); h['Content-Type'] = contentType || 'application/json'; }
    }
    const response = await fetchOnce(this.base + path, { method, headers: h, body: payload, redirect: 'manual' });
    const text = await response.text();
    let json = null;
    try { json = text ? JSON.parse(text) : null; } catch { json = null; }
    const setCookie = response.headers.get('set-cookie');
    if (setCookie && this.useCookies) this.cookie = setCookie.split(';')[0];
    return { status: response.status, headers: response.headers, text, json };
  }

  get(path, options) { return this.request('GET', path, undefined, options); }
  post(path, body = {}, options) { return this.request('POST', path, body, options); }
  put(path, body = {}, options) { return this.request('PUT', path, body, options); }
  patch(path, body = {}, options) { return this.request('PATCH', path, body, options); }
  delete(path, options) { return this.request('DELETE', path, undefined, options); }

  /** Adopt a login response ({token, csrf}) of any flavour (password, ticket, link). */
  adopt(response) {
    if (response.status !== 200) throw new Error(`login failed: ${response.status} ${response.text}`);
    this.token = response.json.token;
    this.csrf = response.json.csrf;
    return response;
  }

  /**
   * Log in as a staff user, with the second factor where the account has one (codes from
   * the demo's or a remembered secret), and enrolling one first where the role requires
   * it (the secret is then remembered for later logins of the same user).
   */
  async login(email, password) {
    let response = await this.post('/api/session', { email, password });
    if (response.status === 401 && response.json?.code === 'totp_required') {
      response = await this.post('/api/session', { email, password, totp: await freshTotpCode(this.base, email) });
    }
    this.adopt(response);
    if (response.json.second_factor?.session === 'enrolment') await this.enrolTotp(email);
    return response;
  }

  /** Set up TOTP for the logged-in user: returns {secret, recovery_codes}. */
  async enrolTotp(email) {
    const started = await this.post('/api/session/totp', {});
    if (started.status !== 200) throw new Error(`TOTP enrolment failed: ${started.status} ${started.text}`);
    const { secret } = started.json;
    const confirmed = await this.post('/api/session/totp/confirm', { code: await freshTotpCode(this.base, email, secret) });
    if (confirmed.status !== 200) throw new Error(`TOTP confirmation failed: ${confirmed.status} ${confirmed.text}`);
    rememberTotpSecret(this.base, email, secret);
    return { secret, recovery_codes: confirmed.json.recovery_codes };
  }
}

export function skipUnlessFile(path) { return existsSync(path) ? false : `missing ${path}`; }
