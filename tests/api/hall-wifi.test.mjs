// What a phone on congested hall Wi-Fi gets (issue 12, point 7): web files compressed
// as Accept-Encoding asks (byte-identical after decompression), fingerprinted URLs
// cached for good while pages are revalidated, every page's module graph in its import
// map with nothing missing, only the page language's dictionary preloaded, the phone
// page's API answers preloaded by a Link header, large JSON answers gzipped when asked
// for, and the phone's poll in one request (GET /api/meetings/{id}/polls/current).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import zlib from 'node:zlib';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { startAlvd, sourceDir } from './lib/alvd.mjs';
import { addCycle, addProposal, hall, vote } from './lib/poll-fixtures.mjs';

const IMMUTABLE = 'public, max-age=31536000, immutable';
let alvd;

before(async () => { alvd = await startAlvd({ demo: true }); });
after(async () => { await alvd?.stop(); });

/** GET without any decoding: status, headers and the bytes as sent. */
function raw(path, headers = {}) {
  return new Promise((resolve, reject) => {
    const request = http.get(`${alvd.url}${path}`, { headers }, (response) => {
      const chunks = [];
      response.on('data', (chunk) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode, headers: response.headers, body: Buffer.concat(chunks) }));
    });
    request.on('error', reject);
  });
}

function decode(response) {
  const coding = response.headers['content-encoding'];
  if (coding === 'br') return zlib.brotliDecompressSync(response.body);
  if (coding === 'gzip') return zlib.gunzipSync(response.body);
  assert.equal(coding, undefined, 'no other coding');
  return response.body;
}

/** Every page of web/ as its URL path. */
function pages(dir = join(sourceDir, 'web')) {
  const found = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name.startsWith('.')) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) found.push(...pages(path));
    else if (entry.name.endsWith('.html')) found.push(`/${relative(join(sourceDir, 'web'), path)}`);
  }
  return found.sort();
}

function importMap(html) {
  const match = /<script type="importmap">([^<]*)<\/script>/.exec(html);
  return match ? { text: match[1], imports: JSON.parse(match[1]).imports } : null;
}

function attributes(html, name) {
  return [...html.matchAll(new RegExp(`\\s${name}="(/[^"]*)"`, 'g'))].map((m) => m[1]);
}

/** The specifiers a module imports: static statements at a line start, literal import(). */
function moduleImports(source) {
  const found = [];
  for (const m of source.matchAll(/^(?:import|export)\b[^;]*?\bfrom\s*['"]([^'"]+)['"]/gms)) found.push(m[1]);
  for (const m of source.matchAll(/^import\s*['"]([^'"]+)['"]/gm)) found.push(m[1]);
  for (const m of source.matchAll(/(?<![\w.$])import\(\s*['"]([^'"]+)['"]\s*\)/g)) found.push(m[1]);
  return found;
}

/** Ask until the brotli form is made (in the background after the first request). */
async function untilBrotli(path, headers = {}) {
  for (let attempt = 0; attempt < 200; attempt++) {
    const response = await raw(path, { 'Accept-Encoding': 'br', ...headers });
    if (response.headers['content-encoding'] === 'br') return response;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`${path} never came brotli-compressed`);
}

test('every page: its import map covers its module graph, and nothing it references is a 404', async () => {
  const checked = new Set();
  const all = pages();
  assert.ok(all.length > 30, `pages found: ${all.length}`);
  for (const page of all) {
    const response = await raw(page);
    assert.equal(response.status, 200, page);
    const html = response.body.toString('utf8');
    const map = importMap(html);
    const moduleScripts = [...html.matchAll(/<script type="module" src="([^"]+)"/g)].map((m) => m[1]);
    if (moduleScripts.length) {
      assert.ok(map, `${page} has an import map`);
      // The inline map is allowed by its hash in the page's CSP, and nothing else inline.
      const policy = response.headers['content-security-policy'];
      const hash = createHash('sha256').update(map.text).digest('base64');
      assert.match(policy, new RegExp(`script-src 'self' 'sha256-${hash.replace(/[+/=]/g, '\\$&')}';`), page);
      assert.doesNotMatch(policy, /unsafe-inline/, page);
      for (const src of moduleScripts) assert.ok(Object.values(map.imports).includes(src), `${page}: ${src} is fingerprinted`);
      // Every module of the graph: its imports resolve to entries of the same map.
      for (const [plain, hashed] of Object.entries(map.imports)) {
        assert.match(hashed, /\.[0-9a-f]{12}\.js$/, hashed);
        const source = (await raw(hashed)).body.toString('utf8');
        for (const specifier of moduleImports(source)) {
          const target = new URL(specifier, `http://x${plain}`).pathname;
          assert.ok(target in map.imports, `${page}: ${plain} imports ${target}, which is not in the map`);
        }
      }
      for (const href of [...html.matchAll(/<link rel="modulepreload" href="([^"]+)"/g)].map((m) => m[1])) {
        assert.ok(Object.values(map.imports).includes(href), `${page}: preload ${href} is in the map`);
      }
    }
    const referenced = [...attributes(html, 'src'), ...attributes(html, 'href'), ...Object.values(map?.imports || {})]
      .filter((url) => !url.endsWith('.html') && !url.startsWith('//') && !url.startsWith('/api/'));
    for (const url of referenced) {
      if (checked.has(url)) continue;
      checked.add(url);
      const asset = await raw(url);
      assert.equal(asset.status, 200, `${page} references ${url}`);
    }
  }
  assert.ok(checked.size > 40, `assets checked: ${checked.size}`);
});

