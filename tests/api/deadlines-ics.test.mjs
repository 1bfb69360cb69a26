// The deadline calendar under change (issue 13, point 6), read by a standard iCalendar
// parser (python3-icalendar): a deadline keeps its UID when its date moves, with a
// higher SEQUENCE and a new LAST-MODIFIED; an event that no longer applies (its version
// was emptied and removed) is sent as CANCELLED, not dropped; every line is CRLF and at
// most 75 octets.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startAlvd } from './lib/alvd.mjs';
import { PYTHON } from './lib/postfix.mjs';
import { addCycle, addProposal, hall, vote } from './lib/poll-fixtures.mjs';

const parser = join(dirname(fileURLToPath(import.meta.url)), 'lib', 'parse_ics.py');
let alvd, staff, feed;

before(async () => {
  alvd = await startAlvd({ demo: true, env: { ALVD_TEST_NOW: '2027-06-15T20:00:00+02:00' } });
  staff = { secretariat: await alvd.login('secretariat'), board: await alvd.login('board'), chair: await alvd.login('chair') };
  const issued = await staff.secretariat.post('/api/deadlines/feed-token');
  assert.equal(issued.status, 201, issued.text);
  const url = new URL(issued.json.url);
  feed = `${url.pathname}${url.search}`;
});
after(async () => { await alvd?.stop(); });

/** The feed as the parser reads it: {method, events, problems}. */
async function calendar() {
  const response = await alvd.client().get(feed);
  assert.equal(response.status, 200, response.text);
  const parsed = JSON.parse(execFileSync(PYTHON, [parser], { input: response.text, encoding: 'utf8' }));
  assert.deepEqual(parsed.problems, [], 'the feed is well-formed');
  return parsed;
}

const byUid = (cal, prefix, id) => cal.events.find((e) => e.uid.startsWith(`${prefix}-${id}@`));
const pause = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

test('a moved effective date keeps both UIDs with a higher SEQUENCE and a new LAST-MODIFIED; an emptied version is CANCELLED', async () => {
  const cycle = addCycle(alvd, 2401);
  const first = addProposal(alvd, cycle, 'Agenda-item een', [{ article: '6a', action: 'replace', text: 'Nieuw 6a.' }]);
  const second = addProposal(alvd, cycle, 'Agenda-item twee', [{ article: '6b', action: 'replace', text: 'Nieuw 6b.' }]);
  const room = await hall(alvd, { prefix: 'Agenda', present: 2, proposalIds: [first, second], staff });
  for (const proposalId of [first, second]) {
    const poll = await staff.chair.post(`/api/meetings/${room.meeting.id}/polls`, { proposal_id: proposalId, secret: false });
    assert.equal((await staff.chair.post(`/api/polls/${poll.json.id}/open`)).status, 200);
    for (const phone of room.phones) assert.equal((await vote(phone, poll.json.id, 'for')).status, 201);
    assert.equal((await staff.chair.post(`/api/polls/${poll.json.id}/close`)).json.adopted, true);
  }
  const set = await staff.chair.post(`/api/proposals/${first}/effective-date`, { date: '2027-09-01' });
  assert.equal(set.status, 200, set.text);
  const versionId = set.json.version_id;
  const before = await calendar();
  assert.equal(before.method, 'PUBLISH');
  const deadline = byUid(before, 'withdrawal-deadline', versionId);
  const effective = byUid(before, 'code-effective', versionId);
  assert.deepEqual([deadline.dtstart, deadline.sequence, deadline.status], ['2027-08-04', 0, 'CONFIRMED']);
  assert.deepEqual([effective.dtstart, effective.sequence], ['2027-09-01', 0]);
  assert.ok(deadline.created && deadline.last_modified);

  // The date moves: the same version, the same UIDs, the next revision.
  await pause(1100); // LAST-MODIFIED has whole seconds
  const moved = await staff.chair.post(`/api/proposals/${first}/effective-date`, { date: '2027-10-01' });
  assert.equal(moved.status, 200, moved.text);
  assert.equal(moved.json.version_id, versionId, 'the version moved rather than being replaced');
  const after = await calendar();
  const movedDeadline = byUid(after, 'withdrawal-deadline', versionId);
  const movedEffective = byUid(after, 'code-effective', versionId);
  assert.equal(movedDeadline.uid, deadline.uid);
  assert.equal(movedEffective.uid, effective.uid);
  assert.deepEqual([movedDeadline.dtstart, movedDeadline.sequence, movedDeadline.status], ['2027-09-03', 1, 'CONFIRMED']);
  assert.deepEqual([movedEffective.dtstart, movedEffective.sequence], ['2027-10-01', 1]);
  assert.ok(movedDeadline.last_modified > deadline.last_modified, `${movedDeadline.last_modified} after ${deadline.last_modified}`);
  assert.equal(movedDeadline.created, deadline.created);
  assert.equal(after.events.filter((e) => e.dtstart === '2027-08-04').length, 0, 'no stale event at the old date');
  // Reading again changes nothing.
  const again = await calendar();
  assert.equal(byUid(again, 'withdrawal-deadline', versionId).sequence, 1);

  // The second proposal joins the first's date; then the first moves on: its own new
  // version; the shared one stays for the second.
  const joined = await staff.chair.post(`/api/proposals/${second}/effective-date`, { date: '2027-10-01' });
  assert.equal(joined.json.version_id, versionId);
  const away = await staff.chair.post(`/api/proposals/${first}/effective-date`, { date: '2027-11-01' });
  assert.notEqual(away.json.version_id, versionId);
  // The second follows: the version of 2027-10-01 has no adoption left and is removed.
  const followed = await staff.chair.post(`/api/proposals/${second}/effective-date`, { date: '2027-11-01' });
  assert.equal(followed.json.version_id, away.json.version_id);
  assert.deepEqual(alvd.sql(`SELECT COUNT(*) FROM code_versions WHERE id = ${versionId}`), [['0']]);
  const last = await calendar();
  const gone = byUid(last, 'withdrawal-deadline', versionId);
  assert.ok(gone, 'the event of the removed version is still in the feed');
  assert.deepEqual([gone.status, gone.sequence, gone.dtstart], ['CANCELLED', 2, '2027-09-03']);
  assert.match(gone.summary, /^Vervallen: /);
  assert.equal(byUid(last, 'code-effective', versionId).status, 'CANCELLED');
  const current = byUid(last, 'withdrawal-deadline', away.json.version_id);
  assert.deepEqual([current.status, current.dtstart], ['CONFIRMED', '2027-10-04']);
  console.log(`feed: ${last.events.length} events, ${last.events.filter((e) => e.status === 'CANCELLED').length} cancelled, `
    + `the moved deadline at SEQUENCE ${movedDeadline.sequence} then ${gone.sequence}`);
});

test('a Code version imported through the API appears at once, revision 0', async () => {
  const admin = await alvd.login('admin');
  const made = await admin.post('/api/code/versions', { label: 'ICS-2028', effective_from: '2028-03-01', decided_on: '2027-06-15', markdown: '1. Een\n\nTekst.' });
  assert.equal(made.status, 201, made.text);
  assert.deepEqual(alvd.sql(`SELECT sequence, DATE_FORMAT(day, '%Y-%m-%d') FROM calendar_items WHERE uid = 'withdrawal-deadline-${made.json.id}'`),
    [['0', '2028-02-02']], 'recorded with the version, before any feed was read');
  const cal = await calendar();
  assert.equal(byUid(cal, 'code-effective', made.json.id).summary, 'Code ICS-2028 treedt in werking');
});
