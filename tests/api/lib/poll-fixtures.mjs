// Fixtures for the poll tests: member organisations (by SQL), a meeting with tickets,
// members checked in through the scan API and logged in on "phones" through their
// ticket, and ready proposals of a cycle of their own put on the agenda.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';

const quote = (text) => `'${String(text).replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;
let sequence = 0;

/** count member organisations named "<prefix> NNN"; returns their ids by name. */
export function addMembers(alvd, prefix, count) {
  const kvkBase = 60000000 + (sequence++) * 1000;
  const values = [];
  for (let i = 0; i < count; i++) {
    values.push(`(${quote(`${prefix} ${String(i).padStart(3, '0')}`)}, '${kvkBase + i}', UTC_TIMESTAMP(6), UTC_TIMESTAMP(6))`);
  }
  alvd.sql(`INSERT INTO organisations (name, kvk, created_at, updated_at) VALUES ${values.join(',')}`);
  alvd.sql(`INSERT INTO bases (organisation_id, basis, since, created_at)
            SELECT id, 'membership', '2020-01-01', UTC_TIMESTAMP(6) FROM organisations WHERE name LIKE ${quote(`${prefix} %`)}`);
  const byName = {};
  for (const [id, name] of alvd.sql(`SELECT id, name FROM organisations WHERE name LIKE ${quote(`${prefix} %`)} ORDER BY name`)) {
    byName[name] = Number(id);
  }
  return byName;
}

/** A cycle of its own (so conflicts stay inside the test) on the newest Code version. */
export function addCycle(alvd, year) {
  alvd.sql(`INSERT INTO cycles (year, state, created_at, updated_at) VALUES (${year}, 'alv', UTC_TIMESTAMP(6), UTC_TIMESTAMP(6))`);
  const [[cycleId]] = alvd.sql(`SELECT id FROM cycles WHERE year = ${year}`);
  const [[versionId]] = alvd.sql('SELECT id FROM code_versions ORDER BY effective_from DESC, id DESC LIMIT 1');
  return { cycleId: Number(cycleId), versionId: Number(versionId) };
}

/** A ready proposal with its changes ([{article, action, text, title?}]); returns its id. */
export function addProposal(alvd, cycle, title, changes) {
  const statements = [
    `INSERT INTO proposals (cycle_id, base_version_id, state, created_at, updated_at) VALUES (${cycle.cycleId}, ${cycle.versionId}, 'ready', UTC_TIMESTAMP(6), UTC_TIMESTAMP(6))`,
    'SET @p = LAST_INSERT_ID()',
    `INSERT INTO proposal_revisions (proposal_id, number, title, rationale, created_at) VALUES (@p, 1, ${quote(title)}, 'Toelichting.', UTC_TIMESTAMP(6))`,
    'SET @r = LAST_INSERT_ID()',
    ...changes.map((change, index) => `INSERT INTO proposal_changes (revision_id, position, article_id, action, title, text) VALUES (@r, ${index + 1}, ${quote(change.article)}, ${quote(change.action)}, ${change.title ? quote(change.title) : 'NULL'}, ${change.text === undefined ? 'NULL' : quote(change.text)})`),
    'UPDATE proposals SET current_revision_id = @r WHERE id = @p',
    'SELECT @p',
  ];
  const rows = alvd.sql(statements.join('; '));
  return Number(rows[rows.length - 1][0]);
}

/** The Europe/Amsterdam civil date of an instant (ms since the epoch), YYYY-MM-DD. */
export function amsterdamDate(at = Date.now()) {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Amsterdam', year: 'numeric', month: '2-digit', day: '2-digit' })
    .format(at);
}

/** The date the server under test calls today: its ALVD_TEST_NOW when set, else the clock. */
export function serverToday(alvd) {
  return amsterdamDate(alvd.env?.ALVD_TEST_NOW ? Date.parse(alvd.env.ALVD_TEST_NOW) : Date.now());
}

/**
 * A meeting in the hall (dated the server's today: a meeting opens only on its own date): `present` new members checked in by the scan API (plus
 * `absent` members with tickets who are not), the meeting open, the agenda set to
 * proposalIds, and a logged-in phone per member. Returns
 * {meeting, phones:[{client, organisationId, name, ticket}], absentPhones, scan(name)}.
 */
export async function hall(alvd, { prefix, present, absent = 0, date, rule, settings = {}, proposalIds = [], staff }) {
  const { secretariat, board, chair } = staff;
  const members = addMembers(alvd, prefix, present + absent);
  const created = await secretariat.post('/api/meetings', {
    title: `ALV ${prefix}`, date: date || serverToday(alvd), starts_at: '19:30', location: 'Utrecht', ...(rule ? { majority_rule: rule } : {}), ...settings,
  });
  assert.equal(created.status, 201, created.text);
  const meeting = created.json;
  const issued = await secretariat.post(`/api/meetings/${meeting.id}/tickets`);
  assert.equal(issued.status, 201, issued.text);
  const list = await secretariat.get(`/api/meetings/${meeting.id}/tickets`);
  assert.equal(list.status, 200, list.text);
  const tickets = {};
  for (const item of list.json.items) tickets[item.organisation_id] = item.code;
  if (proposalIds.length) {
    const agenda = await board.post(`/api/meetings/${meeting.id}/agenda`, { proposal_ids: proposalIds });
    assert.equal(agenda.status, 200, agenda.text);
  }
  const names = Object.keys(members).sort();
  const scan = async (name, direction = 'entry') => {
    const response = await secretariat.post(`/api/meetings/${meeting.id}/scans`, {
      ticket: tickets[members[name]], direction, nonce: randomUUID(),
    });
    assert.equal(response.status, 200, response.text);
    return response.json;
  };
  for (const name of names.slice(0, present)) await scan(name);
  const opened = await chair.post(`/api/meetings/${meeting.id}/open`);
  assert.equal(opened.status, 200, opened.text);
  const login = async (name) => {
    const client = alvd.client();
    client.adopt(await client.post('/api/session/ticket', { ticket: tickets[members[name]] }));
    return { client, organisationId: members[name], name, ticket: tickets[members[name]] };
  };
  const phones = await Promise.all(names.slice(0, present).map(login));
  const absentPhones = await Promise.all(names.slice(present).map(login));
  return { meeting, phones, absentPhones, scan, members };
}

/** Cast a vote from a phone; a fresh ballot_id unless given. */
export function vote(phone, pollId, choice, ballotId = randomUUID()) {
  return phone.client.post(`/api/polls/${pollId}/votes`, { choice, ballot_id: ballotId });
}
