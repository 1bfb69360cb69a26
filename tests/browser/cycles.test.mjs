// Browser test of the cycle pages on the demo data: the board's dashboard draws the
// timeline, the proposal shows its diff, the reactienota and the outbox render; a
// contact logs in by the link of a mail and comments on the consultation page.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launchBrowser, laptopContext, phoneContext, screenshot, checkAccessibility, watchPage, startAlvd, logInPage } from './lib/browser.mjs';
import { readMails, waitForMails } from '../api/lib/cycle-fixtures.mjs';
import { checkPage } from './lib/pagecheck.mjs';

const expectedHttpErrors = [/Failed to load resource: the server responded with a status of 4\d\d/];
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

// Through the login page; the administrator's second factor is typed as its app shows it.
const staffLogin = (page, role) => logInPage(page, alvd, role, '/staff/');

test('the board sees the cycle with its timeline, a proposal with its diff, a round and the reactienota', async () => {
  const context = await laptopContext(browser);
  const page = await context.newPage();
  const watcher = watchPage(page, { ignore: expectedHttpErrors });
  try {
    await staffLogin(page, 'board');
    await page.goto(`${alvd.url}/staff/cycles.html`);
    await page.locator('svg.timeline-chart').waitFor();
    assert.ok(await page.locator('svg.timeline-chart rect').count() >= 2, 'review and round bars');
    assert.equal(await page.locator('svg.timeline-chart path').count(), 3, 'ALV, withdrawal deadline, effective date');
    await page.getByText('Norm 6d: opleiding concreet maken').first().waitFor();
    await screenshot(page, 'cycles-01-dashboard');
    await checkPage(page, { name: 'cycles-1' });
    assert.deepEqual(await checkAccessibility(page), []);

    await page.getByRole('link', { name: /Norm 6d: opleiding concreet maken/ }).click();
    await page.locator('.diff ins').first().waitFor();
    assert.match(await page.locator('.diff ins').first().textContent(), /16 uur/);
    await screenshot(page, 'cycles-02-proposal');
    await checkPage(page, { name: 'cycles-2' });
    assert.deepEqual(await checkAccessibility(page), []);

    await page.goto(`${alvd.url}/staff/cycles.html`);
    await page.getByRole('link', { name: 'Ronde 1' }).click();
    await page.getByText('Zestien uur is voor deeltijders').waitFor();
    await checkPage(page, { name: 'cycles-3' });
    assert.deepEqual(await checkAccessibility(page), []);
    await page.goto(`${alvd.url}/staff/reactienota.html?id=1`);
    await page.getByText('Terecht punt. De norm geldt naar rato van de arbeidsduur.').waitFor();
    await screenshot(page, 'cycles-03-reactienota');
    await checkPage(page, { name: 'cycles-4' });
    assert.deepEqual(await checkAccessibility(page), []);
    assert.deepEqual(watcher.errors, []);
  } finally {
    await context.close();
  }
});

test('a contact logs in by the link in an invitation and comments; the admin finds the mail in the outbox', async () => {
  const board = await alvd.login('board');
  const { items } = await board.get('/api/cycles').then((r) => r.json);
  const cycle = (await board.get(`/api/cycles/${items[0].id}`)).json;
  const opened = await board.post(`/api/cycles/${cycle.id}/consultations`, {
    opens_at: new Date(Date.now() - 60000).toISOString(), closes_at: new Date(Date.now() + 7 * 86400000).toISOString(),
    proposal_ids: [cycle.proposals[2].id],
  });
  assert.equal(opened.status, 201, opened.text);
  const [mail] = await waitForMails(alvd.dataDir, (m) => m.to === 'carla@energie.example' && m.subject.includes('ronde 2'));
  const context = await phoneContext(browser);
  const page = await context.newPage();
  const watcher = watchPage(page, { ignore: expectedHttpErrors });
  try {
    await page.goto(`${alvd.url}/l/${mail.links[0]}`);
    await page.getByRole('button', { name: 'Inloggen' }).click();
    await page.getByRole('link', { name: /Verder/ }).click();
    await page.waitForURL(/consultation\.html/);
    await page.getByRole('heading', { name: /Consultatieronde 2/ }).waitFor();
    await page.getByLabel('Uw reactie').fill('Graag ook aandacht voor omscholing bij automatisering van eenvoudig werk.');
    await page.getByRole('button', { name: 'Reactie versturen' }).click();
    await page.getByText('Reacties van uw organisatie').waitFor();
    await screenshot(page, 'cycles-04-consultation-phone');
    await checkPage(page, { name: 'cycles-5' });
    assert.deepEqual(await checkAccessibility(page), []);
    assert.deepEqual(watcher.errors, []);
  } finally {
    await context.close();
  }
  const [[count]] = alvd.sql("SELECT COUNT(*) FROM consultation_comments WHERE text LIKE 'Graag ook aandacht%'");
  assert.equal(count, '1');

  const adminContext = await laptopContext(browser);
  const adminPage = await adminContext.newPage();
  try {
    await staffLogin(adminPage, 'admin');
    await adminPage.goto(`${alvd.url}/staff/outbox.html`);
    const id = readMails(alvd.dataDir).find((m) => m.to === 'carla@energie.example').file.replace('.eml', '');
    await adminPage.goto(`${alvd.url}/staff/outbox.html?id=${Number(id)}`);
    const link = adminPage.locator('pre a').first();
    await link.waitFor();
    assert.match(await link.getAttribute('href'), /\/l\/[A-Za-z0-9_-]{43}$/);
    await screenshot(adminPage, 'cycles-05-outbox-mail');
    await checkPage(adminPage, { name: 'cycles-6' });
    assert.deepEqual(await checkAccessibility(adminPage), []);
  } finally {
    await adminContext.close();
  }
});
