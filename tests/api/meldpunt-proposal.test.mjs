// A meldpunt half-year suggestion becomes a draft proposal of the cycle in one action,
// linked both ways: the proposal names the report, the suggestion names the proposal.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startAlvd } from './lib/alvd.mjs';

let alvd;
let board;
let cycleId;
before(async () => {
  alvd = await startAlvd({ demo: true });
  board = await alvd.login('board');
  [[cycleId]] = alvd.sql('SELECT id FROM cycles ORDER BY year DESC LIMIT 1');
  cycleId = Number(cycleId);
});
after(async () => { await alvd?.stop(); });

function suggest(article, text) {
  alvd.sql(`INSERT INTO meldpunt_suggestions (period, article, text, created_at) VALUES ('2026H1', ${article ? `'${article}'` : 'NULL'}, '${text}', UTC_TIMESTAMP(6))`);
  return Number(alvd.sql('SELECT MAX(id) FROM meldpunt_suggestions')[0][0]);
}

test('one action turns a suggestion into a linked draft proposal, once', async () => {
  const id = suggest('6b', 'Maak duidelijk dat een realistische prijs ook de opleidingskosten dekt.');
  const made = await board.post(`/api/meldpunt/suggestions/${id}/proposal`, { cycle_id: cycleId });
  assert.equal(made.status, 201, made.text);
  assert.equal(made.json.state, 'draft');
  assert.equal(made.json.source_report, '2026H1');
  assert.match(made.json.title, /6b/);
  assert.equal(made.json.changes[0].article, '6b');
  assert.equal(made.json.rationale, 'Maak duidelijk dat een realistische prijs ook de opleidingskosten dekt.');
  const [[linked]] = alvd.sql(`SELECT proposal_id FROM meldpunt_suggestions WHERE id = ${id}`);
  assert.equal(Number(linked), made.json.id, 'the suggestion points at its proposal');
  const again = await board.post(`/api/meldpunt/suggestions/${id}/proposal`, { cycle_id: cycleId });
  assert.equal(again.status, 409);
  assert.equal(again.json.code, 'already_proposed');
  assert.equal(alvd.run(['audit', 'verify']).status, 0);
});

test('a suggestion without an article needs one; an unknown article or suggestion is refused', async () => {
  const id = suggest(null, 'Geef richtlijnen voor de inzet van AI in klantcontact.');
  const missing = await board.post(`/api/meldpunt/suggestions/${id}/proposal`, { cycle_id: cycleId });
  assert.equal(missing.status, 422);
  assert.equal(missing.json.field, 'article');
  const unknown = await board.post(`/api/meldpunt/suggestions/${id}/proposal`, { cycle_id: cycleId, article: '99z' });
  assert.equal(unknown.status, 422);
  assert.equal(Number(alvd.sql(`SELECT COUNT(*) FROM meldpunt_suggestions WHERE id = ${id} AND proposal_id IS NOT NULL`)[0][0]), 0,
    'a refused action changes nothing');
  const named = await board.post(`/api/meldpunt/suggestions/${id}/proposal`, { cycle_id: cycleId, article: '6a' });
  assert.equal(named.status, 201, named.text);
  assert.equal(named.json.changes[0].article, '6a');
  assert.equal((await board.post('/api/meldpunt/suggestions/999999/proposal', { cycle_id: cycleId })).status, 404);
});