test('Accept-Encoding picks br, gzip or identity by q-value; decompressed bytes are identical', async () => {
  const html = (await raw('/member.html')).body.toString('utf8');
  const ui = importMap(html).imports['/js/ui.js'];
  for (const path of ['/css/app.css', '/js/ui.js', ui, '/member.html', '/favicon.svg']) {
    const plain = await raw(path, { 'Accept-Encoding': 'identity' });
    assert.equal(plain.status, 200, path);
    assert.equal(plain.headers['content-encoding'], undefined, path);
    assert.match(plain.headers.vary, /Accept-Encoding/, path);
    assert.equal(Number(plain.headers['content-length']), plain.body.length, path);
    const brotli = await untilBrotli(path);
    const cases = [
      ['gzip', 'gzip'],
      ['br', 'br'],
      ['gzip, deflate, br', 'br'],
      ['gzip;q=0.5, br;q=1.0', 'br'],
      ['br;q=0.1, gzip;q=0.9', 'gzip'],
      ['br;q=0, gzip', 'gzip'],
      ['*', 'br'],
      ['*;q=0, identity', undefined],
      ['br;q=0, gzip;q=0', undefined],
      ['gzip;q=0.2', 'gzip'],
      ['identity;q=0.5, br;q=0.4', undefined],
      ['deflate', undefined],
    ];
    const tags = new Set();
    for (const [header, coding] of cases) {
      const response = await raw(path, { 'Accept-Encoding': header });
      assert.equal(response.status, 200, `${path} ${header}`);
      assert.equal(response.headers['content-encoding'], coding, `${path} with "${header}"`);
      assert.equal(Number(response.headers['content-length']), response.body.length, `${path} ${header}: Content-Length`);
      assert.ok(decode(response).equals(plain.body), `${path} with "${header}": same bytes after decoding`);
      if (coding) assert.ok(response.body.length < plain.body.length, `${path} ${coding} is smaller`);
      tags.add(`${coding}:${response.headers.etag}`);
      // The validator is per representation: it revalidates only the same coding.
      const again = await raw(path, { 'Accept-Encoding': header, 'If-None-Match': response.headers.etag });
      assert.equal(again.status, 304, `${path} ${header}: 304`);
    }
    assert.equal(new Set([...tags].map((tag) => tag.split(':')[1])).size, 3, `${path}: one ETag per coding`);
    assert.equal(brotli.headers['content-encoding'], 'br');
  }
});

