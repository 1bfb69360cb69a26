// Issue 15 point 1: a secret ballot cannot be linked to the member who cast it by anyone
// holding MariaDB's files, and the running tally cannot be read from the tables.
// 1. The redo-log attack of the pen test, on this test's own MariaDB: members vote one
//    by one (a transaction each) and then in a burst (batches), the poll closes, and the
//    attacker reads ib_logfile0 and the tables (also as they were while the poll was
//    open) and pairs members with trackers (and so choices) by their place in the log:
//    neighbours, and rank within a stretch of the log. Before issue 15: every member.
// 2. While a secret poll is open, nothing in any table gives its tally, and the poll's
//    key is in keys/polls/ only (not in a dump of the database); after close it is gone.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { randomInt } from 'node:crypto';
import { join } from 'node:path';
import { startAlvd, testDatabaseDir } from './lib/alvd.mjs';
import { addCycle, addProposal, hall, vote } from './lib/poll-fixtures.mjs';

const ONE_BY_ONE = 8;
const BURST = 8;
const MEMBERS = ONE_BY_ONE + BURST;
const CHOICES = ['for', 'against', 'abstain'];
// How close two records must lie in the log to count as written together. The pen test
// found a register row and its ballot about 99 bytes apart; 512 leaves room for batches.
const WINDOW = 512;

let alvd;
let staff;
let year = 2401;

before(async () => {
  alvd = await startAlvd({ demo: true });
  staff = { secretariat: await alvd.login('secretariat'), board: await alvd.login('board'), chair: await alvd.login('chair') };
});
after(async () => { await alvd?.stop(); });

/** A secret poll open in a hall of `present` members; returns {room, pollId}. */
async function openSecretPoll(prefix, present) {
  const proposalId = addProposal(alvd, addCycle(alvd, year++), `Geheim ${prefix}`, [{ article: '6a', action: 'replace', text: `Tekst ${prefix}.` }]);
  const room = await hall(alvd, { prefix, present, proposalIds: [proposalId], staff });
  const created = await staff.chair.post(`/api/meetings/${room.meeting.id}/polls`, { proposal_id: proposalId, secret: true });
  assert.equal(created.status, 201, created.text);
  const opened = await staff.chair.post(`/api/polls/${created.json.id}/open`);
  assert.equal(opened.status, 200, opened.text);
  return { room, pollId: created.json.id };
}

/** Tables of this database with a poll_id column, and their columns (name → type). */
function pollTables() {
  const tables = new Map();
  for (const [table, column, type] of alvd.sql(`SELECT c.TABLE_NAME, c.COLUMN_NAME, c.DATA_TYPE FROM information_schema.COLUMNS c
      WHERE c.TABLE_SCHEMA = DATABASE() AND c.TABLE_NAME IN (SELECT TABLE_NAME FROM information_schema.COLUMNS
      WHERE TABLE_SCHEMA = DATABASE() AND COLUMN_NAME = 'poll_id') ORDER BY c.TABLE_NAME, c.ORDINAL_POSITION`)) {
    if (!tables.has(table)) tables.set(table, new Map());
    tables.get(table).set(column, type);
  }
  return tables;
}

/**
 * What the tables hold for the poll, as the attacker reads them: every binary value of
 * at least 8 bytes in a row of the poll, with the member when the row names one.
 */
function readPollRows(pollId) {
  const values = [];
  for (const [table, columns] of pollTables()) {
    const binary = [...columns].filter(([, type]) => /binary|blob/.test(type)).map(([name]) => name);
    if (binary.length === 0) continue;
    const member = columns.has('organisation_id') ? 'organisation_id' : null;
    const rows = alvd.sql(`SELECT ${member ?? 'NULL'}, ${binary.map((c) => `HEX(${c})`).join(', ')} FROM ${table} WHERE poll_id = ${pollId}`);
    for (const [organisationId, ...cells] of rows) {
      for (const cell of cells) {
        if (cell && cell.length >= 16) values.push({ table, member: organisationId === null ? null : Number(organisationId), bytes: Buffer.from(cell, 'hex') });
      }
    }
  }
  return values;
}

