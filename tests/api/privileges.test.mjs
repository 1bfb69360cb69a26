// Least privilege (issues 15 and 19): alvd serves as an account that cannot change or
// remove audit rows and runs no DDL; migrations run as a separate account that sets the
// service role's rights; `alvd setup-db` makes both; serve warns when it has too much.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { startAlvd, databaseAccounts, runAlvd } from './lib/alvd.mjs';

let alvd;
before(async () => { alvd = await startAlvd({ demo: true }); });
after(async () => { await alvd?.stop(); });

/** Run SQL as a given account; returns {ok, out, error}. */
function sqlAs(user, passwordFile, database, query) {
  try {
    const out = execFileSync('mariadb', ['--no-defaults', '-S', alvd.socket, `-u${user}`,
      `-p${readFileSync(passwordFile, 'utf8').trim()}`, '--batch', '--skip-column-names', database, '-e', query],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    return { ok: true, out };
  } catch (error) {
    return { ok: false, error: String(error.stderr) };
  }
}

function asService(query) {
  return sqlAs('alvd', databaseAccounts(alvd.socket).ALVD_DB_PASSWORD_FILE, alvd.database, query);
}

test('alvd serves as the service account, which cannot change or remove audit rows nor run DDL', async () => {
  const admin = await alvd.login('admin');
  assert.equal((await admin.get('/api/audit?limit=1')).status, 200, 'serving works with the role\'s rights');
  assert.doesNotMatch(alvd.log, /connected to MariaDB as root|may change audit rows|holds DDL rights/);
  const entries = Number(alvd.sql('SELECT COUNT(*) FROM audit_log')[0][0]);
  assert.ok(entries > 10);
  const refused = [
    "UPDATE audit_log SET actor_label = 'mallory@evil.example' WHERE id = 3",
    'DELETE FROM audit_log WHERE id = 2',
    'DELETE FROM audit_log',
    'UPDATE audit_heads SET id = id + 1000',
    'DELETE FROM audit_heads',
    'UPDATE audit_lock SET id = 2',
    'DELETE FROM audit_lock',
    'INSERT INTO audit_lock (id) VALUES (9)',
    "UPDATE schema_migrations SET checksum = 'x'",
    'TRUNCATE TABLE audit_log',
    'DROP TABLE audit_log',
    "ALTER TABLE audit_log COMMENT = 'free for all'",
    'CREATE TABLE scratch (id INT PRIMARY KEY)',
    'CREATE INDEX audit_action ON audit_log (action)',
    'GRANT UPDATE ON audit_log TO alvd_service',
  ];
  for (const statement of refused) {
    const result = asService(statement);
    assert.equal(result.ok, false, `the service account ran: ${statement}`);
    assert.match(result.error, /denied/i, statement);
  }
  assert.equal(Number(alvd.sql('SELECT COUNT(*) FROM audit_log')[0][0]), entries);
  assert.equal(runVerify().status, 0, 'the chain is untouched');
  // …while serving still adds audit entries and changes ordinary rows.
  assert.equal(asService('UPDATE sessions SET last_seen_at = last_seen_at WHERE id = 1').ok, true);
  await alvd.login('secretariat');
  assert.equal(Number(alvd.sql('SELECT COUNT(*) FROM audit_log')[0][0]), entries + 1, 'the login was audited');
  assert.equal(runVerify().status, 0);
});

function runVerify() { return alvd.run(['audit', 'verify']); }

test('migrate sets the role\'s rights from the table comment, and takes back rights granted by hand', () => {
  // A new append-only table, as a later migration would add it (created here by root).
  alvd.sql("CREATE TABLE extra_log (id BIGINT PRIMARY KEY, note VARCHAR(20)) COMMENT = 'alvd:append-only: test'");
  alvd.sql('CREATE TABLE extra_rows (id BIGINT PRIMARY KEY, note VARCHAR(20))');
  alvd.sql('GRANT UPDATE, DELETE ON audit_log TO alvd_service');
  const migrated = alvd.run(['migrate']);
  assert.equal(migrated.status, 0, migrated.stderr);
  assert.match(migrated.stdout, /0 applied, database up to date/);
  assert.equal(asService("INSERT INTO extra_log VALUES (1, 'a')").ok, true);
  assert.equal(asService("UPDATE extra_log SET note = 'b'").ok, false);
  assert.equal(asService('DELETE FROM extra_log').ok, false);
  assert.equal(asService("INSERT INTO extra_rows VALUES (1, 'a')").ok, true);
  assert.equal(asService("UPDATE extra_rows SET note = 'b'").ok, true);
  assert.equal(asService('DELETE FROM extra_rows').ok, true);
  assert.equal(asService("UPDATE audit_log SET action = 'x' WHERE id = 1").ok, false, 'the hand-made grant is gone');
  alvd.sql('DROP TABLE extra_log, extra_rows');
});

test('serve warns when it connects as root, and when its account may change audit rows', async () => {
  const asRoot = await startAlvd({ env: { ALVD_DB_USER: 'root', ALVD_DB_PASSWORD_FILE: '' } });
  try {
    assert.match(asRoot.log, /warn connected to MariaDB as root \(root@localhost\)/);
  } finally { await asRoot.stop(); }
  const loose = await startAlvd({ serve: false });
  try {
    loose.sql('GRANT UPDATE ON audit_heads TO alvd_service');
    await loose.start();
    assert.match(loose.log, /may change audit rows \(UPDATE audit_heads\)/);
    assert.doesNotMatch(loose.log, /as root/);
  } finally { await loose.stop(); }
});

test('setup-db makes the database and both accounts, writes the passwords, and a second run keeps them', async () => {
  const tag = randomBytes(4).toString('hex');
  const database = `t_setup_${tag}`;
  const dir = mkdtempSync(join(tmpdir(), 'alvd-setup-'));
  const env = {
    ALVD_DB_NAME: database,
    ALVD_DB_USER: `svc_${tag}`,
    ALVD_DB_PASSWORD_FILE: join(dir, 'db-password'),
    ALVD_DB_MIGRATE_USER: `mig_${tag}`,
    ALVD_DB_MIGRATE_PASSWORD_FILE: join(dir, 'db-migrate-password'),
    ALVD_DB_ROLE: `role_${tag}`,
  };
  try {
    const first = alvdWith(env, ['setup-db']);
    assert.equal(first.status, 0, first.stderr);
    assert.match(first.stdout, /new password written to .*db-password \(mode 640\)/);
    assert.match(first.stdout, /new password written to .*db-migrate-password \(mode 600\)/);
    assert.match(first.stdout, /next: alvd migrate/);
    assert.doesNotMatch(first.stdout, new RegExp(readFileSync(env.ALVD_DB_PASSWORD_FILE, 'utf8').trim()),
      'no password is printed');
    assert.equal(statSync(env.ALVD_DB_PASSWORD_FILE).mode & 0o777, 0o640);
    assert.equal(statSync(env.ALVD_DB_MIGRATE_PASSWORD_FILE).mode & 0o777, 0o600);
    assert.deepEqual(alvd.sql(`SELECT DEFAULT_CHARACTER_SET_NAME, DEFAULT_COLLATION_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = '${database}'`),
      [['utf8mb4', 'utf8mb4_unicode_ci']]);
    const grants = alvd.sql(`SHOW GRANTS FOR '${env.ALVD_DB_USER}'@'localhost'`).map((r) => r[0]).join('\n');
    assert.match(grants, new RegExp(`GRANT \`role_${tag}\` TO`));
    assert.doesNotMatch(grants, /ON `?t_setup/, 'the service account holds no right of its own on the database');
    const migrateGrants = alvd.sql(`SHOW GRANTS FOR '${env.ALVD_DB_MIGRATE_USER}'@'localhost'`).map((r) => r[0]).join('\n');
    assert.match(migrateGrants, /GRANT ALL PRIVILEGES ON `t\\_setup\\_[0-9a-f]+`\.\* TO .* WITH GRANT OPTION/);

    const password = readFileSync(env.ALVD_DB_PASSWORD_FILE, 'utf8');
    const second = alvdWith(env, ['setup-db']);
    assert.equal(second.status, 0, second.stderr);
    assert.match(second.stdout, /password kept from/);
    assert.equal(readFileSync(env.ALVD_DB_PASSWORD_FILE, 'utf8'), password);

    // The whole life: migrate as the migration account, serve as the service account.
    const own = await startAlvd({ database, keepDatabase: true, env });
    try {
      assert.equal((await own.client().get('/api/health')).status, 200);
      assert.doesNotMatch(own.log, /warn (connected to MariaDB as root|the database account)/);
    } finally { await own.stop(); }
  } finally {
    alvd.sql(`DROP DATABASE IF EXISTS ${database}; DROP USER IF EXISTS '${env.ALVD_DB_USER}'@'localhost', '${env.ALVD_DB_MIGRATE_USER}'@'localhost'; DROP ROLE IF EXISTS role_${tag}; DELETE FROM mysql.tables_priv WHERE Db = '${database}'; FLUSH PRIVILEGES`);
    rmSync(dir, { recursive: true, force: true });
  }
});

test('setup-db refuses root or one account for both jobs, and says which setting to change', () => {
  const same = alvdWith({ ALVD_DB_USER: 'alvd', ALVD_DB_MIGRATE_USER: 'alvd' }, ['setup-db']);
  assert.notEqual(same.status, 0);
  assert.match(same.stderr, /must be two accounts other than root/);
  const root = alvdWith({ ALVD_DB_USER: 'root', ALVD_DB_MIGRATE_USER: 'alvd_migrate' }, ['setup-db']);
  assert.notEqual(root.status, 0);
  assert.match(root.stderr, /ALVD_DB_USER=root/);
});

function alvdWith(env, args) {
  return runAlvd(args, { ...alvd.env, ...env });
}
