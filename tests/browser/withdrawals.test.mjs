// Browser tests of the withdrawal pages (issue 7): the secretariat records a letter and
// sees the consequence before saving, then the printable letter; the deadlines page with
// its warnings; a contact person sends the online notice.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launchBrowser, laptopContext, phoneContext, screenshot, checkAccessibility, watchPage, startAlvd, demoLogins } from './lib/browser.mjs';
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

async function logIn(page, next) {
  const { email, password } = demoLogins.secretariat;
  await page.goto(`${alvd.url}/login.html?next=${next}`);
  await page.getByLabel('E-mailadres').fill(email);
  await page.getByLabel('Wachtwoord').fill(password);
  await page.getByRole('button', { name: 'Inloggen', exact: true }).click();
  await page.waitForURL(`${alvd.url}${next}`);
}

test('the secretariat records a letter and sees the consequence before saving', async () => {
  const context = await laptopContext(browser);
  const page = await context.newPage();
  const watcher = watchPage(page);
  try {
    await logIn(page, '/staff/withdrawals.html');
    await page.getByRole('heading', { level: 1, name: 'Intrekkingen' }).waitFor();
    await page.getByLabel('Organisatie', { exact: true }).fill('Netbeheer');
    await page.getByRole('button', { name: /Netbeheer Contactcentrum B\.V\./ }).click();
    await page.getByText('Gekozen: Netbeheer Contactcentrum B.V.').waitFor();
    await page.getByLabel('Track & trace-code').fill('RR123456784NL');
    await page.getByText('Deze code klopt niet: het controlecijfer past niet bij de cijfers. Kijk de code nog eens na.').waitFor();
    await page.getByLabel('Track & trace-code').fill('RR123456785NL');
    await page.getByText('Deze code klopt: RR123456785NL').waitFor();
    // Received today: too late for Wijziging A, works for Wijziging B.
    await page.locator('#preview').getByText(/Te laat voor versie Wijziging A \(demo\)/).waitFor();
    await page.locator('#preview').getByText(/De intrekking werkt voor versie Wijziging B \(demo\), die ingaat op maandag 1 maart 2027/).waitFor();
    await screenshot(page, 'withdrawals-01-intake-preview');
    await checkPage(page, { name: 'withdrawals-1' });
    assert.deepEqual(await checkAccessibility(page), []);
    await page.getByRole('button', { name: 'Brief vastleggen' }).click();
    await page.waitForURL(/\/staff\/withdrawal-letter\.html\?id=\d+$/);
    await page.getByText(/ontving KSF de intrekking van de ondertekening van de Code door Netbeheer Contactcentrum B\.V\./).waitFor();
    await screenshot(page, 'withdrawals-02-letter');
    assert.deepEqual(watcher.errors, []);
  } finally {
    await context.close();
  }
});

test('the deadlines page shows each scheduled version with its advice', async () => {
  const context = await laptopContext(browser);
  const page = await context.newPage();
  const watcher = watchPage(page);
  try {
    await logIn(page, '/staff/deadlines.html');
    await page.getByRole('heading', { level: 2, name: 'Wijziging A (demo)' }).waitFor();
    await page.getByRole('heading', { level: 2, name: 'Wijziging B (demo)' }).waitFor();
    await page.getByText(/verstreken \(14 dagen geleden\)/).waitFor();
    await page.getByText('Verstuur een brief uiterlijk woensdag 18 november 2026: een paar werkdagen vóór de uiterste ontvangstdatum, zodat hij op tijd binnen is.').waitFor();
    await page.getByRole('button', { name: 'Nieuwe agendalink maken' }).click();
    await page.getByText('Nieuwe agendalink gemaakt; de vorige werkt niet meer.').waitFor();
    const link = await page.getByLabel('Uw agendalink').inputValue();
    assert.match(link, /\/api\/deadlines\.ics\?token=[A-Za-z0-9_-]{43}$/);
    await screenshot(page, 'withdrawals-03-deadlines');
    await checkPage(page, { name: 'withdrawals-2' });
    assert.deepEqual(await checkAccessibility(page), []);
    assert.deepEqual(watcher.errors, []);
  } finally {
    await context.close();
  }
});

test('a contact person sends the online notice on a phone', async () => {
  const organisation = alvd.sql("SELECT o.id, c.id FROM organisations o JOIN contacts c ON c.organisation_id = o.id WHERE o.kvk = '54368859'")[0];
  // Telecom Klantzorg already withdrew in the demo; use a signatory that did not.
  const other = alvd.sql("SELECT o.id, c.id FROM organisations o JOIN contacts c ON c.organisation_id = o.id WHERE o.kvk = '99933068'")[0];
  assert.ok(organisation && other);
  const token = alvd.run(['session', 'add', '--kind', 'contact', '--organisation', other[0], '--contact', other[1]]).stdout.trim();
  const context = await phoneContext(browser);
  await context.addCookies([{ name: 'alvd_session', value: token, url: alvd.url }]);
  const page = await context.newPage();
  const watcher = watchPage(page);
  try {
    await page.goto(`${alvd.url}/intrekking.html`);
    await page.getByText('Wat volgt als u vandaag intrekt').waitFor();
    await page.getByRole('button', { name: 'Intrekking versturen' }).click();
    // The confirmation box is required: its error stands at the box, named as it reads.
    await page.locator('.field-error', { hasText: 'Vink aan dat u namens uw organisatie de ondertekening intrekt.' }).waitFor();
    await page.getByLabel('Ik trek namens mijn organisatie de ondertekening van de Code in.').check();
    await page.getByRole('button', { name: 'Intrekking versturen' }).click();
    await page.getByText(/Uw intrekking is ontvangen \(kenmerk INT-\d+\)/).first().waitFor();
    await page.getByText(/Vingerafdruk van uw tekst \(SHA-256\): [0-9a-f]{64}/).waitFor();
    await screenshot(page, 'withdrawals-04-online-notice-phone');
    await checkPage(page, { name: 'withdrawals-3' });
    assert.deepEqual(await checkAccessibility(page), []);
    assert.deepEqual(watcher.errors.filter((e) => !/status of 422/.test(e)), []);
  } finally {
    await context.close();
  }
});
