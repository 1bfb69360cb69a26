// The hybrid ALV in a real browser (issue 18): the secretariat turns on remote
// participation in the meeting's settings form; two delegates are in the hall on their
// phones, two take part from afar — one on a laptop with the stream frame, one on a
// phone — each joining with the code mailed to the organisation. The projector and the
// chair's console show hall and remote apart; one speaker turn (asked from a hall phone
// and from home, one withdrawn, the floor given and ended, the speaking time running)
// and a written contribution the chair reads out; then one poll in which all four vote
// with the same ballot, confirmation and receipt; the minutes list who took part
// remotely, who spoke and the contribution. Every screen is a screenshot in
// tests/browser/artifacts/hybrid-*.png and passes the page check.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import {
  launchBrowser, phoneContext, projectorContext, laptopContext, screenshot, checkAccessibility, watchPage, startAlvd,
  demoLogins,
} from './lib/browser.mjs';
import { checkPage } from './lib/pagecheck.mjs';
import { addCycle, addMembers, addProposal } from '../api/lib/poll-fixtures.mjs';

let alvd;
let browser;
const STREAM = 'https://stream.ksf.example/alv-2027';

before(async () => {
  // The evening of the meeting: it opens only on its own date.
  alvd = await startAlvd({ demo: true, env: { ALVD_TEST_NOW: '2027-06-15T19:30:00+02:00' } });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await alvd?.stop();
});

async function staffLogin(page, next, role) {
  await page.goto(`${alvd.url}/login.html?next=${encodeURIComponent(next)}`);
  await page.getByLabel('E-mailadres').fill(demoLogins[role].email);
  await page.getByLabel('Wachtwoord').fill(demoLogins[role].password);
  await page.getByRole('button', { name: 'Inloggen', exact: true }).click();
  await page.waitForURL(`**${next.split('?')[0]}*`);
}

/* The association's own stream, as the frame would show it (no network in tests). */
async function fakeStream(context) {
  await context.route(`${STREAM}**`, (route) => route.fulfill({
    status: 200, contentType: 'text/html; charset=utf-8',
    body: '<!doctype html><html lang="nl"><body style="margin:0;background:#111;color:#fff;font:28px sans-serif;display:flex;'
      + 'align-items:center;justify-content:center;height:100vh"><p>● LIVE — ALV KSF, Utrecht</p></body></html>',
  }));
}

/** The newest code mailed to an address (the outbox holds the mail as sent). */
function mailedCode(email) {
  const rows = alvd.sql(`SELECT REPLACE(REPLACE(body_text, CHAR(13), ' '), CHAR(10), ' ') FROM outbox
                         WHERE recipient = '${email}' AND kind = 'remote_code' ORDER BY id DESC LIMIT 1`);
  assert.equal(rows.length, 1, `a mail to ${email}`);
  const match = /\b(\d{3}\s?\d{3})\b/.exec(rows[0][0]);
  assert.ok(match, `a six-digit code in the mail to ${email}: ${rows[0][0]}`);
  return match[1].replace(/\s/g, '');
}

