// Every kind of mail alvd sends, through a real relay (issue 13, point 5): Debian's
// Postfix, started here on loopback with a private configuration and strict settings
// (a bare <LF> is refused, RFC 5321 envelopes, 7-bit headers, 8-bit only with MIME, a
// size limit), is alvd's ALVD_SMTP_URL and delivers into a maildir. Each message is
// then parsed by Python's standard email package (policy=default): no defects, no line
// over 998 octets, nothing 8-bit, encoded-words of at most 75 characters. The texts use
// accents, emoji, long words and long titles on purpose. The .eml files alvd writes
// without a relay pass the same checks with CRLF line ends.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startAlvd } from './lib/alvd.mjs';
import { startPostfix, checkMailFiles } from './lib/postfix.mjs';
import { amsterdamDate } from './lib/poll-fixtures.mjs';

let relay, alvd;
const TITLE = 'Algemene Ledenvergadering über de Code — “één” norm, Zoë’s €-tarieven en 👩🏽‍💼 klantcontact: '
  + 'jaarlijkse herziening met een heel lange titel die in geen enkele onderwerpregel past';
const LONG_WORD = `Klantenservicemedewerkersopleidingsvoorwaardenovereenkomst${'x'.repeat(120)}`;

before(async () => {
  relay = await startPostfix();
  alvd = await startAlvd({ demo: true, env: { ALVD_SMTP_URL: `smtp://127.0.0.1:${relay.port}` } });
});

after(async () => {
  await alvd?.stop();
  relay?.stop();
});

