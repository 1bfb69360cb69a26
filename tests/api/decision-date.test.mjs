// The decision date D (issue 13, point 1): a meeting opens only on its own date
// (Europe/Amsterdam), and D is the Amsterdam date on which the adopting poll closed —
// pinned at 23:59 and 00:01, around both DST changes, and for a meeting dated in the
// past. The server's clock is injected with ALVD_TEST_NOW (it starts at that instant
// and runs on); "the next minute" is a restart on the same database with a later one.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startAlvd, demoLogins } from './lib/alvd.mjs';
import { addCycle, addProposal, hall, vote, amsterdamDate } from './lib/poll-fixtures.mjs';

const dataDirs = [];
after(() => { for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true }); });

async function staffOf(alvd) {
  return { secretariat: await alvd.login('secretariat'), board: await alvd.login('board'), chair: await alvd.login('chair') };
}

async function adopt(alvd, staff, room, proposalId, close = true) {
  const created = await staff.chair.post(`/api/meetings/${room.meeting.id}/polls`, { proposal_id: proposalId, secret: false });
  assert.equal(created.status, 201, created.text);
  const opened = await staff.chair.post(`/api/polls/${created.json.id}/open`);
  assert.equal(opened.status, 200, opened.text);
  for (const phone of room.phones) assert.equal((await vote(phone, created.json.id, 'for')).status, 201);
  if (close) {
    const closed = await staff.chair.post(`/api/polls/${created.json.id}/close`);
    assert.equal(closed.status, 200, closed.text);
    assert.equal(closed.json.adopted, true);
  }
  return created.json.id;
}

/** The signed record of a poll's close, as stored (canonical JSON). */
function pollRecord(alvd, pollId) {
  const [[canonical]] = alvd.sql(`SELECT canonical FROM decisions WHERE poll_id = ${pollId} AND kind = 'poll'`);
  return JSON.parse(canonical);
}

/** The Amsterdam date of an instant as the API writes it (RFC 3339, UTC). */
const amsterdamOf = (instant) => amsterdamDate(Date.parse(instant));

