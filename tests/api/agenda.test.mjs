// The agenda (issue 12, point 1): plain items, proposals and other decisions in any
// order (PUT), items keep their id when reordered and the current item follows its item,
// the older proposals-first body still works, and a decision that is not a proposal is
// voted on with its own majority rule, signed and in the minutes.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startAlvd } from './lib/alvd.mjs';
import { addCycle, addProposal, hall, vote } from './lib/poll-fixtures.mjs';

let alvd, staff;

before(async () => {
  alvd = await startAlvd({ demo: true });
  staff = {
    secretariat: await alvd.login('secretariat'),
    board: await alvd.login('board'),
    chair: await alvd.login('chair'),
  };
});

after(async () => {
  await alvd?.stop();
});

let year = 2301;
function proposals(count) {
  const cycleYear = year++;
  const cycle = addCycle(alvd, cycleYear);
  return Array.from({ length: count }, (_, i) => addProposal(alvd, cycle, `Agendavoorstel ${cycleYear}-${i + 1}`,
    [{ article: `${7 + i}`, action: 'replace', text: `Nieuwe tekst ${i + 1}.` }]));
}

async function newMeeting(title = 'Agenda-ALV') {
  const created = await staff.secretariat.post('/api/meetings', { title, date: '2027-06-15', starts_at: '19:30', location: 'Utrecht' });
  assert.equal(created.status, 201, created.text);
  return created.json.id;
}

const shape = (agenda) => agenda.map((a) => [a.position, a.kind, a.kind === 'proposal' ? a.proposal_id : a.title]);

test('PUT interleaves plain items, proposals and a decision in exactly the order sent', async () => {
  const [first, second] = proposals(2);
  const meetingId = await newMeeting();
  const put = await staff.secretariat.put(`/api/meetings/${meetingId}/agenda`, {
    items: [
      { kind: 'item', title: 'Opening' },
      { kind: 'proposal', proposal_id: first },
      { kind: 'decision', title: 'Vaststelling van de jaarrekening', majority_rule: 'majority_of_votes_cast' },
      { kind: 'proposal', proposal_id: second },
      { kind: 'item', title: 'Rondvraag' },
    ],
  });
  assert.equal(put.status, 200, put.text);
  assert.deepEqual(shape(put.json.items), [
    [1, 'item', 'Opening'], [2, 'proposal', first], [3, 'decision', 'Vaststelling van de jaarrekening'],
    [4, 'proposal', second], [5, 'item', 'Rondvraag']]);
  assert.deepEqual(put.json.agenda, put.json.items);
  assert.equal(put.json.items[1].title, `Agendavoorstel ${year - 1}-1`, 'a proposal item carries the proposal title');
  assert.equal(put.json.items[1].proposal_state, 'ready');
  assert.equal(put.json.items[2].majority_rule, 'majority_of_votes_cast');
  assert.match(put.json.items[2].rule_text, /meer stemmen voor dan tegen/);
  assert.equal(put.json.items[0].proposal_id, null);
  const meeting = (await staff.board.get(`/api/meetings/${meetingId}`)).json;
  assert.deepEqual(shape(meeting.agenda), shape(put.json.items), 'the meeting shows the same agenda');
  assert.deepEqual(alvd.sql(`SELECT kind FROM events WHERE meeting_id = ${meetingId} ORDER BY id`), [['agenda']],
    'phones and the projector hear of the new agenda');

  // Reordered with the ids: every item keeps its id, and the current item follows its item.
  const ids = put.json.items.map((item) => item.id);
  assert.equal((await staff.chair.post(`/api/meetings/${meetingId}/agenda/current`, { position: 3 })).status, 200);
  const reordered = await staff.board.put(`/api/meetings/${meetingId}/agenda`, {
    items: [
      { kind: 'item', id: ids[0], title: 'Opening en mededelingen' },
      { kind: 'decision', id: ids[2], title: 'Vaststelling van de jaarrekening 2026', majority_rule: 'two_thirds' },
      { kind: 'proposal', proposal_id: second },
      { kind: 'proposal', proposal_id: first },
      { kind: 'item', id: ids[4], title: 'Rondvraag' },
      { kind: 'item', title: 'Sluiting' },
    ],
  });
  assert.equal(reordered.status, 200, reordered.text);
  assert.deepEqual(reordered.json.items.map((item) => item.id).slice(0, 5), [ids[0], ids[2], ids[3], ids[1], ids[4]]);
  assert.equal(reordered.json.items[0].title, 'Opening en mededelingen');
  assert.equal(reordered.json.items[1].majority_rule, 'two_thirds');
  assert.equal(reordered.json.current_item, 2, 'the decision moved from 3 to 2 and stays the current item');
  assert.equal((await staff.board.get(`/api/meetings/${meetingId}`)).json.current_item, 2);
  const current = await staff.chair.post(`/api/meetings/${meetingId}/agenda/current`, { position: 2 });
  assert.deepEqual([current.json.item_id, current.json.kind, current.json.title], [ids[2], 'decision', 'Vaststelling van de jaarrekening 2026']);
});

