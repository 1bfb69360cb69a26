// GET /metrics (issue 19): the Prometheus text format as a scraper reads it, counters
// that move with the requests a test makes, vote batches, event streams, the database's
// gauges, and access only from loopback (not through a proxy) or with the token.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { startAlvd } from './lib/alvd.mjs';
import { addCycle, addProposal, hall, vote } from './lib/poll-fixtures.mjs';

const TOKEN = 'metrics-token-for-the-test-0123456789';
let alvd;
before(async () => { alvd = await startAlvd({ demo: true, env: { ALVD_METRICS_TOKEN: TOKEN } }); });
after(async () => { await alvd?.stop(); });

/** Parse the text format strictly: {samples: Map(name{labels} → value), types: Map(family → type)}. */
function parse(text) {
  const samples = new Map();
  const types = new Map();
  for (const line of text.split('\n')) {
    if (line === '') continue;
    if (line.startsWith('# TYPE ')) {
      const [, , family, type] = line.split(' ');
      assert.ok(['counter', 'gauge', 'histogram'].includes(type), line);
      assert.ok(!types.has(family), `TYPE twice for ${family}`);
      types.set(family, type);
      continue;
    }
    if (line.startsWith('# HELP ')) continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?:[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\]|\\.)*",?)*\})? (-?[0-9.e+-]+|\+Inf)$/.exec(line);
    assert.ok(match, `not a sample line: ${line}`);
    const key = match[1] + (match[2] || '');
    assert.ok(!samples.has(key), `sample twice: ${key}`);
    samples.set(key, Number(match[3]));
    const family = match[1].replace(/_(bucket|sum|count)$/, '');
    assert.ok(types.has(match[1]) || types.has(family), `sample before its TYPE: ${line}`);
  }
  return { samples, types };
}

async function scrape(client = alvd.client(), headers = {}) {
  const response = await client.get('/metrics', { headers });
  assert.equal(response.status, 200, response.text);
  assert.match(response.headers.get('content-type'), /^text\/plain; version=0\.0\.4/);
  return parse(response.text);
}

const requests = (m, method, route, status) =>
  m.samples.get(`alvd_http_requests_total{method="${method}",route="${route}",status="${status}"}`) || 0;

test('requests are counted by route pattern and status, with a latency histogram per route', async () => {
  const c = alvd.client();
  const first = await scrape();
  for (let i = 0; i < 3; i++) assert.equal((await c.get('/api/health')).status, 200);
  assert.equal((await c.get('/api/no-such-thing')).status, 404);
  assert.equal((await c.get('/api/organisations/12345')).status, 401);
  const second = await scrape();
  assert.equal(requests(second, 'GET', '/api/health', 200) - requests(first, 'GET', '/api/health', 200), 3);
  assert.equal(requests(second, '*', 'unmatched', 404) - requests(first, '*', 'unmatched', 404), 1);
  assert.equal(requests(second, 'GET', '/api/organisations/{id}', 401) - requests(first, 'GET', '/api/organisations/{id}', 401), 1,
    'a path with an id is counted under its pattern, not its own label');
  assert.equal(second.types.get('alvd_http_request_duration_seconds'), 'histogram');
  const labels = 'method="GET",route="/api/health"';
  let previous = 0;
  for (const le of ['0.005', '0.01', '0.025', '0.05', '0.1', '0.25', '0.5', '1', '2.5', '5', '10', '+Inf']) {
    const value = second.samples.get(`alvd_http_request_duration_seconds_bucket{${labels},le="${le}"}`);
    assert.ok(value >= previous, `buckets are cumulative (le=${le})`);
    previous = value;
  }
  assert.equal(previous, second.samples.get(`alvd_http_request_duration_seconds_count{${labels}}`));
  assert.equal(previous, requests(second, 'GET', '/api/health', 200));
  assert.ok(second.samples.get(`alvd_http_request_duration_seconds_sum{${labels}}`) > 0);
  assert.equal(second.types.get('alvd_build_info'), 'gauge');
  assert.ok(second.samples.has('alvd_start_time_seconds'));
});

