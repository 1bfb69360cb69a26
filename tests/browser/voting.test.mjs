// Browser test of a vote in the hall: three phones (390×844, own profiles, logged in
// through their ticket URLs) vote, the projector (1920×1080) shows the turnout while
// the poll is open and the result chart after the chair closes it; the chair's
// console shows the result and the effective-date form. axe on every page.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  launchBrowser, phoneContext, projectorContext, laptopContext, screenshot, checkAccessibility, watchPage, startAlvd,
} from './lib/browser.mjs';
import { addCycle, addProposal, hall } from '../api/lib/poll-fixtures.mjs';

let alvd;
let browser;

before(async () => {
  // The server's clock stands on the evening of the meeting: the meeting (dated on the
  // server's today by hall()) opens, and the adopting poll closes that day (D).
  alvd = await startAlvd({ demo: true, env: { ALVD_TEST_NOW: '2027-06-15T19:30:00+02:00' } });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await alvd?.stop();
});

async function staffLogin(page, next, email, password) {
  await page.goto(`${alvd.url}/login.html?next=${encodeURIComponent(next)}`);
  await page.getByLabel('E-mailadres').fill(email);
  await page.getByLabel('Wachtwoord').fill(password);
  await page.getByRole('button', { name: 'Inloggen', exact: true }).click();
  await page.waitForURL(`**${next.split('?')[0]}*`);
}

