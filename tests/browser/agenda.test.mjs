// The agenda page (issue 12, point 1) through the screens: the board moves items,
// removes one, adds a decision with its own majority rule at a chosen place, and is told
// in words what changed; an item that has a vote keeps no remove button; the meeting
// page and the chair's console show the same order. The delegate's phone says when its
// live connection is lost and keeps up by asking. Page check and axe on every page.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  launchBrowser, laptopContext, phoneContext, screenshot, checkAccessibility, watchPage, startAlvd, demoLogins,
} from './lib/browser.mjs';
import { checkPage } from './lib/pagecheck.mjs';
import { addCycle, addProposal, hall } from '../api/lib/poll-fixtures.mjs';

let alvd;
let browser;

before(async () => {
  alvd = await startAlvd({ demo: true });
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

const titlesOf = async (page) => (await page.locator('#agenda-items .agenda-item__title').allTextContents())
  .map((text) => text.replace(/\s+/g, ' ').trim());

test('the board reorders, removes and adds agenda items, a decision with its own rule included', async () => {
  const staff = { secretariat: await alvd.login('secretariat'), board: await alvd.login('board'), chair: await alvd.login('chair') };
  const cycle = addCycle(alvd, 2401);
  const proposalId = addProposal(alvd, cycle, 'Bereikbaarheid binnen drie minuten',
    [{ article: '6b', action: 'replace', text: 'Partijen nemen binnen drie minuten op.' }]);
  const room = await hall(alvd, { prefix: 'Agendalid', present: 2, staff });
  const meetingId = room.meeting.id;
  const put = await staff.board.put(`/api/meetings/${meetingId}/agenda`, {
    items: [{ kind: 'item', title: 'Opening' }, { kind: 'proposal', proposal_id: proposalId }, { kind: 'item', title: 'Rondvraag' },
      { kind: 'item', title: 'Sluiting' }],
  });
  assert.equal(put.status, 200, put.text);

  const context = await laptopContext(browser, { viewport: { width: 1366, height: 768 } });
  const page = await context.newPage();
  const watcher = watchPage(page);
  try {
    // The chair of the demo is on the board too: one login for the agenda and the console.
    await staffLogin(page, `/staff/agenda.html?id=${meetingId}`, 'chair');
    await page.locator('#agenda-items > li').first().waitFor();
    assert.deepEqual(await titlesOf(page), ['1. Opening', '2. Bereikbaarheid binnen drie minuten', '3. Rondvraag', '4. Sluiting']);
    assert.match(await page.locator('#agenda-items > li').nth(1).innerText(), /Voorstel · Gereed voor de ALV/);

    // Move "Rondvraag" up: saved at once, said in words, the keyboard stays on the item.
    await page.getByRole('button', { name: 'Punt 3 omhoog: Rondvraag' }).click();
    await page.locator('#agenda-status').getByText('“Rondvraag” is nu punt 2.').waitFor();
    assert.deepEqual(await titlesOf(page), ['1. Opening', '2. Rondvraag', '3. Bereikbaarheid binnen drie minuten', '4. Sluiting']);
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('aria-label')), 'Punt 2 omhoog: Rondvraag');
    assert.equal(await page.getByRole('button', { name: 'Punt 1 omhoog: Opening' }).isDisabled(), true);

    // Remove it again.
    await page.getByRole('button', { name: 'Punt 2 verwijderen: Rondvraag' }).click();
    await page.locator('#agenda-status').getByText('“Rondvraag” is van de agenda gehaald.').waitFor();
    assert.deepEqual(await titlesOf(page), ['1. Opening', '2. Bereikbaarheid binnen drie minuten', '3. Sluiting']);

    // A decision that is not a proposal, with its own rule, after the opening.
    await page.getByRole('button', { name: 'Besluit toevoegen' }).click();
    await page.locator('#add-decision .field-error').getByText('Vul de titel in.').waitFor();
    await page.getByLabel('Waarover wordt besloten').fill('Decharge van het bestuur');
    await page.getByLabel('Meerderheid die nodig is').selectOption({ label: 'Meerderheid van de uitgebrachte stemmen' });
    await page.locator('#add-decision').getByText('meer stemmen voor dan tegen; onthoudingen tellen niet mee').waitFor();
    await page.locator('#add-decision-after').selectOption({ label: 'Na punt 1: Opening' });
    await page.getByRole('button', { name: 'Besluit toevoegen' }).click();
    await page.locator('#agenda-status').getByText('“Decharge van het bestuur” staat op de agenda als punt 2.').waitFor();
    assert.deepEqual(await titlesOf(page),
      ['1. Opening', '2. Decharge van het bestuur', '3. Bereikbaarheid binnen drie minuten', '4. Sluiting']);
    assert.match(await page.locator('#agenda-items > li').nth(1).innerText(), /Besluit met stemming · Meerderheid: Meerderheid van de uitgebrachte stemmen/);
    await checkPage(page, { name: 'agenda-page' });
    await screenshot(page, 'agenda-01-board-laptop');
    assert.deepEqual(await checkAccessibility(page), [], 'accessibility of the agenda page');

    // Once the chair has a vote on the proposal, it cannot be removed here.
    const created = await staff.chair.post(`/api/meetings/${meetingId}/polls`, { proposal_id: proposalId });
    assert.equal(created.status, 201, created.text);
    await page.reload();
    await page.locator('#agenda-items > li').first().waitFor();
    assert.equal(await page.getByRole('button', { name: 'Punt 3 verwijderen: Bereikbaarheid binnen drie minuten' }).count(), 0);
    await page.getByText('Hierover is een stemming klaargezet of gehouden; dit punt blijft op de agenda.').waitFor();

    // The chair's console shows the same order; the decision is voted on with its own rule.
    await page.goto(`${alvd.url}/staff/chair.html?id=${meetingId}`);
    await page.locator('#item-2').getByText('Besluit · Meerderheid van de uitgebrachte stemmen').waitFor();
    assert.deepEqual((await page.locator('#chair-items h2').allTextContents()).map((t) => t.trim()),
      ['1. Opening', '2. Decharge van het bestuur', '3. Bereikbaarheid binnen drie minuten', '4. Sluiting']);
    await page.locator('#item-2').getByRole('button', { name: 'Stemming openen…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Stemming openen over “Decharge van het bestuur”?' });
    await dialog.getByText('Aangenomen als meer stemmen voor dan tegen; onthoudingen tellen niet mee.').waitFor();
    await dialog.getByRole('button', { name: 'Annuleren' }).click();
    // The dialog's close event comes a task after the click; the dialog must then be gone.
    await page.locator('dialog').waitFor({ state: 'detached', timeout: 5000 });
    assert.equal(await page.locator('dialog').count(), 0);
    assert.equal(alvd.sql(`SELECT COUNT(*) FROM polls WHERE meeting_id = ${meetingId} AND agenda_item_id IS NOT NULL`)[0][0], '0', 'cancel does nothing');
    await checkPage(page, { name: 'agenda-chair' });

    // The English toggle keeps working on the agenda page.
    await page.goto(`${alvd.url}/staff/agenda.html?id=${meetingId}`);
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { level: 2, name: 'Agenda items' }).waitFor();
    assert.match(await page.locator('#agenda-items > li').nth(1).innerText(), /Decision with a vote · Majority: Majority of the votes cast/);
    await checkPage(page, { name: 'agenda-english' });
    await page.getByRole('button', { name: 'Nederlands' }).click();
    await page.getByRole('heading', { level: 2, name: 'Agendapunten' }).waitFor();
    assert.deepEqual(watcher.errors, []);
  } finally {
    await context.close();
  }
});

