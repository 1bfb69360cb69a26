// The yearly amendment cycle end to end against the real server: a cycle, two
// proposals of which one conflicts, a consultation round whose invitations arrive as
// .eml files, three parties logging in by their link and commenting, a late comment
// refused, the board's replies, the reactienota, and `ready` only after the last reply.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startAlvd } from './lib/alvd.mjs';
import { addCodeVersion, addOrganisation, addStaff, instant, waitForMails, ARTICLE_6D } from './lib/cycle-fixtures.mjs';

let alvd;
let board;
const orgs = {};

before(async () => {
  alvd = await startAlvd();
  addStaff(alvd);
  addCodeVersion(alvd);
  orgs.member = addOrganisation(alvd, { name: 'Klantcontact Noord BV', kvk: '40000001', basis: 'membership',
    contacts: [{ name: 'Marieke de Vries', email: 'marieke@noord.example' }] });
  orgs.signatory = addOrganisation(alvd, { name: 'Servicepunt Zuid BV', kvk: '40000002', basis: 'signature',
    contacts: [{ name: 'Sander Jansen', email: 'sander@zuid.example' }] });
  orgs.contract = addOrganisation(alvd, { name: 'Opdrachtgever Energie NV', kvk: '40000003', basis: 'contract',
    contacts: [{ name: 'Carla Bakker', email: 'carla@energie.example' }] });
  // Its membership ended last year: not bound on the opening day, so not invited.
  orgs.former = addOrganisation(alvd, { name: 'Oud-lid Callcenter BV', kvk: '40000004', basis: 'membership',
    since: '2020-01-01', until: '2024-12-31', contacts: [{ name: 'Otto Oud', email: 'otto@oudlid.example' }] });
  board = await alvd.login('board');
});

after(async () => { await alvd?.stop(); });

const SHARPER_6D = ARTICLE_6D.replace('adequate opleidingsmogelijkheden',
  'ten minste 24 uur opleiding per medewerker per jaar, ook voor ingeleende medewerkers');

async function contactByLink(email, subjectPart) {
  const [mail] = await waitForMails(alvd.dataDir, (m) => m.to === email && m.subject.includes(subjectPart));
  assert.equal(mail.links.length, 1, mail.raw);
  const client = alvd.client();
  const page = await client.get(`/l/${mail.links[0]}`);
  assert.equal(page.status, 200, 'the landing page shows');
  assert.equal(page.headers.get('set-cookie'), null, 'a GET logs no one in');
  client.adopt(await client.post('/api/session/link', { link: mail.links[0] }));
  return { client, link: mail.links[0], mail };
}

