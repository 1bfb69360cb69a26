// Voting on phones: polls on a presence snapshot, R1 at close, the vote path (retry =
// one vote, second ballot 409, after close 409), 100 concurrent voters, close racing
// late votes, secret ballots (counts hidden, sorted trackers, fingerprint), paper votes,
// re-votes, lapsing conflicts, the effective date (R3/R4/R7) and the signed minutes.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomUUID } from 'node:crypto';
import { startAlvd } from './lib/alvd.mjs';
import { addCycle, addProposal, hall, vote } from './lib/poll-fixtures.mjs';

let alvd, staff;
let cycle;
let year = 2091;

function newCycle() {
  cycle = addCycle(alvd, year++);
  return cycle;
}

function proposal(title, article = '6a', action = 'replace') {
  return addProposal(alvd, cycle, title, [{ article, action, text: `Nieuwe tekst van ${article}: ${title}.` }]);
}

async function createPoll(meetingId, proposalId, secret = false) {
  const response = await staff.chair.post(`/api/meetings/${meetingId}/polls`, { proposal_id: proposalId, secret });
  assert.equal(response.status, 201, response.text);
  assert.equal(response.json.state, 'draft');
  return response.json.id;
}

async function openPoll(pollId) {
  const response = await staff.chair.post(`/api/polls/${pollId}/open`);
  assert.equal(response.status, 200, response.text);
  return response.json;
}

async function closePoll(pollId) {
  const response = await staff.chair.post(`/api/polls/${pollId}/close`);
  assert.equal(response.status, 200, response.text);
  return response.json;
}

async function castAll(phones, pollId, choices) {
  const answers = await Promise.all(phones.map((phone, i) => vote(phone, pollId, choices[i])));
  for (const answer of answers) assert.equal(answer.status, 201, answer.text);
  return answers;
}

const repeat = (list) => list.flatMap(([choice, n]) => Array(n).fill(choice));

before(async () => {
  // The server's clock stands on the evening of the meetings (hall() dates them on the
  // server's today): D, the day the adopting poll closes, is 2027-06-15.
  alvd = await startAlvd({ demo: true, env: { ALVD_TEST_NOW: '2027-06-15T19:30:00+02:00' } });
  staff = {
    secretariat: await alvd.login('secretariat'),
    board: await alvd.login('board'),
    chair: await alvd.login('chair'),
  };
});

after(async () => {
  const result = await alvd?.stop();
  assert.doesNotMatch(alvd?.log || '', /ERROR: (Address|Leak)Sanitizer|runtime error:/, alvd?.log);
  assert.equal(result?.code, 0, `alvd exit ${JSON.stringify(result)}`);
});

test('7 present: 4 for, 1 against, 2 abstain adopts; 3 for, 3 against, 1 abstain rejects', async () => {
  newCycle();
  const first = proposal('Transparantie aangescherpt', '6a');
  const second = proposal('Arbeidsvoorwaarden herzien', '6d');
  const room = await hall(alvd, { prefix: 'Zeven', present: 7, proposalIds: [first, second], staff });

  const pollId = await createPoll(room.meeting.id, first);
  // Members cannot vote on a poll that is not open yet.
  const early = await vote(room.phones[0], pollId, 'for');
  assert.equal(early.status, 409);
  assert.equal(early.json.code, 'poll_not_open');
  const opened = await openPoll(pollId);
  assert.equal(opened.state, 'open');
  assert.equal(opened.eligible, 7);
  assert.equal(opened.threshold, 4);
  assert.equal(opened.rule, 'more_than_half');
  assert.equal(opened.literal_threshold, 5, 'the literal "half plus one" threshold is shown when it differs');

  await castAll(room.phones, pollId, repeat([['for', 4], ['against', 1], ['abstain', 2]]));
  const whileOpen = await room.phones[0].client.get(`/api/polls/${pollId}`);
  assert.equal(whileOpen.status, 200, whileOpen.text);
  assert.equal(whileOpen.json.cast, 7);
  assert.equal(whileOpen.json.for, undefined, 'no counts while open');
  assert.equal(whileOpen.json.me.voted, true);

  const closed = await closePoll(pollId);
  assert.equal(closed.state, 'closed');
  assert.deepEqual([closed.for, closed.against, closed.abstain, closed.not_voted, closed.eligible, closed.threshold],
    [4, 1, 2, 0, 7, 4]);
  assert.equal(closed.adopted, true);
  assert.equal(closed.rule, 'more_than_half');
  assert.match(closed.explanation, /^Aangenomen/);
  assert.deepEqual(alvd.sql(`SELECT state FROM proposals WHERE id = ${first}`), [['adopted']]);

  const rejectedPoll = await createPoll(room.meeting.id, second);
  await openPoll(rejectedPoll);
  await castAll(room.phones, rejectedPoll, repeat([['for', 3], ['against', 3], ['abstain', 1]]));
  const rejected = await closePoll(rejectedPoll);
  assert.deepEqual([rejected.for, rejected.against, rejected.abstain, rejected.adopted], [3, 3, 1, false]);
  assert.match(rejected.explanation, /^Verworpen/);
  assert.deepEqual(alvd.sql(`SELECT state FROM proposals WHERE id = ${second}`), [['rejected']]);
  // A second poll on the same proposal is refused; a re-vote is the way.
  const again = await staff.chair.post(`/api/meetings/${room.meeting.id}/polls`, { proposal_id: second });
  assert.equal(again.status, 409);
});

