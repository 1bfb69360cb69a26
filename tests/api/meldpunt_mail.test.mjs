// The reporter's acknowledgement and feedback mails go straight to the SMTP relay and
// leave no outbox row (the address is confidential); receipt guessing is rate-limited.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startAlvd, freePort } from './lib/alvd.mjs';
import { startRelay } from './lib/smtp-relay.mjs';
import { readable } from './lib/mail.mjs';

let alvd;
let relay;
let mails;

before(async () => {
  const port = await freePort();
  ({ server: relay, mails } = await startRelay(port));
  alvd = await startAlvd({ env: { ALVD_SMTP_URL: `smtp://127.0.0.1:${port}`, ALVD_TEST_TODAY: '2026-05-04' } });
  alvd.sql(`INSERT INTO organisations (id, name, kvk, created_at, updated_at) VALUES (1, 'Bel Gerust BV', '12345678', UTC_TIMESTAMP(6), UTC_TIMESTAMP(6));
    INSERT INTO code_versions (id, label, effective_from, created_at) VALUES (1, 'Code 2025', '2025-01-01', UTC_TIMESTAMP(6));
    INSERT INTO code_articles (version_id, article_id, position, title, text) VALUES (1, '6a', 1, 'Norm', 't')`);
  assert.equal(alvd.run(['user', 'add', '--email', 'mp@mail-test.example', '--name', 'MP', '--role', 'meldpunt', '--password-stdin'],
    'meldpunt-wachtwoord\n').status, 0);
});

after(async () => {
  await alvd?.stop();
  relay?.close();
  assert.doesNotMatch(alvd?.log || '', /AddressSanitizer|runtime error|LeakSanitizer/);
});

test('the acknowledgement and the feedback reach the reporter, and no outbox row holds the address', async () => {
  const officer = alvd.client();
  await officer.login('mp@mail-test.example', 'meldpunt-wachtwoord');
  assert.equal((await officer.post('/api/meldpunt/setup', { passphrase: 'wachtzin voor de mailtest' })).status, 201);
  const made = await alvd.client().post('/api/reports', {
    reporter: { name: 'Mila Melder', email: 'mila@melder.example' }, organisation_id: 1, norms: ['6a'],
    text: 'Niemand nam de telefoon op.',
  });
  assert.equal(made.status, 201, made.text);
  assert.equal(made.json.acknowledgement_mailed, true);
  const ack = mails.find((m) => m.rcpt.some((r) => r.includes('mila@melder.example')));
  assert.ok(ack, 'the relay got the acknowledgement');
  const ackText = readable(ack.data).text;
  assert.match(ackText, /Beste Mila Melder/);
  assert.match(ackText, new RegExp(`melding \\(nummer ${made.json.id}\\)`));
  assert.ok(!ackText.includes(made.json.receipt) && !ack.data.includes(made.json.receipt), 'the receipt is never mailed');
  assert.equal((await officer.post(`/api/reports/${made.json.id}/acknowledge`, {})).status, 200);
  const fed = await officer.post(`/api/reports/${made.json.id}/feedback`, { text: 'Wij zijn ermee bezig.' });
  assert.equal(fed.json.mailed, true);
  assert.ok(mails.some((m) => m.rcpt.some((r) => r.includes('mila@melder.example')) && readable(m.data).text.includes('Wij zijn ermee bezig.')));
  assert.equal(alvd.sql(`SELECT COUNT(*) FROM outbox WHERE recipient LIKE '%melder.example'`)[0][0], '0');
});

test('guessing receipts is rate-limited per client', async () => {
  const anonymous = alvd.client();
  const statuses = [];
  for (let i = 0; i < 11; i++) {
    const answer = await anonymous.post('/api/reports/follow-up', { receipt: `1234 5678 9012 3456 78${String(i).padStart(2, '0')}` });
    statuses.push(answer.status);
  }
  assert.deepEqual(statuses, [...Array(10).fill(404), 429]);
});
