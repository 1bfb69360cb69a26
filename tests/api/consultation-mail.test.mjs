// The mail side of consultations: the invitation's login link is single use, expires
// and is not spent by a GET of its landing page; the "round closes soon" reminder
// (sent by the periodic job at most once, or by the board); the admin outbox API.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { startAlvd } from './lib/alvd.mjs';
import { addCodeVersion, addOrganisation, addStaff, instant, readMails, waitForMails } from './lib/cycle-fixtures.mjs';

let alvd;
let board;
let cycleId;
let proposalId;

before(async () => {
  alvd = await startAlvd();
  addStaff(alvd);
  addCodeVersion(alvd);
  addOrganisation(alvd, { name: 'Klantcontact Noord BV', kvk: '50000001', basis: 'membership',
    contacts: [{ name: 'Marieke de Vries', email: 'marieke@noord.example' }, { name: 'Kees Noord', email: 'kees@noord.example' }] });
  addOrganisation(alvd, { name: 'Servicepunt Zuid BV', kvk: '50000002', basis: 'signature',
    contacts: [{ name: 'Sander Jansen', email: 'sander@zuid.example' }] });
  board = await alvd.login('board');
  cycleId = (await board.post('/api/cycles', { year: 2026 })).json.id;
  proposalId = (await board.post(`/api/cycles/${cycleId}/proposals`, {
    title: 'Norm 6d: opleiding', rationale: 'Meldpunt.',
    changes: [{ article: '6d', action: 'replace', text: 'Opdrachtnemers bieden ten minste 16 uur opleiding per jaar.' }],
  })).json.id;
});

after(async () => { await alvd?.stop(); });

/** The plain-text part of a mail as its recipient reads it (Python's standard e-mail parser). */
function plainText(raw) {
  return execFileSync('python3', ['-c', [
    'import sys, email, email.policy',
    'message = email.message_from_bytes(sys.stdin.buffer.read(), policy=email.policy.default)',
    "sys.stdout.write(message.get_body(preferencelist=('plain',)).get_content())",
  ].join('\n')], { input: raw, encoding: 'utf8' }).replace(/\r\n/g, '\n'); // a mail reader shows lines, whatever the line ends on the wire
}

test('the invitation link: a GET does not spend it, it works once, and it expires', async () => {
  const round = await board.post(`/api/cycles/${cycleId}/consultations`, {
    opens_at: instant(-60), closes_at: instant(5 * 86400), proposal_ids: [proposalId],
  });
  assert.equal(round.status, 201, round.text);
  assert.equal(round.json.invited, 2);
  assert.equal(round.json.mails, 3, 'every contact person of every invited organisation');
  const mails = await waitForMails(alvd.dataDir, (m) => m.subject.includes('Consultatie'), 3);
  const marieke = mails.find((m) => m.to === 'marieke@noord.example');
  assert.match(marieke.raw, /Content-Type: multipart\/alternative/, 'plain text and HTML');
  assert.match(plainText(marieke.raw), /Nederlandse tijd/);
  // An invitation was not asked for: it says why it came, not "ignore this if you did not ask".
  const text = plainText(marieke.raw);
  assert.match(text, /^Beste Marieke de Vries,\n/);
  assert.match(text, /\nReageren namens Klantcontact Noord BV:\n\S+\/l\/[A-Za-z0-9_-]{43}\n/);
  assert.ok(text.includes('U ontvangt dit bericht omdat u contactpersoon bent van Klantcontact Noord BV, een organisatie die aan de Code gebonden is.'), text);
  assert.doesNotMatch(text, /negeren|niets aangevraagd/);
  assert.match(text, /Met vriendelijke groet,\nKlantenservice Federatie \(KSF\)\n$/);
  const [link] = marieke.links;
  const [[purpose, expiresInDays]] = alvd.sql('SELECT purpose, TIMESTAMPDIFF(DAY, created_at, expires_at) FROM login_links ORDER BY id LIMIT 1');
  assert.equal(purpose, 'invite');
  assert.equal(expiresInDays, '7');

  const scanner = alvd.client();
  for (let i = 0; i < 3; i++) {
    const page = await scanner.get(`/l/${link}`);
    assert.equal(page.status, 200);
    assert.match(page.headers.get('content-type'), /text\/html/);
    assert.equal(page.headers.get('set-cookie'), null);
  }
  const person = alvd.client();
  const login = await person.post('/api/session/link', { link });
  assert.equal(login.status, 200, 'still valid after the GETs');
  assert.equal(login.json.contact.email, 'marieke@noord.example');
  person.adopt(login);
  assert.equal((await person.get(`/api/consultations/${round.json.id}`)).status, 200);
  const twice = await alvd.client().post('/api/session/link', { link });
  assert.equal(twice.status, 401);
  assert.equal(twice.json.code, 'link_invalid');

  // Kees's link expires unused.
  const kees = mails.find((m) => m.to === 'kees@noord.example');
  alvd.sql("UPDATE login_links l JOIN contacts c ON c.id = l.contact_id SET l.expires_at = UTC_TIMESTAMP(6) - INTERVAL 1 SECOND WHERE c.email = 'kees@noord.example'");
  const expired = await alvd.client().post('/api/session/link', { link: kees.links[0] });
  assert.equal(expired.status, 401);
  assert.equal(expired.json.code, 'link_invalid');
  const unknown = await alvd.client().post('/api/session/link', { link: 'A'.repeat(43) });
  assert.equal(unknown.status, 401);
  assert.equal(unknown.text, expired.text, 'the same answer for used, expired and unknown');
});

