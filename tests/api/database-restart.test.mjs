// MariaDB stopped and started again while alvd runs: 503 with Retry-After meanwhile,
// then 200 again without restarting alvd, and no half-written change.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startAlvd, ensureDatabaseServer, sourceDir, demoLogins } from './lib/alvd.mjs';

const dbDir = mkdtempSync(join(tmpdir(), 'alvd-restart-db-'));
const db = (command) => execFileSync(join(sourceDir, 'scripts', 'db'), [command, dbDir], { stdio: 'ignore' });
let alvd;

after(async () => {
  await alvd?.stop();
  try { db('stop'); } catch { /* already stopped */ }
  rmSync(dbDir, { recursive: true, force: true });
});

test('503 while the database is down, 200 after it is back, same alvd process', async () => {
  const socket = ensureDatabaseServer(dbDir);
  alvd = await startAlvd({ demo: true, socket });
  const board = await alvd.login('board');
  assert.equal((await board.get('/api/session')).status, 200);
  const pid = alvd.process.pid;

  db('stop');
  const health = await alvd.client().get('/api/health');
  assert.equal(health.status, 503);
  assert.equal(health.json.db, 'unavailable');
  assert.ok(Number(health.headers.get('retry-after')) > 0);
  const session = await board.get('/api/session');
  assert.equal(session.status, 503);
  assert.equal(session.json.code, 'database_unavailable');
  assert.ok(session.headers.get('retry-after'));
  const login = await alvd.client().post('/api/session', demoLogins.chair);
  assert.equal(login.status, 503);

  db('start');
  let healthy = null;
  for (let i = 0; i < 50 && healthy?.status !== 200; i++) {
    healthy = await alvd.client().get('/api/health');
    if (healthy.status !== 200) await new Promise((r) => setTimeout(r, 100));
  }
  assert.equal(healthy.status, 200);
  assert.equal(alvd.process.pid, pid);
  assert.equal(alvd.process.exitCode, null, 'alvd kept running');
  assert.equal((await board.get('/api/session')).status, 200, 'the session survived in the database');
  const chair = await alvd.login('chair');
  assert.equal((await chair.get('/api/session')).status, 200);
  const verify = alvd.run(['audit', 'verify']);
  assert.equal(verify.status, 0, verify.stdout);
});
