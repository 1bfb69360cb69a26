// Log lines (issue 19): one line per event; "json" gives one JSON object per line for a
// log shipper, "journal" the priority prefixes systemd's journal reads; an environment
// file supplies settings the environment does not set.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startAlvd, runAlvd } from './lib/alvd.mjs';

async function logOf(env) {
  const alvd = await startAlvd({ env });
  await alvd.client().get('/api/health');
  await alvd.stop();
  return alvd.log.split('\n').filter(Boolean);
}

test('ALVD_LOG_FORMAT=json: every line is one JSON object with time, level and message', async () => {
  const lines = await logOf({ ALVD_LOG_FORMAT: 'json' });
  assert.ok(lines.length >= 3, lines.join('\n'));
  for (const line of lines) {
    const entry = JSON.parse(line);
    assert.deepEqual(Object.keys(entry), ['time', 'level', 'message']);
    assert.match(entry.time, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    assert.ok(['info', 'warn', 'error'].includes(entry.level));
  }
  assert.ok(lines.some((l) => /listening on 127\.0\.0\.1:\d+/.test(JSON.parse(l).message)));
  assert.ok(lines.some((l) => JSON.parse(l).message === 'stopped'));
});

test('ALVD_LOG_FORMAT=journal: a syslog priority, no time stamp (the journal adds its own)', async () => {
  const lines = await logOf({ ALVD_LOG_FORMAT: 'journal' });
  for (const line of lines) assert.match(line, /^<[346]>\S/, line);
  assert.ok(lines.some((l) => /^<6>alvd \S+ listening on/.test(l)));
  const text = await logOf({});
  assert.ok(text.every((l) => /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ (info|warn|error) /.test(l)), text.join('\n'));
});

test('an environment file fills in what the environment does not set', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'alvd-env-'));
  try {
    writeFileSync(join(dir, 'alvd.env'), '# a comment\n\n; another\nALVD_LOG_FORMAT="json"\n  ALVD_METRICS_TOKEN = from-the-file  \n');
    const lines = await logOf({ ALVD_ENV_FILE: join(dir, 'alvd.env') });
    assert.ok(lines.every((l) => JSON.parse(l).level), 'the file chose json');
    const overridden = await logOf({ ALVD_ENV_FILE: join(dir, 'alvd.env'), ALVD_LOG_FORMAT: 'text' });
    assert.ok(overridden.every((l) => /^\d{4}-/.test(l)), 'the environment wins over the file');
    writeFileSync(join(dir, 'bad.env'), 'NOT A SETTING\n');
    const refused = runAlvd(['migrate'], { ALVD_ENV_FILE: join(dir, 'bad.env') });
    assert.equal(refused.status, 1);
    assert.match(refused.stderr, /bad\.env line 1 is not VARIABLE=value/);
  } finally { rmSync(dir, { recursive: true, force: true }); }
});