test('the board sends a reminder while a round is open; the periodic job sends a due one exactly once', async () => {
  const open = (await board.get('/api/consultations')).json.items.find((r) => r.phase === 'open');
  const sent = await board.post(`/api/consultations/${open.id}/reminders`);
  assert.equal(sent.status, 200, sent.text);
  assert.equal(sent.json.mails, 3);
  const reminders = await waitForMails(alvd.dataDir, (m) => m.subject.startsWith('Herinnering'), 3);
  assert.match(reminders[0].text, /sluit op/);
  assert.equal(reminders[0].links.length, 1, 'a fresh login link');

  // A round that opened four days ago and closes tomorrow: the reminder is due.
  const due = await board.post(`/api/cycles/${cycleId}/consultations`, {
    opens_at: instant(-4 * 86400), closes_at: instant(86400), proposal_ids: [proposalId],
  });
  assert.equal(due.status, 201, due.text);
  const before = readMails(alvd.dataDir).filter((m) => m.subject.startsWith('Herinnering')).length;
  // The job runs when alvd starts and then every minute: a restart runs it now.
  await alvd.kill();
  await alvd.start();
  await waitForMails(alvd.dataDir, (m) => m.subject.startsWith('Herinnering'), before + 3);
  const [[sentAt]] = alvd.sql(`SELECT reminder_sent_at IS NOT NULL FROM consultations WHERE id = ${due.json.id}`);
  assert.equal(sentAt, '1');
  await alvd.kill();
  await alvd.start();
  board = await alvd.login('board');
  // Another start: once the job has run again (it says so in the log), still no second reminder.
  const runs = () => alvd.log.split('consultation reminders: first run done').length - 1;
  for (let i = 0; i < 100 && runs() < 3; i++) await new Promise((resolve) => setTimeout(resolve, 50));
  assert.equal(runs(), 3, alvd.log);
  const [[queued]] = alvd.sql("SELECT COUNT(*) FROM outbox WHERE subject LIKE 'Herinnering%'");
  assert.equal(queued, String(before + 3));

  const closedRound = await board.post(`/api/consultations/${due.json.id}/close`);
  assert.equal(closedRound.status, 200);
  const late = await board.post(`/api/consultations/${due.json.id}/reminders`);
  assert.equal(late.status, 422);
});

test('the admin sees the outbox with state, attempts and errors, and one mail with its link', async () => {
  const admin = await alvd.login('admin');
  const list = await admin.get('/api/outbox');
  assert.equal(list.status, 200);
  assert.ok(list.json.items.length >= 6);
  const item = list.json.items[0];
  for (const key of ['id', 'recipient', 'subject', 'kind', 'state', 'attempts', 'last_error', 'created_at']) assert.ok(key in item, key);
  assert.ok(list.json.counts.sent >= 6);
  const one = await admin.get(`/api/outbox/${item.id}`);
  assert.equal(one.status, 200);
  assert.match(one.json.body_text, /\/l\/[A-Za-z0-9_-]{43}/);
  assert.equal('body_html' in one.json, false, 'the HTML body is not handed to the browser');
  assert.equal((await board.get('/api/outbox')).status, 403);

  // A failed mail shows its error and can be queued again.
  alvd.sql(`UPDATE outbox SET state = 'failed', attempts = 5, last_error = 'Connection refused' WHERE id = ${item.id}`);
  const failed = await admin.get('/api/outbox?state=failed');
  assert.deepEqual(failed.json.items.map((m) => [m.id, m.last_error, m.attempts]), [[item.id, 'Connection refused', 5]]);
  const retry = await admin.post(`/api/outbox/${item.id}/retry`);
  assert.equal(retry.status, 200);
  assert.equal((await admin.post(`/api/outbox/${item.id}/retry`)).status, 409);
  assert.equal((await admin.post('/api/outbox/999999/retry')).status, 404);
});

test('a login link someone asked for keeps "niets aangevraagd? negeren"; it is not an invitation', async () => {
  const before = readMails(alvd.dataDir).length;
  const asked = await alvd.client().post('/api/session/link-request', { email: 'kees@noord.example' });
  assert.equal(asked.status, 202, asked.text);
  const [mail] = await waitForMails(alvd.dataDir, (m) => m.to === 'kees@noord.example' && m.subject === 'Uw inloglink voor KSF alvd');
  assert.ok(readMails(alvd.dataDir).length > before);
  const text = plainText(mail.raw);
  assert.match(text, /\nInloggen voor Klantcontact Noord BV:\n/);
  assert.match(text, /Heeft u niets aangevraagd\? Dan kunt u dit bericht negeren\./);
  assert.doesNotMatch(text, /U ontvangt dit bericht omdat/);
});