test('a member who checked in after the poll opened cannot vote, and is told why', async () => {
  newCycle();
  const proposalId = proposal('Laatkomer');
  const room = await hall(alvd, { prefix: 'Laat', present: 3, absent: 1, proposalIds: [proposalId], staff });
  const pollId = await createPoll(room.meeting.id, proposalId);
  const opened = await openPoll(pollId);
  assert.equal(opened.eligible, 3);
  const late = room.absentPhones[0];
  await room.scan(late.name);
  const refused = await vote(late, pollId, 'for');
  assert.equal(refused.status, 403, refused.text);
  assert.equal(refused.json.code, 'not_eligible');
  assert.match(refused.json.error, /niet als aanwezig geregistreerd toen deze stemming werd geopend/);
  const view = await late.client.get(`/api/polls/${pollId}`);
  assert.equal(view.json.me.eligible, false);
  assert.match(view.json.me.reason, /geopend/);
  // Staff cannot vote at all; another meeting's phone does not see the poll.
  const staffVote = await staff.chair.post(`/api/polls/${pollId}/votes`, { choice: 'for', ballot_id: randomUUID() });
  assert.equal(staffVote.status, 403);
  assert.equal(alvd.sql(`SELECT COUNT(*) FROM ballots WHERE poll_id = ${pollId}`)[0][0], '0');
});

test('the same ballot_id twice is one vote with the same tracker; another ballot 409; after close 409', async () => {
  newCycle();
  const proposalId = proposal('Herhaalde stem');
  const room = await hall(alvd, { prefix: 'Dubbel', present: 3, proposalIds: [proposalId], staff });
  const pollId = await createPoll(room.meeting.id, proposalId);
  await openPoll(pollId);
  const phone = room.phones[0];
  const ballotId = randomUUID();
  const first = await vote(phone, pollId, 'for', ballotId);
  assert.equal(first.status, 201, first.text);
  assert.match(first.json.tracker, /^[0-9a-f]{32}$/);
  const retry = await vote(phone, pollId, 'for', ballotId);
  assert.equal(retry.status, 200, retry.text);
  assert.equal(retry.json.tracker, first.json.tracker);
  const second = await vote(phone, pollId, 'against');
  assert.equal(second.status, 409);
  assert.equal(second.json.code, 'already_voted');
  assert.equal(alvd.sql(`SELECT COUNT(*) FROM ballots WHERE poll_id = ${pollId}`)[0][0], '1');
  assert.equal(alvd.sql(`SELECT COUNT(*) FROM poll_voters WHERE poll_id = ${pollId}`)[0][0], '1');
  // Bad input changes nothing.
  const bad = await phone.client.post(`/api/polls/${pollId}/votes`, { choice: 'maybe', ballot_id: randomUUID() });
  assert.equal(bad.status, 422);
  const shortId = await phone.client.post(`/api/polls/${pollId}/votes`, { choice: 'for', ballot_id: 'abc' });
  assert.equal(shortId.status, 400);
  assert.equal(shortId.json.field, 'ballot_id');
  const closed = await closePoll(pollId);
  assert.equal(closed.for, 1);
  const late = await vote(room.phones[1], pollId, 'for');
  assert.equal(late.status, 409);
  assert.equal(late.json.code, 'poll_closed');
  assert.equal(alvd.sql(`SELECT COUNT(*) FROM ballots WHERE poll_id = ${pollId}`)[0][0], '1');
});