test('a whole cycle: proposals, conflict, round, comments by link login, replies, reactienota, ready', async () => {
  // ---- the cycle: one per year
  const cycle = await board.post('/api/cycles', { year: 2026 });
  assert.equal(cycle.status, 201, cycle.text);
  assert.equal(cycle.json.year, 2026);
  assert.equal(cycle.json.state, 'review');
  const again = await board.post('/api/cycles', { year: 2026 });
  assert.equal(again.status, 409);
  assert.match(again.json.error, /één cyclus per jaar/);
  const cycleId = cycle.json.id;

  // ---- two proposals on 6d: the second conflicts with the first
  const training = await board.post(`/api/cycles/${cycleId}/proposals`, {
    title: 'Norm 6d: opleiding concreet maken',
    rationale: 'Het meldpunt ontving signalen dat "adequate opleiding" verschillend wordt uitgelegd.',
    source_report: '2025H2',
    changes: [{ article: '6d', action: 'replace', text: SHARPER_6D }],
  });
  assert.equal(training.status, 201, training.text);
  assert.equal(training.json.state, 'draft');
  assert.deepEqual(training.json.conflicts_with, []);
  assert.equal(training.json.source.report, '2025H2');
  const [change] = training.json.changes;
  assert.equal(change.old_text, ARTICLE_6D);
  assert.equal(change.text, SHARPER_6D);
  assert.match(change.diff, /<del>adequate opleidingsmogelijkheden<\/del>/);
  assert.match(change.diff, /<ins>ten minste 24 uur opleiding/);
  const consolidated6d = training.json.consolidated.find((a) => a.id === '6d');
  assert.equal(consolidated6d.text, SHARPER_6D);
  assert.equal(consolidated6d.changed, true);

  const ai = await board.post(`/api/cycles/${cycleId}/proposals`, {
    title: 'AI in klantcontact',
    rationale: 'Medewerkers en klanten moeten weten wanneer AI wordt ingezet.',
    changes: [
      { article: '6d', action: 'replace', text: `${ARTICLE_6D} Medewerkers worden betrokken bij de inzet van AI.` },
      { article: '6e', action: 'insert', title: 'Inzet van AI', text: 'Partijen zijn open over de inzet van AI in klantcontact.' },
    ],
  });
  assert.equal(ai.status, 201, ai.text);
  assert.deepEqual(ai.json.conflicts_with, [training.json.id]);
  assert.deepEqual(ai.json.consolidated.map((a) => a.id), ['6', '6a', '6d', '6e', '7'], 'the new article sits after 6d');
  const first = await board.get(`/api/proposals/${training.json.id}`);
  assert.deepEqual(first.json.conflicts_with, [ai.json.id], 'flagged on both');

  // Wrong changes are refused with a sentence, nothing stored.
  const bad = await board.post(`/api/cycles/${cycleId}/proposals`, {
    title: 'Fout', rationale: 'x', changes: [{ article: '6d', action: 'insert', text: 'dubbel' }],
  });
  assert.equal(bad.status, 422);
  assert.equal(bad.json.code, 'article_exists');
  const unknown = await board.post(`/api/cycles/${cycleId}/proposals`, {
    title: 'Fout', rationale: 'x', changes: [{ article: '9', action: 'delete' }],
  });
  assert.equal(unknown.status, 422);
  assert.equal(unknown.json.code, 'unknown_article');

  // ---- every edit is a revision; revisions compare
  const revised = await board.put(`/api/proposals/${training.json.id}`, {
    title: 'Norm 6d: opleiding concreet maken',
    rationale: 'Signalen uit het meldpunt over de uitleg van "adequate opleiding".',
    source_report: '2025H2',
    changes: [{ article: '6d', action: 'replace', text: SHARPER_6D.replace('24 uur', '16 uur') }],
  });
  assert.equal(revised.status, 200, revised.text);
  assert.equal(revised.json.revision, 2);
  const revisions = await board.get(`/api/proposals/${training.json.id}/revisions`);
  assert.deepEqual(revisions.json.items.map((r) => r.number), [1, 2]);
  const compared = await board.get(`/api/proposals/${training.json.id}/compare?from=1&to=2`);
  assert.equal(compared.status, 200);
  assert.match(compared.json.articles[0].diff, /<del>24<\/del><ins>16<\/ins>/);
  assert.match(compared.json.rationale_diff, /<ins>/);

  // ---- the round: invited = bound on the opening day
  const round = await board.post(`/api/cycles/${cycleId}/consultations`, {
    opens_at: instant(-60), closes_at: instant(3 * 86400), proposal_ids: [training.json.id, ai.json.id],
  });
  assert.equal(round.status, 201, round.text);
  assert.equal(round.json.invited, 3);
  const roundId = round.json.id;
  const state = await board.get(`/api/cycles/${cycleId}`);
  assert.equal(state.json.state, 'consultation');
  const invitees = (await board.get(`/api/consultations/${roundId}`)).json.invitees.map((i) => i.name).sort();
  assert.deepEqual(invitees, ['Klantcontact Noord BV', 'Opdrachtgever Energie NV', 'Servicepunt Zuid BV']);

  // ---- three parties log in through the link in their invitation
  const noord = await contactByLink('marieke@noord.example', 'Consultatie');
  const zuid = await contactByLink('sander@zuid.example', 'Consultatie');
  const energie = await contactByLink('carla@energie.example', 'Consultatie');
  assert.match(noord.mail.text, /Norm 6d: opleiding concreet maken/);
  assert.deepEqual(alvd.sql("SELECT COUNT(*) FROM outbox WHERE recipient = 'otto@oudlid.example'"), [['0']], 'no mail for a former member');

  // The contact reads the proposal as consulted, with the diff.
  const seen = await noord.client.get(`/api/proposals/${training.json.id}`);
  assert.equal(seen.status, 200);
  assert.equal(seen.json.revision, 2);
  assert.match(seen.json.changes[0].diff, /<ins>/);

  const c1 = await noord.client.post(`/api/consultations/${roundId}/comments`,
    { proposal_id: training.json.id, article: '6d', text: '16 uur is voor kleine organisaties veel; graag naar rato voor deeltijders.' });
  assert.equal(c1.status, 201, c1.text);
  const c2 = await zuid.client.post(`/api/consultations/${roundId}/comments`,
    { proposal_id: ai.json.id, text: 'Wij steunen dit voorstel.' });
  assert.equal(c2.status, 201, c2.text);
  const c3 = await energie.client.post(`/api/consultations/${roundId}/comments`,
    { proposal_id: training.json.id, text: 'Geldt dit ook voor ingeleende krachten van een uitzendbureau?' });
  assert.equal(c3.status, 201, c3.text);
  const c4 = await energie.client.post(`/api/consultations/${roundId}/comments`,
    { proposal_id: ai.json.id, article: '6e', text: 'Wat is "open"? Graag een voorbeeld.' });
  assert.equal(c4.status, 201, c4.text);

  // Comment on an article the proposal does not change: refused.
  const offTopic = await noord.client.post(`/api/consultations/${roundId}/comments`,
    { proposal_id: training.json.id, article: '7', text: 'x' });
  assert.equal(offTopic.status, 422);
  assert.equal(offTopic.json.field, 'article');

  // Editing: own comment yes, another organisation's no (404).
  const edited = await noord.client.put(`/api/comments/${c1.json.id}`,
    { text: '16 uur is voor kleine organisaties veel; graag naar rato voor deeltijders (bijv. 0,5 fte = 8 uur).' });
  assert.equal(edited.status, 200, edited.text);
  assert.match(edited.json.text, /0,5 fte/);
  const foreign = await zuid.client.put(`/api/comments/${c1.json.id}`, { text: 'overschreven' });
  assert.equal(foreign.status, 404);

  // A contact sees only their own organisation's comments.
  const own = await energie.client.get(`/api/consultations/${roundId}`);
  assert.deepEqual(own.json.comments.map((c) => c.id).sort(), [c3.json.id, c4.json.id].sort());

  // ---- the board cannot reply while the round is open; it closes the round
  const early = await board.post(`/api/comments/${c1.json.id}/reply`, { text: 'Dank.' });
  assert.equal(early.status, 422);
  assert.equal(early.json.code, 'round_open');
  const closed = await board.post(`/api/consultations/${roundId}/close`);
  assert.equal(closed.status, 200, closed.text);
  assert.equal(closed.json.phase, 'closed');

  // A late comment and a late edit are refused with the window in the sentence.
  const late = await zuid.client.post(`/api/consultations/${roundId}/comments`,
    { proposal_id: training.json.id, text: 'Nog een punt.' });
  assert.equal(late.status, 422);
  assert.equal(late.json.code, 'outside_window');
  assert.match(late.json.error, /van .+ tot .+ \(Nederlandse tijd\)/);
  assert.match(late.json.error, /gesloten/);
  const lateEdit = await noord.client.put(`/api/comments/${c1.json.id}`, { text: 'te laat' });
  assert.equal(lateEdit.status, 422);

  // ---- replies; ready only when every comment on the proposal has one
  const r1 = await board.post(`/api/comments/${c1.json.id}/reply`, {
    text: 'Terecht punt; de norm geldt naar rato van de arbeidsduur.',
    led_to_change: 'In 6d is "naar rato van de arbeidsduur" toegevoegd.',
  });
  assert.equal(r1.status, 201, r1.text);
  const refused = await board.post(`/api/proposals/${training.json.id}/ready`);
  assert.equal(refused.status, 422);
  assert.equal(refused.json.code, 'unanswered_comments');
  assert.match(refused.json.error, /1 reactie/);
  assert.equal((await board.post(`/api/comments/${c2.json.id}/reply`, { text: 'Dank voor uw steun.' })).status, 201);
  assert.equal((await board.post(`/api/comments/${c4.json.id}/reply`, { text: 'Zie de toelichting: vooraf melden dat AI wordt ingezet.' })).status, 201);
  const stillRefused = await board.post(`/api/proposals/${training.json.id}/ready`);
  assert.equal(stillRefused.status, 422, 'the comment of Energie on this proposal is not answered yet');
  const r3 = await board.post(`/api/comments/${c3.json.id}/reply`, { text: 'Ja, ook ingeleende medewerkers vallen eronder.' });
  assert.equal(r3.status, 201);
  const ready = await board.post(`/api/proposals/${training.json.id}/ready`);
  assert.equal(ready.status, 200, ready.text);
  assert.equal(ready.json.state, 'ready');
  assert.equal((await board.post(`/api/proposals/${ai.json.id}/ready`)).json.state, 'ready');

  // ---- the reactienota lists every comment with its reply
  const report = await board.get(`/api/consultations/${roundId}/report`);
  assert.equal(report.status, 200);
  assert.equal(report.json.items.length, 4);
  for (const item of report.json.items) {
    assert.ok(item.reply && item.reply.text, `comment ${item.id} has a reply`);
    assert.ok(item.organisation, 'names the organisation');
  }
  assert.deepEqual(report.json.counts, { comments: 4, replied: 4, unreplied: 0, led_to_change: 1, invited: 3, responding_organisations: 3 });
  const withChange = report.json.items.find((i) => i.id === c1.json.id);
  assert.match(withChange.text, /0,5 fte/, 'the edited text');
  assert.match(withChange.reply.led_to_change, /naar rato/);
  const secretariat = await alvd.login('secretariat');
  assert.equal((await secretariat.get(`/api/consultations/${roundId}/report`)).status, 200, 'staff may read it');
  assert.equal((await noord.client.get(`/api/consultations/${roundId}/report`)).status, 403);

  const csv = await board.get(`/api/consultations/${roundId}/report?format=csv`);
  assert.equal(csv.status, 200);
  assert.match(csv.headers.get('content-type'), /^text\/csv/);
  assert.match(csv.headers.get('content-disposition'), /attachment; filename="reactienota-2026-ronde-1\.csv"/);
  const lines = csv.text.replace(/^\uFEFF/, '').trim().split('\r\n');
  assert.equal(lines.length, 5, 'header + one line per comment');
  assert.match(csv.text, /Servicepunt Zuid BV/);
  assert.match(csv.text, /Ja, ook ingeleende medewerkers vallen eronder\./);
});

