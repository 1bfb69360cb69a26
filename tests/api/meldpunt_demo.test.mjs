// The meldpunt demo: a key with a printed passphrase and reports in several states across
// the half years of this year and last, loaded once however often `alvd demo` runs.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startAlvd } from './lib/alvd.mjs';

let alvd;
before(async () => { alvd = await startAlvd({ demo: true, env: { ALVD_TEST_TODAY: '2026-08-20' } }); });
after(async () => { await alvd?.stop(); });

test('the demo prints the passphrase, is idempotent and fills the half-year report', async () => {
  assert.match(alvd.demoOutput, /unlock passphrase: demo-meldpunt-wachtzin-2026/);
  const again = alvd.run(['demo']);
  assert.equal(again.status, 0, again.stderr);
  assert.equal(alvd.sql('SELECT COUNT(*) FROM meldpunt_reports')[0][0], '7');
  const officer = await alvd.login('meldpunt');
  assert.equal((await officer.post('/api/meldpunt/unlock', { passphrase: 'demo-meldpunt-wachtzin-2026' })).status, 200);
  const overview = await officer.get('/api/reports');
  assert.deepEqual(new Set(overview.json.items.map((i) => i.state)),
    new Set(['closed', 'judgement', 'signal_sent', 'received']));
  const detail = await officer.get(`/api/reports/${overview.json.items[0].id}`);
  assert.equal(detail.status, 200, detail.text);
  const lastYear = await alvd.client().get('/api/meldpunt/half-year/2025H1');
  assert.equal(lastYear.json.reports, 3);
  assert.deepEqual(lastYear.json.by_norm['6a'], { reports: 3, compliant: '<3', non_compliant: 0, explained: '<3', pending: 0 });
});