test('100 concurrent voters give exactly 100 ballots', async () => {
  newCycle();
  const proposalId = proposal('Honderd stemmen');
  const room = await hall(alvd, { prefix: 'Honderd', present: 100, proposalIds: [proposalId], staff });
  const pollId = await createPoll(room.meeting.id, proposalId, true);
  const opened = await openPoll(pollId);
  assert.equal(opened.eligible, 100);
  const choices = room.phones.map((_, i) => ['for', 'against', 'abstain'][i % 3]);
  const answers = await Promise.all(room.phones.map((phone, i) => vote(phone, pollId, choices[i])));
  assert.deepEqual(answers.map((a) => a.status), Array(100).fill(201));
  assert.equal(new Set(answers.map((a) => a.json.tracker)).size, 100);
  assert.equal(alvd.sql(`SELECT COUNT(*) FROM sealed_ballots WHERE poll_id = ${pollId}`)[0][0], '100', 'a secret poll keeps its ballots sealed');
  assert.equal(alvd.sql(`SELECT COUNT(*) FROM poll_voters WHERE poll_id = ${pollId}`)[0][0], '100');
  const closed = await closePoll(pollId);
  assert.deepEqual([closed.for, closed.against, closed.abstain, closed.not_voted], [34, 33, 33, 0]);
  assert.equal(closed.adopted, false, '34 of 100 is not more than half');
});

test('close racing 50 late votes: the count equals the votes accepted, every answer agrees', async () => {
  newCycle();
  const proposalId = proposal('Race');
  const room = await hall(alvd, { prefix: 'Race', present: 60, proposalIds: [proposalId], staff });
  const pollId = await createPoll(room.meeting.id, proposalId);
  await openPoll(pollId);
  await castAll(room.phones.slice(0, 10), pollId, Array(10).fill('for'));
  const late = room.phones.slice(10);
  const votes = late.map((phone) => vote(phone, pollId, 'for'));
  const closes = [staff.chair.post(`/api/polls/${pollId}/close`), staff.chair.post(`/api/polls/${pollId}/close`)];
  const answers = await Promise.all(votes);
  const closeAnswers = await Promise.all(closes);
  for (const answer of closeAnswers) assert.equal(answer.status, 200, answer.text);
  assert.equal(closeAnswers[0].json.for, closeAnswers[1].json.for, 'every close reports the same count');
  const accepted = answers.filter((a) => a.status === 201).length;
  for (const answer of answers) {
    assert.ok(answer.status === 201 || (answer.status === 409 && answer.json.code === 'poll_closed'), answer.text);
  }
  assert.equal(closeAnswers[0].json.for, 10 + accepted);
  assert.equal(Number(alvd.sql(`SELECT COUNT(*) FROM ballots WHERE poll_id = ${pollId}`)[0][0]), 10 + accepted);
  assert.equal(Number(alvd.sql(`SELECT COUNT(*) FROM poll_voters WHERE poll_id = ${pollId}`)[0][0]), 10 + accepted);
});

test('a secret poll hides the counts while open and publishes sorted trackers with a fingerprint', async () => {
  newCycle();
  const proposalId = proposal('Geheim');
  const room = await hall(alvd, { prefix: 'Geheim', present: 5, proposalIds: [proposalId], staff });
  const pollId = await createPoll(room.meeting.id, proposalId, true);
  await openPoll(pollId);
  const answers = await castAll(room.phones.slice(0, 4), pollId, ['for', 'for', 'for', 'against']);
  for (const who of [staff.chair, room.phones[4].client]) {
    const view = await who.get(`/api/polls/${pollId}`);
    assert.equal(view.status, 200);
    assert.equal(view.json.cast, 4);
    for (const hidden of ['for', 'against', 'abstain', 'adopted', 'fingerprint']) assert.equal(view.json[hidden], undefined, hidden);
  }
  const early = await staff.chair.get(`/api/polls/${pollId}/trackers`);
  assert.equal(early.status, 403);
  const voters = await staff.chair.get(`/api/polls/${pollId}/voters`);
  assert.equal(voters.status, 200);
  assert.equal(voters.json.not_voted_count, 1);
  assert.equal(voters.json.not_voted, undefined, 'a secret poll shows how many, not who');
  const closed = await closePoll(pollId);
  assert.equal(closed.adopted, true);
  const published = await room.phones[0].client.get(`/api/polls/${pollId}/trackers`);
  assert.equal(published.status, 200, published.text);
  const trackers = published.json.trackers;
  assert.deepEqual(trackers, [...trackers].sort());
  assert.deepEqual([...trackers].sort(), answers.map((a) => a.json.tracker).sort());
  const text = `alvd-poll-v1\n${trackers.map((t) => `${t}\n`).join('')}for=3\nagainst=1\nabstain=0\n`;
  assert.equal(published.json.fingerprint, createHash('sha256').update(text).digest('hex'));
  assert.equal(closed.fingerprint, published.json.fingerprint);
  // V4: after close the register keeps who voted, nothing that ties a row to a ballot.
  assert.equal(alvd.sql(`SELECT COUNT(*) FROM poll_voters WHERE poll_id = ${pollId} AND ballot_hash IS NOT NULL`)[0][0], '0');
  assert.equal(alvd.sql(`SELECT COUNT(*) FROM open_votes WHERE poll_id = ${pollId}`)[0][0], '0');
  // V11: no audit entry of the vote path names a member.
  const entries = alvd.sql(`SELECT actor_kind, actor_id, details FROM audit_log WHERE action = 'poll.votes' AND object_id = ${pollId}`);
  assert.ok(entries.length >= 1);
  for (const [kind, actorId, details] of entries) {
    assert.equal(kind, 'system');
    assert.ok(actorId === '0' || actorId === null);
    for (const phone of room.phones) assert.doesNotMatch(details, new RegExp(`"organisation_id":${phone.organisationId}\\b`));
  }
});

