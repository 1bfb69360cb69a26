// Object-level access (OWASP BOLA/IDOR) with two organisations A and B and two
// meetings: a member's phone or a contact person of A can neither see nor act for B,
// and "exists but not yours" answers exactly like "does not exist" (same status, same
// body apart from the id asked for), so ids cannot be probed. Staff roles split too.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { listen } from './lib/sse.mjs';
import { startAlvd } from './lib/alvd.mjs';
import { instant } from './lib/cycle-fixtures.mjs';

const A = 1; // Klantcontact Noord B.V. (demo): member, contact 1, signals, ticket in meeting 1
const B = 2; // Servicepunt Utrecht B.V. (demo): member and signatory, contact 3, a withdrawal
const OUTSIDER = 6; // Helpdesk Haaglanden B.V.: membership ended 2025-12-31, so not invited anywhere
const MISSING = 987654321;
const PASSPHRASE = 'demo-meldpunt-wachtzin-2026';

let alvd, secretariat, board, officer, admin, chair;
const contact = {}; // A, B, OUTSIDER → client
const ids = {};

function session(args) {
  const issued = alvd.run(['session', 'add', ...args]);
  assert.equal(issued.status, 0, issued.stderr);
  const client = alvd.client();
  client.token = issued.stdout.trim();
  return client;
}

/** The body with every given id replaced by a marker, so two answers compare apart from ids. */
function normalised(response, idsAsked) {
  let text = response.text;
  for (const id of idsAsked) text = text.replace(new RegExp(`\\b${id}\\b`, 'g'), '{id}');
  return text;
}

/** "Not yours" and "not there" must be indistinguishable. */
function assertSame(foreign, missing, idsAsked, why) {
  assert.equal(foreign.status, missing.status, `${why}: status ${foreign.status} vs ${missing.status}`);
  assert.equal(foreign.headers.get('content-type'), missing.headers.get('content-type'), `${why}: content type`);
  assert.equal(normalised(foreign, idsAsked), normalised(missing, idsAsked), `${why}: body`);
}

async function expectHidden(client, method, foreignPath, missingPath, idsAsked, body, why) {
  const foreign = await client.request(method, foreignPath, body);
  const missing = await client.request(method, missingPath, body);
  assert.ok([403, 404].includes(foreign.status), `${why}: ${foreign.status} ${foreign.text}`);
  assertSame(foreign, missing, idsAsked, why);
  return foreign;
}

async function readEvents(url, token, { lastEventId, until, timeoutMs = 8000 }) {
  const stream = listen(url, token, lastEventId);
  await stream.opened;
  assert.equal(stream.status, 200);
  const frames = await stream.until(until, timeoutMs);
  stream.stop();
  await stream.done;
  return frames.slice();
}