test('three phones vote; the projector shows the turnout, then the result', async () => {
  const staff = { secretariat: await alvd.login('secretariat'), board: await alvd.login('board'), chair: await alvd.login('chair') };
  const cycle = addCycle(alvd, 2095);
  const proposalId = addProposal(alvd, cycle, 'Klachten binnen vijf werkdagen beantwoorden',
    [{ article: '6a', action: 'replace', text: 'Partijen beantwoorden klachten binnen vijf werkdagen en zijn transparant over hun proces.' }]);
  const room = await hall(alvd, { prefix: 'Telefoon', present: 3, proposalIds: [proposalId], staff });
  const meetingId = room.meeting.id;

  const projectorCtx = await projectorContext(browser);
  const projector = await projectorCtx.newPage();
  const projectorWatch = watchPage(projector);
  const chairCtx = await laptopContext(browser);
  const chairPage = await chairCtx.newPage();
  const chairWatch = watchPage(chairPage);
  const phones = [];
  try {
    await staffLogin(projector, `/projector.html?meeting=${meetingId}`, 'voorzitter@ksf.example', 'demo-voorzitter-2026');
    await projector.locator('#projector-live').getByText('Live bijgewerkt').waitFor();

    for (const member of room.phones) {
      const context = await phoneContext(browser);
      const page = await context.newPage();
      const watcher = watchPage(page);
      await page.goto(`${alvd.url}/t/${member.ticket}`);
      await page.getByRole('button', { name: 'Aanmelden op deze telefoon' }).click();
      await page.waitForURL(/\/member\.html\?meeting=\d+$/);
      await page.locator('#member-status').getByText('U bent ingecheckt').waitFor();
      phones.push({ context, page, watcher, member });
    }
    await phones[0].page.getByText('Er is nu geen stemming').waitFor();

    // The chair prepares and opens the poll on the console.
    await staffLogin(chairPage, `/staff/chair.html?id=${meetingId}`, 'voorzitter@ksf.example', 'demo-voorzitter-2026');
    await chairPage.getByRole('button', { name: 'Open stemming klaarzetten' }).click();
    await chairPage.getByRole('button', { name: 'Stemming openen' }).click();
    await chairPage.getByText('0 van 3 stemmen uitgebracht').waitFor();
    assert.deepEqual(await checkAccessibility(chairPage), [], 'accessibility of the chair console (open poll)');
    await screenshot(chairPage, 'voting-01-chair-open-laptop');

    // The poll appears on every phone by itself.
    for (const phone of phones) await phone.page.getByRole('heading', { level: 2, name: /Stem over: Klachten binnen vijf werkdagen/ }).waitFor();
    await projector.getByText('0 van 3 stemmen uitgebracht').waitFor();
    await screenshot(phones[0].page, 'voting-02-ballot-phone');
    assert.deepEqual(await checkAccessibility(phones[0].page), [], 'accessibility of the ballot');

    const choices = ['Voor', 'Voor', 'Tegen'];
    for (const [index, phone] of phones.entries()) {
      await phone.page.getByRole('button', { name: choices[index], exact: true }).click();
      await phone.page.getByText('U stemt:').waitFor();
      if (index === 0) {
        await screenshot(phone.page, 'voting-03-confirm-phone');
        assert.deepEqual(await checkAccessibility(phone.page), [], 'accessibility of the confirmation step');
      }
      await phone.page.getByRole('button', { name: `Bevestig: ${choices[index]}` }).click();
      await phone.page.getByText('Uw stem is binnen').waitFor();
      const tracker = await phone.page.locator('.tracker').textContent();
      assert.match(tracker, /^[0-9a-f]{32}$/);
      if (index === 0) {
        await screenshot(phone.page, 'voting-04-receipt-phone');
        assert.deepEqual(await checkAccessibility(phone.page), [], 'accessibility of the receipt');
        await projector.getByText('1 van 3 stemmen uitgebracht').waitFor();
        await screenshot(projector, 'voting-05-projector-turnout');
        assert.deepEqual(await checkAccessibility(projector), [], 'accessibility of the projector (turnout)');
      }
    }
    await projector.getByText('3 van 3 stemmen uitgebracht').waitFor();
    // A reload keeps the receipt (sessionStorage), and does not offer a second vote.
    await phones[0].page.reload();
    await phones[0].page.getByText('Uw stem is binnen').waitFor();

    chairPage.on('dialog', (dialog) => dialog.accept());
    await chairPage.getByRole('button', { name: 'Stemming sluiten' }).click();
    await projector.locator('#projector-outcome').getByText('Aangenomen').waitFor();
    assert.ok(await projector.locator('svg.poll-chart').isVisible());
    assert.match(await projector.locator('#projector-poll').textContent(), /Voor 2 · tegen 1 · onthouding 0/);
    await screenshot(projector, 'voting-06-projector-result');
    assert.deepEqual(await checkAccessibility(projector), [], 'accessibility of the projector (result)');

    await phones[2].page.getByText('De stemming is gesloten.').first().waitFor();
    await screenshot(phones[2].page, 'voting-07-closed-phone');
    assert.deepEqual(await checkAccessibility(phones[2].page), [], 'accessibility of the closed poll on the phone');

    await chairPage.getByLabel('Ingangsdatum (R3)').waitFor();
    assert.equal(await chairPage.getByLabel('Ingangsdatum (R3)').inputValue(), '2027-07-27');
    await chairPage.getByRole('button', { name: 'Ingangsdatum vaststellen' }).click();
    await chairPage.getByText(/opzeggen uiterlijk/).waitFor();
    await screenshot(chairPage, 'voting-08-chair-effective-date-laptop');
    assert.deepEqual(await checkAccessibility(chairPage), [], 'accessibility of the chair console (closed poll)');

    await chairPage.goto(`${alvd.url}/staff/minutes.html?id=${meetingId}`);
    await chairPage.getByRole('heading', { level: 2, name: 'Besluiten', exact: true }).waitFor();
    await chairPage.getByText(/Klachten binnen vijf werkdagen/).first().waitFor();
    await screenshot(chairPage, 'voting-09-minutes-laptop');
    assert.deepEqual(await checkAccessibility(chairPage), [], 'accessibility of the minutes');

    assert.equal(alvd.sql(`SELECT COUNT(*) FROM ballots b JOIN polls p ON p.id = b.poll_id WHERE p.meeting_id = ${meetingId}`)[0][0], '3');
    for (const phone of phones) assert.deepEqual(phone.watcher.errors, []);
    assert.deepEqual(projectorWatch.errors, []);
    assert.deepEqual(chairWatch.errors, []);
  } finally {
    for (const phone of phones) await phone.context.close();
    await projectorCtx.close();
    await chairCtx.close();
  }
});
