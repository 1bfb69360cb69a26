// The hybrid ALV (BW 2:38a, issue 18): electronic participation off by default, the
// one-time code (mailed RFC-conformant to the registered address, wrong / reused /
// too many), one channel at a time, P with hall and remote members (and a remote proxy
// holder) under every majority rule, the convocation's conditions, the speaker list and
// contributions with their rights, the minutes, and the automatic check-out of a silent
// remote page — time moved forward by alvd processes started with a later clock.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, copyFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { startAlvd, sourceDir } from './lib/alvd.mjs';
import { addCycle, addMembers, addProposal, hall, vote } from './lib/poll-fixtures.mjs';
import { readMails, waitForMails } from './lib/cycle-fixtures.mjs';

const NOW = '2027-06-15T19:30:00+02:00';
let alvd, staff;
let year = 2101;
let prefixes = 0;
let startedAt;

before(async () => {
  // The server's clock starts at NOW when its configuration is read, a moment after this.
  startedAt = Date.now();
  alvd = await startAlvd({ demo: true, env: { ALVD_TEST_NOW: NOW } });
  staff = {
    secretariat: await alvd.login('secretariat'),
    board: await alvd.login('board'),
    chair: await alvd.login('chair'),
  };
});

after(async () => { await alvd?.stop(); });

const prefix = (name) => `Hybride ${name} ${++prefixes}`;

/** A hybrid meeting: `present` members scanned in at the door, `absent` members with phones. */
function hybridHall(options) {
  return hall(alvd, {
    ...options,
    staff,
    settings: { electronic_participation: true, stream_url: 'https://vergadering.ksf.example/alv', ...(options.settings || {}) },
  });
}

/** Give the organisation of a phone a registered address; returns it. */
function registerAddress(phone) {
  const address = `afgevaardigde-${phone.organisationId}@leden.example`;
  alvd.sql(`UPDATE organisations SET email = '${address}' WHERE id = ${phone.organisationId}`);
  return address;
}

/** Ask for a code on the phone and read it from the mail that reached the registered address. */
async function mailedCode(phone, meetingId) {
  const address = registerAddress(phone);
  const before = readMails(alvd.dataDir).filter((m) => m.to === address).length;
  const asked = await phone.client.post(`/api/meetings/${meetingId}/remote/code`);
  assert.equal(asked.status, 202, asked.text);
  assert.match(asked.json.sent_to, /^a…@leden\.example$/);
  assert.equal(asked.json.valid_seconds, 600);
  const mails = await waitForMails(alvd.dataDir, (m) => m.to === address, before + 1);
  const mail = mails[mails.length - 1];
  const code = /\b(\d{6})\b/.exec(mail.text)?.[1];
  assert.ok(code, `no 6-digit code in the mail:\n${mail.text}`);
  return { code, mail };
}

async function joinRemote(phone, meetingId) {
  const { code } = await mailedCode(phone, meetingId);
  const joined = await phone.client.post(`/api/meetings/${meetingId}/remote/join`, { code });
  assert.equal(joined.status, 200, joined.text);
  assert.equal(joined.json.present, true);
  assert.equal(joined.json.channel, 'remote');
  return code;
}

async function attendance(meetingId, client = staff.secretariat) {
  const response = await client.get(`/api/meetings/${meetingId}/attendance`);
  assert.equal(response.status, 200, response.text);
  return response.json;
}

const memberRow = (list, organisationId) => list.members.find((m) => m.organisation_id === organisationId);

/** The ledger of one member as "direction/channel/source" strings, oldest first. */
function ledger(meetingId, organisationId) {
  return alvd.sql(`SELECT direction, channel, source FROM attendance_events WHERE meeting_id = ${meetingId}
                   AND organisation_id = ${organisationId} ORDER BY id`).map((row) => row.join('/'));
}