test('a later round shows the draft as a diff against the revision consulted before; an upcoming round refuses comments', async () => {
  const cycle = await board.post('/api/cycles', { year: 2027 });
  const proposal = await board.post(`/api/cycles/${cycle.json.id}/proposals`, {
    title: 'Norm 6a: transparantie over AI', rationale: 'AI-transparantie.',
    changes: [{ article: '6a', action: 'replace', text: 'Partijen zijn transparant over hun proces en hun doelen.' }],
  });
  const round1 = await board.post(`/api/cycles/${cycle.json.id}/consultations`, {
    opens_at: instant(-7200), closes_at: instant(-3600), proposal_ids: [proposal.json.id],
  });
  assert.equal(round1.status, 201, round1.text);
  await board.put(`/api/proposals/${proposal.json.id}`, {
    title: 'Norm 6a: transparantie over AI', rationale: 'AI-transparantie, na consultatie.',
    changes: [{ article: '6a', action: 'replace', text: 'Partijen zijn transparant over hun proces, hun doelen en de inzet van AI.' }],
  });
  const round2 = await board.post(`/api/cycles/${cycle.json.id}/consultations`, {
    opens_at: instant(86400), closes_at: instant(8 * 86400), proposal_ids: [proposal.json.id],
  });
  assert.equal(round2.status, 201, round2.text);
  const view = await board.get(`/api/consultations/${round2.json.id}`);
  assert.equal(view.json.round, 2);
  assert.equal(view.json.phase, 'upcoming');
  const since = view.json.proposals[0].since_previous_round;
  assert.equal(since.round, 1);
  assert.equal(since.revision, 1);
  assert.match(since.articles[0].diff, /<ins>/);
  assert.match(since.articles[0].diff, /AI/);

  const { client } = await contactByLink('sander@zuid.example', 'ronde 2');
  const early = await client.post(`/api/consultations/${round2.json.id}/comments`, { proposal_id: proposal.json.id, text: 'Vroeg.' });
  assert.equal(early.status, 422);
  assert.match(early.json.error, /nog niet open/);
  const past = await client.post(`/api/consultations/${round1.json.id}/comments`, { proposal_id: proposal.json.id, text: 'Laat.' });
  assert.equal(past.status, 422);
  assert.equal(past.json.code, 'outside_window');
});