test('paper votes: named in an open poll, marked + totals in a secret one; nobody votes twice', async () => {
  newCycle();
  const openProposal = proposal('Papier open', '6a');
  const secretProposal = proposal('Papier geheim', '6d');
  const room = await hall(alvd, { prefix: 'Papier', present: 5, proposalIds: [openProposal, secretProposal], staff });
  const openPoll_ = await createPoll(room.meeting.id, openProposal);
  await openPoll(openPoll_);
  await castAll(room.phones.slice(0, 2), openPoll_, ['for', 'for']);
  const named = await staff.secretariat.post(`/api/polls/${openPoll_}/paper`, {
    votes: [{ organisation_id: room.phones[2].organisationId, choice: 'for' }, { organisation_id: room.phones[3].organisationId, choice: 'against' }],
  });
  assert.equal(named.status, 200, named.text);
  assert.equal(named.json.cast, 4);
  const twice = await staff.secretariat.post(`/api/polls/${openPoll_}/paper`, { votes: [{ organisation_id: room.phones[0].organisationId, choice: 'against' }] });
  assert.equal(twice.status, 409);
  const phoneAfterPaper = await vote(room.phones[2], openPoll_, 'against');
  assert.equal(phoneAfterPaper.status, 409);
  const notVoted = await staff.chair.get(`/api/polls/${openPoll_}/voters`);
  assert.deepEqual(notVoted.json.not_voted.map((m) => m.organisation_id), [room.phones[4].organisationId]);
  const openResult = await closePoll(openPoll_);
  assert.deepEqual([openResult.for, openResult.against, openResult.paper.for, openResult.paper.against], [3, 1, 1, 1]);

  const secretPoll = await createPoll(room.meeting.id, secretProposal, true);
  await openPoll(secretPoll);
  await castAll(room.phones.slice(0, 1), secretPoll, ['against']);
  const mismatch = await staff.secretariat.post(`/api/polls/${secretPoll}/paper`, {
    organisation_ids: [room.phones[1].organisationId], for: 2, against: 0, abstain: 0,
  });
  assert.equal(mismatch.status, 422);
  const marked = await staff.secretariat.post(`/api/polls/${secretPoll}/paper`, {
    organisation_ids: [room.phones[1].organisationId, room.phones[2].organisationId], for: 1, against: 0, abstain: 1,
  });
  assert.equal(marked.status, 200, marked.text);
  const again = await staff.secretariat.post(`/api/polls/${secretPoll}/paper`, {
    organisation_ids: [room.phones[0].organisationId], for: 1, against: 0, abstain: 0,
  });
  assert.equal(again.status, 409, 'a member who voted by phone cannot also vote on paper');
  const secretResult = await closePoll(secretPoll);
  assert.deepEqual([secretResult.for, secretResult.against, secretResult.abstain, secretResult.not_voted], [1, 1, 1, 2]);
});