before(async () => {
  alvd = await startAlvd({ demo: true });
  [secretariat, board, officer, admin, chair] = await Promise.all(
    ['secretariat', 'board', 'meldpunt', 'admin', 'chair'].map((role) => alvd.login(role)));
  contact.A = session(['--kind', 'contact', '--organisation', String(A), '--contact', '1']);
  contact.B = session(['--kind', 'contact', '--organisation', String(B), '--contact', '3']);
  contact.OUTSIDER = session(['--kind', 'contact', '--organisation', String(OUTSIDER), '--contact', '9']);

  // A consultation round that is open now (the demo round of 2026 is closed).
  const cycle = await board.post('/api/cycles', { year: 2031 });
  assert.equal(cycle.status, 201, cycle.text);
  const inForce = await alvd.client().get('/api/code/in-force');
  const article = inForce.json.articles.find((a) => a.text && a.text.length > 10);
  const proposal = await board.post(`/api/cycles/${cycle.json.id}/proposals`, {
    title: 'Objecttoegang', rationale: 'Voor de toegangstest.',
    changes: [{ article: article.id, action: 'replace', text: `${article.text} Aangevuld.` }],
  });
  assert.equal(proposal.status, 201, proposal.text);
  const round = await board.post(`/api/cycles/${cycle.json.id}/consultations`, {
    opens_at: instant(-60), closes_at: instant(3 * 86400), proposal_ids: [proposal.json.id],
  });
  assert.equal(round.status, 201, round.text);
  ids.round = round.json.id;
  ids.proposal = proposal.json.id;
  const [[draft]] = alvd.sql("SELECT id FROM proposals WHERE state = 'draft' AND cycle_id <> " + cycle.json.id + ' LIMIT 1');
  ids.draftProposal = Number(draft);
  const commentA = await contact.A.post(`/api/consultations/${ids.round}/comments`, { proposal_id: ids.proposal, text: 'Reactie van A.' });
  const commentB = await contact.B.post(`/api/consultations/${ids.round}/comments`, { proposal_id: ids.proposal, text: 'Reactie van B.' });
  assert.equal(commentA.status, 201, commentA.text);
  assert.equal(commentB.status, 201, commentB.text);
  ids.commentA = commentA.json.id;
  ids.commentB = commentB.json.id;

  // A second meeting, with tickets, beside the demo meeting 1.
  const second = await secretariat.post('/api/meetings', { title: 'Tweede ALV', date: '2027-03-10', starts_at: '19:30', location: 'Zwolle' });
  assert.equal(second.status, 201, second.text);
  ids.meeting2 = second.json.id;
  assert.equal((await secretariat.post(`/api/meetings/${ids.meeting2}/tickets`)).status, 201);
  const [[ready]] = alvd.sql("SELECT id FROM proposals WHERE state = 'ready' ORDER BY id LIMIT 1");
  ids.agendaProposal = Number(ready);
  const agenda = await board.post(`/api/meetings/${ids.meeting2}/agenda`, { proposal_ids: [ids.agendaProposal] });
  assert.equal(agenda.status, 200, agenda.text);
});

after(async () => { await alvd?.stop(); });

test('consultation: a round the organisation is not invited to answers like a round that does not exist', async () => {
  await expectHidden(contact.OUTSIDER, 'GET', `/api/consultations/${ids.round}`, `/api/consultations/${MISSING}`,
    [ids.round, MISSING], undefined, 'read a round');
  await expectHidden(contact.OUTSIDER, 'POST', `/api/consultations/${ids.round}/comments`, `/api/consultations/${MISSING}/comments`,
    [ids.round, MISSING], { proposal_id: ids.proposal, text: 'Ongevraagd.' }, 'comment on a round');
  assert.deepEqual((await contact.OUTSIDER.get('/api/consultations')).json.items, [], 'the list shows no round');
  assert.equal(alvd.sql(`SELECT COUNT(*) FROM consultation_comments WHERE organisation_id = ${OUTSIDER}`)[0][0], '0');

  // An invited party sees only its own comments, in the round and in the list's counts.
  const round = await contact.A.get(`/api/consultations/${ids.round}`);
  assert.equal(round.status, 200);
  assert.deepEqual(round.json.comments.map((c) => c.id), [ids.commentA]);
  assert.ok(!('invitees' in round.json), 'a contact does not see who else is invited');
  assert.ok(!round.text.includes('Reactie van B.'));
  const listed = (await contact.A.get('/api/consultations')).json.items.find((r) => r.id === ids.round);
  assert.equal(listed.comments, 1);
  // A proposal not in the round: the same 422 whether it exists or not.
  const other = await contact.A.post(`/api/consultations/${ids.round}/comments`, { proposal_id: ids.draftProposal, text: 'x' });
  const none = await contact.A.post(`/api/consultations/${ids.round}/comments`, { proposal_id: MISSING, text: 'x' });
  assert.equal(other.status, 422);
  assertSame(other, none, [ids.draftProposal, MISSING], 'comment on a proposal outside the round');
});

