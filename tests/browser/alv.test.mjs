// The whole ALV in a real browser, one continuous scenario (issue 9, point 1): three
// member phones (390×844, own profiles) log in through their ticket URLs; the
// secretariat's door scanner reads each ticket's QR from an uploaded picture and every
// phone turns "checked in" by itself; the projector (1920×1080) shows P growing, then
// P, the threshold and the turnout of the open poll, then the result; the chair opens
// and closes the poll and sets the effective date on the console. Every screen is
// kept as a screenshot; axe finds no serious or critical violation on any page, and
// every page passes the page check (tests/browser/lib/pagecheck.mjs).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  launchBrowser, phoneContext, projectorContext, laptopContext, screenshot, checkAccessibility, watchPage, startAlvd,
  demoLogins,
} from './lib/browser.mjs';
import { checkPage } from './lib/pagecheck.mjs';
import { addCycle, addMembers, addProposal } from '../api/lib/poll-fixtures.mjs';

let alvd;
let browser;
const pictures = mkdtempSync(join(tmpdir(), 'alvd-alv-qr-'));

before(async () => {
  // The server's clock stands on the evening of the meeting: a meeting opens only on its
  // own date, and the adopting poll closes that day (D).
  alvd = await startAlvd({ demo: true, env: { ALVD_TEST_NOW: '2027-06-15T19:30:00+02:00' } });
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

const eligibleOnProjector = (projector, n) =>
  projector.waitForFunction((count) => Number(document.getElementById('projector-present')?.textContent) === count, n);

test('the ALV: door scans, three phones vote, the projector shows P, threshold, turnout and result, the chair sets the date', async () => {
  const secretariat = await alvd.login('secretariat');
  const board = await alvd.login('board');
  const chair = await alvd.login('chair');

  // The meeting as the secretariat prepares it: members, agenda, tickets.
  const cycle = addCycle(alvd, 2231);
  const title = 'Klachtenregeling met vaste termijnen';
  const proposalId = addProposal(alvd, cycle, title,
    [{ article: '6a', action: 'replace', text: 'Partijen beantwoorden klachten binnen vijf werkdagen en leggen hun klachtenregeling vast.' }]);
  const members = addMembers(alvd, 'Zaal', 3);
  const created = await secretariat.post('/api/meetings', { title: 'ALV in de zaal', date: '2027-06-15', starts_at: '19:30', location: 'Utrecht' });
  assert.equal(created.status, 201, created.text);
  const meetingId = created.json.id;
  assert.equal((await secretariat.post(`/api/meetings/${meetingId}/tickets`)).status, 201);
  assert.equal((await board.post(`/api/meetings/${meetingId}/agenda`, { proposal_ids: [proposalId] })).status, 200);
  const tickets = (await secretariat.get(`/api/meetings/${meetingId}/tickets`)).json.items;
  const delegates = Object.entries(members).sort().map(([name, organisationId]) => {
    const ticket = tickets.find((item) => item.organisation_id === organisationId);
    assert.ok(ticket, `a ticket for ${name}`);
    return { name, organisationId, ticket };
  });
  const opened = await chair.post(`/api/meetings/${meetingId}/open`);
  assert.equal(opened.status, 200, opened.text);

  const contexts = [];
  const watchers = [];
  const open = async (makeContext) => {
    const context = await makeContext(browser);
    contexts.push(context);
    const page = await context.newPage();
    watchers.push({ page, watcher: watchPage(page) });
    return page;
  };
  try {
    // The projector, live before anybody is in.
    const projector = await open(projectorContext);
    await staffLogin(projector, `/projector.html?meeting=${meetingId}`, 'chair');
    await projector.locator('#projector-live').getByText('Live bijgewerkt').waitFor();
    await eligibleOnProjector(projector, 0);
    await checkPage(projector, { kind: 'projector', key: '#projector-present', name: 'alv-projector-empty' });
    await screenshot(projector, 'alv-01-projector-empty');

    // Each delegate taps the ticket link on the phone; not yet checked in.
    const phones = [];
    for (const delegate of delegates) {
      const page = await open(phoneContext);
      await page.goto(`${alvd.url}/t/${delegate.ticket.code}`);
      await page.getByRole('heading', { level: 1, name: 'Uw toegangsbewijs voor de ALV' }).waitFor();
      if (phones.length === 0) {
        await checkPage(page, { key: '#ticket-qr', name: 'alv-ticket' });
        await screenshot(page, 'alv-02-ticket-phone');
      }
      await page.getByRole('button', { name: 'Aanmelden op deze telefoon' }).click();
      await page.waitForURL(/\/member\.html\?meeting=\d+$/);
      await page.locator('#member-status').getByText('U bent nog niet ingecheckt').waitFor();
      phones.push({ page, delegate });
    }
    await checkPage(phones[0].page, { key: '#member-qr', name: 'alv-member-outside' });
    await screenshot(phones[0].page, 'alv-03-member-outside-phone');
    assert.deepEqual(await checkAccessibility(phones[0].page), [], 'accessibility of the member page (outside)');

    // The door: the scanner reads each ticket's QR code from a picture.
    const scanner = await open(laptopContext);
    await staffLogin(scanner, `/staff/scanner.html?meeting=${meetingId}`, 'secretariat');
    await scanner.getByRole('heading', { level: 1, name: 'Scannen bij de ingang' }).waitFor();
    await scanner.waitForFunction(() => typeof window.jsQR === 'function');
    const result = scanner.locator('#scan-result');
    for (const [index, { delegate, page }] of phones.entries()) {
      const png = await fetch(`${alvd.url}${delegate.ticket.qr_png}`, { headers: { Authorization: `Bearer ${secretariat.token}` } });
      assert.equal(png.status, 200);
      assert.equal(png.headers.get('content-type'), 'image/png');
      const file = join(pictures, `ticket-${index}.png`);
      writeFileSync(file, Buffer.from(await png.arrayBuffer()));
      await scanner.setInputFiles('#image', file);
      await result.getByText(delegate.name).waitFor();
      await result.getByText('Welkom').waitFor();
      assert.equal(await result.getAttribute('data-outcome'), 'entered');
      if (index === 0) {
        await checkPage(scanner, { key: { phone: '#scan-result, #scan-count' }, name: 'alv-scanner' });
        await screenshot(scanner, 'alv-04-scanner-welcome-laptop');
        assert.deepEqual(await checkAccessibility(scanner), [], 'accessibility of the scanner');
      }
      // The phone follows by itself, and so does P on the projector.
      await page.locator('#member-status').getByText('U bent ingecheckt').waitFor();
      await eligibleOnProjector(projector, index + 1);
    }
    // The chair moves to the agenda item; the projector shows it.
    const current = await chair.post(`/api/meetings/${meetingId}/agenda/current`, { position: 1 });
    assert.equal(current.status, 200, current.text);
    await projector.locator('#projector-item').getByText(`1. ${title}`).waitFor();
    await checkPage(phones[0].page, { name: 'alv-member-inside' });
    await screenshot(phones[0].page, 'alv-05-member-inside-phone');
    assert.deepEqual(await checkAccessibility(phones[0].page), [], 'accessibility of the member page (inside)');
    await checkPage(projector, { kind: 'projector', key: '#projector-item', name: 'alv-projector-present' });
    await screenshot(projector, 'alv-06-projector-present');
    assert.deepEqual(await checkAccessibility(projector), [], 'accessibility of the projector (present)');
    const attendance = await secretariat.get(`/api/meetings/${meetingId}/attendance`);
    assert.equal(attendance.json.present, 3);

    // The chair opens a named poll on the console.
    const chairPage = await open((b) => laptopContext(b, { viewport: { width: 1366, height: 768 } }));
    await staffLogin(chairPage, `/staff/chair.html?id=${meetingId}`, 'chair');
    await chairPage.locator('#item-1').getByRole('button', { name: 'Stemming openen…' }).click();
    await chairPage.getByRole('dialog').getByRole('button', { name: 'Stemming openen' }).click();
    await chairPage.getByText('0 van 3 stemmen uitgebracht').waitFor();
    await checkPage(chairPage, { key: { laptop: '#item-1 [data-action="close"]' }, name: 'alv-chair-open' });
    await screenshot(chairPage, 'alv-07-chair-open-laptop');
    assert.deepEqual(await checkAccessibility(chairPage), [], 'accessibility of the chair chairPage (open poll)');

    // The projector: the poll's own P, what adoption needs, and the turnout.
    const pollBox = projector.locator('#projector-panel');
    await projector.getByRole('heading', { name: `Stemming open: 1. ${title}` }).waitFor();
    await pollBox.locator('#projector-cast').getByText('0 van 3').waitFor();
    assert.equal(await pollBox.locator('#projector-p').innerText(), '3');
    assert.equal(await pollBox.locator('#projector-threshold').innerText(), '2');
    await checkPage(projector, { kind: 'projector', key: '#projector-cast', name: 'alv-projector-open' });
    await screenshot(projector, 'alv-08-projector-poll-open');
    assert.deepEqual(await checkAccessibility(projector), [], 'accessibility of the projector (poll open)');

    // The ballot appears on every phone; each delegate votes and confirms.
    for (const { page } of phones) await page.getByRole('heading', { level: 2, name: new RegExp(`Stem over: ${title}`) }).waitFor();
    await checkPage(phones[0].page, { key: '.vote-buttons button', name: 'alv-ballot' });
    await screenshot(phones[0].page, 'alv-09-ballot-phone');
    assert.deepEqual(await checkAccessibility(phones[0].page), [], 'accessibility of the ballot');
    const choices = ['Voor', 'Onthouding', 'Voor'];
    const trackers = [];
    for (const [index, { page }] of phones.entries()) {
      await page.getByRole('button', { name: choices[index], exact: true }).click();
      await page.getByText('U stemt:').waitFor();
      if (index === 0) {
        await screenshot(page, 'alv-10-confirm-phone');
        assert.deepEqual(await checkAccessibility(page), [], 'accessibility of the confirmation');
      }
      await page.getByRole('button', { name: `Bevestig: ${choices[index]}` }).click();
      await page.getByText('Uw stem is binnen').waitFor();
      const tracker = await page.locator('.tracker').textContent();
      assert.match(tracker, /^[0-9a-f]{32}$/);
      trackers.push(tracker);
      if (index === 0) {
        await screenshot(page, 'alv-11-receipt-phone');
        assert.deepEqual(await checkAccessibility(page), [], 'accessibility of the receipt');
      }
      await pollBox.locator('#projector-cast').getByText(`${index + 1} van 3`).waitFor();
      if (index === 1) await screenshot(projector, 'alv-12-projector-turnout');
    }
    assert.deepEqual(await checkAccessibility(projector), [], 'accessibility of the projector (turnout)');
    await chairPage.getByText('3 van 3 stemmen uitgebracht').waitFor();
    // Each receipt's tracker is a ballot of this poll with the choice made on that phone.
    const [[pollId]] = alvd.sql(`SELECT id FROM polls WHERE meeting_id = ${meetingId}`);
    const ballots = new Map(alvd.sql(`SELECT LOWER(HEX(tracker)), choice FROM ballots WHERE poll_id = ${pollId}`));
    assert.equal(ballots.size, 3);
    assert.deepEqual(trackers.map((t) => ballots.get(t)), ['for', 'abstain', 'for']);

    // The chair closes the poll; the projector shows the result.
    await chairPage.locator('#item-1').getByRole('button', { name: 'Stemming sluiten…' }).click();
    await chairPage.getByRole('dialog').getByRole('button', { name: 'Stemming sluiten' }).click();
    await chairPage.locator('#item-1').getByText('Aangenomen: 2 voor, 0 tegen, 1 onthouding.').waitFor();
    await projector.locator('#projector-outcome').getByText('Aangenomen').waitFor();
    assert.ok(await projector.locator('svg.poll-chart').isVisible());
    assert.match(await pollBox.locator('#projector-counts').innerText(), /Voor\s+2\s+Tegen\s+0\s+Onthouding\s+1\s+Niet gestemd\s+0/);
    assert.match(await pollBox.innerText(), /Nodig voor aanname: 2 · P: stemgerechtigd bij opening: 3/);
    await checkPage(projector, { kind: 'projector', key: '#projector-outcome', name: 'alv-projector-result' });
    await screenshot(projector, 'alv-13-projector-result');
    assert.deepEqual(await checkAccessibility(projector), [], 'accessibility of the projector (result)');
    await phones[1].page.locator('#poll-result').getByText('Aangenomen: 2 voor, 0 tegen, 1 onthouding.').waitFor();
    await checkPage(phones[1].page, { key: '#poll-result', name: 'alv-closed-phone' });
    await screenshot(phones[1].page, 'alv-14-closed-phone');
    assert.deepEqual(await checkAccessibility(phones[1].page), [], 'accessibility of the closed poll on the phone');

    // The chair sets the effective date (R3): the earliest date is offered.
    await chairPage.getByLabel('Ingangsdatum', { exact: true }).waitFor();
    assert.equal(await chairPage.getByLabel('Ingangsdatum', { exact: true }).inputValue(), '2027-07-27');
    await chairPage.getByRole('button', { name: 'Ingangsdatum vaststellen' }).click();
    await chairPage.getByText('In werking op dinsdag 27 juli 2027. Een intrekking moet uiterlijk dinsdag 29 juni 2027 binnen zijn.').waitFor();
    await checkPage(chairPage, { key: { laptop: '#item-1 .effective' }, name: 'alv-chair-date' });
    await screenshot(chairPage, 'alv-15-chair-effective-date-laptop');
    assert.deepEqual(await checkAccessibility(chairPage), [], 'accessibility of the chair chairPage (effective date)');
    assert.deepEqual(alvd.sql(`SELECT effective_from, withdrawal_deadline FROM adoptions WHERE proposal_id = ${proposalId}`),
      [['2027-07-27', '2027-06-29']]);
    assert.deepEqual(alvd.sql(`SELECT state FROM proposals WHERE id = ${proposalId}`), [['adopted']]);

    for (const { page, watcher } of watchers) assert.deepEqual(watcher.errors, [], `errors on ${page.url()}`);
  } finally {
    for (const context of contexts) await context.close();
  }
});