test('adoption lapses a conflicting proposal; a re-vote that rejects restores it', async () => {
  newCycle();
  const winner = proposal('Winnaar', '7');
  const loser = proposal('Verliezer', '7');
  const room = await hall(alvd, { prefix: 'Conflict', present: 3, proposalIds: [winner, loser], staff });
  const pollId = await createPoll(room.meeting.id, winner);
  await openPoll(pollId);
  await castAll(room.phones, pollId, ['for', 'for', 'against']);
  const closed = await closePoll(pollId);
  assert.equal(closed.adopted, true);
  assert.deepEqual(closed.lapsed, [loser]);
  assert.deepEqual(alvd.sql(`SELECT state FROM proposals WHERE id = ${loser}`), [['lapsed']]);
  const loserPoll = await staff.chair.post(`/api/meetings/${room.meeting.id}/polls`, { proposal_id: loser });
  assert.equal(loserPoll.status, 422);

  const revote = await staff.chair.post(`/api/polls/${pollId}/revote`);
  assert.equal(revote.status, 201, revote.text);
  assert.equal(revote.json.revote_of, pollId);
  await openPoll(revote.json.id);
  await castAll(room.phones, revote.json.id, ['against', 'against', 'for']);
  const second = await closePoll(revote.json.id);
  assert.equal(second.adopted, false);
  assert.deepEqual(alvd.sql(`SELECT state FROM proposals WHERE id = ${winner}`), [['rejected']]);
  assert.deepEqual(alvd.sql(`SELECT state FROM proposals WHERE id = ${loser}`), [['ready']]);
  assert.deepEqual(alvd.sql(`SELECT superseded_by FROM polls WHERE id = ${pollId}`), [[String(revote.json.id)]]);
});

test('effective date: D+41 refused naming the earliest date, D+42 accepted with W = E-28 and a scheduled version', async () => {
  newCycle();
  const first = proposal('Ingangsdatum een', '6a');
  const second = proposal('Ingangsdatum twee', '6d');
  const room = await hall(alvd, { prefix: 'Datum', present: 3, date: '2027-06-15', proposalIds: [first, second], staff });
  for (const proposalId of [first, second]) {
    const pollId = await createPoll(room.meeting.id, proposalId);
    await openPoll(pollId);
    await castAll(room.phones, pollId, ['for', 'for', 'abstain']);
    assert.equal((await closePoll(pollId)).adopted, true);
  }
  const pollView = await staff.chair.get(`/api/polls/${alvd.sql(`SELECT id FROM polls WHERE proposal_id = ${first}`)[0][0]}`);
  assert.equal(pollView.json.earliest_effective_date, '2027-07-27');

  const tooEarly = await staff.chair.post(`/api/proposals/${first}/effective-date`, { date: '2027-07-26' });
  assert.equal(tooEarly.status, 422, tooEarly.text);
  assert.equal(tooEarly.json.code, 'effective_date_too_early');
  assert.match(tooEarly.json.error, /27 juli 2027|2027-07-27/);
  assert.equal(alvd.sql(`SELECT COUNT(*) FROM adoptions WHERE proposal_id = ${first}`)[0][0], '0');

  const earliest = await staff.board.post(`/api/proposals/${first}/effective-date`, { date: '2027-07-27' });
  assert.equal(earliest.status, 200, earliest.text);
  assert.equal(earliest.json.effective_from, '2027-07-27');
  assert.equal(earliest.json.withdrawal_deadline, '2027-06-29');
  assert.ok(Array.isArray(earliest.json.warnings));
  assert.ok(earliest.json.note, 'a note that this is the earliest possible date');
  const versionId = earliest.json.version_id;
  assert.deepEqual(alvd.sql(`SELECT source, meeting_id, DATE_FORMAT(decided_on, '%Y-%m-%d') FROM code_versions WHERE id = ${versionId}`),
    [['adoption', String(room.meeting.id), '2027-06-15']]);
  const text = alvd.sql(`SELECT text FROM code_articles WHERE version_id = ${versionId} AND article_id = '6a'`)[0][0];
  assert.match(text, /Ingangsdatum een/);

  // Idempotent; the second adopted proposal with the same date joins the same version.
  const repeat_ = await staff.chair.post(`/api/proposals/${first}/effective-date`, { date: '2027-07-27' });
  assert.equal(repeat_.status, 200);
  assert.equal(repeat_.json.version_id, versionId);
  const joined = await staff.chair.post(`/api/proposals/${second}/effective-date`, { date: '2027-07-27' });
  assert.equal(joined.json.version_id, versionId);
  assert.match(alvd.sql(`SELECT text FROM code_articles WHERE version_id = ${versionId} AND article_id = '6d'`)[0][0], /Ingangsdatum twee/);
  assert.match(alvd.sql(`SELECT text FROM code_articles WHERE version_id = ${versionId} AND article_id = '6a'`)[0][0], /Ingangsdatum een/);
  const listed = await alvd.client().get('/api/code/versions');
  assert.equal(listed.json.items.find((v) => v.id === versionId).status, 'scheduled');

  // W on a public holiday (R7): E = 2027-06-02 + … pick E with W = King's Day 2028 (Thu 27 Apr).
  const moved = await staff.chair.post(`/api/proposals/${second}/effective-date`, { date: '2028-05-25' });
  assert.equal(moved.status, 200, moved.text);
  assert.equal(moved.json.withdrawal_deadline, '2028-04-27');
  assert.equal(moved.json.warnings.length, 1);
  assert.match(moved.json.warnings[0], /Koningsdag/);
  assert.notEqual(moved.json.version_id, versionId);
  assert.doesNotMatch(alvd.sql(`SELECT text FROM code_articles WHERE version_id = ${versionId} AND article_id = '6d'`)[0][0], /Ingangsdatum twee/);
  // The later version builds on the earlier one: both changes are in it.
  assert.match(alvd.sql(`SELECT text FROM code_articles WHERE version_id = ${moved.json.version_id} AND article_id = '6a'`)[0][0], /Ingangsdatum een/);

  const notAdopted = await staff.chair.post(`/api/proposals/${proposal('Nooit gestemd')}/effective-date`, { date: '2028-01-01' });
  assert.equal(notAdopted.status, 422);
});

