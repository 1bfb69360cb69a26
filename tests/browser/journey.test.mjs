// The demo ALV held through the screens only (issue 12, "Must show"): from `alvd demo`
// as scripts/run loads it, the secretariat checks the agenda and sends the convocation,
// four delegates open the ticket link from their mail on their phones, the door checks
// them in (three QR codes and one found by name), the chair opens the meeting, takes the
// first proposal and opens the vote, the phones vote, the chair closes the vote and sets
// the effective date, and the minutes say "Aangenomen" with the counts. No API call
// changes anything; the test reads only what a person reads (plus the mail the
// delegates receive). Every step is kept as a screenshot in tests/browser/artifacts/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  launchBrowser, phoneContext, projectorContext, laptopContext, screenshot, checkAccessibility, watchPage, startAlvd, demoLogins,
} from './lib/browser.mjs';
import { checkPage } from './lib/pagecheck.mjs';

let alvd;
let browser;
const pictures = mkdtempSync(join(tmpdir(), 'alvd-journey-'));

before(async () => {
  alvd = await startAlvd({ demo: true });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await alvd?.stop();
  rmSync(pictures, { recursive: true, force: true });
});

async function staffLogin(page, next, role) {
  await page.goto(`${alvd.url}/login.html?next=${encodeURIComponent(next)}`);
  await page.getByLabel('E-mailadres').fill(demoLogins[role].email);
  await page.getByLabel('Wachtwoord').fill(demoLogins[role].password);
  await page.getByRole('button', { name: 'Inloggen', exact: true }).click();
  await page.waitForURL(`**${next.split('?')[0]}*`);
}