/** Python's strict email parser on the given .eml files: no defects, no raw problems. */
function assertConformant(files) {
  const dir = mkdtempSync(join(tmpdir(), 'alvd-hybrid-mail-'));
  try {
    for (const file of files) copyFileSync(join(alvd.dataDir, 'outbox', file), join(dir, file));
    const report = JSON.parse(execFileSync('python3', [join(sourceDir, 'tests', 'api', 'lib', 'check_mail.py'), dir, 'eml'],
      { encoding: 'utf8' }));
    assert.equal(report.length, files.length);
    for (const message of report) {
      assert.deepEqual(message.defects, [], `${message.file}: parser defects`);
      assert.deepEqual(message.raw_problems, [], `${message.file}: raw problems`);
    }
    return report;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('electronic participation is off by default: no code, no join', async () => {
  const { meeting, absentPhones: [phone] } = await hall(alvd, { prefix: prefix('uit'), present: 1, absent: 1, staff });
  assert.equal(meeting.electronic_participation, false);
  registerAddress(phone);
  for (const [path, body] of [['remote/code', {}], ['remote/join', { code: '123456' }]]) {
    const refused = await phone.client.post(`/api/meetings/${meeting.id}/${path}`, body);
    assert.equal(refused.status, 403, refused.text);
    assert.equal(refused.json.code, 'electronic_participation_off');
  }
  assert.equal((await attendance(meeting.id)).present_remote, 0);
});

test('the one-time code: mailed to the registered address, wrong and reused codes refused, guessing stopped', async () => {
  const { meeting, absentPhones: [first, second, third] } = await hybridHall({ prefix: prefix('code'), present: 1, absent: 3 });
  const { code, mail } = await mailedCode(first, meeting.id);
  assert.match(mail.subject, /code voor deelname op afstand/);
  assert.match(mail.text, /10 minuten geldig/);
  assert.match(mail.text, new RegExp(`namens ${first.name}`));
  assertConformant([mail.file]);

  const wrong = String((Number(code) + 1) % 1000000).padStart(6, '0');
  for (const attempt of [wrong, '12345', 'abcdef']) {
    const refused = await first.client.post(`/api/meetings/${meeting.id}/remote/join`, { code: attempt });
    assert.equal(refused.status, 422, refused.text);
    assert.equal(refused.json.code, 'bad_code');
  }
  assert.equal((await attendance(meeting.id)).present_remote, 0, 'a wrong code lets nobody in');

  // Another member's code does not work for this member.
  const other = await mailedCode(second, meeting.id);
  const swapped = await first.client.post(`/api/meetings/${meeting.id}/remote/join`, { code: other.code });
  assert.equal(swapped.status, 422, swapped.text);

  const joined = await first.client.post(`/api/meetings/${meeting.id}/remote/join`, { code: code.replace(/^(\d{3})/, '$1 ') });
  assert.equal(joined.status, 200, joined.text);
  assert.deepEqual([joined.json.present, joined.json.channel, joined.json.ended_hall], [true, 'remote', false]);
  assert.equal(joined.json.stream_url, 'https://vergadering.ksf.example/alv');
  assert.equal(joined.json.disconnect_after_seconds, 180);
  let list = await attendance(meeting.id);
  assert.deepEqual([list.present, list.present_hall, list.present_remote], [2, 1, 1]);
  assert.equal(memberRow(list, first.organisationId).channel, 'remote');

  const left = await first.client.post(`/api/meetings/${meeting.id}/remote/leave`);
  assert.equal(left.status, 200, left.text);
  assert.deepEqual([left.json.left, left.json.present], [true, false]);
  const reused = await first.client.post(`/api/meetings/${meeting.id}/remote/join`, { code });
  assert.equal(reused.status, 422, reused.text);
  assert.equal(reused.json.code, 'bad_code');
  assert.match(reused.json.error, /al gebruikt/);
  list = await attendance(meeting.id);
  assert.deepEqual([list.present_hall, list.present_remote], [1, 0]);
  assert.deepEqual(ledger(meeting.id, first.organisationId), ['entry/remote/remote', 'exit/remote/remote']);

  // Five wrong codes in ten minutes, then even the right one waits (429).
  const good = await mailedCode(third, meeting.id);
  const bad = String((Number(good.code) + 7) % 1000000).padStart(6, '0');
  for (let i = 0; i < 5; i++) {
    const refused = await third.client.post(`/api/meetings/${meeting.id}/remote/join`, { code: bad });
    assert.equal(refused.status, 422, refused.text);
  }
  const stopped = await third.client.post(`/api/meetings/${meeting.id}/remote/join`, { code: good.code });
  assert.equal(stopped.status, 429, stopped.text);
  assert.equal(stopped.json.code, 'too_many_attempts');

  // A member without a registered address is told so; codes per member are limited too.
  alvd.sql(`UPDATE organisations SET email = NULL WHERE id = ${second.organisationId}`);
  const noAddress = await second.client.post(`/api/meetings/${meeting.id}/remote/code`);
  assert.equal(noAddress.status, 422, noAddress.text);
  assert.equal(noAddress.json.code, 'no_delegate_address');
  registerAddress(second);
  const answers = [];
  for (let i = 0; i < 3; i++) answers.push((await second.client.post(`/api/meetings/${meeting.id}/remote/code`)).status);
  assert.deepEqual(answers, [202, 202, 429], 'three codes in ten minutes per member (one was sent before)');
});

test('hall and remote at once is impossible: joining one ends the other, recorded', async () => {
  const { meeting, absentPhones: [member], scan } = await hybridHall({ prefix: prefix('kanaal'), present: 1, absent: 1 });
  await joinRemote(member, meeting.id);
  let list = await attendance(meeting.id);
  assert.deepEqual([list.present, list.present_hall, list.present_remote], [2, 1, 1]);

  // Walking into the hall ends the remote presence first.
  const entered = await scan(member.name, 'entry');
  assert.equal(entered.result, 'entered');
  assert.equal(entered.present, 2, 'still two present, not three');
  list = await attendance(meeting.id);
  assert.deepEqual([list.present, list.present_hall, list.present_remote], [2, 2, 0]);
  assert.equal(memberRow(list, member.organisationId).channel, 'hall');

  // Joining remotely again (a new code: the old one is spent) ends the hall presence.
  const { code } = await mailedCode(member, meeting.id);
  const joined = await member.client.post(`/api/meetings/${meeting.id}/remote/join`, { code });
  assert.equal(joined.status, 200, joined.text);
  assert.equal(joined.json.ended_hall, true);
  list = await attendance(meeting.id);
  assert.deepEqual([list.present, list.present_hall, list.present_remote], [2, 1, 1]);

  // The door speaks for the hall only: an exit scan of a remote member changes nothing.
  const exit = await scan(member.name, 'exit');
  assert.equal(exit.result, 'not_inside');
  assert.equal((await attendance(meeting.id)).present_remote, 1);
  assert.equal(memberRow(await attendance(meeting.id), member.organisationId).remote_ever, true);
  const me = await member.client.get(`/api/meetings/${meeting.id}`);
  assert.deepEqual([me.json.me.inside, me.json.me.channel], [true, 'remote']);

  assert.deepEqual(ledger(meeting.id, member.organisationId), [
    'entry/remote/remote', 'exit/remote/switch', 'entry/hall/scan', 'exit/hall/switch', 'entry/remote/remote',
  ]);
  // The presentielijst and the timeline keep hall and remote apart too.
  const csv = await staff.secretariat.get(`/api/meetings/${meeting.id}/attendance.csv`);
  const lines = csv.text.replace(/^\uFEFF/, '').split('\r\n');
  assert.match(lines[0], /;nu_via;op_afstand_deelgenomen$/);
  const row = lines.find((line) => line.startsWith(member.name));
  assert.match(row, /;op afstand;ja$/);
  const timeline = await staff.secretariat.get(`/api/meetings/${meeting.id}/attendance/timeline`);
  const last = timeline.json.points[timeline.json.points.length - 1];
  assert.deepEqual([last.present, last.present_remote], [2, 1]);
  assert.equal(timeline.json.peak, 2, 'never three: the member was never inside twice');
  // At no point in the ledger is the member inside through two channels: every entry
  // follows an exit (or starts the ledger).
  const rows = ledger(meeting.id, member.organisationId);
  rows.forEach((row, i) => assert.equal(row.split('/')[0], i % 2 === 0 ? 'entry' : 'exit', `event ${i}: ${row}`));
  const audit = alvd.sql(`SELECT action FROM audit_log WHERE action LIKE 'attendance.remote%' AND object_id = ${meeting.id} ORDER BY id`);
  assert.deepEqual(audit.map(([action]) => action).filter((a) => a === 'attendance.remote_join').length, 2);
});

// P = 7: three members in the hall, three remote, one represented through a proxy held by
// a remote member. Votes 4 for (one of them the proxy's), 2 against, 1 abstention.
const RULES = [
  { rule: 'more_than_half', threshold: 4, adopted: true },
  { rule: 'literal_half_plus_one', threshold: 5, adopted: false },
  { rule: 'two_thirds', threshold: 5, adopted: false },
  { rule: 'majority_of_votes_cast', adopted: true },
];

for (const { rule, threshold, adopted } of RULES) {
  test(`P counts hall and remote members alike (${rule})`, async () => {
    const cycle = addCycle(alvd, year++);
    const proposalId = addProposal(alvd, cycle, `Hybride voorstel ${rule}`, [{ article: '6a', action: 'replace', text: `Nieuwe tekst ${rule}.` }]);
    const { meeting, phones: inHall, absentPhones } = await hybridHall({
      prefix: prefix(rule), present: 3, absent: 4, rule, proposalIds: [proposalId], settings: { proxies_allowed: true },
    });
    const [r1, r2, r3, absentee] = absentPhones;
    for (const phone of [r1, r2, r3]) await joinRemote(phone, meeting.id);
    const proxy = await staff.secretariat.post(`/api/meetings/${meeting.id}/proxies`,
      { principal_id: absentee.organisationId, holder_id: r3.organisationId });
    assert.equal(proxy.status, 201, proxy.text);
    const list = await attendance(meeting.id);
    assert.deepEqual([list.present, list.present_hall, list.present_remote, list.represented, list.eligible], [6, 3, 3, 1, 7]);

    const created = await staff.chair.post(`/api/meetings/${meeting.id}/polls`, { proposal_id: proposalId, secret: false });
    assert.equal(created.status, 201, created.text);
    const opened = await staff.chair.post(`/api/polls/${created.json.id}/open`);
    assert.equal(opened.status, 200, opened.text);
    assert.deepEqual([opened.json.eligible, opened.json.present, opened.json.present_hall, opened.json.present_remote,
      opened.json.represented, opened.json.rule], [7, 6, 3, 3, 1, rule]);
    if (threshold !== undefined) assert.equal(opened.json.threshold, threshold);

    const pollId = created.json.id;
    const cast = [
      await vote(inHall[0], pollId, 'for'), await vote(inHall[1], pollId, 'for'), await vote(inHall[2], pollId, 'against'),
      await vote(r1, pollId, 'for'), await vote(r2, pollId, 'abstain'), await vote(r3, pollId, 'against'),
      // The remote proxy holder carries the proxy, as in the hall.
      await r3.client.post(`/api/polls/${pollId}/votes`, { choice: 'for', ballot_id: randomUUID(), on_behalf_of: absentee.organisationId }),
    ];
    for (const answer of cast) assert.equal(answer.status, 201, answer.text);
    const closed = await staff.chair.post(`/api/polls/${pollId}/close`);
    assert.equal(closed.status, 200, closed.text);
    assert.deepEqual([closed.json.for, closed.json.against, closed.json.abstain, closed.json.not_voted, closed.json.eligible],
      [4, 2, 1, 0, 7]);
    assert.equal(closed.json.adopted, adopted, closed.text);
    const minutes = await staff.chair.get(`/api/meetings/${meeting.id}/minutes?format=markdown`);
    assert.match(minutes.text, /Aanwezig bij opening \(P\): 7 \(in de zaal 3, op afstand 3, vertegenwoordigd 1\)/);
  });
}

test('a remote member who left cannot vote, and keeps counting in P as not for', async () => {
  const cycle = addCycle(alvd, year++);
  const proposalId = addProposal(alvd, cycle, 'Hybride vertrek', [{ article: '6a', action: 'replace', text: 'Vertrektekst.' }]);
  const { meeting, phones: [h1], absentPhones: [r1] } = await hybridHall({
    prefix: prefix('vertrek'), present: 1, absent: 1, proposalIds: [proposalId],
  });
  await joinRemote(r1, meeting.id);
  const created = await staff.chair.post(`/api/meetings/${meeting.id}/polls`, { proposal_id: proposalId });
  const opened = await staff.chair.post(`/api/polls/${created.json.id}/open`);
  assert.equal(opened.json.eligible, 2);
  assert.equal((await r1.client.post(`/api/meetings/${meeting.id}/remote/leave`)).status, 200);
  const late = await vote(r1, created.json.id, 'for');
  assert.equal(late.status, 409, late.text);
  assert.equal(late.json.code, 'not_present');
  assert.match(late.json.error, /op afstand/);
  assert.equal((await vote(h1, created.json.id, 'for')).status, 201);
  const closed = await staff.chair.post(`/api/polls/${created.json.id}/close`);
  assert.deepEqual([closed.json.for, closed.json.eligible, closed.json.adopted], [1, 2, false]);
});

test('meeting settings: stream link checked, electronic participation fixed once the meeting is open', async () => {
  const { meeting } = await hybridHall({ prefix: prefix('instelling'), present: 1 });
  assert.equal(meeting.electronic_participation, true);
  assert.equal(meeting.remote_deliberation, true);
  assert.equal(meeting.stream_url, 'https://vergadering.ksf.example/alv');
  assert.equal(meeting.remote_disconnect_seconds, 180);
  for (const stream_url of ['javascript:alert(1)', 'https://x.example/a b', 'https://x.example/"><script>']) {
    const refused = await staff.secretariat.patch(`/api/meetings/${meeting.id}`, { stream_url });
    assert.equal(refused.status, 400, refused.text);
    assert.equal(refused.json.code, 'bad_url');
  }
  const off = await staff.secretariat.patch(`/api/meetings/${meeting.id}`, { electronic_participation: false });
  assert.equal(off.status, 409, off.text);
  assert.equal(off.json.field, 'electronic_participation');
  const moved = await staff.secretariat.patch(`/api/meetings/${meeting.id}`, { stream_url: 'https://andere.example/live', remote_disconnect_seconds: 120 });
  assert.equal(moved.status, 200, moved.text);
  assert.deepEqual([moved.json.stream_url, moved.json.remote_disconnect_seconds], ['https://andere.example/live', 120]);
  const cleared = await staff.secretariat.patch(`/api/meetings/${meeting.id}`, { stream_url: null });
  assert.equal(cleared.json.stream_url, null);
});

test('the convocation states the conditions of electronic participation when it is on', async () => {
  const members = addMembers(alvd, prefix('oproeping'), 1);
  const [[name, organisationId]] = Object.entries(members);
  alvd.sql(`UPDATE organisations SET email = 'leden-${organisationId}@leden.example' WHERE id = ${organisationId}`);
  const contact = await staff.secretariat.post(`/api/organisations/${organisationId}/contacts`,
    { name: 'Anna de Vries', email: `anna-${organisationId}@leden.example` });
  assert.equal(contact.status, 201, contact.text);
  const texts = {};
  for (const electronic of [true, false]) {
    const created = await staff.secretariat.post('/api/meetings', {
      title: `ALV ${electronic ? 'hybride' : 'zaal'} ${organisationId}`, date: '2027-07-20', starts_at: '19:30', location: 'Utrecht',
      electronic_participation: electronic, stream_url: electronic ? 'https://vergadering.ksf.example/alv-2027' : null,
      remote_conditions: electronic ? 'Test uw verbinding vooraf via de ledenpagina.' : null,
    });
    assert.equal(created.status, 201, created.text);
    const sent = await staff.secretariat.post(`/api/meetings/${created.json.id}/convocation`);
    assert.equal(sent.status, 200, sent.text);
    const [mail] = await waitForMails(alvd.dataDir, (m) => m.to === `anna-${organisationId}@leden.example` && m.subject.includes(created.json.title));
    texts[electronic] = mail;
  }
  const hybrid = texts.true.text;
  assert.match(hybrid, /Deelnemen op afstand \(artikel 2:38a BW\)/);
  assert.match(hybrid, /eenmalige\s+code/);
  assert.match(hybrid, new RegExp(`leden-${organisationId}@leden\\.example`), 'names the registered address');
  assert.match(hybrid, /https:\/\/vergadering\.ksf\.example\/alv-2027/);
  assert.match(hybrid, /\/t\/[A-Za-z0-9_.-]+\?op=afstand/, 'the personal link for taking part remotely');
  assert.match(hybrid, /langer dan 3 minuten/);
  assert.match(hybrid, /Volmachten gelden op afstand/);
  assert.match(hybrid, /Test uw verbinding vooraf/);
  assert.doesNotMatch(texts.false.text, /op afstand/);
  assert.ok(name);
  assertConformant([texts.true.file, texts.false.file]);
});

test('the speaker list: present members once at a time in queue order, withdraw, the chair gives and ends the floor', async () => {
  const { meeting, phones: [h1, h2], absentPhones: [r1, away] } = await hybridHall({ prefix: prefix('sprekers'), present: 2, absent: 2 });
  await joinRemote(r1, meeting.id);
  const url = `/api/meetings/${meeting.id}/speakers`;

  const absent = await away.client.post(url);
  assert.equal(absent.status, 409, absent.text);
  assert.equal(absent.json.code, 'not_present');

  const first = await h1.client.post(url);
  assert.equal(first.status, 201, first.text);
  assert.deepEqual([first.json.state, first.json.channel, first.json.position], ['waiting', 'hall', 1]);
  const twice = await h1.client.post(url);
  assert.equal(twice.status, 409, twice.text);
  assert.deepEqual([twice.json.code, twice.json.id], ['already_waiting', first.json.id]);
  const second = await r1.client.post(url);
  assert.deepEqual([second.status, second.json.channel, second.json.position], [201, 'remote', 2]);
  const third = await h2.client.post(url);
  assert.equal(third.json.position, 3);

  // Rights: only the requester or the chair removes a request; only the chair gives the floor.
  assert.equal((await h2.client.delete(`/api/speakers/${second.json.id}`)).status, 404);
  assert.equal((await h2.client.post(`/api/speakers/${first.json.id}/start`)).status, 403);
  assert.equal((await staff.secretariat.post(`/api/speakers/${first.json.id}/start`)).status, 403);
  assert.equal((await h2.client.delete(`/api/speakers/${third.json.id}`)).status, 204);
  const again = await h2.client.post(url);
  assert.equal(again.status, 201, 'after withdrawing, a member may ask again');
  assert.equal(again.json.position, 3, 'at the back of the queue');

  let list = await h2.client.get(url);
  assert.equal(list.status, 200, list.text);
  assert.deepEqual(list.json.items.map((i) => [i.name, i.channel, i.state, i.position]),
    [[h1.name, 'hall', 'waiting', 1], [r1.name, 'remote', 'waiting', 2], [h2.name, 'hall', 'waiting', 3]]);
  assert.deepEqual(list.json.next.map((i) => i.id), [first.json.id, second.json.id, again.json.id]);
  assert.equal(list.json.mine.id, again.json.id);
  assert.equal(list.json.speaking, null);
  assert.match(list.json.now, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/, 'the server instant for the speaking clock');

  const start = await staff.chair.post(`/api/speakers/${first.json.id}/start`);
  assert.equal(start.status, 200, start.text);
  assert.equal(start.json.state, 'speaking');
  // The member who speaks cannot withdraw; giving the floor to the next ends the turn.
  assert.equal((await h1.client.delete(`/api/speakers/${first.json.id}`)).status, 409);
  const next = await staff.chair.post(`/api/speakers/${second.json.id}/start`);
  assert.equal(next.status, 200, next.text);
  list = await staff.chair.get(url);
  assert.deepEqual(list.json.items.map((i) => [i.name, i.state]),
    [[h1.name, 'done'], [r1.name, 'speaking'], [h2.name, 'waiting']]);
  assert.equal(list.json.speaking.id, second.json.id);
  assert.ok(Number.isInteger(list.json.items[0].speaking_seconds) && list.json.items[0].speaking_seconds >= 0);
  const finished = await staff.chair.post(`/api/speakers/${second.json.id}/finish`);
  assert.equal(finished.status, 200, finished.text);
  assert.equal(finished.json.state, 'done');
  assert.ok(finished.json.finished_at);
  assert.equal((await staff.chair.post(`/api/speakers/${second.json.id}/finish`)).status, 409);
  assert.equal((await staff.chair.delete(`/api/speakers/${again.json.id}`)).status, 204, 'the chair removes a request');
  list = await r1.client.get(url);
  assert.deepEqual(list.json.items.map((i) => i.state), ['done', 'done']);
  assert.equal(list.json.waiting, 0);
  const withdrawn = alvd.sql(`SELECT withdrawn_by FROM speakers WHERE meeting_id = ${meeting.id} AND state = 'withdrawn' ORDER BY id`);
  assert.deepEqual(withdrawn.map(([by]) => by), ['member', 'chair']);

  // Written contributions: present members, moderated by the chair, members see their own.
  const sent = await r1.client.post(`/api/meetings/${meeting.id}/contributions`, { text: 'Graag een toelichting op 6a.\nDank.' });
  assert.equal(sent.status, 201, sent.text);
  assert.deepEqual([sent.json.state, sent.json.channel], ['new', 'remote']);
  assert.equal((await away.client.post(`/api/meetings/${meeting.id}/contributions`, { text: 'Ik ben er niet.' })).status, 409);
  const empty = await r1.client.post(`/api/meetings/${meeting.id}/contributions`, { text: '' });
  assert.deepEqual([empty.status, empty.json.field], [422, 'text']);
  const chairView = await staff.chair.get(`/api/meetings/${meeting.id}/contributions`);
  assert.deepEqual([chairView.json.new, chairView.json.items[0].text], [1, 'Graag een toelichting op 6a.\nDank.']);
  assert.deepEqual((await h1.client.get(`/api/meetings/${meeting.id}/contributions`)).json.items, []);
  assert.equal((await h1.client.post(`/api/contributions/${sent.json.id}/moderate`, { decision: 'read_out' })).status, 403);
  const moderated = await staff.chair.post(`/api/contributions/${sent.json.id}/moderate`, { decision: 'read_out' });
  assert.equal(moderated.status, 200, moderated.text);
  assert.equal(moderated.json.state, 'read_out');

  // The minutes list who took part remotely, the speakers and the contributions.
  const minutes = await staff.chair.get(`/api/meetings/${meeting.id}/minutes`);
  assert.equal(minutes.status, 200, minutes.text);
  assert.deepEqual(minutes.json.attendance.remote_participants.map((p) => [p.name, p.auto_checkout]), [[r1.name, false]]);
  assert.deepEqual(minutes.json.speakers.map((s) => [s.name, s.channel]), [[h1.name, 'hall'], [r1.name, 'remote']]);
  assert.deepEqual(minutes.json.contributions.map((c) => [c.name, c.state]), [[r1.name, 'read_out']]);
  const markdown = await staff.chair.get(`/api/meetings/${meeting.id}/minutes?format=markdown`);
  assert.match(markdown.text, /Op afstand deelgenomen \(artikel 2:38a BW\): 1/);
  assert.match(markdown.text, new RegExp(`\\| ${r1.name} \\|`));
  assert.match(markdown.text, /## Sprekers/);
  assert.match(markdown.text, new RegExp(`\\| 2 \\| ${r1.name} \\| op afstand \\|`));
  assert.match(markdown.text, /voorgelezen\): Graag een toelichting op 6a\. Dank\./);
});

test('without remote deliberation a remote member follows and votes but does not take the floor; closing ends it all', async () => {
  const { meeting, phones: [h1], absentPhones: [r1] } = await hybridHall({
    prefix: prefix('beraad'), present: 1, absent: 1, settings: { remote_deliberation: false },
  });
  await joinRemote(r1, meeting.id);
  for (const [path, body] of [['speakers', undefined], ['contributions', { text: 'Een vraag.' }]]) {
    const refused = await r1.client.post(`/api/meetings/${meeting.id}/${path}`, body);
    assert.equal(refused.status, 403, refused.text);
    assert.equal(refused.json.code, 'deliberation_off');
  }
  const asked = await h1.client.post(`/api/meetings/${meeting.id}/speakers`);
  assert.equal(asked.status, 201, asked.text);
  // Closing the meeting checks the remote member out too and closes the floor.
  const closed = await staff.chair.post(`/api/meetings/${meeting.id}/close`);
  assert.equal(closed.status, 200, closed.text);
  assert.equal(closed.json.checked_out, 2);
  assert.deepEqual(ledger(meeting.id, r1.organisationId), ['entry/remote/remote', 'exit/remote/close']);
  const list = await staff.chair.get(`/api/meetings/${meeting.id}/speakers`);
  assert.deepEqual([list.json.waiting, list.json.items.length], [0, 0]);
  const beat = await r1.client.post(`/api/meetings/${meeting.id}/remote/heartbeat`);
  assert.deepEqual([beat.json.present, beat.json.reconnected], [false, false], 'no way back into a closed meeting');
});

// Last: the processes with a later clock check out every silent page of this database.
test('a remote page silent past the setting is checked out automatically (time injected), and back on reconnect', async () => {
  const cycle = addCycle(alvd, year++);
  const proposalId = addProposal(alvd, cycle, 'Hybride stilte', [{ article: '6a', action: 'replace', text: 'Stiltetekst.' }]);
  const { meeting, absentPhones: [quiet, alive] } = await hybridHall({ prefix: prefix('stilte'), present: 1, absent: 2, proposalIds: [proposalId] });
  await joinRemote(quiet, meeting.id);
  await joinRemote(alive, meeting.id);
  const beat = await quiet.client.post(`/api/meetings/${meeting.id}/remote/heartbeat`);
  assert.equal(beat.status, 200, beat.text);
  assert.deepEqual([beat.json.present, beat.json.channel, beat.json.reconnected, beat.json.heartbeat_seconds], [true, 'remote', false, 30]);

  // Another alvd process on the same database whose clock stands `minutes` after the
  // first one's (which has run on from NOW since it started; this bound is never behind it).
  const later = (minutes) => startAlvd({
    database: alvd.database, dataDir: alvd.dataDir, keepDatabase: true, migrate: false,
    env: { ALVD_TEST_NOW: new Date(Date.parse(NOW) + (Date.now() - startedAt) + minutes * 60000).toISOString() },
  });
  const asClient = (instance, phone) => { const c = instance.client(); c.token = phone.client.token; return c; };

  // Two minutes on (under the 3-minute setting): both still present. The live page beats.
  const twoMinutes = await later(2);
  try {
    const secretariat = await twoMinutes.login('secretariat');
    assert.equal((await attendance(meeting.id, secretariat)).present_remote, 2);
    assert.equal((await asClient(twoMinutes, alive).post(`/api/meetings/${meeting.id}/remote/heartbeat`)).json.present, true);
  } finally { await twoMinutes.stop(); }

  // Four minutes on: the silent page is checked out, the live one (seen at +2) is not.
  const fourMinutes = await later(4);
  try {
    const secretariat = await fourMinutes.login('secretariat');
    const list = await attendance(meeting.id, secretariat);
    assert.deepEqual([list.present, list.present_hall, list.present_remote], [2, 1, 1]);
    assert.equal(memberRow(list, quiet.organisationId).inside, false);
    assert.equal(memberRow(list, alive.organisationId).channel, 'remote');
    assert.deepEqual(ledger(meeting.id, quiet.organisationId), ['entry/remote/remote', 'exit/remote/disconnect']);
    const [[details]] = alvd.sql(`SELECT details FROM audit_log WHERE action = 'attendance.remote_disconnect'
                                  AND object_id = ${meeting.id} ORDER BY id DESC LIMIT 1`);
    assert.match(details, new RegExp(`"organisation_id":\\s*${quiet.organisationId}`));
    assert.match(details, /"after_seconds":\s*180/);

    // P at a poll opening counts only who is present: the silent member is not.
    const chair = await fourMinutes.login('chair');
    const created = await chair.post(`/api/meetings/${meeting.id}/polls`, { proposal_id: proposalId });
    assert.equal(created.status, 201, created.text);
    const opened = await chair.post(`/api/polls/${created.json.id}/open`);
    assert.equal(opened.status, 200, opened.text);
    assert.deepEqual([opened.json.eligible, opened.json.present], [2, 2]);

    // The page comes back: its next heartbeat checks the member in again, recorded.
    const back = await asClient(fourMinutes, quiet).post(`/api/meetings/${meeting.id}/remote/heartbeat`);
    assert.equal(back.status, 200, back.text);
    assert.deepEqual([back.json.present, back.json.channel, back.json.reconnected], [true, 'remote', true]);
    assert.deepEqual(ledger(meeting.id, quiet.organisationId),
      ['entry/remote/remote', 'exit/remote/disconnect', 'entry/remote/reconnect']);
    assert.equal((await attendance(meeting.id, secretariat)).present_remote, 2);
    // Another heartbeat changes nothing more.
    const steady = await asClient(fourMinutes, quiet).post(`/api/meetings/${meeting.id}/remote/heartbeat`);
    assert.equal(steady.json.reconnected, false);
    assert.equal(ledger(meeting.id, quiet.organisationId).length, 3);
  } finally { await fourMinutes.stop(); }

  // The first process (its clock still at the start) agrees: nobody flips back.
  assert.equal((await attendance(meeting.id)).present_remote, 2);
  const minutes = await staff.chair.get(`/api/meetings/${meeting.id}/minutes`);
  const participants = Object.fromEntries(minutes.json.attendance.remote_participants.map((p) => [p.name, p]));
  assert.deepEqual([participants[quiet.name].auto_checkout, participants[quiet.name].disconnects], [true, 1]);
  assert.deepEqual([participants[alive.name].auto_checkout, participants[alive.name].disconnects], [false, 0]);
});
