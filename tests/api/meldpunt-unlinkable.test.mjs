// Issue 15 point 2: nothing stored links a meldpunt report to the reporter's address.
// Reporters on several loopback addresses (127.0.0.x) send reports and follow them up;
// then an attacker with every file under keys/ and a full mariadb-dump tries every
// address of 127.0.0.0/24 under every key, bucket name and hash length the code could
// have used, and finds none of them. The same attack does find the address of a failed
// staff login (rate_events, keyed with keys/rate-limit.key): the search works. The
// anonymous routes are still rate limited, in memory.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { startAlvd } from './lib/alvd.mjs';
import { blake2b } from './lib/blake2b.mjs';

const REPORTERS = ['127.0.0.23', '127.0.0.47', '127.0.0.89', '127.0.0.131', '127.0.0.201'];
const STAFF_ADDRESS = '127.0.0.250';
let alvd;

/** POST JSON to alvd from a given local address (a reporter's own machine). */
function postFrom(address, path, body) {
  const payload = Buffer.from(JSON.stringify(body));
  return new Promise((resolve, reject) => {
    const request = http.request({
      host: '127.0.0.1', port: alvd.port, path, method: 'POST', localAddress: address, agent: false,
      headers: { 'Content-Type': 'application/json', 'Content-Length': payload.length },
    }, (response) => {
      const chunks = [];
      response.on('data', (chunk) => chunks.push(chunk));
      response.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({ status: response.statusCode, json: text ? JSON.parse(text) : null, text });
      });
    });
    request.on('error', reject);
    request.end(payload);
  });
}

const report = (n) => ({
  reporter: { name: `Melder ${n}`, email: `melder${n}@thuis.example` }, organisation_id: 1, norms: ['6a'],
  text: `Melding nummer ${n} over de wachttijd.`,
});

/** Every file under dir, recursively. */
function filesUnder(dir) {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    return statSync(full).isDirectory() ? filesUnder(full) : [full];
  });
}

before(async () => {
  alvd = await startAlvd();
  alvd.sql(`INSERT INTO organisations (id, name, kvk, created_at, updated_at) VALUES
    (1, 'Bel Gerust BV', '12345678', UTC_TIMESTAMP(6), UTC_TIMESTAMP(6))`);
  alvd.sql(`INSERT INTO code_versions (id, label, effective_from, created_at) VALUES (1, 'Code 2025', '2025-01-01', UTC_TIMESTAMP(6))`);
  alvd.sql(`INSERT INTO code_articles (version_id, article_id, position, title, text) VALUES (1, '6a', 1, 'Eerlijke beloning', 'tekst')`);
  const made = alvd.run(['user', 'add', '--email', 'mp@onkoppelbaar.example', '--name', 'Functionaris', '--role', 'meldpunt',
    '--password-stdin'], 'functionaris-wachtwoord\n');
  assert.equal(made.status, 0, made.stderr);
  const officer = alvd.client();
  await officer.login('mp@onkoppelbaar.example', 'functionaris-wachtwoord');
  assert.equal((await officer.post('/api/meldpunt/setup', { passphrase: 'een lange eigen wachtzin' })).status, 201);
});

after(async () => {
  await alvd?.stop();
  assert.doesNotMatch(alvd?.log || '', /AddressSanitizer|runtime error|LeakSanitizer/, 'alvd ran clean under the sanitizers');
});

