// Browser tests of the register and Code pages: the public Code on a phone with
// article anchors, the version history, the public register, and the secretariat's
// register, organisation detail and CSV import.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  launchBrowser, phoneContext, laptopContext, screenshot, checkAccessibility, watchPage, startAlvd, demoLogins,
} from './lib/browser.mjs';
import { amsterdamDate } from '../api/lib/poll-fixtures.mjs';
import { checkPage } from './lib/pagecheck.mjs';

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

function assertAccessible(violations, where) {
  assert.deepEqual(violations, [], `serious/critical axe violations on ${where}:\n${JSON.stringify(violations, null, 2)}`);
}

async function logIn(page, role) {
  const { email, password } = demoLogins[role];
  await page.goto(`${alvd.url}/login.html?next=/staff/register.html`);
  await page.getByLabel('E-mailadres').fill(email);
  await page.getByLabel('Wachtwoord').fill(password);
  await page.getByRole('button', { name: 'Inloggen', exact: true }).click();
  await page.waitForURL(`${alvd.url}/staff/register.html`);
}

test('the public reads the Code on a phone, jumps to norm 6a, and sees the history and register', async () => {
  const context = await phoneContext(browser);
  const page = await context.newPage();
  // The Code on a date before any version is a 404 answer that the page explains.
  const watcher = watchPage(page, { ignore: [/status of 404/] });
  try {
    await page.goto(`${alvd.url}/code.html`);
    await page.getByRole('heading', { level: 1, name: 'De Code' }).waitFor();
    await page.getByText('Versie 2025-1').waitFor();
    const toc = page.getByRole('navigation', { name: 'Inhoud' });
    await toc.getByRole('link', { name: '6a. Transparantie en integriteit' }).click();
    await page.waitForURL(/#art-6a$/);
    const heading = page.locator('#art-6a');
    assert.match(await heading.textContent(), /Transparantie en integriteit/);
    assert.ok(await heading.isVisible());
    await screenshot(page, 'register-01-code-6a-phone');
    await checkPage(page, { name: 'register-1' });
    assertAccessible(await checkAccessibility(page), 'the Code');
    const width = await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
    assert.equal(width, true, 'no sideways scrolling on a phone');

    await page.goto(`${alvd.url}/code.html?date=2025-06-30`);
    await page.getByText('Op deze datum gold nog geen versie van de Code.').waitFor();

    await page.goto(`${alvd.url}/code-history.html`);
    await page.getByText('2025-1').first().waitFor();
    await page.locator('.badge', { hasText: 'Geldt nu' }).waitFor();
    await checkPage(page, { name: 'register-2' });
    assertAccessible(await checkAccessibility(page), 'the version history');

    await page.goto(`${alvd.url}/register.html`);
    await page.getByRole('cell', { name: 'Klantcontact Noord B.V.' }).waitFor();
    assert.equal(await page.getByRole('cell', { name: 'Belcentrale Twente B.V.' }).count(), 0, 'no consent, not listed');
    await screenshot(page, 'register-02-public-register-phone');
    await checkPage(page, { name: 'register-3' });
    assertAccessible(await checkAccessibility(page), 'the public register');
    assert.deepEqual(watcher.errors, [], 'no script errors or CSP violations');
  } finally {
    await context.close();
  }
});

test('the version history shows a word diff between two versions', async () => {
  const admin = await alvd.login('admin');
  const v1 = await admin.get('/api/code/in-force?date=2025-07-01');
  const markdown = v1.json.articles.map((a) => `${/[a-z]$/.test(a.id) ? `- ${a.id.slice(-1)}. *${a.title}*` : `${a.id}. ${a.title}`}\n\n${a.text}`).join('\n\n')
    .replace('Partijen zijn transparant', 'Partijen zijn open en transparant');
  const created = await admin.post('/api/code/versions', { label: '2099-1', effective_from: '2099-01-01', decided_on: amsterdamDate(), markdown });
  assert.equal(created.status, 201, created.text);
  const context = await phoneContext(browser);
  const page = await context.newPage();
  const watcher = watchPage(page);
  try {
    await page.goto(`${alvd.url}/code-history.html`);
    await page.locator('#diff ins', { hasText: 'open en' }).first().waitFor();
    await page.locator('.badge', { hasText: 'Gaat nog in' }).first().waitFor(); // the withdrawal demo schedules amendments too
    assert.match(await page.locator('#diff').textContent(), /1 gewijzigd/);
    await screenshot(page, 'register-03-diff-phone');
    await checkPage(page, { name: 'register-4' });
    assertAccessible(await checkAccessibility(page), 'the diff');
    assert.deepEqual(watcher.errors, []);
  } finally {
    await context.close();
  }
});

test('the secretariat searches, opens an organisation, adds a basis and checks the status', async () => {
  const context = await laptopContext(browser);
  const page = await context.newPage();
  const watcher = watchPage(page, { ignore: [/status of 422/] }); // the contract without reference, on purpose
  try {
    await logIn(page, 'secretariat');
    await page.getByRole('link', { name: 'Klantcontact Noord B.V.' }).waitFor();
    await page.getByLabel('Toon').selectOption('contract');
    await page.getByRole('link', { name: 'Klantcontact Noord B.V.' }).waitFor({ state: 'detached' });
    await page.getByRole('link', { name: 'Energie Noord-Holland N.V.' }).waitFor();
    assert.match(await page.url(), /basis=contract/);
    await page.getByLabel('Toon').selectOption('all');
    await page.getByLabel('Zoeken').fill('Twente');
    await page.getByText('1 organisatie', { exact: true }).waitFor();
    await checkPage(page, { name: 'register-5' });
    assertAccessible(await checkAccessibility(page), 'the staff register');
    await page.getByRole('link', { name: 'Belcentrale Twente B.V.' }).click();
    await page.getByRole('heading', { level: 1, name: 'Belcentrale Twente B.V.' }).waitFor();
    await page.locator('.alert__title', { hasText: 'Gebonden' }).waitFor();
    await page.getByText('Henk Mulder').waitFor();

    await page.getByText('Grondslag toevoegen', { exact: true }).first().click();
    const form = page.locator('form', { has: page.getByRole('button', { name: 'Grondslag toevoegen' }) });
    await form.getByLabel('Grondslag', { exact: true }).selectOption('contract');
    await form.getByLabel('Vanaf').fill('2026-01-01');
    await form.getByRole('button', { name: 'Grondslag toevoegen' }).click();
    // Checked in the page, at the field, named as its label: nothing is sent yet.
    await form.locator('.field-error', { hasText: 'Vul de contractreferentie in.' }).waitFor();
    await form.getByLabel('Contractreferentie').fill('BT-2026-01');
    await form.getByRole('button', { name: 'Grondslag toevoegen' }).click();
    await page.getByText('BT-2026-01').waitFor();
    await screenshot(page, 'register-04-organisation-laptop');

    await page.getByLabel('Datum', { exact: true }).fill('2020-01-01');
    await page.getByRole('button', { name: 'Bekijken' }).click();
    await page.locator('.alert__title', { hasText: 'Niet gebonden' }).waitFor();
    await checkPage(page, { name: 'register-6' });
    assertAccessible(await checkAccessibility(page), 'the organisation page');
    assert.deepEqual(watcher.errors, []);
  } finally {
    await context.close();
  }
});

test('the secretariat previews a member list with a broken row, then imports the fixed file', async () => {
  const context = await laptopContext(browser);
  const page = await context.newPage();
  const watcher = watchPage(page, { ignore: [/status of 422/] });
  try {
    await logIn(page, 'secretariat');
    await page.goto(`${alvd.url}/staff/import.html`);
    const broken = 'naam;kvk;lid_sinds\nImport Een B.V.;91000001;2026-01-01\nKapot B.V.;123;\n';
    await page.getByLabel('CSV-bestand').setInputFiles({ name: 'leden.csv', mimeType: 'text/csv', buffer: Buffer.from(broken) });
    await page.getByRole('button', { name: 'Voorbeeld bekijken' }).click();
    await page.getByText('2 regels: 1 nieuw, 0 gewijzigd, 0 ongewijzigd, 1 ongeldig.').waitFor();
    await page.getByText('Het KvK-nummer moet uit precies 8 cijfers bestaan.').waitFor();
    assert.equal(await page.getByRole('button', { name: 'Inlezen bevestigen' }).isDisabled(), true);
    await screenshot(page, 'register-05-import-preview-laptop');
    await checkPage(page, { name: 'register-7' });
    assertAccessible(await checkAccessibility(page), 'the import preview');

    const fixed = 'naam;kvk;lid_sinds\nImport Een B.V.;91000001;2026-01-01\n';
    await page.getByLabel('CSV-bestand').setInputFiles({ name: 'leden.csv', mimeType: 'text/csv', buffer: Buffer.from(fixed) });
    await page.getByRole('button', { name: 'Voorbeeld bekijken' }).click();
    await page.getByText('1 regel: 1 nieuw').waitFor();
    await page.getByRole('button', { name: 'Inlezen bevestigen' }).click();
    await page.locator('.alert--success', { hasText: 'Ingelezen: 1 nieuw, 0 gewijzigd, 0 ongewijzigd.' }).waitFor();
    assert.equal(alvd.sql("SELECT COUNT(*) FROM organisations WHERE kvk = '91000001'")[0][0], '1');
    assert.deepEqual(watcher.errors, []);
  } finally {
    await context.close();
  }
});