test('a proxy holder votes for the member it represents; nobody else can', async () => {
  newCycle();
  const proposalId = proposal('Volmacht');
  const room = await hall(alvd, { prefix: 'Volmacht', present: 2, absent: 1, settings: { proxies_allowed: true, max_proxies: 1 }, proposalIds: [proposalId], staff });
  const [holder, other] = room.phones;
  const principal = room.absentPhones[0];
  const proxy = await staff.secretariat.post(`/api/meetings/${room.meeting.id}/proxies`, { principal_id: principal.organisationId, holder_id: holder.organisationId });
  assert.equal(proxy.status, 201, proxy.text);
  const pollId = await createPoll(room.meeting.id, proposalId);
  const opened = await openPoll(pollId);
  assert.deepEqual([opened.eligible, opened.present, opened.represented], [3, 2, 1]);
  const view = await holder.client.get(`/api/polls/${pollId}`);
  assert.deepEqual(view.json.me.represents.map((m) => m.organisation_id), [principal.organisationId]);
  const stranger = await other.client.post(`/api/polls/${pollId}/votes`, { choice: 'for', ballot_id: randomUUID(), on_behalf_of: principal.organisationId });
  assert.equal(stranger.status, 403);
  assert.equal(stranger.json.code, 'not_proxy_holder');
  const own = await principal.client.post(`/api/polls/${pollId}/votes`, { choice: 'against', ballot_id: randomUUID() });
  assert.equal(own.status, 403, 'the principal is represented in this poll');
  assert.equal(own.json.code, 'represented_by_proxy');
  assert.equal((await vote(holder, pollId, 'for')).status, 201);
  const forPrincipal = await holder.client.post(`/api/polls/${pollId}/votes`, { choice: 'for', ballot_id: randomUUID(), on_behalf_of: principal.organisationId });
  assert.equal(forPrincipal.status, 201, forPrincipal.text);
  const closed = await closePoll(pollId);
  assert.deepEqual([closed.for, closed.not_voted, closed.adopted], [2, 1, true]);
  assert.deepEqual(alvd.sql(`SELECT organisation_id, cast_by FROM open_votes WHERE poll_id = ${pollId} ORDER BY organisation_id`).map((r) => r.map(Number)),
    [[holder.organisationId, holder.organisationId], [principal.organisationId, holder.organisationId]].sort((a, b) => a[0] - b[0]));
});

