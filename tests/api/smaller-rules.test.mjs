// Issue 13, point 7 through the API: S10 country codes against ISO 3166-1, the
// majority_of_votes_cast threshold in words while a poll is open, and the notice
// warning worded for what happened ("1 dag", never "verstuurd" before it is, the term
// being the association's own).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startAlvd } from './lib/alvd.mjs';
import { addCycle, addProposal, hall, vote } from './lib/poll-fixtures.mjs';

let alvd, staff;

before(async () => {
  alvd = await startAlvd({ demo: true, env: { ALVD_TEST_NOW: '2026-12-07T10:00:00+01:00' } });
  staff = { secretariat: await alvd.login('secretariat'), board: await alvd.login('board'), chair: await alvd.login('chair') };
});
after(async () => { await alvd?.stop(); });

test('an S10 code must end in an assigned ISO 3166-1 country code: RR123456785ZZ is refused, …NL and …BE pass', async () => {
  const [[orgId]] = alvd.sql("SELECT o.id FROM organisations o JOIN bases b ON b.organisation_id = o.id AND b.basis = 'signature' AND b.superseded_by IS NULL WHERE NOT EXISTS (SELECT 1 FROM withdrawals w WHERE w.organisation_id = o.id) ORDER BY o.id LIMIT 1");
  for (const code of ['RR123456785ZZ', 'RR123456785UK', 'RR123456785EU']) {
    const refused = await staff.secretariat.post('/api/withdrawals/preview', { organisation_id: Number(orgId), received_on: '2026-12-07', form: 'registered', tracking_code: code });
    assert.equal(refused.status, 422, `${code}: ${refused.text}`);
    assert.equal(refused.json.code, 'bad_tracking_code');
    assert.equal(refused.json.field, 'tracking_code');
    assert.match(refused.json.error, /landcode/);
  }
  for (const code of ['RR123456785NL', 'RR123456785BE']) {
    const fine = await staff.secretariat.post('/api/withdrawals/preview', { organisation_id: Number(orgId), received_on: '2026-12-07', form: 'registered', tracking_code: code });
    assert.equal(fine.status, 200, `${code}: ${fine.text}`);
  }
});

test('under majority_of_votes_cast an open poll says its threshold in words, not "1"', async () => {
  const cycle = addCycle(alvd, 2501);
  const proposalId = addProposal(alvd, cycle, 'Besluit bij gewone meerderheid', [{ article: '6c', action: 'replace', text: 'Nieuw 6c.' }]);
  const room = await hall(alvd, { prefix: 'Meerderheid', present: 3, rule: 'majority_of_votes_cast', proposalIds: [proposalId], staff });
  const poll = await staff.chair.post(`/api/meetings/${room.meeting.id}/polls`, { proposal_id: proposalId, secret: false });
  const opened = await staff.chair.post(`/api/polls/${poll.json.id}/open`);
  assert.equal(opened.status, 200, opened.text);
  assert.equal(opened.json.threshold_text, 'meer stemmen voor dan tegen (onthoudingen tellen niet mee)');
  const view = await room.phones[0].client.get(`/api/polls/${poll.json.id}`);
  assert.equal(view.json.threshold_text, 'meer stemmen voor dan tegen (onthoudingen tellen niet mee)');
  assert.equal((await vote(room.phones[0], poll.json.id, 'for')).status, 201);
  const closed = await staff.chair.post(`/api/polls/${poll.json.id}/close`);
  assert.equal(closed.json.adopted, true);
  assert.equal(closed.json.threshold_text, 'meer stemmen voor dan tegen (onthoudingen tellen niet mee)');
  // Under a P-based rule the number is the threshold.
  const other = addProposal(alvd, cycle, 'Besluit bij meer dan de helft', [{ article: '6d', action: 'replace', text: 'Nieuw 6d.' }]);
  const room2 = await hall(alvd, { prefix: 'Helft', present: 3, proposalIds: [other], staff });
  const poll2 = await staff.chair.post(`/api/meetings/${room2.meeting.id}/polls`, { proposal_id: other, secret: false });
  const opened2 = await staff.chair.post(`/api/polls/${poll2.json.id}/open`);
  assert.equal(opened2.json.threshold_text, 'ten minste 2 stemmen voor');
});

test('the notice warning: "1 dag", a convocation not yet sent is not "verstuurd", and the term is the association\'s own', async () => {
  const today = await staff.secretariat.post('/api/meetings', { title: 'ALV vandaag', date: '2026-12-07', starts_at: '19:30', location: 'Utrecht', notice_days: 1 });
  assert.equal(today.status, 201, today.text);
  assert.equal(today.json.warnings.length, 1);
  const warning = today.json.warnings[0];
  assert.match(warning, /een oproeping die vandaag \(maandag 7 december 2026\) uitgaat, komt op de dag van de vergadering/);
  assert.match(warning, /De eigen oproepingstermijn van de vereniging is 1 dag:/);
  assert.doesNotMatch(warning, /verstuurd|1 dagen/);
  const soon = await staff.secretariat.post('/api/meetings', { title: 'ALV over tien dagen', date: '2026-12-17', starts_at: '19:30', location: 'Utrecht' });
  assert.match(soon.json.warnings[0], /komt 10 dagen voor de vergadering van donderdag 17 december 2026\. De eigen oproepingstermijn van de vereniging is 14 dagen: de oproeping had uiterlijk op donderdag 3 december 2026 moeten uitgaan\./);
  const sent = await staff.secretariat.post(`/api/meetings/${soon.json.id}/convocation`);
  assert.equal(sent.status, 200, sent.text);
  assert.match(sent.json.warnings[0], /^Let op: de oproeping is verstuurd op maandag 7 december 2026, 10 dagen voor de vergadering/);
  const plenty = await staff.secretariat.post('/api/meetings', { title: 'ALV over een maand', date: '2027-01-07', starts_at: '19:30', location: 'Utrecht' });
  assert.deepEqual(plenty.json.warnings, []);
});