test('fingerprinted URLs are cached for good; plain and outdated ones are revalidated; pages answer 304', async () => {
  assert.equal((await raw('/index.html')).headers['cache-control'], 'no-cache', 'a page is revalidated');
  const page = await raw('/member.html');
  // The phone's page names its own: reused for 5 minutes (all it shows comes from the
  // API), per browser, then revalidated.
  assert.equal(page.headers['cache-control'], 'private, max-age=300');
  assert.ok(!page.body.toString('utf8').includes('http-equiv'), 'the meta that asks for it is not in the page');
  assert.ok(page.headers.etag);
  assert.equal((await raw('/member.html', { 'If-None-Match': page.headers.etag })).status, 304);
  assert.equal((await raw('/member.html', { 'If-None-Match': `"other", W/${page.headers.etag}` })).status, 304);
  const html = page.body.toString('utf8');
  const map = importMap(html).imports;
  const css = /<link rel="stylesheet" href="([^"]+)"/.exec(html)[1];
  assert.match(css, /^\/css\/app\.[0-9a-f]{12}\.css$/);
  for (const [plainUrl, hashedUrl] of [...Object.entries(map), ['/css/app.css', css]]) {
    const hashed = await raw(hashedUrl, { 'Accept-Encoding': 'identity' });
    assert.equal(hashed.status, 200, hashedUrl);
    assert.equal(hashed.headers['cache-control'], IMMUTABLE, hashedUrl);
    const plain = await raw(plainUrl, { 'Accept-Encoding': 'identity' });
    assert.equal(plain.headers['cache-control'], 'no-cache', plainUrl);
    assert.ok(plain.body.equals(hashed.body), `${plainUrl}: same bytes under both URLs`);
    assert.ok(plain.body.equals(readFileSync(join(sourceDir, 'web', plainUrl))), `${plainUrl}: the file on disk`);
    assert.equal((await raw(plainUrl, { 'Accept-Encoding': 'identity', 'If-None-Match': plain.headers.etag })).status, 304, plainUrl);
  }
  // A page cached before a deploy asks for an old fingerprint: today's file, revalidated.
  const outdated = await raw('/js/ui.0123456789ab.js', { 'Accept-Encoding': 'identity' });
  assert.equal(outdated.status, 200);
  assert.equal(outdated.headers['cache-control'], 'no-cache');
  assert.ok(outdated.body.equals(readFileSync(join(sourceDir, 'web', 'js', 'ui.js'))));
});

test('a page preloads the dictionary of its language only (alvd_lang cookie), and says it varies by it', async () => {
  const preloads = (html) => [...html.matchAll(/<link rel="modulepreload" href="([^"]+)"/g)].map((m) => m[1]);
  const dutch = await raw('/member.html');
  const english = await raw('/member.html', { Cookie: 'alvd_session=x; alvd_lang=en' });
  assert.match(dutch.headers.vary, /Cookie/);
  const nl = preloads(dutch.body.toString('utf8'));
  const en = preloads(english.body.toString('utf8'));
  assert.ok(nl.some((url) => /^\/js\/i18n\/nl\./.test(url)) && !nl.some((url) => /^\/js\/i18n\/en\./.test(url)), nl.join(' '));
  assert.ok(en.some((url) => /^\/js\/i18n\/en\./.test(url)) && !en.some((url) => /^\/js\/i18n\/nl\./.test(url)), en.join(' '));
  assert.notEqual(dutch.headers.etag, english.headers.etag);
  // Both dictionaries stay in the map: switching language loads the other one.
  assert.ok('/js/i18n/en.js' in importMap(dutch.body.toString('utf8')).imports);
});

test('the member page has the answers its ballot needs asked for with itself: a Link header filled from its URL and language', async () => {
  const linked = (response) => [...(response.headers.link || '').matchAll(/<([^>]+)>; rel=preload; as=fetch; crossorigin(?:, |$)/g)].map((m) => m[1]);
  const page = await raw('/member.html?meeting=12', { 'Accept-Encoding': 'identity' });
  assert.deepEqual(linked(page), ['/api/session?lang=nl', '/api/meetings/12?lang=nl', '/api/meetings/12/polls/current?lang=nl'], page.headers.link);
  const html = page.body.toString('utf8');
  assert.ok(!html.includes('{meeting}') && !html.includes('as="fetch"'), 'the templates are not in the page itself');
  assert.deepEqual(linked(await raw('/member.html?meeting=12', { 'If-None-Match': page.headers.etag })),
    linked(page), 'a revalidated page (304) preloads the same');
  assert.deepEqual(linked(await raw('/member.html?meeting=7', { Cookie: 'alvd_lang=en' })),
    ['/api/session?lang=en', '/api/meetings/7?lang=en', '/api/meetings/7/polls/current?lang=en'], 'English from the cookie');
  for (const query of ['', '?meeting=', '?meeting=12abc', '?meeting=-1', '?meeting=1%3E%3B%20rel%3Dstylesheet', '?other=3']) {
    assert.deepEqual(linked(await raw(`/member.html${query}`)), ['/api/session?lang=nl'], `no meeting number in "${query}": the session only`);
  }
  assert.equal((await raw('/index.html')).headers.link, undefined, 'pages without data preloads send no Link header');
});

