// Paper votes in a secret poll as the chair enters them (issue 12, point 2): the slips are
// counted and entered as totals with the members who voted on paper ticked; the form
// refuses, at its fields, no member ticked, slips that do not match the members ticked and
// more votes than P leaves, and records a count that fits, after which the turnout and the
// result include it. Page check at both sizes with the errors on screen.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launchBrowser, laptopContext, screenshot, watchPage, startAlvd, demoLogins } from './lib/browser.mjs';
import { checkPage } from './lib/pagecheck.mjs';
import { addCycle, addProposal, hall, vote } from '../api/lib/poll-fixtures.mjs';

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

test('the chair enters counted paper slips of a secret vote, checked against the members ticked and P', async () => {
  const staff = { secretariat: await alvd.login('secretariat'), board: await alvd.login('board'), chair: await alvd.login('chair') };
  const cycle = addCycle(alvd, 2403);
  const proposalId = addProposal(alvd, cycle, 'Wachttijd aan de telefoon beperken',
    [{ article: '6c', action: 'replace', text: 'Partijen houden de wachttijd onder vijf minuten.' }]);
  const room = await hall(alvd, { prefix: 'Papier', present: 3, proposalIds: [proposalId], staff });
  const created = await staff.chair.post(`/api/meetings/${room.meeting.id}/polls`, { proposal_id: proposalId, secret: true });
  assert.equal(created.status, 201, created.text);
  assert.equal((await staff.chair.post(`/api/polls/${created.json.id}/open`)).status, 200);
  assert.equal((await vote(room.phones[0], created.json.id, 'for')).status, 201);
  const [voted, paperOne, paperTwo] = room.phones.map((phone) => phone.name);

  const context = await laptopContext(browser, { viewport: { width: 1366, height: 768 } });
  const page = await context.newPage();
  const watcher = watchPage(page);
  try {
    const next = `/staff/chair.html?id=${room.meeting.id}`;
    await page.goto(`${alvd.url}/login.html?next=${encodeURIComponent(next)}`);
    await page.getByLabel('E-mailadres').fill(demoLogins.chair.email);
    await page.getByLabel('Wachtwoord').fill(demoLogins.chair.password);
    await page.getByRole('button', { name: 'Inloggen', exact: true }).click();
    await page.waitForURL(`**${next.split('?')[0]}*`);
    const card = page.locator('#item-1');
    await card.getByText('1 van 3 stemmen uitgebracht').waitFor();
    await card.getByText('Papieren stemmen invoeren').click();
    const form = card.locator('form.paper-form');
    const submit = form.getByRole('button', { name: 'Getelde briefjes vastleggen' });

    // Nobody ticked.
    await form.getByLabel('Voor', { exact: true }).fill('1');
    await submit.click();
    await form.getByText('Vink de leden aan die op papier stemden.').first().waitFor();

    // Three slips for two members ticked.
    await form.getByLabel(paperOne).check();
    await form.getByLabel(paperTwo).check();
    await form.getByLabel('Voor', { exact: true }).fill('2');
    await form.getByLabel('Tegen', { exact: true }).fill('1');
    await submit.click();
    await form.getByText('Er zijn 3 briefjes geteld, maar 2 leden aangevinkt; dat moet gelijk zijn.').first().waitFor();
    assert.equal(await form.getByText('Vink de leden aan die op papier stemden.').count(), 0, 'the old error is gone');

    // Three for three, but one of the three already voted by phone: P leaves room for two.
    await form.getByLabel(voted).check();
    await submit.click();
    await form.getByText('Dat zijn te veel stemmen: P is 3 en er zijn er al 1 uitgebracht, dus er kunnen nog 2 bij.').first().waitFor();
    await checkPage(page, { name: 'paper-votes-errors' });
    await screenshot(page, 'paper-votes-01-errors-laptop');
    assert.equal(alvd.sql(`SELECT COUNT(*) FROM poll_voters WHERE poll_id = ${created.json.id}`)[0][0], '1', 'nothing recorded yet');

    // The count that fits: the two paper voters, one for and one against.
    await form.getByLabel(voted).uncheck();
    await form.getByLabel('Voor', { exact: true }).fill('1');
    await submit.click();
    await page.getByText('2 papieren stemmen vastgelegd.').waitFor();
    await card.getByText('3 van 3 stemmen uitgebracht').waitFor();
    assert.equal(alvd.sql(`SELECT COUNT(*) FROM poll_voters WHERE poll_id = ${created.json.id} AND channel = 'paper'`)[0][0], '2');

    await card.getByRole('button', { name: 'Stemming sluiten…' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Stemming sluiten' }).click();
    await card.getByText('Aangenomen: 2 voor, 1 tegen, 0 onthoudingen.').waitFor();
    await checkPage(page, { name: 'paper-votes-result' });
    await screenshot(page, 'paper-votes-02-result-laptop');
    assert.deepEqual(watcher.errors, []);
  } finally {
    await context.close();
  }
});