test("comments: another organisation's comment cannot be edited, and the refusal is the not-found answer", async () => {
  const foreign = await expectHidden(contact.A, 'PUT', `/api/comments/${ids.commentB}`, `/api/comments/${MISSING}`,
    [ids.commentB, MISSING], { text: 'Overschreven door A.' }, 'edit a comment');
  assert.equal(foreign.status, 404);
  assert.deepEqual(alvd.sql(`SELECT text, organisation_id FROM consultation_comments WHERE id = ${ids.commentB}`),
    [['Reactie van B.', String(B)]], 'the comment of B is unchanged');
  // Too long a text is refused before ownership is looked at: again the same either way.
  const long = 'x'.repeat(10001);
  await (async () => {
    const a = await contact.A.put(`/api/comments/${ids.commentB}`, { text: long });
    const b = await contact.A.put(`/api/comments/${MISSING}`, { text: long });
    assertSame(a, b, [ids.commentB, MISSING], 'edit with an over-long text');
  })();
  const own = await contact.A.put(`/api/comments/${ids.commentA}`, { text: 'Reactie van A, aangepast.' });
  assert.equal(own.status, 200, own.text);
  // A comment cannot be moved to another organisation through the body.
  const smuggled = await contact.A.put(`/api/comments/${ids.commentA}`, { text: 'x', organisation_id: B });
  assert.equal(smuggled.status, 400);
  assert.equal(smuggled.json.field, 'organisation_id');
  assert.equal(alvd.sql(`SELECT organisation_id FROM consultation_comments WHERE id = ${ids.commentA}`)[0][0], String(A));
});

test('proposals: a contact reads only proposals put to its organisation; the rest do not exist', async () => {
  assert.equal((await contact.A.get(`/api/proposals/${ids.proposal}`)).status, 200);
  await expectHidden(contact.OUTSIDER, 'GET', `/api/proposals/${ids.proposal}`, `/api/proposals/${MISSING}`,
    [ids.proposal, MISSING], undefined, 'a proposal of a round not invited to');
  await expectHidden(contact.A, 'GET', `/api/proposals/${ids.draftProposal}`, `/api/proposals/${MISSING}`,
    [ids.draftProposal, MISSING], undefined, 'a draft never consulted');
  // A member's phone has no proposal reading at all: agenda or not, the same 403.
  const phone = session(['--kind', 'member', '--organisation', String(A), '--meeting', String(ids.meeting2)]);
  const onAgenda = ids.agendaProposal;
  assert.equal((await phone.get(`/api/meetings/${ids.meeting2}`)).json.agenda[0].proposal_id, onAgenda);
  const agenda = await phone.get(`/api/proposals/${onAgenda}`);
  const notAgenda = await phone.get(`/api/proposals/${ids.draftProposal}`);
  assert.equal(agenda.status, 403);
  assertSame(agenda, notAgenda, [onAgenda, ids.draftProposal], 'a proposal from a phone');
});

test("meldpunt: a contact sees and answers only its own organisation's signals", async () => {
  assert.equal((await officer.post('/api/meldpunt/unlock', { passphrase: PASSPHRASE })).status, 200);
  // A fresh signal to B that is still open for an answer.
  const norms = (await alvd.client().get('/api/meldpunt/norms')).json.items.map((n) => n.id);
  const report = await alvd.client().post('/api/reports', {
    reporter: { name: 'Melder Objecttoegang', email: 'melder@toegang.example' }, organisation_id: B, norms: [norms[1]],
    text: 'Lange wachttijden.',
  });
  assert.equal(report.status, 201, report.text);
  const signal = await officer.post(`/api/reports/${report.json.id}/signal`, { summary: 'Signaal aan B.' });
  assert.equal(signal.status, 201, signal.text);
  ids.signalB = signal.json.id;
  ids.reportB = report.json.id;

  const ownA = alvd.sql(`SELECT id FROM meldpunt_signals WHERE organisation_id = ${A} ORDER BY id`).map(([id]) => Number(id));
  const listed = (await contact.A.get('/api/signals')).json.items.map((s) => s.id).sort((x, y) => x - y);
  assert.deepEqual(listed, ownA, 'the list holds exactly A’s signals');
  assert.ok(!listed.includes(ids.signalB));

  await expectHidden(contact.A, 'GET', `/api/signals/${ids.signalB}`, `/api/signals/${MISSING}`,
    [ids.signalB, MISSING], undefined, 'read a signal');
  for (const body of [{ stance: 'comply' }, { stance: 'explain', text: 'Namens B, door A.' }, { stance: 'nonsense' }, {}]) {
    await expectHidden(contact.A, 'POST', `/api/signals/${ids.signalB}/response`, `/api/signals/${MISSING}/response`,
      [ids.signalB, MISSING], body, `answer a signal with ${JSON.stringify(body)}`);
  }
  assert.deepEqual(alvd.sql(`SELECT stance, response FROM meldpunt_signals WHERE id = ${ids.signalB}`), [[null, null]],
    'the signal of B is still unanswered');
  assert.equal(alvd.sql(`SELECT state FROM meldpunt_reports WHERE id = ${ids.reportB}`)[0][0], 'signal_sent');
  // B itself can answer it.
  const answered = await contact.B.post(`/api/signals/${ids.signalB}/response`, { stance: 'comply' });
  assert.equal(answered.status, 201, answered.text);
});

