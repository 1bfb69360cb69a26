// alvd killed with SIGKILL in the middle of a vote storm and restarted on the same
// database: every vote that got a 2xx is in the database once, nothing is counted twice,
// a vote whose answer was lost is either fully written or not at all, and retrying it
// with the same ballot_id settles it; the closed poll counts exactly the ballots.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { startAlvd } from '../api/lib/alvd.mjs';
import { addCycle, addProposal, hall } from '../api/lib/poll-fixtures.mjs';

const MEMBERS = 300;
const KILL_AFTER_VOTES = 100;
const CHOICES = ['for', 'against', 'abstain'];

let alvd;
let staff;
let year = 2181;

before(async () => {
  alvd = await startAlvd({ demo: true });
  await loginStaff();
});

after(async () => {
  // The killed process is gone; the restarted one must stop cleanly (no sanitizer report).
  await alvd?.stop();
});

async function loginStaff() {
  staff = { secretariat: await alvd.login('secretariat'), board: await alvd.login('board'), chair: await alvd.login('chair') };
}

const count = (query) => Number(alvd.sql(query)[0][0]);

/**
 * A second MariaDB session that can hold the poll's row lock, which every vote batch
 * takes first (SELECT … FOR UPDATE): while it is held, the batch that reached the
 * database waits inside its transaction and later votes queue in alvd. run(sql) sends
 * statements and resolves once they have been executed.
 */
function lockSession() {
  const child = spawn('mariadb', ['--no-defaults', '-S', alvd.socket, '-uroot', '--batch', '--skip-column-names',
    '--unbuffered', alvd.database], { stdio: ['pipe', 'pipe', 'inherit'] });
  let output = '';
  let marker = 0;
  let exited = false;
  const waiters = [];
  const wake = () => { for (const waiter of waiters.splice(0)) waiter(); };
  child.stdout.on('data', (data) => { output += data; wake(); });
  child.on('exit', () => { exited = true; wake(); });
  const session = {
    child,
    /** Run statements; resolves with what they printed (the client stops on an error). */
    async run(statements) {
      const done = `done-${++marker}\n`;
      child.stdin.write(`${statements}\nSELECT '${done.trim()}';\n`);
      while (!output.includes(done)) {
        if (exited) throw new Error(`the lock session ended while running: ${statements}`);
        await new Promise((resolve) => waiters.push(resolve));
      }
      const printed = output.slice(0, output.indexOf(done));
      output = output.slice(output.indexOf(done) + done.length);
      return printed;
    },
    async end() {
      if (child.exitCode !== null) return;
      const gone = new Promise((resolve) => child.on('exit', resolve));
      child.stdin.end('ROLLBACK;\n');
      await gone;
    },
  };
  return session;
}

/**
 * Whether a vote batch of alvd is waiting for the poll lock we hold: its statement is
 * running (a transaction waiting for its first lock does not always show in INNODB_TRX,
 * the process list always shows the statement). A false "yes" costs one harmless cycle.
 */
const batchWaitingQuery = () => `SELECT COUNT(*) FROM information_schema.PROCESSLIST
  WHERE DB = DATABASE() AND ID <> CONNECTION_ID() AND COMMAND IN ('Query', 'Execute')
  AND INFO LIKE '%FROM polls%FOR UPDATE%';`;

/** Open transactions of other sessions on this database (the dead process's ones). */
const transactionsQuery = () => `SELECT COUNT(*) FROM information_schema.INNODB_TRX t
  JOIN information_schema.PROCESSLIST p ON p.ID = t.trx_mysql_thread_id
  WHERE p.DB = DATABASE() AND p.ID <> CONNECTION_ID();`;

/** Wait (without blocking the event loop) until the async condition holds. */
async function until(condition) {
  while (!(await condition())) await new Promise((resolve) => setTimeout(resolve, 20));
}

/**
 * Every phone votes at once (one Promise.all); the database lets one vote batch through
 * at a time, and once at least `threshold` votes are committed alvd is killed with
 * SIGKILL as soon as the first of their answers arrives: the batch just committed may
 * not have sent all its answers, the next batch waits inside its transaction, more votes
 * are queued. Returns one record per
 * phone: {phone, choice, ballotId, status, tracker, failure}.
 */