test('hybrid ALV: two phones in the hall, two members from afar, one speaker turn, a contribution and one poll', async () => {
  const secretariat = await alvd.login('secretariat');
  const board = await alvd.login('board');
  const chair = await alvd.login('chair');

  const cycle = addCycle(alvd, 2241);
  const title = 'Klachten binnen vijf werkdagen';
  const proposalId = addProposal(alvd, cycle, title,
    [{ article: '6a', action: 'replace', text: 'Partijen beantwoorden klachten binnen vijf werkdagen.' }]);
  const members = addMembers(alvd, 'Hybride', 4);
  const delegates = Object.entries(members).sort().map(([name, organisationId], index) => {
    const email = `bestuur${index}@hybride${organisationId}.example`;
    alvd.sql(`UPDATE organisations SET email = '${email}' WHERE id = ${organisationId}`);
    return { name, organisationId, email };
  });
  const created = await secretariat.post('/api/meetings', { title: 'ALV hybride', date: '2027-06-15', starts_at: '19:30', location: 'Utrecht' });
  assert.equal(created.status, 201, created.text);
  const meetingId = created.json.id;
  assert.equal((await secretariat.post(`/api/meetings/${meetingId}/tickets`)).status, 201);
  const agenda = await board.put(`/api/meetings/${meetingId}/agenda`, {
    items: [{ kind: 'item', title: 'Opening' }, { kind: 'proposal', proposal_id: proposalId }, { kind: 'item', title: 'Rondvraag' }],
  });
  assert.equal(agenda.status, 200, agenda.text);
  const tickets = (await secretariat.get(`/api/meetings/${meetingId}/tickets`)).json.items;
  for (const delegate of delegates) delegate.ticket = tickets.find((item) => item.organisation_id === delegate.organisationId);
  const [hallA, hallB, homeLaptop, homePhone] = delegates;

  const contexts = [];
  const watchers = [];
  const open = async (makeContext, setup, ignore = []) => {
    const context = await makeContext(browser);
    contexts.push(context);
    if (setup) await setup(context);
    const page = await context.newPage();
    watchers.push({ page, watcher: watchPage(page, { ignore }) });
    return page;
  };
  try {
    // The secretariat turns remote participation on, with the stream, before the meeting.
    const desk = await open((b) => laptopContext(b, { viewport: { width: 1366, height: 768 } }));
    await staffLogin(desk, `/staff/meeting.html?id=${meetingId}`, 'secretariat');
    await desk.getByRole('tab', { name: 'Agenda en instellingen' }).click();
    const settings = desk.locator('#remote-settings');
    await settings.getByText('Zet dit alleen aan als de statuten van de vereniging elektronisch deelnemen toestaan.', { exact: false }).waitFor();
    await settings.getByLabel('Leden kunnen op afstand deelnemen en stemmen').check();
    await settings.getByLabel('Adres van de uitzending of videovergadering').fill('stream.ksf.example');
    await settings.getByRole('button', { name: 'Instellingen opslaan' }).click();
    await settings.locator('.field-error').getByText('Vul een volledig webadres in dat begint met https://').waitFor();
    await screenshot(desk, 'hybrid-01-settings-error-laptop');
    await settings.getByLabel('Adres van de uitzending of videovergadering').fill(STREAM);
    await settings.getByRole('button', { name: 'Instellingen opslaan' }).click();
    await settings.getByText('De instellingen voor deelnemen op afstand zijn opgeslagen.').waitFor();
    await desk.locator('#setting-remote').getByText('Toegestaan; leden op afstand kunnen ook het woord voeren').waitFor();
    await checkPage(desk, { name: 'hybrid-settings' });
    await screenshot(desk, 'hybrid-02-settings-saved-laptop');
    const saved = (await secretariat.get(`/api/meetings/${meetingId}`)).json;
    assert.equal(saved.electronic_participation, true);
    assert.equal(saved.stream_url, STREAM);
    assert.equal(saved.remote_disconnect_seconds, 180);

    const projector = await open(projectorContext);
    await staffLogin(projector, `/projector.html?meeting=${meetingId}`, 'chair');
    await projector.locator('#projector-live').getByText('Live bijgewerkt').waitFor();

    // Two delegates in the hall: ticket link on the phone, checked in at the desk.
    const hallPhones = [];
    for (const delegate of [hallA, hallB]) {
      const page = await open(phoneContext);
      await page.goto(`${alvd.url}/t/${delegate.ticket.code}`);
      await page.getByRole('button', { name: 'Aanmelden op deze telefoon' }).click();
      await page.waitForURL(/\/member\.html\?meeting=\d+$/);
      await page.locator('#member-status').getByText('U bent nog niet ingecheckt').waitFor();
      const entry = await secretariat.post(`/api/meetings/${meetingId}/attendance/manual`, {
        organisation_id: delegate.organisationId, direction: 'entry', nonce: randomUUID(),
      });
      assert.equal(entry.status, 200, entry.text);
      await page.locator('#member-status').getByText('U bent ingecheckt').waitFor();
      hallPhones.push(page);
    }

    // From afar on a laptop: the ticket link from the convocation, then the mailed code.
    // (The wrong code below is refused with 422 on purpose; the browser logs that.)
    const laptop = await open((b) => laptopContext(b, { viewport: { width: 1366, height: 768 } }), fakeStream,
      [/status of 422 \(Unprocessable Content\)/]);
    await laptop.goto(`${alvd.url}/t/${homeLaptop.ticket.code}?op=afstand`);
    await laptop.getByText('U neemt op afstand deel: meld dit apparaat aan', { exact: false }).waitFor();
    await laptop.getByRole('button', { name: 'Aanmelden op dit apparaat' }).click();
    await laptop.waitForURL(/\/remote\.html\?meeting=\d+$/);
    await laptop.locator('#remote-status').getByRole('heading', { name: 'Deelnemen op afstand' }).waitFor();
    assert.equal(await laptop.frameLocator('#stream-frame').getByText('LIVE — ALV KSF').count(), 1, 'the stream is in the frame');
    await checkPage(laptop, { key: { laptop: '#stream-frame, #remote-send-code' }, name: 'hybrid-remote-start' });
    await screenshot(laptop, 'hybrid-03-remote-start-laptop');
    assert.deepEqual(await checkAccessibility(laptop, { exclude: ['#stream-frame'] }), [], 'accessibility of the remote page (start)');
    await laptop.getByRole('button', { name: 'Code aanvragen' }).click();
    await laptop.locator('#remote-code-sent').getByText('De code is verstuurd naar', { exact: false }).waitFor();
    const code = mailedCode(homeLaptop.email);
    // A wrong code first: the error sits at the field, in words.
    await laptop.getByLabel('Code uit de e-mail').fill(code === '000000' ? '111111' : '000000');
    await laptop.getByRole('button', { name: 'Deelnemen', exact: true }).click();
    await laptop.locator('.field-error').getByText('Deze code klopt niet, is verlopen of is al gebruikt.', { exact: false }).waitFor();
    await checkPage(laptop, { key: { laptop: '#remote-code' }, name: 'hybrid-remote-bad-code' });
    await screenshot(laptop, 'hybrid-04-remote-bad-code-laptop');
    await laptop.getByLabel('Code uit de e-mail').fill(code);
    await laptop.getByRole('button', { name: 'Deelnemen', exact: true }).click();
    await laptop.locator('#remote-status').getByText('U neemt op afstand deel').waitFor();
    await checkPage(laptop, { key: { laptop: '#stream-frame, #remote-status' }, name: 'hybrid-remote-joined' });
    await screenshot(laptop, 'hybrid-05-remote-joined-laptop');

    // From afar on a phone.
    const phone = await open(phoneContext, fakeStream);
    await phone.goto(`${alvd.url}/t/${homePhone.ticket.code}?op=afstand`);
    await phone.getByRole('button', { name: 'Aanmelden op dit apparaat' }).click();
    await phone.waitForURL(/\/remote\.html\?meeting=\d+$/);
    await phone.getByRole('button', { name: 'Code aanvragen' }).click();
    await phone.locator('#remote-code-sent').getByText('De code is verstuurd naar', { exact: false }).waitFor();
    await phone.getByLabel('Code uit de e-mail').fill(mailedCode(homePhone.email));
    await phone.getByRole('button', { name: 'Deelnemen', exact: true }).click();
    await phone.locator('#remote-status').getByText('U neemt op afstand deel').waitFor();
    await checkPage(phone, { key: { phone: '#remote-status' }, name: 'hybrid-remote-joined-phone' });
    await screenshot(phone, 'hybrid-06-remote-joined-phone');

    // The chair opens the meeting with two in the hall and two from afar.
    const opened = await chair.post(`/api/meetings/${meetingId}/open`);
    assert.equal(opened.status, 200, opened.text);

    // Hall and remote apart, everywhere.
    const attendance = (await secretariat.get(`/api/meetings/${meetingId}/attendance`)).json;
    assert.deepEqual([attendance.present, attendance.present_hall, attendance.present_remote, attendance.eligible], [4, 2, 2, 4]);
    await projector.locator('#projector-present-detail').getByText('2 in de zaal · 2 op afstand', { exact: false }).waitFor();
    assert.equal(await projector.locator('#projector-present').innerText(), '4');
    await checkPage(projector, { kind: 'projector', key: '#projector-present', name: 'hybrid-projector-present' });
    await screenshot(projector, 'hybrid-07-projector-present');
    await desk.getByRole('tab', { name: 'Presentielijst' }).click();
    await desk.locator('#attendance-split').getByText('Van de aanwezigen: 2 in de zaal, 2 op afstand.').waitFor();
    await desk.locator('#attendance-table').getByText('ja, op afstand').first().waitFor();
    await checkPage(desk, { name: 'hybrid-attendance' });
    await screenshot(desk, 'hybrid-08-attendance-laptop');

    // The chair takes the proposal; everyone sees it, the remote page with its text.
    const chairPage = await open((b) => laptopContext(b, { viewport: { width: 1366, height: 768 } }));
    await staffLogin(chairPage, `/staff/chair.html?id=${meetingId}`, 'chair');
    await chairPage.locator('#chair-presence-detail').getByText('2 in de zaal, 2 op afstand', { exact: false }).waitFor();
    await chairPage.locator('#item-2').getByRole('button', { name: `Punt 2 behandelen: ${title}` }).click();
    await projector.locator('#projector-item').getByText(`2. ${title}`).waitFor();
    await laptop.locator('#remote-item-title').getByText(`2. ${title}`).waitFor();
    await laptop.locator('#remote-text').getByText('binnen vijf werkdagen', { exact: false }).first().waitFor();

    // The speaker list: a hall phone asks first, then both members at home; one withdraws.
    await hallPhones[0].getByRole('button', { name: 'Het woord vragen' }).click();
    await hallPhones[0].locator('#speaker-mine').getByText('U staat op de sprekerslijst').waitFor();
    await laptop.getByRole('button', { name: 'Het woord vragen' }).click();
    await laptop.locator('#speaker-mine').getByText('U bent nummer 2 op de lijst.', { exact: false }).waitFor();
    await phone.getByRole('button', { name: 'Het woord vragen' }).click();
    await phone.locator('#speaker-mine').getByText('U bent nummer 3 op de lijst.', { exact: false }).waitFor();
    await checkPage(phone, { name: 'hybrid-remote-asked-phone' });
    await screenshot(phone, 'hybrid-09-remote-asked-phone');
    await phone.getByRole('button', { name: 'Verzoek intrekken' }).click();
    await phone.getByText('Uw verzoek om het woord is ingetrokken.').waitFor();
    await phone.getByRole('button', { name: 'Het woord vragen' }).waitFor();

    // The chair sees the queue in order, hall and remote marked, and gives the floor.
    const queue = chairPage.locator('#floor-queue');
    await queue.locator('li').nth(1).waitFor();
    // The withdrawal reaches the console by its event stream: the third line goes.
    await queue.locator('li').nth(2).waitFor({ state: 'detached' });
    assert.equal(await queue.locator('li').count(), 2);
    assert.match(await queue.locator('li').nth(0).innerText(), new RegExp(`${hallA.name}\\s+in de zaal`));
    assert.match(await queue.locator('li').nth(1).innerText(), new RegExp(`${homeLaptop.name}\\s+op afstand`));
    await projector.locator('#projector-floor').getByText(hallA.name).waitFor();
    await checkPage(chairPage, { key: { laptop: '#floor-queue' }, name: 'hybrid-chair-queue' });
    await screenshot(chairPage, 'hybrid-10-chair-queue-laptop');
    await chairPage.getByRole('button', { name: `Het woord geven aan ${hallA.name}` }).click();
    await hallPhones[0].locator('#speaker-mine').getByText('U heeft het woord').waitFor();
    await chairPage.getByRole('button', { name: `Het woord geven aan ${homeLaptop.name}` }).click();
    await laptop.locator('#speaker-mine').getByText('U heeft het woord').waitFor();
    await chairPage.locator('#floor-speaking').getByText(homeLaptop.name).waitFor();
    await chairPage.locator('#floor-time').getByText(/^Spreektijd \d+:\d\d$/).waitFor();
    await projector.locator('#projector-speaker').getByText(homeLaptop.name).waitFor();
    assert.match(await projector.locator('#projector-speaker').innerText(), /op afstand/);
    await checkPage(projector, { kind: 'projector', key: '#projector-speaker', name: 'hybrid-projector-speaker' });
    await screenshot(projector, 'hybrid-11-projector-speaker');
    await checkPage(laptop, { key: { laptop: '#speaker-mine' }, name: 'hybrid-remote-speaking' });
    await screenshot(laptop, 'hybrid-12-remote-speaking-laptop');
    await screenshot(chairPage, 'hybrid-13-chair-speaking-laptop');
    await chairPage.getByRole('button', { name: `Beurt van ${homeLaptop.name} beëindigen` }).click();
    await chairPage.locator('#floor-speaking').getByText('Niemand heeft het woord.').waitFor();
    await laptop.getByRole('button', { name: 'Het woord vragen' }).waitFor();
    await projector.locator('#projector-floor').waitFor({ state: 'hidden' });

    // A written contribution from home; the chair reads it out.
    const contribution = 'Kunnen kleine leden een overgangstermijn van een half jaar krijgen?';
    await laptop.getByLabel('Uw bijdrage').fill(contribution);
    await laptop.getByRole('button', { name: 'Bijdrage versturen' }).click();
    await laptop.getByText('Uw bijdrage is verstuurd naar de voorzitter.').waitFor();
    await chairPage.locator('#floor-contributions').getByText(contribution).waitFor();
    await screenshot(chairPage, 'hybrid-14-chair-contribution-laptop');
    await chairPage.getByRole('button', { name: `Bijdrage van ${homeLaptop.name} is voorgelezen` }).click();
    await laptop.locator('#contribution-list').getByText('Voorgelezen').waitFor();
    await checkPage(laptop, { name: 'hybrid-remote-contribution' });
    await screenshot(laptop, 'hybrid-15-remote-contribution-laptop');

    // One poll: the chair opens it; P counts hall and remote alike.
    await chairPage.locator('#item-2').getByRole('button', { name: 'Stemming openen…' }).click();
    await chairPage.getByRole('dialog').getByText('Nu zijn 4 leden aanwezig.', { exact: false }).waitFor();
    await chairPage.getByRole('dialog').getByRole('button', { name: 'Stemming openen' }).click();
    await chairPage.getByText('0 van 4 stemmen uitgebracht').waitFor();
    assert.equal(await projector.locator('#projector-p').innerText(), '4');
    const voters = [...hallPhones, laptop, phone];
    for (const page of voters) await page.getByRole('heading', { level: 2, name: new RegExp(`Stem over: ${title}`) }).waitFor();
    await checkPage(laptop, { key: '.vote-buttons button', name: 'hybrid-remote-ballot' });
    await screenshot(laptop, 'hybrid-16-remote-ballot-laptop');
    assert.deepEqual(await checkAccessibility(laptop, { exclude: ['#stream-frame'] }), [], 'accessibility of the remote ballot');
    await checkPage(phone, { key: '.vote-buttons button', name: 'hybrid-remote-ballot-phone' });
    await screenshot(phone, 'hybrid-17-remote-ballot-phone');
    const choices = ['Voor', 'Tegen', 'Voor', 'Voor'];
    for (const [index, page] of voters.entries()) {
      await page.getByRole('button', { name: choices[index], exact: true }).click();
      await page.getByRole('button', { name: `Bevestig: ${choices[index]}` }).click();
      await page.getByText('Uw stem is binnen').waitFor();
      assert.match(await page.locator('.tracker').textContent(), /^[0-9a-f]{32}$/);
    }
    await screenshot(laptop, 'hybrid-18-remote-receipt-laptop');
    await chairPage.getByText('4 van 4 stemmen uitgebracht').waitFor();
    await chairPage.locator('#item-2').getByRole('button', { name: 'Stemming sluiten…' }).click();
    await chairPage.getByRole('dialog').getByRole('button', { name: 'Stemming sluiten' }).click();
    await chairPage.locator('#item-2').getByText('Aangenomen: 3 voor, 1 tegen, 0 onthoudingen.').waitFor();
    await projector.locator('#projector-outcome').getByText('Aangenomen').waitFor();
    await checkPage(projector, { kind: 'projector', key: '#projector-outcome', name: 'hybrid-projector-result' });
    await screenshot(projector, 'hybrid-19-projector-result');
    await laptop.locator('#poll-result').getByText('Aangenomen: 3 voor, 1 tegen, 0 onthoudingen.').waitFor();
    await checkPage(laptop, { key: '#poll-result', name: 'hybrid-remote-result' });
    await screenshot(laptop, 'hybrid-20-remote-result-laptop');

    // The minutes: hall and remote, who took part remotely, who spoke, the contribution.
    const minutes = await open((b) => laptopContext(b, { viewport: { width: 1366, height: 768 } }));
    await staffLogin(minutes, `/staff/minutes.html?id=${meetingId}`, 'secretariat');
    const said = await minutes.locator('#minutes-attendance').innerText();
    assert.match(said, /Bij de opening waren 4 leden aanwezig \(2 in de zaal en 2 op afstand\)\./);
    assert.match(said, /In de loop van de vergadering waren 4 leden aanwezig, van wie 2 op afstand\./);
    for (const name of [homeLaptop.name, homePhone.name]) await minutes.locator('#minutes-remote').getByText(name, { exact: false }).waitFor();
    assert.match(await minutes.locator('#minutes-speakers').innerText(), new RegExp(`${hallA.name} \\(in de zaal\\)[^]*${homeLaptop.name} \\(op afstand\\)`));
    await minutes.locator('#minutes-contributions').getByText(contribution).waitFor();
    assert.match(await minutes.locator('#minutes-contributions').innerText(), /voorgelezen/);
    await checkPage(minutes, { name: 'hybrid-minutes' });
    await screenshot(minutes, 'hybrid-21-minutes-laptop');

    // Leaving from home ends the remote presence.
    await phone.getByRole('button', { name: 'Deelname beëindigen' }).click();
    await phone.getByRole('dialog').getByRole('button', { name: 'Deelname beëindigen' }).click();
    await phone.getByText('U neemt niet meer deel.', { exact: false }).waitFor();
    await checkPage(phone, { name: 'hybrid-remote-left-phone' });
    await screenshot(phone, 'hybrid-22-remote-left-phone');
    const after = (await secretariat.get(`/api/meetings/${meetingId}/attendance`)).json;
    assert.deepEqual([after.present_hall, after.present_remote], [2, 1], 'the member who left no longer counts');

    for (const { page, watcher } of watchers) assert.deepEqual(watcher.errors, [], `errors on ${page.url()}`);
  } finally {
    for (const context of contexts) await context.close();
  }
});