test('meldpunt: report content is the officer’s alone; other staff get 403 on a real report, as on any', async () => {
  const detail = await officer.get(`/api/reports/${ids.reportB}`);
  assert.equal(detail.status, 200, detail.text);
  const secretariatOnly = alvd.client();
  const made = alvd.run(['user', 'add', '--email', 'only-sec@toegang.example', '--name', 'Sec', '--role', 'secretariat', '--password-stdin'], 'secretariaat-toegang-2026\n');
  assert.equal(made.status, 0, made.stderr);
  await secretariatOnly.login('only-sec@toegang.example', 'secretariaat-toegang-2026');
  for (const [role, client] of [['board', board], ['admin', admin], ['secretariat', secretariatOnly], ['chair', chair]]) {
    for (const path of [`/api/reports/${ids.reportB}`, '/api/reports', `/api/reports/${ids.reportB}/files/1`]) {
      const real = await client.get(path);
      assert.equal(real.status, 403, `${role} ${path}`);
      assert.equal(real.json.code, 'forbidden');
      if (path !== '/api/reports') assertSame(real, await client.get(path.replace(String(ids.reportB), String(MISSING))), [ids.reportB, MISSING], `${role} ${path}`);
    }
    const judgedBefore = alvd.sql(`SELECT judgement FROM meldpunt_reports WHERE id = ${ids.reportB}`)[0][0];
    const acted = await client.post(`/api/reports/${ids.reportB}/judgement`, { judgement: 'compliant' });
    assert.equal(acted.status, 403, `${role} judgement`);
    assert.equal(alvd.sql(`SELECT judgement FROM meldpunt_reports WHERE id = ${ids.reportB}`)[0][0], judgedBefore);
  }
  // Contacts and phones are no staff: not even their own organisation's report.
  assert.equal((await contact.B.get(`/api/reports/${ids.reportB}`)).json.code, 'forbidden');
  // Staff have no signal inbox (the hearing is the organisation's).
  assert.equal((await officer.get(`/api/signals/${ids.signalB}`)).status, 403);
});

test('withdrawals: /api/my/withdrawal is always the caller’s own organisation', async () => {
  const mineA = await contact.A.get('/api/my/withdrawal');
  assert.equal(mineA.status, 200, mineA.text);
  assert.equal(mineA.json.organisation.id, A);
  const withdrawalsOfA = alvd.sql(`SELECT id FROM withdrawals WHERE organisation_id = ${A} AND superseded_by IS NULL`).map(([id]) => Number(id));
  assert.deepEqual(mineA.json.withdrawals.map((w) => w.id), withdrawalsOfA);
  const mineB = await contact.B.get('/api/my/withdrawal');
  const withdrawalsOfB = alvd.sql(`SELECT id FROM withdrawals WHERE organisation_id = ${B} AND superseded_by IS NULL ORDER BY received_on DESC, id DESC`).map(([id]) => Number(id));
  assert.ok(withdrawalsOfB.length > 0, 'the demo has a withdrawal of B');
  assert.deepEqual(mineB.json.withdrawals.map((w) => w.id), withdrawalsOfB);
  assert.ok(!mineA.text.includes('Servicepunt Utrecht'), 'nothing of B shows to A');
  // Neither a query parameter nor a body member selects another organisation.
  const byQuery = await contact.A.get(`/api/my/withdrawal?organisation_id=${B}`);
  assert.equal(byQuery.json.organisation.id, A);
  assert.deepEqual(byQuery.json.withdrawals, mineA.json.withdrawals);
  const before = alvd.sql('SELECT COUNT(*) FROM withdrawals')[0][0];
  const smuggled = await contact.A.post('/api/my/withdrawal', { text: 'Wij zeggen op namens B.', confirm: true, organisation_id: B });
  assert.equal(smuggled.status, 400);
  assert.equal(smuggled.json.field, 'organisation_id');
  assert.equal(alvd.sql('SELECT COUNT(*) FROM withdrawals')[0][0], before, 'nothing recorded');
  // Staff read withdrawals through the register, not through a contact's page.
  assert.equal((await secretariat.get('/api/my/withdrawal')).json.code, 'forbidden');
});