async function stormAndKill(pollId, phones, threshold) {
  const session = lockSession();
  try {
    const number = async (statements) => Number((await session.run(statements)).trim().split('\n').at(-1));
    await session.run(`BEGIN; SELECT id FROM polls WHERE id = ${pollId} FOR UPDATE;`);
    const records = phones.map((phone, i) => ({ phone, choice: CHOICES[i % 3], ballotId: randomUUID() }));
    let answered = 0;
    const storm = Promise.all(records.map(async (record) => {
      try {
        const answer = await record.phone.client.post(`/api/polls/${pollId}/votes`, { choice: record.choice, ballot_id: record.ballotId });
        record.status = answer.status;
        record.tracker = answer.json?.tracker;
        record.body = answer.text;
      } catch (error) {
        record.failure = error.cause?.code || error.message;
      }
      answered += 1;
    }));
    const stormOver = () => answered === records.length;
    for (;;) {
      // A batch is waiting for the lock: let exactly that one through, then hold the
      // lock again (InnoDB grants it to us before the next batch asks for it).
      await until(async () => stormOver() || await number(batchWaitingQuery()) >= 1);
      const committed = await number(`ROLLBACK; BEGIN; SELECT 'locked' FROM polls WHERE id = ${pollId} FOR UPDATE;
        SELECT (SELECT COUNT(*) FROM ballots WHERE poll_id = ${pollId}) + (SELECT COUNT(*) FROM sealed_ballots WHERE poll_id = ${pollId});`);
      // (Every vote answered before the threshold can only mean errors: the checks say which.)
      if (committed >= threshold || stormOver()) break;
      await until(() => answered >= committed);
    }
    // Enough votes are committed; kill as soon as the first answer of them is seen.
    await until(() => answered >= 1);
    alvd.process.kill('SIGKILL');
    const exit = await alvd.exited;
    assert.equal(exit.signal, 'SIGKILL', 'alvd was killed, it did not stop by itself');
    await session.run('ROLLBACK;');
    await storm;
    // MariaDB rolls back what the dead process left open before alvd restarts.
    await until(async () => await number(transactionsQuery()) === 0);
    return records;
  } finally {
    await session.end();
  }
}

/** A meeting of MEMBERS checked-in members with a poll of the given kind open. */
async function openPollInHall(prefix, secret) {
  const cycle = addCycle(alvd, year++);
  const proposalId = addProposal(alvd, cycle, `Storm ${prefix}`, [{ article: '6a', action: 'replace', text: `Tekst ${prefix}.` }]);
  const room = await hall(alvd, { prefix, present: MEMBERS, proposalIds: [proposalId], staff });
  const created = await staff.chair.post(`/api/meetings/${room.meeting.id}/polls`, { proposal_id: proposalId, secret });
  assert.equal(created.status, 201, created.text);
  const opened = await staff.chair.post(`/api/polls/${created.json.id}/open`);
  assert.equal(opened.status, 200, opened.text);
  assert.equal(opened.json.eligible, MEMBERS);
  return { room, pollId: created.json.id };
}

/** The register (poll_voters) of a poll: organisation ids. */
function registerOf(pollId) {
  return new Set(alvd.sql(`SELECT organisation_id FROM poll_voters WHERE poll_id = ${pollId}`).map(([id]) => Number(id)));
}

/** The ballots of an open poll: tracker hex → choice (a secret poll keeps them sealed until close). */
function ballotsOf(pollId) {
  return new Map(alvd.sql(`SELECT LOWER(HEX(tracker)), choice FROM ballots WHERE poll_id = ${pollId}`));
}

/** Ballot rows of a poll: plain for an open poll, sealed for a secret one. */
const ballotTable = (secret) => (secret ? 'sealed_ballots' : 'ballots');

/** The open (named) votes of a poll: organisation id → choice. */
function openVotesOf(pollId) {
  return new Map(alvd.sql(`SELECT organisation_id, choice FROM open_votes WHERE poll_id = ${pollId}`).map(([id, c]) => [Number(id), c]));
}