test('vote batches, event streams, the pool and the database gauges are shown', async () => {
  const staff = {};
  for (const role of ['secretariat', 'board', 'chair']) staff[role] = await alvd.login(role);
  const cycle = addCycle(alvd, 2095);
  const proposalId = addProposal(alvd, cycle, 'Metrics', [{ article: '6a', action: 'replace', text: 'Nieuwe tekst.' }]);
  const room = await hall(alvd, { prefix: 'Meet', present: 6, proposalIds: [proposalId], staff });
  const before = await scrape();
  const created = await staff.chair.post(`/api/meetings/${room.meeting.id}/polls`, { proposal_id: proposalId });
  assert.equal(created.status, 201, created.text);
  assert.equal((await staff.chair.post(`/api/polls/${created.json.id}/open`)).status, 200);
  const cast = await Promise.all(room.phones.map((phone) => vote(phone, created.json.id, 'for')));
  assert.ok(cast.every((r) => r.status === 200 || r.status === 201), cast.map((r) => r.status).join());
  // An event stream open while scraping.
  const controller = new AbortController();
  const stream = await fetch(`${alvd.url}/api/meetings/${room.meeting.id}/events`, {
    headers: { Authorization: `Bearer ${staff.chair.token}` }, signal: controller.signal,
  });
  assert.equal(stream.status, 200);
  const during = await scrape();
  controller.abort();
  const batches = during.samples.get('alvd_batch_size_count{batcher="votes"}') - (before.samples.get('alvd_batch_size_count{batcher="votes"}') || 0);
  const votes = during.samples.get('alvd_batch_size_sum{batcher="votes"}') - (before.samples.get('alvd_batch_size_sum{batcher="votes"}') || 0);
  assert.equal(votes, 6, 'every vote went through a batch');
  assert.ok(batches >= 1 && batches <= 6, `batches: ${batches}`);
  assert.equal(requests(during, 'POST', '/api/polls/{id}/votes', 200) + requests(during, 'POST', '/api/polls/{id}/votes', 201)
    - requests(before, 'POST', '/api/polls/{id}/votes', 200) - requests(before, 'POST', '/api/polls/{id}/votes', 201), 6);
  assert.ok(during.samples.get('alvd_sse_listeners') >= 1);
  assert.equal(during.samples.get('alvd_db_up'), 1);
  assert.ok(during.samples.get('alvd_db_pool_connections') >= 1);
  assert.ok(during.samples.get('alvd_db_pool_acquires_total') > before.samples.get('alvd_db_pool_acquires_total'));
  assert.ok(during.samples.has('alvd_db_pool_waits_total'));
  assert.ok(during.samples.get('alvd_audit_lock_wait_seconds_count') > before.samples.get('alvd_audit_lock_wait_seconds_count'));
  const [[pending]] = alvd.sql("SELECT COUNT(*) FROM outbox WHERE state = 'pending'");
  const [[newest]] = alvd.sql('SELECT MAX(id) FROM audit_heads');
  const after = await scrape();
  assert.equal(after.samples.get('alvd_outbox_pending'), Number(pending));
  assert.ok(after.samples.get('alvd_audit_entries') >= Number(newest));
  // A parked stream learns that its phone left at a heartbeat (every 15 s); the first
  // write after the close may still be taken by the kernel, so allow a few of them.
  for (let i = 0; i < 1200 && (await scrape()).samples.get('alvd_sse_listeners') !== 0; i++) await new Promise((r) => setTimeout(r, 100));
  assert.equal((await scrape()).samples.get('alvd_sse_listeners'), 0, 'a closed stream is no longer counted');
});

test('through a proxy or from another machine only with the token', async () => {
  const c = alvd.client();
  for (const header of [{ 'X-Forwarded-For': '203.0.113.7' }, { Forwarded: 'for=203.0.113.7' }, { 'X-Real-IP': '203.0.113.7' }]) {
    const refused = await c.get('/metrics', { headers: header });
    assert.equal(refused.status, 403, JSON.stringify(header));
    assert.equal(refused.json.code, 'metrics_not_allowed');
    assert.doesNotMatch(refused.text, /alvd_http_requests_total/);
    const wrong = await c.get('/metrics', { headers: { ...header, Authorization: `Bearer ${TOKEN}x` } });
    assert.equal(wrong.status, 403);
    await scrape(c, { ...header, Authorization: `Bearer ${TOKEN}` });
  }
  assert.equal((await c.post('/metrics', {})).status, 405);
});

test('a scrape over a non-loopback address is refused without the token', async (t) => {
  const address = execFileSync('hostname', ['-I'], { encoding: 'utf8' }).split(/\s+/).find((a) => /^\d+\.\d+\.\d+\.\d+$/.test(a) && !a.startsWith('127.'));
  if (!address) { t.skip('this machine has no non-loopback IPv4 address'); return; }
  const wide = await startAlvd({ env: { ALVD_METRICS_TOKEN: TOKEN }, serve: false });
  try {
    wide.env.ALVD_LISTEN = `0.0.0.0:${wide.port}`; // every interface, so a non-loopback peer can connect
    await wide.start();
    const remote = await fetch(`http://${address}:${wide.port}/metrics`);
    assert.equal(remote.status, 403);
    const withToken = await fetch(`http://${address}:${wide.port}/metrics`, { headers: { Authorization: `Bearer ${TOKEN}` } });
    assert.equal(withToken.status, 200);
    assert.equal((await fetch(`http://127.0.0.1:${wide.port}/metrics`)).status, 200);
  } finally { await wide.stop(); }
});