test('a member who checked out (or a proxy holder who left) cannot vote: 409 not_present, P unchanged', async () => {
  newCycle();
  const proposalId = proposal('Alleen wie er is, stemt');
  const room = await hall(alvd, { prefix: 'Vertrek', present: 3, absent: 1, settings: { proxies_allowed: true, max_proxies: 1 }, proposalIds: [proposalId], staff });
  const [holder, leaver, stayer] = room.phones;
  const principal = room.absentPhones[0];
  const proxy = await staff.secretariat.post(`/api/meetings/${room.meeting.id}/proxies`, { principal_id: principal.organisationId, holder_id: holder.organisationId });
  assert.equal(proxy.status, 201, proxy.text);
  const pollId = await createPoll(room.meeting.id, proposalId);
  const opened = await openPoll(pollId);
  assert.deepEqual([opened.eligible, opened.present, opened.represented], [4, 3, 1]);
  // The stayer votes, then leaves and retries the same ballot: still one vote, same receipt.
  const ballot = randomUUID();
  const cast = await vote(stayer, pollId, 'for', ballot);
  assert.equal(cast.status, 201, cast.text);

  await room.scan(leaver.name, 'exit');
  await room.scan(holder.name, 'exit');
  await room.scan(stayer.name, 'exit');
  const refused = await vote(leaver, pollId, 'for');
  assert.equal(refused.status, 409, refused.text);
  assert.equal(refused.json.code, 'not_present');
  assert.match(refused.json.error, /uitgecheckt.*opnieuw scannen/);
  const forPrincipal = await holder.client.post(`/api/polls/${pollId}/votes`, { choice: 'for', ballot_id: randomUUID(), on_behalf_of: principal.organisationId });
  assert.equal(forPrincipal.status, 409, forPrincipal.text);
  assert.equal(forPrincipal.json.code, 'not_present');
  assert.match(forPrincipal.json.error, /lid dat u vertegenwoordigt/);
  const retry = await vote(stayer, pollId, 'for', ballot);
  assert.equal(retry.status, 200, 'a retry of a vote cast while present is the same vote');
  assert.equal(retry.json.tracker, cast.json.tracker);
  const view = await leaver.client.get(`/api/polls/${pollId}`);
  assert.equal(view.json.me.eligible, true, 'still in the snapshot');
  assert.equal(view.json.me.present, false);
  assert.match(view.json.me.reason, /uitgecheckt/);
  assert.equal(view.json.eligible, 4, 'P stays the snapshot');
  assert.equal(Number(alvd.sql(`SELECT COUNT(*) FROM poll_voters WHERE poll_id = ${pollId}`)[0][0]), 1);

  // Back inside, the holder votes for itself and for the member it represents.
  await room.scan(holder.name, 'entry');
  assert.equal((await vote(holder, pollId, 'for')).status, 201);
  const back = await holder.client.post(`/api/polls/${pollId}/votes`, { choice: 'for', ballot_id: randomUUID(), on_behalf_of: principal.organisationId });
  assert.equal(back.status, 201, back.text);
  // In one batch: present and absent voters are decided set-wise, each with its own answer.
  const late = [randomUUID(), randomUUID()];
  const [again, stillOut] = await Promise.all([vote(leaver, pollId, 'against', late[0]), vote(stayer, pollId, 'against', late[1])]);
  assert.equal(again.status, 409);
  assert.equal(stillOut.status, 409);
  assert.deepEqual([again.json.code, stillOut.json.code].sort(), ['already_voted', 'not_present']);
  const closed = await closePoll(pollId);
  assert.deepEqual([closed.eligible, closed.for, closed.not_voted, closed.threshold, closed.adopted], [4, 3, 1, 3, true],
    'the member who left counts in P as not for');
});