/** What must hold at any moment: one ballot per register row, none twice. */
function assertConsistent(pollId, secret) {
  const registerRows = count(`SELECT COUNT(*) FROM poll_voters WHERE poll_id = ${pollId}`);
  assert.equal(count(`SELECT COUNT(DISTINCT organisation_id) FROM poll_voters WHERE poll_id = ${pollId}`), registerRows, 'nobody twice in the register');
  assert.equal(count(`SELECT COUNT(*) FROM ${ballotTable(secret)} WHERE poll_id = ${pollId}`), registerRows, 'exactly one ballot per register row');
  if (secret) {
    assert.equal(count(`SELECT COUNT(*) FROM open_votes WHERE poll_id = ${pollId}`), 0, 'a secret poll names nobody');
    assert.equal(count(`SELECT COUNT(*) FROM ballots WHERE poll_id = ${pollId}`), 0, 'and keeps no plain ballot');
  } else {
    assert.equal(count(`SELECT COUNT(DISTINCT tracker) FROM ballots WHERE poll_id = ${pollId}`), registerRows, 'no tracker twice');
    const named = openVotesOf(pollId);
    assert.deepEqual([...named.keys()].sort((a, b) => a - b), [...registerOf(pollId)].sort((a, b) => a - b),
      'an open poll names exactly the members in the register');
  }
  return registerRows;
}