test('cycle states follow the rules; the timeline dates come from R3 and R4', async () => {
  const cycle = await board.post('/api/cycles', { year: 2028 });
  const id = cycle.json.id;
  const skip = await board.patch(`/api/cycles/${id}`, { state: 'alv' });
  assert.equal(skip.status, 422);
  assert.equal(skip.json.code, 'bad_transition');
  assert.equal((await board.patch(`/api/cycles/${id}`, { state: 'drafting' })).json.state, 'drafting');
  const noRound = await board.patch(`/api/cycles/${id}`, { state: 'alv' });
  assert.equal(noRound.status, 422);
  assert.match(noRound.json.error, /consultatieronde/);
  const tooEarly = await board.patch(`/api/cycles/${id}`, { alv_date: '2028-06-13', effective_date: '2028-07-01' });
  assert.equal(tooEarly.status, 422);
  assert.match(tooEarly.json.error, /2028-07-25|25 juli 2028/);
  const dated = await board.patch(`/api/cycles/${id}`, { alv_date: '2028-06-13', effective_date: '2028-09-01' });
  assert.equal(dated.status, 200, dated.text);
  assert.equal(dated.json.earliest_effective_date, '2028-07-25');
  assert.equal(dated.json.withdrawal_deadline, '2028-08-04');
  const member = alvd.client();
  assert.equal((await member.get(`/api/cycles/${id}`)).status, 401);
});
