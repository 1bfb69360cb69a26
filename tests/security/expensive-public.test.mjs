// Expensive public work off the HTTP threads (issue 16, point 5): with two large Code
// versions (a thousand articles, a third of every article's words changed), eight
// anonymous clients ask for their diff at once, both ways round. /api/health keeps
// answering in under a second, a staff login (argon2id on the workers) goes through,
// the same diff asked again comes from the cache unchanged, and the queue for such work
// is capped (503 with Retry-After, never a pile-up).
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { startAlvd } from '../api/lib/alvd.mjs';
import { probeRepeatedly, latencySummary } from './lib/hostile.mjs';
import { largeCodeMarkdown } from './lib/code-versions.mjs';

const CLIENTS = 8;
const ARTICLES = 1000;

let alvd;
after(async () => { await alvd?.stop(); });

async function timed(promise) {
  const started = process.hrtime.bigint();
  const result = await promise;
  return { ...result, ms: Math.round(Number(process.hrtime.bigint() - started) / 1e6) };
}

test(`${CLIENTS} anonymous clients diff two large Code versions: health and logins carry on`, async () => {
  alvd = await startAlvd({ demo: true });
  const admin = await alvd.login('admin');
  const old = await admin.post('/api/code/versions', { label: 'groot-1', effective_from: '2031-01-01', decided_on: '2026-11-01', markdown: largeCodeMarkdown(ARTICLES, 0) });
  const changed = await admin.post('/api/code/versions', { label: 'groot-2', effective_from: '2032-01-01', decided_on: '2026-11-01', markdown: largeCodeMarkdown(ARTICLES, 1) });
  assert.equal(old.status, 201, old.text);
  assert.equal(changed.status, 201, changed.text);
  const paths = [`/api/code/diff?from=${old.json.id}&to=${changed.json.id}`, `/api/code/diff?from=${changed.json.id}&to=${old.json.id}`];

  const probes = probeRepeatedly(alvd.port, '127.0.0.1', 200);
  const diffs = Array.from({ length: CLIENTS }, (_, i) => timed(alvd.client().get(paths[i % 2])));
  const login = timed(alvd.client().post('/api/session', { email: 'voorzitter@ksf.example', password: 'demo-voorzitter-2026' }));
  const answers = await Promise.all(diffs);
  const loggedIn = await login;
  const latency = latencySummary(await probes.stop());
  console.log(JSON.stringify({ diffs: answers.map((a) => ({ status: a.status, ms: a.ms, bytes: a.text.length })),
    login: { status: loggedIn.status, ms: loggedIn.ms }, health: latency }));

  assert.equal(loggedIn.status, 200, 'a staff login is not stuck behind the diffs');
  for (const answer of answers) assert.ok([200, 503].includes(answer.status), `a diff answers 200 or 503 (${answer.status})`);
  assert.ok(answers.some((a) => a.status === 200), 'the diffs are made');
  assert.equal(latency.failed, 0, `every health probe answered (${latency.errors.join(', ')})`);
  assert.ok(latency.probes >= 5, 'health was probed while the diffs ran');
  assert.ok(latency.p90_ms < 1000, `health answers in under 1 s (p90 ${latency.p90_ms} ms)`);

  // Asked again: the same bytes (from the cache), counts that add up.
  const again = await alvd.client().get(paths[0]);
  const first = answers.find((a, i) => i % 2 === 0 && a.status === 200);
  assert.equal(again.status, 200);
  if (first) assert.equal(again.text, first.text, 'the cached answer is the one made');
  const { counts } = again.json;
  assert.equal(counts.added + counts.removed + counts.changed + counts.unchanged, ARTICLES);
  assert.equal(counts.changed, ARTICLES, 'every article changed');
});

test('the queue for expensive public work is capped: a flood gets 503 with Retry-After', async () => {
  const list = (await alvd.client().get('/api/code/versions')).json.items.map((v) => v.id);
  // Distinct pairs (and a junk parameter) so no answer comes from the cache.
  const flood = await Promise.all(Array.from({ length: 48 }, (_, i) =>
    alvd.client().get(`/api/code/diff?from=${list[i % list.length]}&to=${list[(i + 1) % list.length]}&n=${i}`)));
  const statuses = flood.map((r) => r.status);
  console.log(JSON.stringify({ flood: statuses.reduce((c, s) => ({ ...c, [s]: (c[s] || 0) + 1 }), {}) }));
  assert.ok(statuses.every((s) => s === 200 || s === 503), `only 200 or 503 (${statuses})`);
  const busy = flood.find((r) => r.status === 503);
  assert.ok(busy, 'past the queue\'s cap the answer is 503');
  assert.equal(busy.json.code, 'busy');
  assert.ok(Number(busy.headers.get('retry-after')) > 0, 'with Retry-After');
  assert.equal((await alvd.client().get('/api/health')).status, 200);
});