test("a member's phone sees its own meeting only, and only its own ticket", async () => {
  const phoneA = session(['--kind', 'member', '--organisation', String(A), '--meeting', '1']);
  const own = await phoneA.get('/api/meetings/1');
  assert.equal(own.status, 200, own.text);
  assert.equal(own.json.me.organisation_id, A);
  assert.ok(!('members' in own.json), 'no list of who is inside');
  await expectHidden(phoneA, 'GET', `/api/meetings/${ids.meeting2}`, `/api/meetings/${MISSING}`,
    [ids.meeting2, MISSING], undefined, 'another meeting');
  await expectHidden(phoneA, 'GET', `/api/meetings/${ids.meeting2}/events`, `/api/meetings/${MISSING}/events`,
    [ids.meeting2, MISSING], undefined, 'events of another meeting');
  // Tickets: B's QR in the same meeting, and A's own QR of the other meeting.
  for (const kind of ['png', 'svg']) {
    const mine = await phoneA.get(`/api/meetings/1/tickets/${A}/qr.${kind}`);
    assert.equal(mine.status, 200);
    assert.match(mine.headers.get('content-type'), kind === 'png' ? /^image\/png/ : /^image\/svg\+xml/);
    await expectHidden(phoneA, 'GET', `/api/meetings/1/tickets/${B}/qr.${kind}`, `/api/meetings/1/tickets/${MISSING}/qr.${kind}`,
      [B, MISSING], undefined, `QR of B (${kind})`);
    await expectHidden(phoneA, 'GET', `/api/meetings/${ids.meeting2}/tickets/${A}/qr.${kind}`,
      `/api/meetings/${MISSING}/tickets/${A}/qr.${kind}`, [ids.meeting2, MISSING], undefined, `own QR of another meeting (${kind})`);
  }
  // Staff-only meeting data: the same refusal for the own and another meeting.
  for (const suffix of ['attendance', 'attendance.csv', 'attendance/timeline', 'proxies', 'tickets', 'scan-failures']) {
    const mine = await phoneA.get(`/api/meetings/1/${suffix}`);
    assert.equal(mine.status, 403, suffix);
    assertSame(mine, await phoneA.get(`/api/meetings/${ids.meeting2}/${suffix}`), [1, ids.meeting2], suffix);
  }
  // A phone is not a contact person: the organisation's inbox stays closed to it.
  assert.equal((await phoneA.get('/api/signals')).json.code, 'forbidden');
  assert.equal((await phoneA.get('/api/my/withdrawal')).json.code, 'forbidden');
  assert.equal((await phoneA.get(`/api/consultations/${ids.round}`)).json.code, 'forbidden');
  // And a contact person is no phone in the hall.
  assert.equal((await contact.A.get('/api/meetings/1')).json.code, 'forbidden');
  assert.equal((await contact.A.get(`/api/meetings/1/tickets/${A}/qr.png`)).json.code, 'forbidden');
});