async function voteStormSurvivesKill(prefix, secret) {
  const { room, pollId } = await openPollInHall(prefix, secret);
  const records = await stormAndKill(pollId, room.phones, KILL_AFTER_VOTES);

  for (const record of records) {
    // What a phone may see during a crash: its vote accepted, or no answer at all.
    assert.ok(record.failure || record.status === 201, `unexpected answer ${record.status}: ${record.body}`);
  }
  const accepted = records.filter((r) => r.status === 201);
  const lost = records.filter((r) => r.failure);
  assert.ok(accepted.length >= 1, 'some votes were accepted before the kill');

  await alvd.start();
  await loginStaff();

  // Every 2xx vote is in the database, with its tracker and its choice, once.
  const registerRows = assertConsistent(pollId, secret);
  const register = registerOf(pollId);
  const ballots = ballotsOf(pollId);
  const named = openVotesOf(pollId);
  for (const record of accepted) {
    assert.match(record.tracker, /^[0-9a-f]{32}$/);
    if (!secret) assert.equal(ballots.get(record.tracker), record.choice, `the ballot of an accepted vote (${record.phone.name})`);
    assert.ok(register.has(record.phone.organisationId), `${record.phone.name} is in the register`);
    if (!secret) assert.equal(named.get(record.phone.organisationId), record.choice, `${record.phone.name}'s named vote`);
  }
  // A vote whose answer was lost may have been written, but then wholly.
  assert.ok(registerRows >= accepted.length, 'count ≥ the votes answered with 2xx');
  const byOrganisation = new Map(records.map((r) => [r.phone.organisationId, r]));
  for (const organisationId of register) assert.ok(byOrganisation.has(organisationId), 'only members who voted are in the register');
  const view = await staff.chair.get(`/api/polls/${pollId}`);
  assert.equal(view.status, 200, view.text);
  assert.equal(view.json.state, 'open', 'the poll stays open across the crash');
  assert.equal(view.json.cast, registerRows, 'the poll counts what the register holds');

  // The phones retry what got no answer, with the same ballot_id: 200 and the tracker of
  // the ballot already written, or 201 where the vote never reached the disk.
  const writtenBeforeRetry = new Set(register);
  const retries = await Promise.all(lost.map(async (record) => {
    const answer = await record.phone.client.post(`/api/polls/${pollId}/votes`, { choice: record.choice, ballot_id: record.ballotId });
    return { record, answer };
  }));
  let recovered = 0;
  const retriedTrackers = []; // a secret poll: checked against the published list after close
  for (const { record, answer } of retries) {
    if (writtenBeforeRetry.has(record.phone.organisationId)) {
      recovered += 1;
      assert.equal(answer.status, 200, `a written vote retried: ${answer.text}`);
      if (!secret) assert.equal(ballots.get(answer.json.tracker), record.choice, 'the retry names the ballot already written');
      retriedTrackers.push(answer.json.tracker);
    } else {
      assert.equal(answer.status, 201, `an unwritten vote retried: ${answer.text}`);
    }
    assert.match(answer.json.tracker, /^[0-9a-f]{32}$/);
  }
  // A retry of an accepted vote answers the same tracker; another ballot is refused.
  const sample = accepted[0];
  const again = await sample.phone.client.post(`/api/polls/${pollId}/votes`, { choice: sample.choice, ballot_id: sample.ballotId });
  assert.equal(again.status, 200, again.text);
  assert.equal(again.json.tracker, sample.tracker);
  const second = await sample.phone.client.post(`/api/polls/${pollId}/votes`, { choice: 'against', ballot_id: randomUUID() });
  assert.equal(second.status, 409, second.text);
  assert.equal(second.json.code, 'already_voted');

  // Now every member has voted exactly once.
  assert.equal(assertConsistent(pollId, secret), MEMBERS);
  assert.equal((await staff.chair.get(`/api/polls/${pollId}`)).json.cast, MEMBERS);
  const closed = await staff.chair.post(`/api/polls/${pollId}/close`);
  assert.equal(closed.status, 200, closed.text);
  const expected = Object.fromEntries(CHOICES.map((c) => [c, records.filter((r) => r.choice === c).length]));
  assert.deepEqual([closed.json.for, closed.json.against, closed.json.abstain, closed.json.not_voted],
    [expected.for, expected.against, expected.abstain, 0], 'the result counts every member once, with its own choice');
  if (secret) {
    // Every ballot was sealed with its own choice: the count per choice is exact, every
    // receipt (answered before the kill or on the retry) is in the published list, and
    // the box is empty and its key destroyed.
    const published = await staff.chair.get(`/api/polls/${pollId}/trackers`);
    assert.equal(published.status, 200, published.text);
    assert.equal(published.json.trackers.length, MEMBERS);
    assert.equal(new Set(published.json.trackers).size, MEMBERS, 'no tracker twice');
    for (const record of accepted) assert.ok(published.json.trackers.includes(record.tracker), 'an accepted tracker is published');
    for (const tracker of retriedTrackers) assert.ok(published.json.trackers.includes(tracker), 'a recovered tracker is published');
    assert.equal(count(`SELECT COUNT(*) FROM sealed_ballots WHERE poll_id = ${pollId}`), 0, 'the sealed ballots are gone');
    assert.ok(!existsSync(join(alvd.dataDir, 'keys', 'polls', `${pollId}.key`)), 'the poll key is destroyed');
  } else {
    for (const choice of CHOICES) {
      assert.equal(count(`SELECT COUNT(*) FROM ballots WHERE poll_id = ${pollId} AND choice = '${choice}'`), expected[choice], `${choice} ballots`);
    }
    const named = openVotesOf(pollId);
    for (const record of records) assert.equal(named.get(record.phone.organisationId), record.choice);
  }

  const verify = alvd.run(['audit', 'verify']);
  assert.equal(verify.status, 0, verify.stdout + verify.stderr);
  assert.match(verify.stdout, /chain intact/);
  return { accepted: accepted.length, lost: lost.length, recovered };
}

test(`open poll: SIGKILL during ${MEMBERS} concurrent votes, restart, nothing lost or doubled`, async (t) => {
  const outcome = await voteStormSurvivesKill('Stormopen', false);
  t.diagnostic(`accepted before the kill ${outcome.accepted}, no answer ${outcome.lost} (of which written ${outcome.recovered})`);
});

test(`secret poll: SIGKILL during ${MEMBERS} concurrent votes, restart, nothing lost or doubled`, async (t) => {
  const outcome = await voteStormSurvivesKill('Stormgeheim', true);
  t.diagnostic(`accepted before the kill ${outcome.accepted}, no answer ${outcome.lost} (of which written ${outcome.recovered})`);
});