test('reports from several addresses are taken in; the limit per address holds, in memory only', async () => {
  let n = 0;
  for (const address of REPORTERS.slice(0, 4)) {
    const answer = await postFrom(address, '/api/reports', report(++n));
    assert.equal(answer.status, 201, `${address}: ${answer.text}`);
    // Following up with the receipt, and once with a wrong one (the receipt bucket).
    assert.equal((await postFrom(address, '/api/reports/follow-up', { receipt: answer.json.receipt })).status, 200);
    assert.equal((await postFrom(address, '/api/reports/follow-up', { receipt: '1111 2222 3333 4444 5555' })).status, 404);
  }
  assert.equal((await postFrom('127.0.0.47', '/api/reports', report(++n))).status, 201);
  // Ten reports per address per ten minutes: the eleventh from one address waits, another address does not.
  for (let i = 0; i < 10; i++) {
    const answer = await postFrom('127.0.0.201', '/api/reports', report(++n));
    assert.equal(answer.status, 201, answer.text);
  }
  const eleventh = await postFrom('127.0.0.201', '/api/reports', report(++n));
  assert.equal(eleventh.status, 429);
  assert.equal(eleventh.json.code, 'too_many_attempts');
  assert.equal((await postFrom('127.0.0.202', '/api/reports', report(++n))).status, 201, 'another address is not limited');
  REPORTERS.push('127.0.0.202');
  // Wrong receipts: ten per address, then 429.
  for (let i = 0; i < 9; i++) await postFrom('127.0.0.89', '/api/reports/follow-up', { receipt: `1111 2222 3333 4444 ${5000 + i}` });
  assert.equal((await postFrom('127.0.0.89', '/api/reports/follow-up', { receipt: '1111 2222 3333 4444 9999' })).status, 429);
  // None of it is a row in the database: no time of a report to align with.
  assert.equal(alvd.sql(`SELECT COUNT(*) FROM rate_events WHERE bucket LIKE 'meldpunt%'`)[0][0], '0');
  // The control: a failed staff login from another address is a database row as before.
  const login = await postFrom(STAFF_ADDRESS, '/api/session', { email: 'mp@onkoppelbaar.example', password: 'fout' });
  assert.equal(login.status, 401);
  assert.equal(alvd.sql(`SELECT COUNT(*) FROM rate_events WHERE bucket = 'login_client'`)[0][0], '1');
});

test('with every file under keys/ and a full dump, no reporter address is found by trying every address', async () => {
  const dump = execFileSync('mariadb-dump', ['--no-defaults', '-S', alvd.socket, '-uroot', '--hex-blob', alvd.database],
    { encoding: 'utf8', maxBuffer: 512 * 1024 * 1024 });
  assert.ok(dump.includes('meldpunt_reports') && dump.includes('Bel Gerust BV'), 'a real dump');
  const files = filesUnder(alvd.dataDir);
  const keyFiles = files.filter((file) => file.includes(`${join(alvd.dataDir, 'keys')}/`));
  assert.ok(keyFiles.some((file) => file.endsWith('rate-limit.key')), `keys/ holds the rate-limit key: ${keyFiles}`);

  // 1. No address in the clear, anywhere.
  for (const address of REPORTERS) {
    assert.ok(!dump.includes(address), `the dump names ${address}`);
    for (const file of files) assert.ok(!readFileSync(file).includes(Buffer.from(address)), `${file} names ${address}`);
  }

  // 2. Every value of at most 64 bytes in the dump, as the attacker sees them.
  const stored = new Set();
  for (const [, hex] of dump.matchAll(/0x([0-9A-F]{2,128})(?![0-9A-F])/g)) stored.add(hex.toLowerCase());
  // Keys: none, every key file up to 64 bytes whole, and every 32-byte slice of longer ones.
  const keys = [Buffer.alloc(0)];
  for (const file of keyFiles) {
    const bytes = readFileSync(file);
    if (bytes.length <= 64) keys.push(bytes);
    for (let at = 0; at + 32 <= bytes.length && bytes.length > 64; at += 32) keys.push(bytes.subarray(at, at + 32));
  }
  const buckets = new Set(['meldpunt_report', 'meldpunt_receipt', 'login_client', 'link_client', 'link_use', 'ticket_use', 'feed_token']);
  for (const [bucket] of alvd.sql('SELECT DISTINCT bucket FROM rate_events')) buckets.add(bucket);
  const found = new Set();
  for (let x = 0; x < 256; x++) {
    const address = Buffer.from(`127.0.0.${x}`);
    const messages = [address, ...[...buckets].map((bucket) => Buffer.concat([Buffer.from(bucket), Buffer.from([0]), address]))];
    for (const key of keys) {
      for (const message of messages) {
        for (const length of [16, 32]) {
          if (stored.has(blake2b(message, length, key).toString('hex'))) found.add(`127.0.0.${x}`);
        }
      }
    }
  }
  assert.deepEqual([...found], [STAFF_ADDRESS], 'only the failed staff login is recoverable, no reporter');
});
