// The Debian package (issue 19), as root on this machine: scripts/package builds it,
// lintian finds no error, dpkg -i installs it, systemd-analyze verify accepts the unit,
// the administrator's steps (edit /etc/alvd/alvd.env, alvd setup-db, alvd migrate) run
// against the test database, alvd serve runs the way the unit runs it (as the user alvd,
// with only the environment file's variables, no privileges) and answers /api/health
// 200, and dpkg --purge leaves the machine as it was. One run at a time per machine.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { appendFileSync, chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { sourceDir, freePort } from '../api/lib/alvd.mjs';

const root = process.getuid && process.getuid() === 0;
let lock = null;
let databaseDir = null;
let socket;
let deb;

function run(command, args, options = {}) {
  const result = spawnSync(command, args, { encoding: 'utf8', ...options });
  return { status: result.status, stdout: result.stdout || '', stderr: result.stderr || '' };
}

/** Users and groups as getent knows them (for "the machine as it was"). */
const getent = (database, name) => run('getent', [database, name]).status === 0;
const installed = () => run('dpkg-query', ['-W', '-f=${Status}', 'alvd']).stdout.includes('install ok installed');

function purgeIfInstalled() {
  if (run('dpkg-query', ['-W', 'alvd']).status === 0) run('dpkg', ['--purge', 'alvd']);
}

before(async () => {
  if (!root) return;
  // A machine-wide lock: worktrees of one machine install the same package name.
  // --no-fork: flock, sh and cat are one process holding the lock; cat ends when this
  // test closes its input, or dies (a ctest timeout), so the lock never outlives us.
  lock = spawn('flock', ['--exclusive', '--no-fork', '/run/lock/alvd-package-test.lock', 'sh', '-c', 'echo locked; exec cat >/dev/null'],
    { stdio: ['pipe', 'pipe', 'inherit'] });
  await new Promise((resolve) => lock.stdout.once('data', resolve));
  purgeIfInstalled(); // a run that was killed half-way
  // A MariaDB server of its own, where the user alvd can reach the socket (the source
  // tree may sit in a home directory it cannot enter), with the package's default
  // database and account names.
  databaseDir = mkdtempSync('/tmp/alvd-package-db-');
  chmodSync(databaseDir, 0o755);
  execFileSync(join(sourceDir, 'scripts', 'db'), ['start', databaseDir], { stdio: 'ignore' });
  socket = join(databaseDir, 'mysqld.sock');
});

after(() => {
  if (!root) return;
  purgeIfInstalled();
  if (databaseDir) {
    run(join(sourceDir, 'scripts', 'db'), ['stop', databaseDir]);
    rmSync(databaseDir, { recursive: true, force: true });
  }
  if (lock) lock.stdin.end();
});