test('a meeting opens only on its own date; a past-dated meeting is corrected first (audited), and D is the day of closing', async () => {
  const alvd = await startAlvd({ demo: true, env: { ALVD_TEST_NOW: '2027-06-15T10:00:00+02:00' } });
  try {
    const staff = await staffOf(alvd);
    const make = async (date) => {
      const created = await staff.secretariat.post('/api/meetings', { title: `ALV ${date}`, date, starts_at: '19:30', location: 'Utrecht' });
      assert.equal(created.status, 201, created.text);
      return created.json.id;
    };
    const tomorrow = await make('2027-06-16');
    const refused = await staff.chair.post(`/api/meetings/${tomorrow}/open`);
    assert.equal(refused.status, 409, refused.text);
    assert.equal(refused.json.code, 'not_meeting_day');
    assert.equal(refused.json.meeting_date, '2027-06-16');
    assert.equal(refused.json.today, '2027-06-15');
    assert.match(refused.json.error, /woensdag 16 juni 2027/);
    assert.match(refused.json.error, /dinsdag 15 juni 2027/);
    // The chair's page in English gets the sentence in English, the dates in words.
    const english = await staff.chair.post(`/api/meetings/${tomorrow}/open?lang=en`);
    assert.equal(english.status, 409, english.text);
    assert.equal(english.json.error, 'This meeting is set for Wednesday 16 June 2027; today is Tuesday 15 June 2027. '
      + 'A meeting is opened only on its own date. If it is held today, first set its date to today (that change is recorded in the log).');
    assert.deepEqual(alvd.sql(`SELECT state, opened_at FROM meetings WHERE id = ${tomorrow}`), [['planned', null]]);

    // The case: a meeting dated 30 days in the past cannot be opened today.
    const past = await make('2027-05-16');
    const stale = await staff.chair.post(`/api/meetings/${past}/open`);
    assert.equal(stale.status, 409, stale.text);
    assert.equal(stale.json.code, 'not_meeting_day');
    assert.equal(stale.json.meeting_date, '2027-05-16');
    // Correcting the date first is a change of record: audited with both dates.
    const moved = await staff.secretariat.patch(`/api/meetings/${past}`, { date: '2027-06-15' });
    assert.equal(moved.status, 200, moved.text);
    const [[details]] = alvd.sql(`SELECT details FROM audit_log WHERE action = 'meeting.date_changed' AND object_id = ${past}`);
    assert.deepEqual(JSON.parse(details), { from: '2027-05-16', to: '2027-06-15', convened: false });
    const opened = await staff.chair.post(`/api/meetings/${past}/open`);
    assert.equal(opened.status, 200, opened.text);
    const locked = await staff.secretariat.patch(`/api/meetings/${past}`, { date: '2027-06-14' });
    assert.equal(locked.status, 409, 'the date of an open meeting is fixed');
    assert.equal(locked.json.code, 'meeting_open');

    // A poll of that meeting adopted today: D is today, not the date the meeting once had.
    const cycle = addCycle(alvd, 2301);
    const proposalId = addProposal(alvd, cycle, 'Voorstel in de verplaatste vergadering', [{ article: '6a', action: 'replace', text: 'Nieuwe 6a.' }]);
    const room = await hall(alvd, { prefix: 'Verplaatst', present: 2, proposalIds: [proposalId], staff });
    const pollId = await adopt(alvd, staff, room, proposalId);
    const view = await staff.chair.get(`/api/polls/${pollId}`);
    assert.equal(view.json.decided_on, '2027-06-15');
    assert.equal(view.json.earliest_effective_date, '2027-07-27');
    const record = pollRecord(alvd, pollId);
    assert.equal(record.decided_on, '2027-06-15');
    assert.equal(amsterdamOf(record.closed_at), record.decided_on, 'the signed D is the Amsterdam date of closed_at');
    const early = await staff.chair.post(`/api/proposals/${proposalId}/effective-date`, { date: '2027-07-26' });
    assert.equal(early.status, 422);
    assert.equal(early.json.code, 'effective_date_too_early');
    const set = await staff.chair.post(`/api/proposals/${proposalId}/effective-date`, { date: '2027-07-27' });
    assert.equal(set.status, 200, set.text);
    assert.equal(set.json.withdrawal_deadline, '2027-06-29');
    assert.deepEqual(alvd.sql(`SELECT DATE_FORMAT(decided_on, '%Y-%m-%d') FROM adoptions WHERE proposal_id = ${proposalId}`), [['2027-06-15']]);
    const [[effectiveRecord]] = alvd.sql(`SELECT canonical FROM decisions WHERE poll_id = ${pollId} AND kind = 'effective_date'`);
    assert.equal(JSON.parse(effectiveRecord).decided_on, '2027-06-15');
    const minutes = await staff.secretariat.get(`/api/meetings/${room.meeting.id}/minutes?format=markdown`);
    assert.match(minutes.text, /Datum van het besluit: 2027-06-15/);
  } finally {
    await alvd.stop();
  }
});

// Each case: the meeting's day and the next; the clock at 23:59 on the first and 00:01
// on the second, with the Amsterdam offsets of those instants.
const boundaries = [
  { label: 'a summer night', day: '2027-06-15', late: '2027-06-15T23:59:00+02:00', next: '2027-06-16', early: '2027-06-16T00:01:00+02:00' },
  { label: 'the night before the spring change (CET, CEST from 02:00)', day: '2027-03-27', late: '2027-03-27T23:59:00+01:00', next: '2027-03-28', early: '2027-03-28T00:01:00+01:00' },
  { label: 'the night before the autumn change (CEST, CET from 03:00)', day: '2027-10-30', late: '2027-10-30T23:59:00+02:00', next: '2027-10-31', early: '2027-10-31T00:01:00+02:00' },
];

const addDays = (date, days) => new Date(Date.parse(`${date}T12:00:00Z`) + days * 86400000).toISOString().slice(0, 10);

/** Staff accounts with the demo's logins, without the rest of the demo. */
function addStaff(alvd) {
  for (const [role, roles, name] of [['secretariat', 'secretariat', 'Sanne'], ['board', 'board', 'Bram'], ['chair', 'chair,board', 'Vera']]) {
    const made = alvd.run(['user', 'add', '--email', demoLogins[role].email, '--name', name, '--role', roles, '--password-stdin'],
      demoLogins[role].password);
    assert.equal(made.status, 0, made.stderr);
  }
  alvd.sql("INSERT INTO code_versions (label, effective_from, created_at) VALUES ('2025-1', '2025-01-01', UTC_TIMESTAMP(6))");
}

