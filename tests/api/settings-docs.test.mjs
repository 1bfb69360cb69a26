// Every setting alvd reads is where the administrator looks for it: a row of the
// configuration table in docs/operations.md and a commented line in the package's
// /etc/alvd/alvd.env (issue 19). A setting added without either fails here by name.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { sourceDir } from './lib/alvd.mjs';

/** Every .c file under server/, recursively. */
function sources(dir = join(sourceDir, 'server')) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sources(path) : name.endsWith('.c') ? [path] : [];
  });
}

/** The ALVD_* names alvd reads: every quoted name in config.c, every getenv elsewhere. */
function settingsRead() {
  const names = new Map();
  for (const file of sources()) {
    const text = readFileSync(file, 'utf8');
    const where = relative(sourceDir, file);
    const pattern = where === 'server/base/config.c' ? /"(ALVD_[A-Z0-9_]+)"/g : /getenv\("(ALVD_[A-Z0-9_]+)"\)/g;
    for (const [, name] of text.matchAll(pattern)) if (!names.has(name)) names.set(name, where);
  }
  return names;
}

// Tests only: documented as such, never offered in the package's settings file.
const testOnly = /^ALVD_TEST_/;
// Not for the service's file, so only named in its comments: ALVD_ENV_FILE points at the
// file itself; the administrator's password is for one setup-db; the migration account's
// password must stay unreadable to the service, which reads this file.
const commandOnly = new Set(['ALVD_ENV_FILE', 'ALVD_DB_ADMIN_PASSWORD', 'ALVD_DB_MIGRATE_PASSWORD']);

const operations = readFileSync(join(sourceDir, 'docs', 'operations.md'), 'utf8');
const environmentFile = readFileSync(join(sourceDir, 'packaging', 'deb', 'alvd.env'), 'utf8');
const tableRows = operations.split('\n').filter((line) => line.startsWith('| `ALVD_'));

test('every setting alvd reads has a row in the configuration table of docs/operations.md', () => {
  const names = settingsRead();
  assert.ok(names.size >= 30, `found ${names.size} settings: the scan works`);
  const missing = [...names].filter(([name]) => !tableRows.some((row) => row.split('|')[1].includes(`\`${name}\``)));
  assert.deepEqual(missing.map(([name, where]) => `${name} (read in ${where})`), []);
  for (const [name] of names) {
    if (!testOnly.test(name)) continue;
    const row = tableRows.find((line) => line.split('|')[1].includes(`\`${name}\``));
    assert.match(row, /tests only/, `${name} is documented as a setting for tests only`);
  }
});

test('every setting of the service is a commented line of packaging/deb/alvd.env, with its default', () => {
  const names = settingsRead();
  const lines = environmentFile.split('\n');
  const missing = [];
  for (const [name, where] of names) {
    if (testOnly.test(name)) {
      assert.ok(!environmentFile.includes(name), `${name} is for tests and stays out of the package's settings`);
      continue;
    }
    if (commandOnly.has(name)) {
      if (!environmentFile.includes(name)) missing.push(`${name} (read in ${where}; named in a comment)`);
      continue;
    }
    const line = lines.findIndex((text) => text.startsWith(`#${name}=`));
    if (line < 0) missing.push(`${name} (read in ${where})`);
    else {
      let above = line - 1;
      while (above > 0 && lines[above].startsWith('#ALVD_')) above--;
      assert.match(lines[above], /^# /, `#${name}= has a comment above it saying what it does`);
    }
  }
  assert.deepEqual(missing, []);
  const active = lines.filter((text) => /^ALVD_/.test(text));
  assert.deepEqual(active, [], 'every line is commented out: the defaults hold until the administrator sets one');
});
