// V1/V2 checked against information_schema: the ballot tables cannot link a member to a
// choice (no member/session column, no time column, no AUTO_INCREMENT, not
// system-versioned, no foreign key to who voted) and the voted register has no time.
// A secret poll's sealed ballots and its published trackers obey the same rules, and no
// table keeps a tracker next to a choice for a secret poll.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startAlvd } from './lib/alvd.mjs';

let alvd;

before(async () => { alvd = await startAlvd({ serve: false }); });
after(async () => { await alvd?.stop(); });

const TIME_TYPES = ['date', 'datetime', 'timestamp', 'time', 'year'];
const columns = (table) => alvd.sql(
  `SELECT COLUMN_NAME, DATA_TYPE, EXTRA, COLUMN_DEFAULT FROM information_schema.COLUMNS
   WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = '${table}' ORDER BY ORDINAL_POSITION`);

test('ballots: a random binary id, the poll, the choice and a tracker; nothing that names a voter or a time', () => {
  const cols = columns('ballots');
  assert.deepEqual(cols.map(([name]) => name), ['id', 'poll_id', 'choice', 'tracker']);
  for (const [name, type, extra, fallback] of cols) {
    assert.ok(!TIME_TYPES.includes(type.toLowerCase()), `${name} is a time column (${type})`);
    assert.doesNotMatch(extra, /auto_increment/i, `${name} is AUTO_INCREMENT`);
    assert.doesNotMatch(extra, /on update|generated/i, `${name}: ${extra}`);
    assert.doesNotMatch(String(fallback), /current_timestamp|now\(\)|uuid|rand/i, `${name} default ${fallback}`);
    assert.doesNotMatch(name, /member|organi[sz]ation|session|user|voter|contact|ticket|at$|time|date/i, `${name} could name a voter or a time`);
  }
  const id = cols.find(([name]) => name === 'id');
  assert.equal(id[1], 'binary');
  assert.equal(alvd.sql(`SELECT CHARACTER_OCTET_LENGTH FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE()
                         AND TABLE_NAME = 'ballots' AND COLUMN_NAME = 'tracker'`)[0][0], '16', 'a 128-bit tracker');
  const [[type, autoIncrement]] = alvd.sql(`SELECT TABLE_TYPE, AUTO_INCREMENT FROM information_schema.TABLES
                                            WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'ballots'`);
  assert.equal(type, 'BASE TABLE', 'not WITH SYSTEM VERSIONING');
  assert.equal(autoIncrement, null);
  const references = alvd.sql(`SELECT REFERENCED_TABLE_NAME FROM information_schema.KEY_COLUMN_USAGE
                               WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'ballots' AND REFERENCED_TABLE_NAME IS NOT NULL`);
  assert.deepEqual(references, [['polls']], 'the only foreign key is the poll');
  assert.deepEqual(alvd.sql(`SELECT TRIGGER_NAME FROM information_schema.TRIGGERS
                             WHERE TRIGGER_SCHEMA = DATABASE() AND EVENT_OBJECT_TABLE IN ('ballots','poll_voters')`), []);
});

test('poll_voters: who voted, without time, tracker or choice; not system-versioned', () => {
  const cols = columns('poll_voters');
  assert.deepEqual(cols.map(([name]) => name), ['poll_id', 'organisation_id', 'channel', 'ballot_hash']);
  for (const [name, type, extra] of cols) {
    assert.ok(!TIME_TYPES.includes(type.toLowerCase()), `${name} is a time column (${type})`);
    assert.doesNotMatch(extra, /auto_increment/i);
    assert.doesNotMatch(name, /tracker|choice|ballot_id$|^id$/i);
  }
  const [[type]] = alvd.sql(`SELECT TABLE_TYPE FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'poll_voters'`);
  assert.equal(type, 'BASE TABLE');
  // Nothing references a ballot, so no row elsewhere can point at one.
  assert.deepEqual(alvd.sql(`SELECT TABLE_NAME FROM information_schema.KEY_COLUMN_USAGE
                             WHERE TABLE_SCHEMA = DATABASE() AND REFERENCED_TABLE_NAME = 'ballots'`), []);
});

/** The rules every table that holds ballots obeys (V1). */
function assertNamesNobody(table, expected) {
  const cols = columns(table);
  assert.deepEqual(cols.map(([name]) => name), expected);
  for (const [name, type, extra, fallback] of cols) {
    assert.ok(!TIME_TYPES.includes(type.toLowerCase()), `${table}.${name} is a time column (${type})`);
    assert.doesNotMatch(extra, /auto_increment|on update|generated/i, `${table}.${name}: ${extra}`);
    assert.doesNotMatch(String(fallback), /current_timestamp|now\(\)|uuid|rand/i, `${table}.${name} default ${fallback}`);
    assert.doesNotMatch(name, /member|organi[sz]ation|session|user|voter|contact|ticket|at$|time|date|seq|order/i,
      `${table}.${name} could name a voter, a time or an order`);
  }
  const [[type, autoIncrement]] = alvd.sql(`SELECT TABLE_TYPE, AUTO_INCREMENT FROM information_schema.TABLES
                                            WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = '${table}'`);
  assert.equal(type, 'BASE TABLE', `${table} is not WITH SYSTEM VERSIONING`);
  assert.equal(autoIncrement, null);
  assert.deepEqual(alvd.sql(`SELECT REFERENCED_TABLE_NAME FROM information_schema.KEY_COLUMN_USAGE
                             WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = '${table}' AND REFERENCED_TABLE_NAME IS NOT NULL`),
  [['polls']], `${table}: the only foreign key is the poll`);
  assert.deepEqual(alvd.sql(`SELECT TRIGGER_NAME FROM information_schema.TRIGGERS
                             WHERE TRIGGER_SCHEMA = DATABASE() AND EVENT_OBJECT_TABLE = '${table}'`), []);
}

test('sealed_ballots: a random id, the poll and the sealed ballot; poll_trackers: the poll and a tracker, no choice', () => {
  assertNamesNobody('sealed_ballots', ['id', 'poll_id', 'sealed']);
  assert.equal(alvd.sql(`SELECT DATA_TYPE, CHARACTER_OCTET_LENGTH FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE()
                         AND TABLE_NAME = 'sealed_ballots' AND COLUMN_NAME = 'id'`)[0].join(' '), 'binary 16', 'a random 128-bit id');
  assertNamesNobody('poll_trackers', ['poll_id', 'tracker']);
  // Clustered by (poll, tracker): the published list is stored in sorted order.
  assert.deepEqual(alvd.sql(`SELECT COLUMN_NAME FROM information_schema.KEY_COLUMN_USAGE WHERE TABLE_SCHEMA = DATABASE()
                             AND TABLE_NAME = 'poll_trackers' AND CONSTRAINT_NAME = 'PRIMARY' ORDER BY ORDINAL_POSITION`),
  [['poll_id'], ['tracker']]);
  // The poll's key: only its public half may be in the database.
  const keyColumns = alvd.sql(`SELECT TABLE_NAME, COLUMN_NAME FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE()
                               AND (COLUMN_NAME LIKE '%secret%key%' OR COLUMN_NAME LIKE '%private%')`);
  assert.deepEqual(keyColumns, []);
});