test('the minutes list attendance, every poll with its rule and outcome, and signed decisions that verify', async () => {
  const meetingId = Number(alvd.sql("SELECT meeting_id FROM polls WHERE secret = 1 ORDER BY id LIMIT 1")[0][0]);
  const minutes = await staff.secretariat.get(`/api/meetings/${meetingId}/minutes`);
  assert.equal(minutes.status, 200, minutes.text);
  assert.ok(minutes.json.attendance.present_at_opening >= 1);
  assert.match(minutes.json.attendance.presentielijst_csv, /attendance\.csv$/);
  const secret = minutes.json.polls.find((p) => p.secret);
  assert.match(secret.fingerprint, /^[0-9a-f]{64}$/);
  assert.ok(secret.rule_text.length > 10);
  assert.ok(minutes.json.decisions.length >= 1);
  const markdown = await staff.secretariat.get(`/api/meetings/${meetingId}/minutes?format=markdown`);
  assert.equal(markdown.status, 200);
  assert.match(markdown.headers.get('content-type'), /text\/markdown/);
  assert.match(markdown.text, /# Notulen/);
  assert.match(markdown.text, new RegExp(secret.fingerprint));

  const verified = alvd.run(['audit', 'verify']);
  assert.equal(verified.status, 0, verified.stdout + verified.stderr);
  const count = Number(alvd.sql('SELECT COUNT(*) FROM decisions')[0][0]);
  assert.match(verified.stdout, new RegExp(`decisions: ${count} signatures valid`));
  // Tampering with a closed poll's counts is caught.
  const [[pollId, votesFor]] = alvd.sql('SELECT id, votes_for FROM polls WHERE state = \'closed\' ORDER BY id LIMIT 1');
  alvd.sql(`UPDATE polls SET votes_for = votes_for + 1 WHERE id = ${pollId}`);
  const broken = alvd.run(['audit', 'verify']);
  assert.notEqual(broken.status, 0);
  assert.match(broken.stdout, /decisions: .*FAILED/);
  alvd.sql(`UPDATE polls SET votes_for = ${votesFor} WHERE id = ${pollId}`);
  assert.equal(alvd.run(['audit', 'verify']).status, 0);
});

test('a meeting with an open poll cannot be closed until the chair closes the poll', async () => {
  newCycle();
  const item = proposal('Sluiten met een lopende stemming', '6b');
  const room = await hall(alvd, { prefix: 'Sluiting', present: 3, proposalIds: [item], staff });
  const pollId = await createPoll(room.meeting.id, item);
  await openPoll(pollId);
  await castAll(room.phones.slice(0, 2), pollId, ['for', 'for']);
  const refused = await staff.chair.post(`/api/meetings/${room.meeting.id}/close`);
  assert.equal(refused.status, 409);
  assert.equal(refused.json.code, 'poll_open');
  const [[inside]] = alvd.sql(`SELECT COUNT(*) FROM attendance_events WHERE meeting_id = ${room.meeting.id} AND source = 'close'`);
  assert.equal(Number(inside), 0, 'a refused close checks nobody out');
  const result = await closePoll(pollId);
  assert.equal(result.for, 2);
  const closed = await staff.chair.post(`/api/meetings/${room.meeting.id}/close`);
  assert.equal(closed.status, 200, closed.text);
});

test('a vote with a bad body is refused with the field named, after authentication', async () => {
  newCycle();
  const item = proposal('Foute stembriefjes', '6c');
  const room = await hall(alvd, { prefix: 'Fout', present: 2, proposalIds: [item], staff });
  const pollId = await createPoll(room.meeting.id, item);
  await openPoll(pollId);
  const phone = room.phones[0];
  const cases = [
    [{ choice: 'maybe', ballot_id: randomUUID() }, 422, 'bad_choice', 'choice'],
    [{ choice: 'for' }, 422, 'required', 'ballot_id'],
    [{ choice: 'for', ballot_id: 'short' }, 400, 'bad_ballot_id', 'ballot_id'],
    [{ choice: 'for', ballot_id: randomUUID(), weight: 5 }, 400, 'unknown_field', 'weight'],
  ];
  for (const [body, status, code, field] of cases) {
    const answer = await phone.client.post(`/api/polls/${pollId}/votes`, body);
    assert.equal(answer.status, status, JSON.stringify(body));
    assert.equal(answer.json.code, code);
    assert.equal(answer.json.field, field);
  }
  const notFound = await phone.client.post('/api/polls/999999/votes', { choice: 'for', ballot_id: randomUUID() });
  assert.equal(notFound.status, 404);
  // Staff are refused before their body is looked at.
  const staffVote = await staff.board.post(`/api/polls/${pollId}/votes`, { choice: 'maybe' });
  assert.equal(staffVote.status, 403);
  assert.equal(staffVote.json.code, 'forbidden');
  const good = await vote(phone, pollId, 'for');
  assert.equal(good.status, 201, 'a refused body spent nothing: the member can still vote');
  assert.equal((await closePoll(pollId)).for, 1);
});

test('a ballot_id replayed into another poll is refused, and the member can still vote there', async () => {
  newCycle();
  const first = proposal('Eerste voorstel voor hergebruik', '6a');
  const second = proposal('Tweede voorstel voor hergebruik', '6d');
  const room = await hall(alvd, { prefix: 'Hergebruik', present: 2, proposalIds: [first, second], staff });
  // An open poll keeps each member's ballot hash in its register (a secret poll's close
  // wipes them, V4), so the replay below is recognised after the close too.
  const pollA = await createPoll(room.meeting.id, first, false);
  await openPoll(pollA);
  const ballotId = randomUUID();
  const cast = await vote(room.phones[0], pollA, 'for', ballotId);
  assert.equal(cast.status, 201, cast.text);
  await closePoll(pollA);
  const pollB = await createPoll(room.meeting.id, second, true);
  await openPoll(pollB);
  const replayed = await vote(room.phones[0], pollB, 'for', ballotId);
  assert.equal(replayed.status, 409);
  assert.equal(replayed.json.code, 'ballot_reused');
  // The same ballot_id from the other member, in the same batch as a fresh vote.
  const [other, fresh] = await Promise.all([
    vote(room.phones[1], pollB, 'against', ballotId),
    vote(room.phones[0], pollB, 'against'),
  ]);
  assert.equal(other.status, 409);
  assert.equal(other.json.code, 'ballot_reused');
  assert.equal(fresh.status, 201, fresh.text);
  const retry = await vote(room.phones[1], pollB, 'abstain');
  assert.equal(retry.status, 201, 'a refused replay spent nothing');
  const result = await closePoll(pollB);
  assert.deepEqual([result.for, result.against, result.abstain], [0, 1, 1]);
});
