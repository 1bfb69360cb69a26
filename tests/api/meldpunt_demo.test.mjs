// The meldpunt demo: a key with a printed passphrase and reports in several states across
// the half years of this year and last, loaded once however often `alvd demo` runs.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startAlvd } from './lib/alvd.mjs';

let alvd;
before(async () => { alvd = await startAlvd({ demo: true, env: { ALVD_TEST_TODAY: '2026-08-20' } }); });
after(async () => { await alvd?.stop(); });

test('the demo prints each officer\'s passphrase, is idempotent and fills the half-year report', async () => {
  assert.match(alvd.demoOutput, /meldpunt@ksf\.example +demo-meldpunt-wachtzin-2026/);
  assert.match(alvd.demoOutput, /meldpunt2@ksf\.example +demo-noor-wachtzin-2026/);
  const again = alvd.run(['demo']);
  assert.equal(again.status, 0, again.stderr);
  assert.match(again.stdout, /meldpunt key present; each officer unlocks with their own passphrase/);
  assert.equal(alvd.sql('SELECT COUNT(*) FROM meldpunt_reports')[0][0], '7');
  const officer = await alvd.login('meldpunt');
  assert.equal((await officer.post('/api/meldpunt/unlock', { passphrase: 'demo-noor-wachtzin-2026' })).json.code, 'wrong_passphrase',
    "Noor's passphrase does not open Mo's key");
  assert.equal((await officer.post('/api/meldpunt/unlock', { passphrase: 'demo-meldpunt-wachtzin-2026' })).status, 200);
  const overview = await officer.get('/api/reports');
  assert.deepEqual(new Set(overview.json.items.map((i) => i.state)),
    new Set(['closed', 'judgement', 'signal_sent', 'received']));
  const open = overview.json.items.find((i) => !i.personal_data_deleted_on);
  const detail = await officer.get(`/api/reports/${open.id}`);
  assert.equal(detail.status, 200, detail.text);
  // Two officers: Mo asks, Noor decides, then Mo sees who reported.
  assert.equal(detail.json.identity.approval_needed, true);
  const asked = await officer.post(`/api/reports/${open.id}/identity-requests`, { reason: 'Terugbellen over de melding.' });
  assert.equal(asked.json.state, 'pending');
  const noor = await alvd.login('meldpunt2');
  assert.equal((await noor.post('/api/meldpunt/unlock', { passphrase: 'demo-noor-wachtzin-2026' })).status, 200);
  assert.equal((await noor.post(`/api/meldpunt/identity-requests/${asked.json.id}/approve`, {})).status, 200);
  const released = await officer.get(`/api/reports/${open.id}`);
  assert.equal(typeof released.json.reporter.name, 'string');
  const lastYear = await alvd.client().get('/api/meldpunt/half-year/2025H1');
  assert.equal(lastYear.json.reports, 3);
  assert.deepEqual(lastYear.json.by_norm['6a'], { reports: 3, compliant: '<3', non_compliant: 0, explained: '<3', pending: 0 });
});