/** (tracker hex → choice) from any table that keeps both, as the attacker would use it. */
function trackerChoices(pollId) {
  const choices = new Map();
  for (const [table, columns] of pollTables()) {
    if (columns.has('tracker') && columns.has('choice')) {
      for (const [tracker, choice] of alvd.sql(`SELECT LOWER(HEX(tracker)), choice FROM ${table} WHERE poll_id = ${pollId}`)) choices.set(tracker, choice);
    }
  }
  return choices;
}

/** InnoDB stores a BIGINT as 8 big-endian bytes with the sign bit flipped. */
function bigintBytes(value) {
  const bytes = Buffer.alloc(8);
  bytes.writeBigUInt64BE(BigInt(value) ^ (1n << 63n));
  return bytes;
}

function offsetsOf(log, pattern) {
  const found = [];
  for (let at = log.indexOf(pattern); at >= 0; at = log.indexOf(pattern, at + 1)) found.push(at);
  return found;
}

const near = (as, bs) => as.some((a) => bs.some((b) => Math.abs(a - b) <= WINDOW));
const distance = (as, bs) => Math.min(Infinity, ...as.flatMap((a) => bs.map((b) => Math.abs(a - b))));

/**
 * The attack: where in the log is each member (its id, and values the tables tie to
 * it), where is each published tracker (whole, or its last 12 bytes, which survive
 * InnoDB's prefix compression), and which other values of the poll's rows (ballot ids,
 * sealed ballots) sit beside exactly one member or one tracker and so can bridge them.
 * A pair is claimed for a member and a tracker that are each other's only neighbour,
 * and by rank within a stretch of the log where members' and trackers' records follow
 * each other (a batch writes its register rows and then its ballots in the same order).
 * Returns, per member, the trackers claimed for it.
 */
function redoLogAttack(log, members, trackers, rowValues) {
  const memberAt = new Map(members.map((id) => [id, offsetsOf(log, bigintBytes(id))]));
  for (const value of rowValues) {
    if (value.member !== null && memberAt.has(value.member)) memberAt.get(value.member).push(...offsetsOf(log, value.bytes));
  }
  const trackerAt = new Map(trackers.map((t) => {
    const bytes = Buffer.from(t, 'hex');
    return [t, [...new Set([...offsetsOf(log, bytes), ...offsetsOf(log, bytes.subarray(4)).map((at) => at - 4)])]];
  }));
  const bridges = [];
  for (const value of rowValues.filter((v) => v.member === null)) {
    const parts = [value.bytes.subarray(0, 16), value.bytes.subarray(-16)];
    const at = [...new Set(parts.flatMap((part) => offsetsOf(log, part)))];
    if (at.length === 0) continue;
    const byMember = members.filter((id) => near(at, memberAt.get(id)));
    const byTracker = trackers.filter((t) => near(at, trackerAt.get(t)));
    if (byMember.length === 1 && byTracker.length === 1) bridges.push([byMember[0], byTracker[0]]);
  }
  const neighbours = (id) => new Set([
    ...trackers.filter((t) => near(memberAt.get(id), trackerAt.get(t))),
    ...bridges.filter(([m]) => m === id).map(([, t]) => t)]);
  const claimed = new Map(members.map((id) => [id, new Set()]));
  for (const id of members) {
    const mine = [...neighbours(id)];
    if (mine.length !== 1) continue;
    const others = members.filter((other) => neighbours(other).has(mine[0]));
    if (others.length === 1) claimed.get(id).add(mine[0]);
  }
  const marks = [
    ...[...memberAt].flatMap(([id, at]) => at.map((offset) => ({ offset, member: id }))),
    ...[...trackerAt].flatMap(([t, at]) => at.map((offset) => ({ offset, tracker: t }))),
  ].sort((a, b) => a.offset - b.offset);
  for (let start = 0; start < marks.length;) {
    let end = start + 1;
    while (end < marks.length && marks[end].offset - marks[end - 1].offset <= WINDOW) end++;
    const stretch = marks.slice(start, end);
    const inOrder = (key) => [...new Set(stretch.filter((m) => m[key] !== undefined).map((m) => m[key]))];
    const [who, what] = [inOrder('member'), inOrder('tracker')];
    if (who.length > 0 && who.length === what.length) who.forEach((id, rank) => claimed.get(id).add(what[rank]));
    start = end;
  }
  const claims = [...claimed].filter(([, set]) => set.size === 1).map(([member, set]) => ({ member, tracker: [...set][0] }));
  const memberOffsets = [...memberAt.values()].flat();
  return {
    claims,
    membersInLog: members.filter((id) => memberAt.get(id).length > 0).length,
    trackersInLog: trackers.filter((t) => trackerAt.get(t).length > 0).length,
    nearest: distance([...trackerAt.values()].flat(), memberOffsets),
  };
}