/** Day words as the pages write them: "dinsdag 28 december 2027". */
function dayWords(iso) {
  const [y, m, d] = iso.split('-').map(Number);
  return new Intl.DateTimeFormat('nl-NL', { timeZone: 'UTC', weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' })
    .format(new Date(Date.UTC(y, m - 1, d))).replace(',', '');
}

test('the demo ALV, held through the screens: agenda → tickets → door → vote on phones → result → effective date → minutes', async () => {
  const meetingId = Number(/meeting (\d+)/.exec(alvd.demoOutput)[1]);
  const contexts = [];
  const watchers = [];
  const open = async (makeContext) => {
    const context = await makeContext(browser);
    // Loading a page may take longer than a wait for text on a machine running other
    // suites (2 cores): navigation gets 30 s, every other wait keeps the harness's 10 s.
    context.setDefaultNavigationTimeout(30000);
    contexts.push(context);
    const page = await context.newPage();
    watchers.push({ page, watcher: watchPage(page) });
    return page;
  };
  let step = 0;
  const shot = (page, name) => screenshot(page, `journey-${String(++step).padStart(2, '0')}-${name}`);
  try {
    // 1. The secretariat reads the agenda the demo ships with, and adds the announcements.
    const desk = await open(laptopContext);
    await staffLogin(desk, `/staff/agenda.html?id=${meetingId}`, 'secretariat');
    const items = desk.locator('#agenda-items > li');
    await items.first().waitFor();
    const agendaTitles = async () => (await desk.locator('#agenda-items .agenda-item__title').allTextContents()).map((text) => text.replace(/\s+/g, ' ').trim());
    const titles = await agendaTitles();
    assert.equal(titles.length, 6, titles.join(' | '));
    assert.match(titles[0], /^1\. Opening en mededelingen/);
    assert.match(titles[1], /^2\. Vaststelling van de notulen van de vorige ALV/);
    assert.match(titles[2], /^3\. Norm 6d: opleiding concreet maken/);
    assert.match(titles[3], /^4\. Norm 6a: transparant over de inzet van AI/);
    assert.match(titles[4], /^5\. Rondvraag/);
    assert.match(titles[5], /^6\. Sluiting/);
    assert.match(await items.nth(2).innerText(), /Voorstel · Gereed voor de ALV/);
    assert.match(await items.nth(1).innerText(), /Besluit met stemming · Meerderheid: Meerderheid van de uitgebrachte stemmen/);
    await desk.getByLabel('Titel', { exact: true }).fill('Mededelingen van het bestuur');
    await desk.locator('#add-item-after').selectOption({ label: 'Na punt 1: Opening en mededelingen' });
    await desk.getByRole('button', { name: 'Punt toevoegen' }).click();
    await desk.locator('#agenda-status').getByText('“Mededelingen van het bestuur” staat op de agenda als punt 2.').waitFor();
    assert.match((await agendaTitles())[1], /^2\. Mededelingen van het bestuur/);
    await checkPage(desk, { name: 'journey-agenda' });
    await shot(desk, 'agenda-laptop');
    assert.deepEqual(await checkAccessibility(desk), [], 'accessibility of the agenda page');

    // 2. The convocation goes out from the meeting page: each member's mail holds its ticket link.
    await desk.goto(`${alvd.url}/staff/meeting.html?id=${meetingId}`);
    await desk.getByRole('tab', { name: 'Tickets' }).click();
    await desk.getByRole('button', { name: 'Oproeping versturen' }).click();
    // Signing a ticket and writing a mail per contact person takes a while on a busy machine.
    await desk.locator("#convocation-status").getByText(/oproepingen in de wachtrij/).waitFor({ timeout: 60000 });
    const delegates = ['Klantcontact Noord B.V.', 'Servicepunt Utrecht B.V.', 'Belcentrale Twente B.V.', 'Dialoog Groep Nederland B.V.'].map((name) => {
      const [[body]] = alvd.sql(`SELECT REPLACE(body_text, '\\n', ' ') FROM outbox WHERE kind = 'convocation' AND body_text LIKE '%${name}%' ORDER BY id LIMIT 1`);
      const url = /(http\S+\/t\/[A-Za-z0-9_-]+)/.exec(body)?.[1];
      assert.ok(url, `the convocation for ${name} holds a ticket link`);
      return { name, url };
    });

    // 3. Each delegate opens the link on a phone: the QR for the door, then "sign in on this phone".
    const phones = [];
    for (const delegate of delegates) {
      const page = await open(phoneContext);
      await page.goto(delegate.url);
      await page.getByRole('heading', { level: 1, name: 'Uw toegangsbewijs voor de ALV' }).waitFor();
      await page.waitForFunction(() => document.getElementById('ticket-qr')?.naturalWidth > 0);
      if (phones.length === 0) {
        await checkPage(page, { key: '#ticket-qr', name: 'journey-ticket' });
        await shot(page, 'ticket-qr-phone');
      }
      await page.getByRole('button', { name: 'Aanmelden op deze telefoon' }).click();
      await page.waitForURL(/\/member\.html(\?|$)/);
      await page.locator('#member-status').getByText('U bent nog niet ingecheckt').waitFor();
      phones.push({ page, ...delegate });
    }
    await phones[0].page.waitForFunction(() => document.getElementById('member-qr')?.naturalWidth > 0);
    await checkPage(phones[0].page, { key: '#member-qr', name: 'journey-member-outside' });
    await shot(phones[0].page, 'member-outside-phone');

    // 4. The door, on a phone in one hand: three QR codes from the phones' screens, one member by name.
    const door = await open(phoneContext);
    await staffLogin(door, `/staff/scanner.html?meeting=${meetingId}`, 'secretariat');
    await door.waitForFunction(() => typeof window.jsQR === 'function');
    await door.locator('#scan-count').getByText(/^Binnen: 0 van \d+ leden$/).waitFor();
    const result = door.locator('#scan-result');
    for (const [index, phone] of phones.slice(0, 3).entries()) {
      const file = join(pictures, `phone-${index}.png`);
      await phone.page.locator('#member-qr').screenshot({ path: file });
      await door.setInputFiles('#image', file);
      await result.getByText(phone.name).waitFor();
      assert.equal(await result.getAttribute('data-outcome'), 'entered');
      await door.locator('#scan-count').getByText(new RegExp(`^Binnen: ${index + 1} van \\d+ leden$`)).waitFor();
      await phone.page.locator('#member-status').getByText('U bent ingecheckt').waitFor();
      if (index === 0) {
        await checkPage(door, { key: { phone: '#scan-result, #scan-count' }, name: 'journey-door' });
        await shot(door, 'door-welcome-phone');
      }
    }
    await door.getByLabel('Zoek op naam van de organisatie of lidnummer').fill('dialoog');
    await door.getByRole('button', { name: 'Dialoog Groep Nederland B.V. inchecken' }).click();
    await result.getByText('Welkom').waitFor();
    await result.getByText('Dialoog Groep Nederland B.V.').waitFor();
    await door.locator('#scan-count').getByText(/^Binnen: 4 van \d+ leden$/).waitFor();
    await checkPage(door, { key: { phone: '#scan-result, #scan-count' }, name: 'journey-door-search' });
    await shot(door, 'door-search-phone');
    await phones[3].page.locator('#member-status').getByText('U bent ingecheckt').waitFor();

    // 5. The projector at the back of the hall, and the chair's console.
    const projector = await open(projectorContext);
    await staffLogin(projector, `/projector.html?meeting=${meetingId}`, 'chair');
    await projector.locator('#projector-live').getByText('Live bijgewerkt').waitFor();
    await projector.locator('#projector-present').getByText('4', { exact: true }).waitFor();
    const chair = await open((b) => laptopContext(b, { viewport: { width: 1366, height: 768 } }));
    await staffLogin(chair, `/staff/chair.html?id=${meetingId}`, 'chair');
    await chair.getByRole('button', { name: 'Vergadering openen' }).click();
    await chair.getByRole('button', { name: 'Punt 4 behandelen: Norm 6d: opleiding concreet maken' }).click();
    const item = chair.locator('#item-4');
    await item.getByText('Nu aan de orde').waitFor();
    await projector.locator('#projector-item').getByText('4. Norm 6d: opleiding concreet maken').waitFor();
    await checkPage(projector, { kind: 'projector', key: '#projector-item', name: 'journey-projector-item' });
    await shot(projector, 'projector-item');

    await item.getByRole('button', { name: 'Stemming openen…' }).click();
    const dialog = chair.getByRole('dialog', { name: 'Stemming openen over “Norm 6d: opleiding concreet maken”?' });
    await dialog.getByText('Nu zijn 4 leden aanwezig. Dat aantal wordt P voor deze stemming').waitFor();
    await shot(chair, 'chair-open-dialog-laptop');
    await dialog.getByRole('button', { name: 'Stemming openen' }).click();
    await item.getByText('0 van 4 stemmen uitgebracht').waitFor();
    await checkPage(chair, { key: { laptop: '#item-4 [data-action="close"]' }, name: 'journey-chair-open' });
    await shot(chair, 'chair-vote-open-laptop');

    // 6. The projector: this vote's own P, what adoption needs, the turnout.
    await projector.getByRole('heading', { name: 'Stemming open: 4. Norm 6d: opleiding concreet maken' }).waitFor();
    assert.equal(await projector.locator('#projector-p').innerText(), '4');
    assert.equal(await projector.locator('#projector-threshold').innerText(), '3');
    await checkPage(projector, { kind: 'projector', key: '#projector-cast', name: 'journey-projector-open' });
    await shot(projector, 'projector-vote-open');

    // 7. Every phone: the ballot is the first thing on the screen; each delegate votes.
    const choices = ['Voor', 'Voor', 'Tegen', 'Voor'];
    for (const [index, phone] of phones.entries()) {
      await phone.page.getByRole('heading', { level: 2, name: 'Stem over: Norm 6d: opleiding concreet maken' }).waitFor();
      if (index === 0) {
        assert.equal(await phone.page.evaluate(() => document.activeElement?.className), 'ballot__heading', 'the focus moved to the ballot');
        await checkPage(phone.page, { key: '.vote-buttons button', name: 'journey-ballot' });
        await shot(phone.page, 'ballot-phone');
      }
      await phone.page.getByRole('button', { name: choices[index], exact: true }).click();
      await phone.page.getByRole('button', { name: `Bevestig: ${choices[index]}` }).click();
      await phone.page.getByText('Uw stem is binnen').waitFor();
      if (index === 0) {
        await checkPage(phone.page, { key: '.tracker', name: 'journey-receipt' });
        await shot(phone.page, 'receipt-phone');
      }
      await projector.locator('#projector-cast').getByText(`${index + 1} van 4`).waitFor();
    }
    await shot(projector, 'projector-turnout');

    // 8. The chair closes the vote: the result in one sentence, large on the projector.
    await item.getByText('4 van 4 stemmen uitgebracht').waitFor();
    await item.getByRole('button', { name: 'Stemming sluiten…' }).click();
    await chair.getByRole('dialog', { name: 'Stemming over “Norm 6d: opleiding concreet maken” sluiten?' })
      .getByRole('button', { name: 'Stemming sluiten' }).click();
    await item.getByText('Aangenomen: 3 voor, 1 tegen, 0 onthoudingen.').waitFor();
    await projector.locator('#projector-outcome').getByText('Aangenomen').waitFor();
    assert.match(await projector.locator('#projector-counts').innerText(), /Voor\s+3\s+Tegen\s+1\s+Onthouding\s+0\s+Niet gestemd\s+0/);
    await checkPage(projector, { kind: 'projector', key: '#projector-outcome', name: 'journey-projector-result' });
    await shot(projector, 'projector-result');
    await phones[2].page.locator('#poll-result').getByText('Aangenomen: 3 voor, 1 tegen, 0 onthoudingen.').waitFor();
    await checkPage(phones[2].page, { key: '#poll-result', name: 'journey-closed-phone' });
    await shot(phones[2].page, 'result-phone');

    // 9. The effective date: prefilled with the earliest allowed date, set, and still set after a reload.
    const dateField = item.getByLabel('Ingangsdatum');
    const earliest = await dateField.inputValue();
    assert.match(earliest, /^\d{4}-\d{2}-\d{2}$/);
    await item.getByText(`Op zijn vroegst ${dayWords(earliest)}: zes weken na het besluit van`).waitFor();
    await item.getByRole('button', { name: 'Ingangsdatum vaststellen' }).click();
    await item.getByText(`In werking op ${dayWords(earliest)}.`).waitFor();
    await checkPage(chair, { key: { laptop: '#item-4 .effective' }, name: 'journey-chair-date' });
    await shot(chair, 'chair-effective-date-laptop');
    await chair.reload();
    await chair.locator('#item-4').getByText(`In werking op ${dayWords(earliest)}.`).waitFor();
    assert.deepEqual(await checkAccessibility(chair), [], 'accessibility of the chair console');

    // 9b. The chair moves on to the next proposal: the projector and the phones follow,
    // and the last result leaves the top of the phone.
    await chair.getByRole('button', { name: 'Punt 5 behandelen: Norm 6a: transparant over de inzet van AI' }).click();
    await chair.locator('#item-5').getByText('Nu aan de orde').waitFor();
    await projector.locator('#projector-item').getByText('5. Norm 6a: transparant over de inzet van AI').waitFor();
    await checkPage(projector, { kind: 'projector', key: '#projector-item', name: 'journey-projector-next-item' });
    await shot(projector, 'projector-next-item');
    const follower = phones[0].page;
    await follower.locator('#agenda .agenda-item--current').getByText('Norm 6a: transparant over de inzet van AI').waitFor();
    await follower.locator('#poll').waitFor({ state: 'hidden' });
    await follower.locator('#member-status').getByText('U bent ingecheckt').waitFor();
    await checkPage(follower, { key: '#member-status', name: 'journey-phone-next-item' });
    await shot(follower, 'phone-next-item');

    // 10. The minutes: the decision as a person reads it.
    const minutes = await open(laptopContext);
    await staffLogin(minutes, `/staff/minutes.html?id=${meetingId}`, 'chair');
    const decision = minutes.locator('.minutes-decision').filter({ hasText: 'Norm 6d: opleiding concreet maken' });
    await decision.getByText('Aangenomen: 3 voor, 1 tegen, 0 onthoudingen.').waitFor();
    const text = await decision.innerText();
    assert.match(text, /Stemgerechtigd bij opening \(P\)\s+4/);
    assert.match(text, /Nodig voor aanname\s+3/);
    assert.match(text, /Regel\s+meer dan de helft van de aanwezige leden stemt voor/);
    assert.match(text, new RegExp(`Ingangsdatum\\s+${dayWords(earliest)}`));
    assert.match(text, /Uiterste ontvangstdatum intrekking\s+\w+dag \d+ \w+ \d{4}/);
    assert.match(await minutes.locator('#minutes-attendance').innerText(), /Bij de opening waren 4 leden aanwezig/);
    assert.match(await minutes.locator('#minutes-verify').innerText(), /Sleutelvingerafdruk: [0-9a-f]{4} [0-9a-f]{4} [0-9a-f]{4} [0-9a-f]{4}/);
    await checkPage(minutes, { name: 'journey-minutes' });
    await shot(minutes, 'minutes-laptop');
    await minutes.emulateMedia({ media: 'print' });
    await minutes.pdf({ path: join(pictures, 'minutes.pdf'), format: 'A4' });
    await shot(minutes, 'minutes-print');
    await minutes.emulateMedia({ media: 'screen' });
    assert.deepEqual(await checkAccessibility(minutes), [], 'accessibility of the minutes');

    for (const { page, watcher } of watchers) assert.deepEqual(watcher.errors, [], `errors on ${page.url()}`);
  } finally {
    for (const context of contexts) await context.close();
  }
});
