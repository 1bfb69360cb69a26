// Two alvd processes on one database (and one data directory, where the ticket and
// ballot keys live): a projector connected to process B follows a poll whose votes go
// through process A (open, the turnout growing, the result), and the door scans through
// both processes at once give exact present counts in every answer and on both streams.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { startAlvd } from '../api/lib/alvd.mjs';
import { addCycle, addProposal, hall, vote } from '../api/lib/poll-fixtures.mjs';
import { listen } from '../api/lib/sse.mjs';

let first;   // process A
let second;  // process B: same database, same data directory, another port
const streams = [];

before(async () => {
  first = await startAlvd({ demo: true });
  second = await startAlvd({
    socket: first.socket, database: first.database, dataDir: first.dataDir, migrate: false, keepDatabase: true,
  });
});

after(async () => {
  for (const stream of streams) stream.stop();
  await second?.stop();
  await first?.stop();
});

async function staffOn(alvd) {
  return { secretariat: await alvd.login('secretariat'), board: await alvd.login('board'), chair: await alvd.login('chair') };
}

/** A projector's stream of a meeting on one process, open before anything happens. */
async function projector(alvd, meetingId, token) {
  const stream = listen(`${alvd.url}/api/meetings/${meetingId}/events`, token);
  streams.push(stream);
  await stream.opened;
  assert.equal(stream.status, 200);
  return stream;
}

test('a projector on process B shows a poll voted through process A: open, turnout, result', async () => {
  assert.notEqual(first.port, second.port);
  const staffA = await staffOn(first);
  const chairB = await second.login('chair');
  const cycle = addCycle(first, 2201);
  const proposalId = addProposal(first, cycle, 'Twee processen', [{ article: '6a', action: 'replace', text: 'Nieuwe tekst.' }]);
  const room = await hall(first, { prefix: 'Tweeproc', present: 5, proposalIds: [proposalId], staff: staffA });
  const meetingId = room.meeting.id;
  const stream = await projector(second, meetingId, chairB.token);
  const pollEvents = () => stream.frames.filter((f) => f.event === 'poll');

  const created = await staffA.chair.post(`/api/meetings/${meetingId}/polls`, { proposal_id: proposalId, secret: false });
  assert.equal(created.status, 201, created.text);
  const pollId = created.json.id;
  const opened = await staffA.chair.post(`/api/polls/${pollId}/open`);
  assert.equal(opened.status, 200, opened.text);
  await stream.until(() => pollEvents().some((f) => f.data.poll_id === pollId && f.data.state === 'open'));
  const openEvent = pollEvents().find((f) => f.data.poll_id === pollId && f.data.state === 'open');
  assert.ok(openEvent, 'B shows the poll opened through A');
  assert.deepEqual([openEvent.data.cast, openEvent.data.eligible, openEvent.data.threshold], [0, 5, 3]);

  // Each vote through A, one after the other: B's projector shows the turnout grow.
  const choices = ['for', 'for', 'against', 'abstain', 'for'];
  for (const [index, phone] of room.phones.entries()) {
    const answer = await vote(phone, pollId, choices[index]);
    assert.equal(answer.status, 201, answer.text);
    await stream.until(() => pollEvents().some((f) => f.data.poll_id === pollId && f.data.cast === index + 1));
    assert.ok(pollEvents().some((f) => f.data.poll_id === pollId && f.data.state === 'open' && f.data.cast === index + 1),
      `B shows ${index + 1} of 5 cast`);
    // The poll as B reads it agrees.
    assert.equal((await chairB.get(`/api/polls/${pollId}`)).json.cast, index + 1);
  }

  const closed = await staffA.chair.post(`/api/polls/${pollId}/close`);
  assert.equal(closed.status, 200, closed.text);
  await stream.until(() => pollEvents().some((f) => f.data.poll_id === pollId && f.data.state === 'closed'));
  const result = pollEvents().find((f) => f.data.poll_id === pollId && f.data.state === 'closed');
  assert.ok(result, 'B shows the poll closed through A');
  assert.deepEqual([result.data.for, result.data.against, result.data.abstain, result.data.not_voted, result.data.adopted],
    [3, 1, 1, 0, true]);
  assert.deepEqual([result.data.for, result.data.against, result.data.abstain, result.data.adopted],
    [closed.json.for, closed.json.against, closed.json.abstain, closed.json.adopted], 'B shows what A answered');

  // B delivered every poll event of this meeting, in order, none twice, the turnout
  // growing one vote at a time.
  const stored = first.sql(`SELECT id FROM events WHERE meeting_id = ${meetingId} AND kind = 'poll' ORDER BY id`).map(([id]) => Number(id));
  assert.deepEqual(pollEvents().map((f) => f.id), stored);
  assert.deepEqual(pollEvents().filter((f) => f.data.state !== 'draft').map((f) => [f.data.state, f.data.cast]),
    [['open', 0], ['open', 1], ['open', 2], ['open', 3], ['open', 4], ['open', 5], ['closed', 5]]);
  assert.equal(stream.ended, false);
});

test('scans through A and B at the same time give exact present counts on both', async () => {
  const staffA = await staffOn(first);
  const secretariatB = await second.login('secretariat');
  const chairB = await second.login('chair');
  const members = 20;
  const room = await hall(first, { prefix: 'Deuren', present: 0, absent: members, staff: staffA });
  const meetingId = room.meeting.id;
  const streamA = await projector(first, meetingId, staffA.chair.token);
  const streamB = await projector(second, meetingId, chairB.token);

  // Two doors: even members through A, odd ones through B, all at once.
  const scans = room.absentPhones.map((phone, index) => {
    const door = index % 2 === 0 ? staffA.secretariat : secretariatB;
    return door.post(`/api/meetings/${meetingId}/scans`, { ticket: phone.ticket, direction: 'entry', nonce: randomUUID() });
  });
  const answers = await Promise.all(scans);
  for (const answer of answers) {
    assert.equal(answer.status, 200, answer.text);
    assert.equal(answer.json.result, 'entered');
  }
  // Every answer counts itself and every scan committed before it: 1 … 20, each once.
  assert.deepEqual(answers.map((a) => a.json.present).sort((a, b) => a - b), Array.from({ length: members }, (_, i) => i + 1));

  for (const [name, alvd] of [['A', first], ['B', second]]) {
    const attendance = await (alvd === first ? staffA.secretariat : secretariatB).get(`/api/meetings/${meetingId}/attendance`);
    assert.equal(attendance.status, 200, attendance.text);
    assert.equal(attendance.json.present, members, `present on ${name}`);
    assert.equal(attendance.json.members.filter((m) => m.inside).length, members, `members inside on ${name}`);
  }
  assert.equal(Number(first.sql(`SELECT COUNT(*) FROM attendance_events WHERE meeting_id = ${meetingId}`)[0][0]), members,
    'one ledger row per scan');

  // Both projectors show the same attendance events, in order: 1, 2, … 20.
  const stored = first.sql(`SELECT id FROM events WHERE meeting_id = ${meetingId} AND kind = 'attendance' ORDER BY id`).map(([id]) => Number(id));
  assert.equal(stored.length, members);
  for (const [name, stream] of [['A', streamA], ['B', streamB]]) {
    await stream.until((frames) => frames.some((f) => f.id === stored.at(-1)));
    const seen = stream.frames.filter((f) => f.event === 'attendance');
    assert.deepEqual(seen.map((f) => f.id), stored, `projector on ${name}: every event once, in order`);
    assert.deepEqual(seen.map((f) => f.data.present), Array.from({ length: members }, (_, i) => i + 1), `projector on ${name}`);
  }
});