test('the redo-log attack after close links no member to a tracker or a choice', async (t) => {
  // Member ids no other row of the log shares, so every find is this poll's member.
  alvd.sql(`ALTER TABLE organisations AUTO_INCREMENT = ${4_000_000_000 + randomInt(1_000_000) * 1000}`);
  const { room, pollId } = await openSecretPoll('Redo', MEMBERS);
  const cast = new Map();
  const record = (phone, choice, answer) => {
    assert.equal(answer.status, 201, answer.text);
    cast.set(phone.organisationId, { tracker: answer.json.tracker, choice });
  };
  for (const [i, phone] of room.phones.slice(0, ONE_BY_ONE).entries()) {
    record(phone, CHOICES[i % 3], await vote(phone, pollId, CHOICES[i % 3])); // a transaction per vote
  }
  const burst = room.phones.slice(ONE_BY_ONE);
  const answers = await Promise.all(burst.map((phone, i) => vote(phone, pollId, CHOICES[i % 3]))); // batched
  burst.forEach((phone, i) => record(phone, CHOICES[i % 3], answers[i]));
  const whileOpen = readPollRows(pollId); // the attacker reads the tables during the poll too
  const closed = await staff.chair.post(`/api/polls/${pollId}/close`);
  assert.equal(closed.status, 200, closed.text);
  const published = (await staff.chair.get(`/api/polls/${pollId}/trackers`)).json.trackers;
  assert.deepEqual([...published].sort(), [...cast.values()].map((c) => c.tracker).sort());

  const log = readFileSync(join(testDatabaseDir(), 'data', 'ib_logfile0'));
  const rowValues = [...whileOpen, ...readPollRows(pollId)];
  const choices = trackerChoices(pollId);
  const result = redoLogAttack(log, [...cast.keys()], published, rowValues);
  const links = result.claims.filter((c) => cast.get(c.member).tracker === c.tracker).length;
  const choiceLinks = result.claims.filter((c) => choices.get(c.tracker) === cast.get(c.member).choice).length;
  t.diagnostic(`ib_logfile0 ${log.length} bytes; members found in it ${result.membersInLog}/${MEMBERS}, `
    + `published trackers found ${result.trackersInLog}/${MEMBERS}, nearest tracker to member data ${result.nearest} bytes; `
    + `pairs claimed ${result.claims.length}, right ${links} (trackers), ${choiceLinks} (choices)`);
  assert.equal(result.membersInLog, MEMBERS, 'the attack finds every member\'s register row in the log');
  assert.equal(links, 0, `members linked to their trackers through the redo log: ${links} of ${MEMBERS}`);
  assert.equal(choiceLinks, 0, `members linked to their choices through the redo log: ${choiceLinks} of ${MEMBERS}`);
  assert.equal(choices.size, 0, 'no table keeps a (tracker, choice) pair');
});