test('a large JSON answer goes gzipped when the client accepts it; a small one, or to a client that does not, goes plain', async () => {
  const plain = await raw('/api/code/in-force');
  assert.equal(plain.status, 200);
  assert.equal(plain.headers['content-encoding'], undefined, 'nothing asked, nothing coded');
  assert.ok(plain.body.length >= 1024, `the Code in force is a large answer (${plain.body.length} bytes)`);
  const zipped = await raw('/api/code/in-force', { 'Accept-Encoding': 'gzip, deflate, br' });
  assert.equal(zipped.headers['content-encoding'], 'gzip');
  assert.match(zipped.headers.vary, /Accept-Encoding/);
  assert.equal(zipped.headers['content-type'], plain.headers['content-type']);
  assert.equal(Number(zipped.headers['content-length']), zipped.body.length);
  assert.ok(zlib.gunzipSync(zipped.body).equals(plain.body), 'the same bytes after decoding');
  assert.ok(zipped.body.length < plain.body.length / 2, `${zipped.body.length} of ${plain.body.length} bytes`);
  assert.equal((await raw('/api/code/in-force', { 'Accept-Encoding': 'gzip;q=0, identity' })).headers['content-encoding'], undefined, 'gzip refused');
  const small = await raw('/api/health', { 'Accept-Encoding': 'gzip' });
  assert.ok(small.body.length < 1024 && small.headers['content-encoding'] === undefined, 'a small answer stays plain');
  const missing = await raw('/api/code/versions/999999', { 'Accept-Encoding': 'gzip' });
  assert.equal(missing.status, 404);
  assert.equal(missing.headers['content-encoding'], undefined, 'errors stay plain');
});

test('the phone asks for its poll in one request: none, open (with "me"), then the result', async () => {
  const staff = { secretariat: await alvd.login('secretariat'), board: await alvd.login('board'), chair: await alvd.login('chair') };
  const cycle = addCycle(alvd, 2097);
  const proposalId = addProposal(alvd, cycle, 'Wifi in de zaal', [{ article: '6a', action: 'replace', text: 'Nieuwe tekst.' }]);
  const room = await hall(alvd, { prefix: 'Wifi', present: 2, absent: 1, proposalIds: [proposalId], staff });
  const other = await hall(alvd, { prefix: 'Elders', present: 1, staff });
  const meetingId = room.meeting.id;
  const [phone] = room.phones;

  const none = await phone.client.get(`/api/meetings/${meetingId}/polls/current`);
  assert.equal(none.status, 204);
  assert.equal(none.text, '');

  const poll = (await staff.chair.post(`/api/meetings/${meetingId}/polls`, { proposal_id: proposalId })).json;
  assert.equal((await phone.client.get(`/api/meetings/${meetingId}/polls/current`)).status, 204, 'a draft is not shown');
  assert.equal((await staff.chair.post(`/api/polls/${poll.id}/open`)).status, 200);
  const open = await phone.client.get(`/api/meetings/${meetingId}/polls/current`);
  assert.equal(open.status, 200);
  const single = await phone.client.get(`/api/polls/${poll.id}`);
  assert.deepEqual(open.json, single.json, 'the same answer as GET /api/polls/{id}');
  assert.equal(open.json.state, 'open');
  assert.equal(open.json.me.eligible, true);
  assert.equal(open.json.me.voted, false);
  const late = await room.absentPhones[0].client.get(`/api/meetings/${meetingId}/polls/current`);
  assert.equal(late.json.me.eligible, false, 'checked in after the poll opened');

  assert.equal((await other.phones[0].client.get(`/api/meetings/${meetingId}/polls/current`)).status, 404, "another meeting's member");
  assert.equal((await alvd.client().get(`/api/meetings/${meetingId}/polls/current`)).status, 401);
  const chairView = await staff.chair.get(`/api/meetings/${meetingId}/polls/current`);
  assert.equal(chairView.status, 200);
  assert.equal(chairView.json.me, undefined, 'staff get no "me"');
  assert.equal((await staff.chair.get('/api/meetings/999999/polls/current')).status, 404);

  assert.equal((await vote(phone, poll.id, 'for')).status, 201);
  assert.equal((await phone.client.get(`/api/meetings/${meetingId}/polls/current`)).json.me.voted, true);
  assert.equal((await staff.chair.post(`/api/polls/${poll.id}/close`)).status, 200);
  const closed = await phone.client.get(`/api/meetings/${meetingId}/polls/current`);
  assert.equal(closed.json.id, poll.id);
  assert.equal(closed.json.state, 'closed');
  assert.equal(closed.json.for, 1);
});