/** Wait until the outbox has nothing pending (bounded by attempts). */
async function outboxDrained(attempts = 300) {
  for (let i = 0; i < attempts; i++) {
    const [[pending]] = alvd.sql("SELECT COUNT(*) FROM outbox WHERE state = 'pending'");
    if (pending === '0') return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  assert.fail(`outbox not drained: ${JSON.stringify(alvd.sql("SELECT id, kind, attempts, last_error FROM outbox WHERE state = 'pending' LIMIT 5"))}`);
}

/** Wait until the maildir holds a message matching predicate (bounded by attempts). */
async function delivered(predicate, attempts = 300) {
  for (let i = 0; i < attempts; i++) {
    const found = relay.check().filter(predicate);
    if (found.length) return found;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  assert.fail(`not delivered; maillog:\n${relay.log().slice(-3000)}`);
}

test('the relay is strict: a bare <LF> and a malformed envelope are refused', async () => {
  const bare = await relay.converse(['HELO test\r\n', 'MAIL FROM:<a@ksf.example>\r\n', 'RCPT TO:<b@voorbeeld.example>\r\n',
    'DATA\r\n', 'Subject: x\r\n\r\nregel een\nregel twee\r\n.\r\n']);
  assert.match(bare.at(-1), /^550 .*bare <LF>/);
  const envelope = await relay.converse(['HELO test\r\n', 'MAIL FROM: a@ksf.example\r\n']);
  assert.match(envelope.at(-1), /^501 /);
});

test('every kind of mail alvd sends is delivered by Postfix and parses without a defect', async () => {
  const secretariat = await alvd.login('secretariat');
  const board = await alvd.login('board');
  const officer = await alvd.login('meldpunt');
  const admin = await alvd.login('admin');
  const expected = {};

  // Login link, to a contact whose name is not ASCII.
  const [[orgId]] = alvd.sql("SELECT o.id FROM organisations o JOIN bases b ON b.organisation_id = o.id AND b.basis = 'signature' AND b.superseded_by IS NULL WHERE NOT EXISTS (SELECT 1 FROM withdrawals w WHERE w.organisation_id = o.id) ORDER BY o.id LIMIT 1");
  const contact = await secretariat.post(`/api/organisations/${orgId}/contacts`, { name: 'Zoë Ünal-Çelik 👩🏽‍💼', email: 'zoe.unal@postfix-test.example' });
  assert.equal(contact.status, 201, contact.text);
  assert.equal((await alvd.client().post('/api/session/link-request', { email: 'zoe.unal@postfix-test.example' })).status, 202);
  expected.login_link = (m) => m.to.includes('zoe.unal@') && m.subject === 'Uw inloglink voor KSF alvd';

  // Consultation invitation and its reminder, about a proposal with a long, accented title.
  const cycle = await board.post('/api/cycles', { year: 2031 });
  assert.equal(cycle.status, 201, cycle.text);
  const proposal = await board.post(`/api/cycles/${cycle.json.id}/proposals`, {
    title: `Norm 6d: ${TITLE}`.slice(0, 200), rationale: `Toelichting met ${LONG_WORD} en “aanhalingstekens”.`,
    changes: [{ article: '6d', action: 'replace', text: `Opdrachtnemers bieden ten minste 16 uur opleiding per jaar — ${'één zin '.repeat(200)}` }],
  });
  assert.equal(proposal.status, 201, proposal.text);
  const opens = new Date(Date.now() - 60000).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const closes = new Date(Date.now() + 5 * 86400000).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const round = await board.post(`/api/cycles/${cycle.json.id}/consultations`, { opens_at: opens, closes_at: closes, proposal_ids: [proposal.json.id] });
  assert.equal(round.status, 201, round.text);
  expected.invitation = (m) => m.subject.startsWith('Consultatie wijzigingen Code 2031');
  assert.equal((await board.post(`/api/consultations/${round.json.id}/reminders`)).status, 200);
  expected.reminder = (m) => m.subject.startsWith('Herinnering: consultatie Code');

  // Convocation with the ticket link: the demo ALV (today), with a long title with accents.
  const [[meetingId]] = alvd.sql("SELECT id FROM meetings WHERE title = 'Algemene Ledenvergadering (demo)'");
  const renamed = await secretariat.patch(`/api/meetings/${meetingId}`, { title: TITLE.slice(0, 200), location: `Jaarbeurs, Utrecht — zaal “Één” ${LONG_WORD}`.slice(0, 300) });
  assert.equal(renamed.status, 200, renamed.text);
  const convened = await secretariat.post(`/api/meetings/${meetingId}/convocation`);
  assert.equal(convened.status, 200, convened.text);
  assert.ok(convened.json.messages > 0);
  expected.convocation = (m) => m.subject.startsWith('Oproeping: Algemene Ledenvergadering über');

  // Withdrawal confirmation.
  const withdrawal = await secretariat.post('/api/withdrawals', {
    organisation_id: Number(orgId), received_on: amsterdamDate(), form: 'registered', tracking_code: 'RR473124829NL',
    note: `Aangetekend, met een lange opmerking: ${LONG_WORD} ${'ë'.repeat(300)}`,
  });
  assert.equal(withdrawal.status, 201, withdrawal.text);
  expected.withdrawal_confirmation = (m) => /^Bevestiging intrekking ondertekening Code \(kenmerk INT-\d+\)$/.test(m.subject);

  // Meldpunt: the reporter's acknowledgement and feedback (sent at once, never queued),
  // the signal's login mail to the organisation, the officers' overdue reminders.
  const report = await alvd.client().post('/api/reports', {
    reporter: { name: 'Zoë Melder-Ünal', email: 'melder@postfix-test.example' }, organisation_id: Number(orgId), norms: ['6a'],
    text: `Niemand nam op — ${'héél lang wachten, '.repeat(100)} ${LONG_WORD}`,
  });
  assert.equal(report.status, 201, report.text);
  assert.equal(report.json.acknowledgement_mailed, true);
  expected.meldpunt_acknowledgement = (m) => m.subject === 'Ontvangstbevestiging van uw melding bij het KSF-meldpunt';
  assert.equal((await officer.post('/api/meldpunt/unlock', { passphrase: 'demo-meldpunt-wachtzin-2026' })).status, 200);
  assert.equal((await officer.post(`/api/reports/${report.json.id}/acknowledge`, {})).status, 200);
  const signal = await officer.post(`/api/reports/${report.json.id}/signal`, { summary: `Een melder zegt dat norm 6a niet wordt toegepast — “wachttijden” ${LONG_WORD}` });
  assert.equal(signal.status, 201, signal.text);
  const feedback = await officer.post(`/api/reports/${report.json.id}/feedback`, { text: `Wij hebben de organisatie gevraagd te reageren. ${'Één zin met accenten. '.repeat(80)}` });
  assert.equal(feedback.status, 200, feedback.text);
  assert.equal(feedback.json.mailed, true);
  expected.meldpunt_feedback = (m) => m.subject === 'Terugkoppeling op uw melding bij het KSF-meldpunt';
  alvd.sql("INSERT INTO meldpunt_reports (received_on, state, judgement) VALUES (CURDATE() - INTERVAL 10 DAY, 'received', 'pending')");
  const jobs = await admin.post('/api/meldpunt/jobs/run', {});
  assert.equal(jobs.status, 200, jobs.text);
  expected.meldpunt_reminder = (m) => /^Meldpunt: melding \d+ is over tijd$/.test(m.subject);

  await outboxDrained();
  assert.deepEqual(alvd.sql("SELECT COUNT(*) FROM outbox WHERE state <> 'sent'"), [['0']], 'every queued mail was accepted by Postfix');
  const kinds = alvd.sql('SELECT kind, COUNT(*) FROM outbox GROUP BY kind ORDER BY kind').map(([kind, n]) => `${kind}:${n}`);
  for (const predicate of Object.values(expected)) await delivered(predicate);

  const messages = relay.check();
  const problems = messages.filter((m) => m.defects.length || m.raw_problems.length);
  assert.deepEqual(problems.map((m) => ({ subject: m.subject, defects: m.defects, raw: m.raw_problems })), []);
  for (const m of messages) {
    assert.ok(m.transfer_encodings.every((e) => e === 'quoted-printable'), `${m.subject}: ${m.transfer_encodings}`);
  }
  const text = (m) => m.parts.map((p) => p.text).join('\n');
  const one = (predicate) => messages.find(predicate);
  // Read as the recipient would: the decoded text says what it should.
  assert.match(text(one(expected.login_link)), /Beste Zoë Ünal-Çelik 👩🏽‍💼/);
  assert.match(text(one(expected.login_link)), /\/l\/[A-Za-z0-9_-]{43}/);
  assert.match(text(one(expected.convocation)), /\/t\/[A-Za-z0-9_.~-]+/, 'the ticket link');
  assert.equal(one(expected.convocation).subject.startsWith(`Oproeping: ${TITLE.slice(0, 60)}`), true, one(expected.convocation).subject);
  assert.match(text(one(expected.invitation)), /Norm 6d: Algemene Ledenvergadering über/);
  assert.match(text(one(expected.withdrawal_confirmation)), /kenmerk|Kenmerk/);
  assert.match(text(one(expected.meldpunt_acknowledgement)), /Beste Zoë Melder-Ünal/);
  assert.match(text(one(expected.meldpunt_feedback)), /Wij hebben de organisatie gevraagd te reageren\. Één zin/);
  assert.match(one(expected.meldpunt_acknowledgement).from, /KSF/);
  console.log(`Postfix delivered ${messages.length} messages (${kinds.join(', ')} queued; meldpunt mail sent at once), `
    + `kinds checked: ${Object.keys(expected).join(', ')}; defects 0`);
});

test('the .eml files alvd writes without a relay pass the same checks, with CRLF line ends', async () => {
  const plain = await startAlvd({ demo: true });
  try {
    const secretariat = await plain.login('secretariat');
    const [[orgId]] = plain.sql('SELECT id FROM organisations ORDER BY id LIMIT 1');
    assert.equal((await secretariat.post(`/api/organisations/${orgId}/contacts`, { name: 'Zoë Ünal', email: 'zoe@eml-test.example' })).status, 201);
    assert.equal((await plain.client().post('/api/session/link-request', { email: 'zoe@eml-test.example' })).status, 202);
    const [[meetingId]] = plain.sql("SELECT id FROM meetings WHERE title = 'Algemene Ledenvergadering (demo)'");
    assert.equal((await secretariat.patch(`/api/meetings/${meetingId}`, { title: TITLE.slice(0, 200) })).status, 200);
    assert.equal((await secretariat.post(`/api/meetings/${meetingId}/convocation`)).status, 200);
    for (let i = 0; i < 300; i++) {
      const [[pending]] = plain.sql("SELECT COUNT(*) FROM outbox WHERE state = 'pending'");
      if (pending === '0') break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const files = checkMailFiles(join(plain.dataDir, 'outbox'), 'eml');
    assert.ok(files.length > 1, `${files.length} .eml files`);
    assert.deepEqual(files.filter((m) => m.defects.length || m.raw_problems.length)
      .map((m) => ({ file: m.file, defects: m.defects, raw: m.raw_problems })), []);
  } finally {
    await plain.stop();
  }
});

// Line breaks cannot reach a header: single-line fields refuse them at input.
test('a title with a line break is refused at input (422), so no subject can split', async () => {
  const secretariat = await alvd.login('secretariat');
  const made = await secretariat.post('/api/meetings', { title: 'ALV\r\nBcc: iedereen@voorbeeld.example', date: amsterdamDate(), starts_at: '19:30', location: 'Utrecht' });
  assert.equal(made.status, 422, made.text);
  assert.equal(made.json.code, 'line_break');
  assert.equal(made.json.field, 'title');
  const contact = await secretariat.post(`/api/organisations/${alvd.sql('SELECT id FROM organisations ORDER BY id LIMIT 1')[0][0]}/contacts`,
    { name: 'Zoë', email: 'zoë@voorbeeld.example' });
  assert.equal(contact.status, 422);
  assert.equal(contact.json.code, 'bad_email');
});