test('build, lintian, install, serve as the unit does, purge', { skip: root ? false : 'needs root (CI runs it as root)' }, async (t) => {
  const before = { user: getent('passwd', 'alvd'), group: getent('group', 'alvd'), etc: existsSync('/etc/alvd'), data: existsSync('/var/lib/alvd') };
  assert.deepEqual(before, { user: false, group: false, etc: false, data: false }, 'the machine has no alvd installation to start with');

  // Build.
  const built = run(join(sourceDir, 'scripts', 'package'), [], { cwd: sourceDir });
  assert.equal(built.status, 0, built.stderr);
  deb = built.stdout.trim().split('\n').pop();
  const version = /project\(alvd VERSION ([0-9.]+)/.exec(readFileSync(join(sourceDir, 'CMakeLists.txt'), 'utf8'))[1];
  const arch = execFileSync('dpkg', ['--print-architecture'], { encoding: 'utf8' }).trim();
  assert.equal(deb, join(sourceDir, 'dist', `alvd_${version}_${arch}.deb`));
  const contents = execFileSync('dpkg-deb', ['--contents', deb], { encoding: 'utf8' });
  for (const path of ['./usr/bin/alvd', './usr/share/alvd/web/index.html', './usr/share/alvd/migrations/0001_foundation.sql',
    './etc/alvd/alvd.env', './lib/systemd/system/alvd.service', './usr/share/man/man8/alvd.8.gz', './usr/share/doc/alvd/copyright'])
    assert.ok(contents.includes(` ${path}\n`), `the package holds ${path}`);
  assert.equal(execFileSync('dpkg-deb', ['--field', deb, 'Package'], { encoding: 'utf8' }).trim(), 'alvd');
  const depends = execFileSync('dpkg-deb', ['--field', deb, 'Depends'], { encoding: 'utf8' });
  for (const library of ['libmicrohttpd12', 'libmariadb3', 'libsodium23', 'libqrencode4', 'libjansson4', 'libcurl4', 'adduser'])
    assert.match(depends, new RegExp(`\\b${library}\\b`), `depends on ${library}`);
  const conffiles = run('sh', ['-c', `dpkg-deb --info "${deb}" conffiles`]);
  assert.equal(conffiles.stdout.trim(), '/etc/alvd/alvd.env');

  // lintian: no errors (warnings and notes are printed for the reader).
  const lintian = run('lintian', ['--fail-on', 'error', '--tag-display-limit', '0', deb]);
  t.diagnostic(`lintian: ${lintian.stdout.trim() || '(no tags)'}`);
  assert.equal(lintian.status, 0, lintian.stdout + lintian.stderr);
  assert.doesNotMatch(lintian.stdout, /^E: /m);

  // Install.
  const install = run('dpkg', ['--install', deb]);
  assert.equal(install.status, 0, install.stdout + install.stderr);
  assert.ok(installed());
  assert.ok(getent('passwd', 'alvd'), 'the system user exists');
  const passwd = execFileSync('getent', ['passwd', 'alvd'], { encoding: 'utf8' }).trim().split(':');
  assert.equal(passwd[5], '/var/lib/alvd');
  assert.equal(passwd[6], '/usr/sbin/nologin');
  assert.ok(Number(passwd[2]) < 1000, 'a system uid');
  const mode = (path) => (statSync(path).mode & 0o7777).toString(8);
  const owner = (path) => execFileSync('stat', ['-c', '%U:%G', path], { encoding: 'utf8' }).trim();
  assert.deepEqual([mode('/var/lib/alvd'), owner('/var/lib/alvd')], ['700', 'alvd:alvd']);
  assert.deepEqual([mode('/var/lib/alvd/keys'), owner('/var/lib/alvd/keys')], ['700', 'alvd:alvd']);
  assert.deepEqual([mode('/etc/alvd'), owner('/etc/alvd')], ['750', 'root:alvd']);
  assert.deepEqual([mode('/etc/alvd/alvd.env'), owner('/etc/alvd/alvd.env')], ['640', 'root:alvd']);
  assert.match(readFileSync('/etc/alvd/alvd.env', 'utf8'), /^#ALVD_DB_USER=alvd$/m, 'every setting is there, commented');

  // The unit.
  const verify = run('systemd-analyze', ['verify', '/lib/systemd/system/alvd.service']);
  t.diagnostic(`systemd-analyze verify: exit ${verify.status} ${verify.stdout}${verify.stderr}`.trim());
  assert.equal(verify.status, 0, verify.stdout + verify.stderr);
  assert.equal((verify.stdout + verify.stderr).trim(), '', 'systemd-analyze verify has nothing to say');
  const unit = readFileSync('/lib/systemd/system/alvd.service', 'utf8');
  for (const line of ['User=alvd', 'EnvironmentFile=/etc/alvd/alvd.env', 'ExecStart=/usr/bin/alvd serve', 'NoNewPrivileges=yes',
    'ProtectSystem=strict', 'ProtectHome=yes', 'PrivateTmp=yes', 'ReadWritePaths=/var/lib/alvd', 'CapabilityBoundingSet=\n',
    'Restart=on-failure', 'KillSignal=SIGTERM'])
    assert.ok(unit.includes(line.endsWith('\n') ? line : `${line}\n`), `the unit has ${line.trim()}`);
  const security = run('systemd-analyze', ['security', '--offline=true', '/lib/systemd/system/alvd.service']);
  t.diagnostic(`systemd-analyze security --offline: ${security.stdout.trim().split('\n').pop()}`);

  // The administrator's steps: point the environment file at the database, make the
  // database and accounts, migrate. Root's shell commands read the file themselves.
  const port = await freePort();
  appendFileSync('/etc/alvd/alvd.env', [
    '', '# this test\'s port and database server; everything else is the package\'s default',
    `ALVD_LISTEN=127.0.0.1:${port}`, `ALVD_PUBLIC_URL=http://127.0.0.1:${port}`, `ALVD_DB_SOCKET=${socket}`, ''].join('\n'));
  const shell = { env: { PATH: '/usr/sbin:/usr/bin:/sbin:/bin' } };
  const setup = run('/usr/bin/alvd', ['setup-db'], shell);
  assert.equal(setup.status, 0, setup.stdout + setup.stderr);
  assert.match(setup.stdout, /new password written to \/etc\/alvd\/db-password \(mode 640\)/);
  assert.deepEqual([mode('/etc/alvd/db-password'), owner('/etc/alvd/db-password')], ['640', 'root:alvd']);
  assert.deepEqual([mode('/etc/alvd/db-migrate-password'), owner('/etc/alvd/db-migrate-password')], ['600', 'root:root']);
  const migrate = run('/usr/bin/alvd', ['migrate'], shell);
  assert.equal(migrate.status, 0, migrate.stdout + migrate.stderr);
  assert.match(migrate.stdout, /migrations: \d+ applied, database up to date/);
  assert.match(migrate.stderr, /role alvd_service: rights set on \d+ tables/);

  // Serve as the unit does: user alvd, the environment file's variables and nothing
  // else, no capabilities, no new privileges, umask 0077, working directory /.
  const environment = { PATH: '/usr/sbin:/usr/bin:/sbin:/bin' };
  for (const line of readFileSync('/etc/alvd/alvd.env', 'utf8').split('\n')) {
    const match = /^\s*([A-Z_][A-Z0-9_]*)=(.*)$/.exec(line);
    if (match) environment[match[1]] = match[2];
  }
  const serve = spawn('sh', ['-c', 'umask 0077; exec setpriv --reuid=alvd --regid=alvd --init-groups --no-new-privs '
    + '--inh-caps=-all --bounding-set=-all /usr/bin/alvd serve'], { env: environment, cwd: '/', stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  serve.stdout.on('data', (d) => { log += d; });
  serve.stderr.on('data', (d) => { log += d; });
  const exited = new Promise((resolve) => serve.on('exit', (code, signal) => resolve({ code, signal })));
  try {
    let health = null;
    for (let i = 0; i < 300 && serve.exitCode === null; i++) {
      try { health = await fetch(`http://127.0.0.1:${port}/api/health`); break; } catch { await new Promise((r) => setTimeout(r, 100)); }
    }
    assert.ok(health, `alvd did not answer:\n${log}`);
    assert.equal(health.status, 200, log);
    assert.equal((await health.json()).status, 'ok');
    assert.equal((await fetch(`http://127.0.0.1:${port}/`)).status, 200, 'the web files come from /usr/share/alvd/web');
    assert.equal((await fetch(`http://127.0.0.1:${port}/metrics`)).status, 200);
    assert.match(log, /info alvd \S+ listening on 127\.0\.0\.1:\d+/);
    assert.doesNotMatch(log, /connected to MariaDB as root|may change audit rows|holds DDL rights/);
    // sh and setpriv exec into alvd: the pid is alvd's.
    const ps = (field) => execFileSync('ps', ['-o', `${field}=`, '-p', String(serve.pid)], { encoding: 'utf8' }).trim();
    assert.deepEqual([ps('user'), ps('comm')], ['alvd', 'alvd']);
    assert.deepEqual([mode('/var/lib/alvd/keys/rate-limit.key'), owner('/var/lib/alvd/keys/rate-limit.key')], ['600', 'alvd:alvd']);
    // doctor, as the service user, finds no problem.
    const doctor = run('setpriv', ['--reuid=alvd', '--regid=alvd', '--init-groups', '/usr/bin/alvd', 'doctor'], { env: environment, cwd: '/' });
    t.diagnostic(`alvd doctor (as alvd):\n${doctor.stdout}`);
    assert.equal(doctor.status, 0, doctor.stdout + doctor.stderr);
  } finally {
    serve.kill('SIGTERM');
  }
  const stopped = await exited;
  assert.deepEqual(stopped, { code: 0, signal: null }, `alvd stops cleanly on SIGTERM:\n${log}`);
  assert.match(log, /stopped/);

  // Purge: nothing of the package is left.
  const purge = run('dpkg', ['--purge', 'alvd']);
  assert.equal(purge.status, 0, purge.stdout + purge.stderr);
  assert.equal(installed(), false);
  for (const path of ['/usr/bin/alvd', '/usr/share/alvd', '/etc/alvd', '/var/lib/alvd', '/lib/systemd/system/alvd.service',
    '/usr/share/doc/alvd', '/usr/share/man/man8/alvd.8.gz'])
    assert.equal(existsSync(path), false, `${path} is gone`);
  assert.equal(getent('passwd', 'alvd'), false, 'the system user is gone');
  assert.equal(getent('group', 'alvd'), false, 'the system group is gone');
  assert.equal(run('dpkg-statoverride', ['--list', '/etc/alvd']).stdout, '');
  assert.equal(run('dpkg-statoverride', ['--list', '/etc/alvd/alvd.env']).stdout, '');
});