test('a phone following its meeting gets that meeting’s events only, live and on resume', async () => {
  const { json: tickets1 } = await secretariat.get('/api/meetings/1/tickets');
  const { json: tickets2 } = await secretariat.get(`/api/meetings/${ids.meeting2}/tickets`);
  const code = (list, org) => list.items.find((i) => i.organisation_id === org).code;
  const phoneA = session(['--kind', 'member', '--organisation', String(A), '--meeting', '1']);
  const live = readEvents(`${alvd.url}/api/meetings/1/events`, phoneA.token,
    { until: (f) => f.some((x) => x.event === 'attendance') });
  await new Promise((r) => setTimeout(r, 300));
  // Two entries in meeting 2 first, then one in meeting 1: events are delivered in id
  // order, so had meeting 2's leaked they would arrive before meeting 1's.
  for (const org of [A, B]) {
    const scanned = await secretariat.post(`/api/meetings/${ids.meeting2}/scans`, { ticket: code(tickets2, org), direction: 'entry', nonce: randomUUID() });
    assert.equal(scanned.json.result, 'entered', scanned.text);
  }
  const scanned = await secretariat.post('/api/meetings/1/scans', { ticket: code(tickets1, B), direction: 'entry', nonce: randomUUID() });
  assert.equal(scanned.json.result, 'entered', scanned.text);
  const frames = await live;
  const meeting1Events = alvd.sql('SELECT id FROM events WHERE meeting_id = 1 ORDER BY id').map(([id]) => Number(id));
  assert.ok(frames.length > 0);
  for (const frame of frames) assert.ok(meeting1Events.includes(frame.id), `event ${frame.id} belongs to meeting 1`);
  assert.equal(frames.find((f) => f.event === 'attendance').data.present, scanned.json.present);
  const replay = await readEvents(`${alvd.url}/api/meetings/1/events`, phoneA.token,
    { lastEventId: 0, until: (f) => f.length >= meeting1Events.length });
  assert.deepEqual(replay.map((f) => f.id), meeting1Events, 'a replay from the start holds meeting 1 only');
});

test('a stream opened without Last-Event-ID starts now: no earlier event is replayed as new', async () => {
  const { json: tickets1 } = await secretariat.get('/api/meetings/1/tickets');
  const phoneB = session(['--kind', 'member', '--organisation', String(B), '--meeting', '1']);
  const earlier = await secretariat.post('/api/meetings/1/scans', { ticket: tickets1.items.find((i) => i.organisation_id === A).code, direction: 'entry', nonce: randomUUID() });
  assert.equal(earlier.json.result, 'entered', earlier.text);
  // Opened at once, before the server's event pump has necessarily read the entry above.
  const live = readEvents(`${alvd.url}/api/meetings/1/events`, phoneB.token, { until: (f) => f.some((x) => x.event === 'attendance') });
  await new Promise((r) => setTimeout(r, 300));
  const later = await secretariat.post('/api/meetings/1/scans', { ticket: tickets1.items.find((i) => i.organisation_id === A).code, direction: 'exit', nonce: randomUUID() });
  assert.equal(later.json.result, 'left', later.text);
  const [[laterEvent]] = alvd.sql("SELECT MAX(id) FROM events WHERE meeting_id = 1 AND kind = 'attendance'");
  const frames = await live;
  assert.deepEqual(frames.filter((f) => f.event === 'attendance').map((f) => f.id), [Number(laterEvent)]);
  assert.equal(frames[0].data.present, later.json.present);
});

test('a revoked or reissued ticket ends the phone session logged in with it', async () => {
  const { json: tickets } = await secretariat.get(`/api/meetings/${ids.meeting2}/tickets`);
  const phones = {};
  for (const org of [A, B]) {
    phones[org] = alvd.client();
    const login = await phones[org].post('/api/session/ticket', { ticket: tickets.items.find((i) => i.organisation_id === org).code });
    phones[org].adopt(login);
    assert.equal((await phones[org].get(`/api/meetings/${ids.meeting2}`)).status, 200);
  }
  // A's phone is lost: the secretariat reissues A's ticket; B revokes nothing.
  const reissued = await secretariat.post(`/api/meetings/${ids.meeting2}/tickets/${A}/reissue`);
  assert.equal(reissued.status, 201, reissued.text);
  assert.equal((await phones[A].get(`/api/meetings/${ids.meeting2}`)).status, 401, 'the lost phone is logged out');
  assert.equal((await phones[B].get(`/api/meetings/${ids.meeting2}`)).status, 200, 'other phones stay in');
  const fresh = alvd.client();
  fresh.adopt(await fresh.post('/api/session/ticket', { ticket: reissued.json.code }));
  assert.equal((await fresh.get(`/api/meetings/${ids.meeting2}`)).json.me.organisation_id, A);
  // Revoking B's ticket ends B's phone too.
  assert.equal((await secretariat.post(`/api/meetings/${ids.meeting2}/tickets/${B}/revoke`)).status, 200);
  assert.equal((await phones[B].get(`/api/meetings/${ids.meeting2}`)).status, 401);
  assert.equal((await fresh.get(`/api/meetings/${ids.meeting2}`)).status, 200, 'A’s new phone is untouched');
});