test('while a secret poll is open its tally cannot be read from the tables; its key is only in keys/polls/', async () => {
  const { room, pollId } = await openSecretPoll('Telling', 7);
  const choices = ['for', 'for', 'for', 'against', 'against', 'abstain'];
  for (const [i, choice] of choices.entries()) assert.equal((await vote(room.phones[i], pollId, choice)).status, 201);
  const paper = await staff.secretariat.post(`/api/polls/${pollId}/paper`, {
    organisation_ids: [room.phones[6].organisationId], for: 1, against: 0, abstain: 0,
  });
  assert.equal(paper.status, 200, paper.text);

  // The attacker holds every table: no choice column has a row of this poll, ...
  const found = [];
  for (const [table, columns] of pollTables()) {
    for (const [column, type] of columns) {
      if (type !== 'enum') continue;
      const [[values]] = alvd.sql(`SELECT COLUMN_TYPE FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE()
                                   AND TABLE_NAME = '${table}' AND COLUMN_NAME = '${column}'`);
      if (!values.includes("'against'")) continue;
      for (const [choice, count] of alvd.sql(`SELECT ${column}, COUNT(*) FROM ${table} WHERE poll_id = ${pollId} GROUP BY ${column}`)) {
        found.push(`${table}.${column}: ${choice} × ${count}`);
      }
    }
  }
  // ... the poll row has no counts yet (the paper totals included), ...
  const [[paperFor, paperAgainst, paperAbstain, votesFor]] = alvd.sql(
    `SELECT paper_for, paper_against, paper_abstain, votes_for FROM polls WHERE id = ${pollId}`);
  if ([paperFor, paperAgainst, paperAbstain].some((n) => n !== '0') || votesFor !== null) {
    found.push(`polls: paper ${paperFor}/${paperAgainst}/${paperAbstain}, votes_for ${votesFor}`);
  }
  // ... and no audit entry or live event of the poll carries a count per choice.
  const texts = [
    ...alvd.sql(`SELECT action, details FROM audit_log WHERE object_type = 'poll' AND object_id = ${pollId}`),
    ...alvd.sql(`SELECT kind, payload FROM events WHERE JSON_VALUE(payload, '$.poll_id') = ${pollId}`),
  ];
  for (const [what, text] of texts) {
    if (/"(for|against|abstain)"\s*:/.test(text)) found.push(`${what}: ${text}`);
  }
  assert.deepEqual(found, [], 'the running tally is readable from the tables');

  // The poll's key: in keys/polls/ (0600), never in the database.
  const keyFile = join(alvd.dataDir, 'keys', 'polls', `${pollId}.key`);
  assert.ok(existsSync(keyFile), 'the poll key is under keys/polls/ while the poll is open');
  assert.equal(statSync(keyFile).mode & 0o777, 0o600);
  const key = readFileSync(keyFile).toString('hex').toUpperCase();
  const dump = execFileSync('mariadb-dump', ['--no-defaults', '-S', alvd.socket, '-uroot', '--hex-blob', '--skip-extended-insert',
    alvd.database], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  assert.ok(dump.includes('INSERT INTO `sealed_ballots`'), 'the dump holds the sealed ballots');
  assert.ok(!dump.toUpperCase().includes(key), 'the poll key is not in a dump of the database');

  // Closing counts everything once; then the key and the sealed ballots are gone.
  const closed = await staff.chair.post(`/api/polls/${pollId}/close`);
  assert.equal(closed.status, 200, closed.text);
  assert.deepEqual([closed.json.for, closed.json.against, closed.json.abstain, closed.json.not_voted], [4, 2, 1, 0]);
  assert.deepEqual(closed.json.paper, { for: 1, against: 0, abstain: 0 });
  assert.ok(!existsSync(keyFile), 'the poll key is destroyed after the count');
  assert.equal(alvd.sql(`SELECT COUNT(*) FROM sealed_ballots WHERE poll_id = ${pollId}`)[0][0], '0');
  assert.equal(alvd.sql(`SELECT COUNT(*) FROM poll_voters WHERE poll_id = ${pollId} AND ballot_hash IS NOT NULL`)[0][0], '0');
  assert.equal(alvd.sql(`SELECT COUNT(*) FROM poll_trackers WHERE poll_id = ${pollId}`)[0][0], '6');
  const audit = alvd.sql(`SELECT details FROM audit_log WHERE action = 'poll.close' AND object_id = ${pollId}`)[0][0];
  assert.match(audit, /"paper":\{"abstain":0,"against":0,"for":1\}/, 'the close records the paper totals it unsealed');
  // A retry after close is refused as before; the tracker list is the phones' receipts.
  const late = await vote(room.phones[0], pollId, 'for');
  assert.equal(late.status, 409);
});