/** A civil date as the error sentences write it: "woensdag 28 juli 2027". */
function inWords(day) {
  return new Intl.DateTimeFormat('nl-NL', { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' })
    .format(new Date(`${day}T00:00:00Z`));
}

for (const [index, c] of boundaries.entries()) {
  test(`D at 23:59 and 00:01 Amsterdam time: ${c.label}`, async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'alvd-d-'));
    dataDirs.push(dataDir);
    // Set up in the evening: the meeting open, both polls open and voted on.
    const setup = await startAlvd({ dataDir, keepDatabase: true, serve: false, env: { ALVD_TEST_NOW: `${c.day}T20:00:00Z` } });
    addStaff(setup);
    await setup.start();
    const database = setup.database;
    let current = setup;
    let dropsDatabase = false; // the last process drops the database when it stops
    try {
      const staff = await staffOf(setup);
      const cycle = addCycle(setup, 2310 + index);
      const before = addProposal(setup, cycle, 'Gesloten voor middernacht', [{ article: '6a', action: 'replace', text: 'Voor middernacht.' }]);
      const afterMidnight = addProposal(setup, cycle, 'Gesloten na middernacht', [{ article: '6d', action: 'replace', text: 'Na middernacht.' }]);
      const spare = await staff.secretariat.post('/api/meetings', { title: 'Nog een ALV', date: c.day, starts_at: '19:30', location: 'Zwolle' });
      assert.equal(spare.status, 201, spare.text);
      const room = await hall(setup, { prefix: `Middernacht${index}`, present: 3, date: c.day, proposalIds: [before, afterMidnight], staff });
      const beforePoll = await adopt(setup, staff, room, before, false);
      const afterPoll = await adopt(setup, staff, room, afterMidnight, false);
      await setup.stop();

      // 23:59 on the clock (the same database and keys): the first poll closes.
      current = await startAlvd({ database, dataDir, keepDatabase: true, migrate: false, env: { ALVD_TEST_NOW: c.late } });
      const closedLate = await (await current.login('chair')).post(`/api/polls/${beforePoll}/close`);
      assert.equal(closedLate.status, 200, closedLate.text);
      assert.equal(closedLate.json.decided_on, c.day, '23:59: D is the meeting day');
      await current.stop();

      // 00:01: the second poll closes on the next day.
      current = await startAlvd({ database, dataDir, migrate: false, env: { ALVD_TEST_NOW: c.early } });
      dropsDatabase = true;
      const chair = await current.login('chair');
      const closed = await chair.post(`/api/polls/${afterPoll}/close`);
      assert.equal(closed.status, 200, closed.text);
      assert.equal(closed.json.decided_on, c.next, '00:01: D is the next day');
      for (const [pollId, day] of [[beforePoll, c.day], [afterPoll, c.next]]) {
        const record = pollRecord(current, pollId);
        assert.equal(record.decided_on, day);
        assert.equal(amsterdamOf(record.closed_at), day, `closed_at ${record.closed_at} is on ${day} in Amsterdam`);
      }
      // R3 follows each poll's own D: D + 41 refused, D + 42 the earliest.
      const tooEarly = await chair.post(`/api/proposals/${afterMidnight}/effective-date`, { date: addDays(c.day, 42) });
      assert.equal(tooEarly.status, 422, tooEarly.text);
      assert.equal(tooEarly.json.code, 'effective_date_too_early');
      assert.ok(tooEarly.json.error.includes(inWords(addDays(c.next, 42))), tooEarly.json.error);
      const onTime = await chair.post(`/api/proposals/${before}/effective-date`, { date: addDays(c.day, 42) });
      assert.equal(onTime.status, 200, onTime.text);
      assert.equal(onTime.json.is_earliest, true);
      const later = await chair.post(`/api/proposals/${afterMidnight}/effective-date`, { date: addDays(c.next, 42) });
      assert.equal(later.status, 200, later.text);
      assert.equal(later.json.withdrawal_deadline, addDays(c.next, 14));
      assert.deepEqual(current.sql(`SELECT proposal_id, DATE_FORMAT(decided_on, '%Y-%m-%d') FROM adoptions WHERE proposal_id IN (${before}, ${afterMidnight}) ORDER BY proposal_id`),
        [[String(before), c.day], [String(afterMidnight), c.next]]);

      // The meeting in progress goes on after midnight, but a meeting of yesterday no longer opens.
      const stale = await chair.post(`/api/meetings/${spare.json.id}/open`);
      assert.equal(stale.status, 409, stale.text);
      assert.equal(stale.json.code, 'not_meeting_day');
      assert.equal(stale.json.today, c.next);
    } finally {
      await current.stop();
      if (!dropsDatabase) {
        // MariaDB keeps table grants of a dropped database; the role's go with it.
        current.sql(`DROP DATABASE IF EXISTS ${database}; DELETE FROM mysql.tables_priv WHERE Db = '${database}'; FLUSH PRIVILEGES`);
      }
    }
  });
}