test('a refused agenda names the item at fault and changes nothing', async () => {
  const [ready] = proposals(1);
  const [[notReady]] = alvd.sql("SELECT id FROM proposals WHERE state <> 'ready' ORDER BY id LIMIT 1");
  const meetingId = await newMeeting();
  const base = [{ kind: 'item', title: 'Opening' }, { kind: 'proposal', proposal_id: ready }];
  assert.equal((await staff.board.put(`/api/meetings/${meetingId}/agenda`, { items: base })).status, 200);
  const before = (await staff.board.get(`/api/meetings/${meetingId}`)).json.agenda;
  const refusals = [
    [{ items: [...base, { kind: 'proposal', proposal_id: Number(notReady) }] }, 422, 'proposal_not_ready', /^Agendapunt 3: /],
    [{ items: [...base, { kind: 'proposal', proposal_id: ready }] }, 422, 'duplicate_proposal', /^Agendapunt 3: /],
    [{ items: [...base, { kind: 'proposal', proposal_id: 999999 }] }, 422, 'unknown_proposal', /^Agendapunt 3: /],
    [{ items: [{ kind: 'item', id: 999999, title: 'Opening' }] }, 422, 'unknown_item', /^Agendapunt 1: /],
    [{ items: [{ kind: 'decision', title: 'Decharge', majority_rule: 'loting' }] }, 422, 'bad_majority_rule', /^Agendapunt 1: /],
    [{ items: [{ kind: 'item', title: 'Opening\r\nBcc: iedereen' }] }, 422, 'bad_title', /^Agendapunt 1: /],
    [{ items: [{ kind: 'item', title: '  ' }] }, 422, 'required', /^Agendapunt 1: /],
    [{ items: [{ kind: 'motie', title: 'Motie' }] }, 422, 'bad_choice', /^Agendapunt 1: /],
    [{ items: [{ kind: 'item', title: 'Opening', proposal_id: ready }] }, 400, 'unknown_field', /^Agendapunt 1: /],
    [{ items: 'Opening' }, 400, 'wrong_type', /lijst van agendapunten/],
    [{ proposal_ids: [ready] }, 400, 'unknown_field', /proposal_ids/],
    [{ items: Array.from({ length: 101 }, (_, i) => ({ kind: 'item', title: `Punt ${i}` })) }, 422, 'too_many', /100/],
  ];
  for (const [body, status, code, sentence] of refusals) {
    const answer = await staff.board.put(`/api/meetings/${meetingId}/agenda`, body);
    assert.equal(answer.status, status, `${code}: ${answer.text}`);
    assert.equal(answer.json.code, code, answer.text);
    assert.match(answer.json.error, sentence, answer.text);
  }
  assert.deepEqual((await staff.board.get(`/api/meetings/${meetingId}`)).json.agenda, before);
  assert.equal((await staff.chair.put(`/api/meetings/${meetingId}/agenda`, { items: base })).status, 200,
    'the chair is on the board in the demo');
  const phone = alvd.client();
  assert.equal((await phone.put(`/api/meetings/${meetingId}/agenda`, { items: base })).status, 401);
});

test('the first agenda body (proposals first, then titles) still works and gives the same shape', async () => {
  const [first, second] = proposals(2);
  const meetingId = await newMeeting();
  const set = await staff.board.post(`/api/meetings/${meetingId}/agenda`, { proposal_ids: [first, second], items: [{ title: 'Rondvraag' }] });
  assert.equal(set.status, 200, set.text);
  assert.deepEqual(shape(set.json.agenda), [[1, 'proposal', first], [2, 'proposal', second], [3, 'item', 'Rondvraag']]);
  assert.equal((await staff.secretariat.post(`/api/meetings/${meetingId}/agenda`, { proposal_ids: [] })).status, 403);
});

