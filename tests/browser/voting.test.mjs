// Browser test of a vote in the hall: three phones (390×844, own profiles, logged in
// through their ticket URLs) vote, the projector (1920×1080) shows the turnout while
// the poll is open and the result chart after the chair closes it; the chair's
// console shows the result and the effective-date form; a latecomer is told once,
// consistently, why it does not vote; paper votes start with nothing chosen; a
// too-early date is refused at the field in date words; a set date stays set after a
// reload; a re-vote is offered only while the item is under discussion. axe and the
// page check on every page.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  launchBrowser, phoneContext, projectorContext, laptopContext, screenshot, checkAccessibility, watchPage, startAlvd,
} from './lib/browser.mjs';
import { checkPage } from './lib/pagecheck.mjs';
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
  const room = await hall(alvd, { prefix: 'Telefoon', present: 3, absent: 1, proposalIds: [proposalId], staff });
  const meetingId = room.meeting.id;

  const projectorCtx = await projectorContext(browser);
  const projector = await projectorCtx.newPage();
  const projectorWatch = watchPage(projector);
  const chairCtx = await laptopContext(browser, { viewport: { width: 1366, height: 768 } });
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
    await phones[0].page.locator('#member-status').getByText('Zodra de voorzitter een stemming opent, verschijnt die bovenaan dit scherm.', { exact: false }).waitFor();

    // A latecomer's phone, logged in but not yet inside when the vote opens.
    const lateContext = await phoneContext(browser);
    const late = await lateContext.newPage();
    const lateWatch = watchPage(late);
    await late.goto(`${alvd.url}/t/${room.absentPhones[0].ticket}`);
    await late.getByRole('button', { name: 'Aanmelden op deze telefoon' }).click();
    await late.waitForURL(/\/member\.html(\?|$)/);
    phones.push({ context: lateContext, page: late, watcher: lateWatch, member: room.absentPhones[0], late: true });

    // The chair opens the vote on the console, after a confirmation that names it.
    await staffLogin(chairPage, `/staff/chair.html?id=${meetingId}`, 'voorzitter@ksf.example', 'demo-voorzitter-2026');
    const card = chairPage.locator('#item-1');
    await card.getByText('Nog niet geopend').waitFor();
    assert.match(await card.innerText(), /Voorstel · Meer dan de helft van de aanwezige leden/);
    await card.getByRole('button', { name: 'Stemming openen…' }).click();
    const opening = chairPage.getByRole('dialog', { name: 'Stemming openen over “Klachten binnen vijf werkdagen beantwoorden”?' });
    await opening.getByText('Nu zijn 3 leden aanwezig.', { exact: false }).waitFor();
    await opening.getByRole('button', { name: 'Stemming openen' }).click();
    await card.getByText('0 van 3 stemmen uitgebracht').waitFor();
    await card.getByText('Stemming open', { exact: true }).waitFor();
    await card.getByText('P bij opening: 3 · Nodig voor aanname: 2').waitFor();
    assert.deepEqual(await checkAccessibility(chairPage), [], 'accessibility of the chair console (open poll)');
    await checkPage(chairPage, { key: { laptop: '#item-1 [data-action="close"]' }, name: 'voting-chair-open' });
    await screenshot(chairPage, 'voting-01-chair-open-laptop');

    // Paper votes: nothing is chosen for the teller, and a choice is required.
    await card.getByText('Papieren stemmen invoeren').click();
    const paperMember = card.getByLabel('Lid dat op papier stemde');
    assert.equal(await paperMember.inputValue(), '', 'no member preselected');
    assert.equal(await card.locator('input[name="choice"]:checked').count(), 0, 'no choice preselected');
    await card.getByRole('button', { name: 'Papieren stem vastleggen' }).click();
    await card.getByText('Kies het lid dat op papier stemde.').first().waitFor();
    await card.getByText('Kies wat er op het briefje staat.').first().waitFor();
    await card.getByText('Papieren stemmen invoeren').click();

    // The poll appears on every phone by itself: the ballot first, in view, with the focus.
    for (const phone of phones.filter((p) => !p.late)) await phone.page.getByRole('heading', { level: 2, name: 'Stem over: Klachten binnen vijf werkdagen beantwoorden' }).waitFor();
    await projector.locator('#projector-cast').getByText('0 van 3').waitFor();
    assert.equal(await projector.locator('#projector-p').innerText(), '3');
    assert.equal(await projector.locator('#projector-threshold').innerText(), '2');
    assert.equal(await phones[0].page.evaluate(() => document.activeElement?.className), 'ballot__heading');
    await checkPage(phones[0].page, { key: '.vote-buttons button', name: 'voting-ballot' });
    await screenshot(phones[0].page, 'voting-02-ballot-phone');
    assert.deepEqual(await checkAccessibility(phones[0].page), [], 'accessibility of the ballot');
    await phones[0].page.getByRole('link', { name: 'Open het voorstel op een eigen pagina' }).waitFor();

    // The latecomer checks in now: one message, not "counts" in green above "cannot vote" in red.
    await room.scan(room.absentPhones[0].name);
    const refused = late.locator('#not-eligible');
    await refused.getByText('U stemt niet mee bij deze stemming').waitFor();
    await refused.getByText('U bent nu wel ingecheckt: bij de volgende stemming stemt u mee.').waitFor();
    assert.equal(await late.locator('#member-status').count(), 0, 'no second, contradicting status');
    assert.equal(await late.locator('.vote-buttons').count(), 0);
    assert.equal(await late.locator('.alert--success').count(), 0);
    await checkPage(late, { key: '#not-eligible', name: 'voting-latecomer' });
    await screenshot(late, 'voting-02b-latecomer-phone');
    await projector.locator('#projector-present-now').getByText('Nu aanwezig: 4').waitFor();
    assert.equal(await projector.locator('#projector-p').innerText(), '3', 'the poll keeps its own P');

    const choices = ['Voor', 'Voor', 'Tegen'];
    for (const [index, phone] of phones.filter((p) => !p.late).entries()) {
      await phone.page.getByRole('button', { name: choices[index], exact: true }).click();
      await phone.page.getByText('U stemt:').waitFor();
      if (index === 0) {
        await checkPage(phone.page, { key: '.vote-buttons button', name: 'voting-confirm' });
        await screenshot(phone.page, 'voting-03-confirm-phone');
        assert.deepEqual(await checkAccessibility(phone.page), [], 'accessibility of the confirmation step');
      }
      await phone.page.getByRole('button', { name: `Bevestig: ${choices[index]}` }).click();
      await phone.page.getByText('Uw stem is binnen').waitFor();
      const tracker = await phone.page.locator('.tracker').textContent();
      assert.match(tracker, /^[0-9a-f]{32}$/);
      if (index === 0) {
        await checkPage(phone.page, { key: '.tracker', name: 'voting-receipt' });
        await screenshot(phone.page, 'voting-04-receipt-phone');
        assert.deepEqual(await checkAccessibility(phone.page), [], 'accessibility of the receipt');
        await projector.locator('#projector-cast').getByText('1 van 3').waitFor();
        await checkPage(projector, { kind: 'projector', key: '#projector-cast', name: 'voting-projector-turnout' });
        await screenshot(projector, 'voting-05-projector-turnout');
        assert.deepEqual(await checkAccessibility(projector), [], 'accessibility of the projector (turnout)');
      }
    }
    await projector.locator('#projector-cast').getByText('3 van 3').waitFor();
    // A reload keeps the receipt (sessionStorage), and does not offer a second vote.
    await phones[0].page.reload();
    await phones[0].page.getByText('Uw stem is binnen').waitFor();

    // The chair closes once the console, too, counts the third vote (it comes by its own
    // event stream, which may trail the projector's).
    await card.getByText('3 van 3 stemmen uitgebracht', { exact: false }).first().waitFor();
    await card.getByRole('button', { name: 'Stemming sluiten…' }).click();
    const closing = chairPage.getByRole('dialog', { name: 'Stemming over “Klachten binnen vijf werkdagen beantwoorden” sluiten?' });
    await closing.getByText('Er zijn 3 van 3 stemmen uitgebracht.', { exact: false }).waitFor();
    await closing.getByRole('button', { name: 'Stemming sluiten' }).click();
    await card.getByText('Aangenomen: 2 voor, 1 tegen, 0 onthoudingen.').waitFor();
    await projector.locator('#projector-outcome').getByText('Aangenomen').waitFor();
    assert.ok(await projector.locator('svg.poll-chart').isVisible());
    assert.match(await projector.locator('#projector-counts').innerText(), /Voor\s+2\s+Tegen\s+1\s+Onthouding\s+0\s+Niet gestemd\s+0/);
    assert.match(await projector.locator('#projector-panel').innerText(), /Nodig voor aanname: 2 · Aanwezige leden bij de opening: 3/);
    await checkPage(projector, { kind: 'projector', key: '#projector-outcome', name: 'voting-projector-result' });
    await screenshot(projector, 'voting-06-projector-result');
    assert.deepEqual(await checkAccessibility(projector), [], 'accessibility of the projector (result)');

    await phones[2].page.locator('#poll-result').getByText('De stemming is gesloten').waitFor();
    await phones[2].page.locator('#poll-result').getByText('Aangenomen: 2 voor, 1 tegen, 0 onthoudingen.').waitFor();
    await checkPage(phones[2].page, { key: '#poll-result', name: 'voting-closed-phone' });
    await screenshot(phones[2].page, 'voting-07-closed-phone');
    assert.deepEqual(await checkAccessibility(phones[2].page), [], 'accessibility of the closed poll on the phone');

    // The effective date: the earliest date prefilled; a day earlier is refused at the field, in words.
    const date = card.getByLabel('Ingangsdatum', { exact: true });
    assert.equal(await date.inputValue(), '2027-07-27');
    await card.getByText('Op zijn vroegst dinsdag 27 juli 2027: zes weken na het besluit van dinsdag 15 juni 2027.').waitFor();
    await card.getByRole('button', { name: 'Herstemming houden…' }).waitFor();
    await date.fill('2027-07-26');
    await card.getByRole('button', { name: 'Ingangsdatum vaststellen' }).click();
    await card.locator('.field-error').getByText('Kies dinsdag 27 juli 2027 of later: de ingangsdatum ligt ten minste zes weken na het besluit van dinsdag 15 juni 2027.').waitFor();
    assert.equal(await date.getAttribute('aria-invalid'), 'true');
    await checkPage(chairPage, { name: 'voting-chair-date-error' });
    await date.fill('2027-07-27');
    await card.getByRole('button', { name: 'Ingangsdatum vaststellen' }).click();
    await card.getByText('In werking op dinsdag 27 juli 2027. Een intrekking moet uiterlijk dinsdag 29 juni 2027 binnen zijn.').waitFor();
    await card.getByText('Dit is de vroegst mogelijke datum.').waitFor();
    assert.equal(await card.getByRole('button', { name: 'Herstemming houden…' }).count(), 0, 'no re-vote once the date is set');
    await screenshot(chairPage, 'voting-08-chair-effective-date-laptop');
    assert.deepEqual(await checkAccessibility(chairPage), [], 'accessibility of the chair console (closed poll)');
    await chairPage.reload();
    await chairPage.locator('#item-1').getByText('In werking op dinsdag 27 juli 2027. Een intrekking moet uiterlijk dinsdag 29 juni 2027 binnen zijn.').waitFor();
    await checkPage(chairPage, { key: { laptop: '#item-1 .effective' }, name: 'voting-chair-date-set' });

    await chairPage.goto(`${alvd.url}/staff/minutes.html?id=${meetingId}`);
    await chairPage.getByRole('heading', { level: 2, name: 'Besluiten', exact: true }).waitFor();
    const minuted = chairPage.locator('.minutes-decision').filter({ hasText: 'Klachten binnen vijf werkdagen beantwoorden' });
    await minuted.getByText('Aangenomen: 2 voor, 1 tegen, 0 onthoudingen.').waitFor();
    assert.match(await minuted.innerText(), /Ingangsdatum\s+dinsdag 27 juli 2027\s+Uiterste ontvangstdatum intrekking\s+dinsdag 29 juni 2027/);
    assert.match(await minuted.innerText(), /Hoofdelijke stemmen/);
    await checkPage(chairPage, { name: 'voting-minutes' });
    await screenshot(chairPage, 'voting-09-minutes-laptop');
    assert.deepEqual(await checkAccessibility(chairPage), [], 'accessibility of the minutes');

    assert.equal(alvd.sql(`SELECT COUNT(*) FROM ballots b JOIN polls p ON p.id = b.poll_id WHERE p.meeting_id = ${meetingId}`)[0][0], '3');
    for (const phone of phones) assert.deepEqual(phone.watcher.errors, []);
    assert.deepEqual(projectorWatch.errors, []);
    // The refused date is the one error the browser logs (the 422 of the request).
    assert.deepEqual(chairWatch.errors.filter((e) => !/status of 422/.test(e)), []);
    assert.equal(chairWatch.errors.length, 1, chairWatch.errors.join('\n'));
  } finally {
    for (const phone of phones) await phone.context.close();
    await projectorCtx.close();
    await chairCtx.close();
  }
});