test('a phone whose live connection is lost says so, keeps up by asking, and is live again once the stream is back', async () => {
  const meetingId = Number(/meeting (\d+)/.exec(alvd.demoOutput)[1]);
  const ticketUrl = /(http\S+\/t\/[A-Za-z0-9_-]+)/.exec(alvd.demoOutput)[1];
  const context = await phoneContext(browser);
  const page = await context.newPage();
  // The refused and dropped streams are this test's doing; any other error is not.
  const watcher = watchPage(page, { ignore: [/Failed to load resource: .*(503|net::ERR_FAILED)/] });
  // What the phone asks for the vote (the polling fallback asks every few seconds).
  let pollAsks = 0;
  page.on('request', (request) => { if (new URL(request.url()).pathname === `/api/meetings/${meetingId}/polls/current`) pollAsks++; });
  const connection = page.locator('#member-connection');
  const secretariat = await alvd.login('secretariat');
  const scan = async (direction) => {
    const scanned = await secretariat.post(`/api/meetings/${meetingId}/scans`, { ticket: ticketUrl, direction, nonce: crypto.randomUUID() });
    assert.equal(scanned.status, 200, scanned.text);
  };
  try {
    // The hall's Wi-Fi lets no stream through: the connection drops every time.
    await page.route('**/api/meetings/*/events', (route) => route.abort());
    await page.goto(ticketUrl);
    await page.getByRole('button', { name: 'Aanmelden op deze telefoon' }).click();
    await page.waitForURL(/\/member\.html(\?|$)/);
    await connection.getByText('Verbinding verbroken — opnieuw verbinden…').waitFor();
    await page.locator('#member-status').getByText('U bent nog niet ingecheckt').waitFor();
    await checkPage(page, { key: '#member-connection', name: 'member-connection-lost' });
    await screenshot(page, 'agenda-02-connection-lost-phone');
    // No event arrives; the page asks every few seconds and shows the change.
    await scan('entry');
    await page.locator('#member-status').getByText('U bent ingecheckt').waitFor({ timeout: 20000 });

    // Then the proxy refuses the stream (alvd restarting behind it): the browser gives
    // that stream up, so the page itself opens a new one; meanwhile it keeps asking.
    await page.unroute('**/api/meetings/*/events');
    let refused = 0;
    await page.route('**/api/meetings/*/events', (route) => { refused++; return route.fulfill({ status: 503, contentType: 'text/plain', body: 'Service Unavailable' }); });
    for (let round = 0; round < 60 && refused < 2; round++) await page.waitForTimeout(500);
    assert.ok(refused >= 2, `the page opened a new stream after the refusal (${refused} asked)`);
    assert.equal(await connection.innerText(), 'Verbinding verbroken — opnieuw verbinden…');

    // The stream is let through again: the phone says it is live, stops asking and
    // follows the door through the stream alone.
    await page.unroute('**/api/meetings/*/events');
    await connection.getByText('Verbonden: deze pagina werkt zichzelf bij').waitFor({ timeout: 20000 });
    assert.equal(await connection.getAttribute('data-state'), 'live');
    await screenshot(page, 'agenda-03-connection-back-phone');
    await page.waitForTimeout(500); // the catch-up request made on reconnecting
    pollAsks = 0;
    await scan('exit');
    await page.locator('#member-status').getByText('U bent nog niet ingecheckt').waitFor();
    await page.waitForTimeout(9000); // over two polling intervals
    assert.equal(pollAsks, 0, 'no more polling once the stream is back');
    await checkPage(page, { key: '#member-connection', name: 'member-connection-back' });
    assert.deepEqual(watcher.errors, []);
  } finally {
    await context.close();
  }
});