test('a decision that is not a proposal is voted on with its own rule, signed and minuted; an item with a poll stays', async () => {
  const [proposal] = proposals(1);
  const room = await hall(alvd, { prefix: 'Besluitlid', present: 5, staff });
  const meetingId = room.meeting.id;
  const put = await staff.board.put(`/api/meetings/${meetingId}/agenda`, {
    items: [
      { kind: 'item', title: 'Opening' },
      { kind: 'decision', title: 'Vaststelling van de notulen', majority_rule: 'majority_of_votes_cast' },
      { kind: 'proposal', proposal_id: proposal },
    ],
  });
  assert.equal(put.status, 200, put.text);
  const [opening, notes, onAgenda] = put.json.items;

  const plain = await staff.chair.post(`/api/meetings/${meetingId}/polls`, { agenda_item_id: opening.id });
  assert.equal(plain.status, 422, plain.text);
  assert.equal(plain.json.code, 'not_a_decision');
  const both = await staff.chair.post(`/api/meetings/${meetingId}/polls`, { agenda_item_id: notes.id, proposal_id: proposal });
  assert.equal(both.status, 400);

  const created = await staff.chair.post(`/api/meetings/${meetingId}/polls`, { agenda_item_id: notes.id });
  assert.equal(created.status, 201, created.text);
  assert.deepEqual([created.json.kind, created.json.proposal_id, created.json.agenda_item_id, created.json.title],
    ['decision', null, notes.id, 'Vaststelling van de notulen']);
  const again = await staff.chair.post(`/api/meetings/${meetingId}/polls`, { agenda_item_id: notes.id });
  assert.equal(again.status, 409);
  assert.equal(again.json.code, 'poll_exists');
  // A proposal item can be polled through its agenda item id as well.
  const byItem = await staff.chair.post(`/api/meetings/${meetingId}/polls`, { agenda_item_id: onAgenda.id });
  assert.equal(byItem.status, 201, byItem.text);
  assert.deepEqual([byItem.json.kind, byItem.json.proposal_id], ['proposal', proposal]);

  // The poll is part of the agenda now: the item cannot be removed or turned into a plain item.
  const removed = await staff.board.put(`/api/meetings/${meetingId}/agenda`, { items: [{ kind: 'item', id: opening.id, title: 'Opening' }, { kind: 'proposal', proposal_id: proposal }] });
  assert.equal(removed.status, 409, removed.text);
  assert.equal(removed.json.code, 'item_has_poll');
  const plainNow = await staff.board.put(`/api/meetings/${meetingId}/agenda`, {
    items: [{ kind: 'item', id: notes.id, title: 'Notulen' }, { kind: 'proposal', proposal_id: proposal }] });
  assert.equal(plainNow.status, 409, plainNow.text);

  const opened = await staff.chair.post(`/api/polls/${created.json.id}/open`);
  assert.equal(opened.status, 200, opened.text);
  assert.equal(opened.json.rule, 'majority_of_votes_cast', 'the decision opens with its own rule, not the meeting\'s');
  assert.equal(opened.json.eligible, 5);
  const votes = ['for', 'for', 'against', 'abstain', 'abstain'];
  for (const [index, phone] of room.phones.entries()) assert.equal((await vote(phone, created.json.id, votes[index])).status, 201);
  const closed = await staff.chair.post(`/api/polls/${created.json.id}/close`);
  assert.equal(closed.status, 200, closed.text);
  assert.deepEqual([closed.json.for, closed.json.against, closed.json.abstain, closed.json.adopted], [2, 1, 2, true],
    '2 for and 1 against adopts by a majority of the votes cast, though 2 is not more than half of 5');
  assert.equal(alvd.sql(`SELECT state FROM proposals WHERE id = ${proposal}`)[0][0], 'ready', 'no proposal changed');

  const phoneView = await room.phones[0].client.get(`/api/polls/${created.json.id}`);
  assert.equal(phoneView.json.title, 'Vaststelling van de notulen');
  assert.equal((await room.phones[0].client.get(`/api/polls/${created.json.id}/proposal`)).json.code, 'no_proposal');

  const minutes = (await staff.chair.get(`/api/meetings/${meetingId}/minutes`)).json;
  const minuted = minutes.polls.find((p) => p.id === created.json.id);
  assert.deepEqual([minuted.title, minuted.adopted, minuted.adoption], ['Vaststelling van de notulen', true, null]);
  const signed = minutes.decisions.find((d) => d.poll_id === created.json.id);
  assert.equal(signed.record.agenda_item_id, notes.id);
  assert.equal(signed.record.title, 'Vaststelling van de notulen');
  assert.equal('proposal_id' in signed.record, false);
  const verified = alvd.run(['audit', 'verify']);
  assert.equal(verified.status, 0, verified.stderr + verified.stdout);

  // The agenda may still change around the decided item (kept by its id).
  const later = await staff.board.put(`/api/meetings/${meetingId}/agenda`, {
    items: [{ kind: 'decision', id: notes.id, title: 'Vaststelling van de notulen' }, { kind: 'proposal', proposal_id: proposal },
      { kind: 'item', title: 'Rondvraag' }] });
  assert.equal(later.status, 200, later.text);
  assert.deepEqual(later.json.items.map((item) => item.id).slice(0, 2), [notes.id, onAgenda.id], 'polled items keep their ids');

  // A re-vote of the decision is a decision poll again.
  const revote = await staff.chair.post(`/api/polls/${created.json.id}/revote`, {});
  assert.equal(revote.status, 201, revote.text);
  assert.deepEqual([revote.json.kind, revote.json.agenda_item_id, revote.json.title], ['decision', notes.id, 'Vaststelling van de notulen']);
});
