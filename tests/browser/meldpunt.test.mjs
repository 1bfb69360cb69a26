// Browser test of the meldpunt pages: a reporter on a phone sends a report and sees the
// receipt once, follows it up; the officer unlocks and opens it; the half-year chart; the
// form and the half-year report in English through the header toggle.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  launchBrowser, phoneContext, laptopContext, screenshot, checkAccessibility, watchPage, startAlvd, logInPage,
} from './lib/browser.mjs';
import { checkPage } from './lib/pagecheck.mjs';

let alvd;
let browser;

before(async () => {
  alvd = await startAlvd({ demo: true, env: { ALVD_TEST_TODAY: '2026-08-20' } });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await alvd?.stop();
});

test('a reporter sends a report on a phone, keeps the receipt and follows the report up', async () => {
  const context = await phoneContext(browser);
  const page = await context.newPage();
  const watcher = watchPage(page, { ignore: [/status of 401/] });
  try {
    await page.goto(`${alvd.url}/meldpunt.html`);
    await page.getByRole('heading', { level: 1, name: 'Een melding doen' }).waitFor();
    await page.getByLabel('Uw naam').fill('Petra Proef');
    await page.getByLabel('Uw e-mailadres').fill('petra@melder.example');
    await page.locator('#organisation_id option').first().waitFor({ state: 'attached' });
    await page.locator('#organisation_id').selectOption({ index: 0 });
    await page.getByLabel(/Norm 6a/).check();
    await page.getByLabel('Wat is er gebeurd?').fill('Ik werd drie keer doorverbonden en toen viel de lijn weg.');
    await screenshot(page, 'meldpunt-01-form-phone');
    await checkPage(page, { name: 'meldpunt-1' });
    assert.deepEqual(await checkAccessibility(page), [], 'the report form is accessible');
    await page.getByRole('button', { name: 'Melding versturen' }).click();
    await page.getByText('Bewaar deze code goed.').waitFor();
    const receipt = (await page.locator('.receipt-code').textContent()).trim();
    assert.match(receipt, /^\d{4}( \d{4}){4}$/);
    await screenshot(page, 'meldpunt-02-receipt-phone');

    await page.goto(`${alvd.url}/meldpunt-volgen.html`);
    await page.getByLabel(/Ontvangstcode/).fill(receipt);
    await page.getByRole('button', { name: 'Bekijken' }).click();
    await page.getByText('Ontvangen', { exact: true }).first().waitFor();
    await page.getByText('Er is nog geen terugkoppeling.').waitFor();
    await screenshot(page, 'meldpunt-03-follow-up-phone');
    assert.deepEqual(watcher.errors, []);
  } finally {
    await context.close();
  }
});

test('the officer unlocks with the passphrase and opens a report; the half-year page draws its chart', async () => {
  const context = await laptopContext(browser);
  const page = await context.newPage();
  // 403: locked before unlocking; 401: the login's first try asks for the second factor.
  const watcher = watchPage(page, { ignore: [/status of 403/, /status of 401/] });
  try {
    await logInPage(page, alvd, 'meldpunt', '/staff/meldpunt.html');
    await page.getByLabel('Wachtzin van het meldpunt').fill('demo-meldpunt-wachtzin-2026');
    await page.getByRole('button', { name: 'Ontgrendelen' }).click();
    await page.locator('.badge', { hasText: 'Ontgrendeld' }).waitFor({ timeout: 30000 });
    await page.getByRole('button', { name: 'Openen' }).first().click();
    await page.getByRole('heading', { name: 'Melder (vertrouwelijk)' }).waitFor();
    await screenshot(page, 'meldpunt-04-officer-laptop');
    await checkPage(page, { name: 'meldpunt-2' });
    assert.deepEqual(await checkAccessibility(page), [], 'the officer page is accessible');

    await page.goto(`${alvd.url}/meldpunt-rapportage.html?period=2025H1`);
    await page.locator('#report table').waitFor();
    assert.ok(await page.locator('svg.chart rect').count() > 0, await page.locator('#report').innerHTML());
    await page.getByRole('cell', { name: '< 3' }).first().waitFor();
    await screenshot(page, 'meldpunt-05-half-year-laptop');
    await checkPage(page, { name: 'meldpunt-3' });
    assert.deepEqual(await checkAccessibility(page), [], 'the half-year page is accessible');
    assert.deepEqual(watcher.errors, []);
  } finally {
    await context.close();
  }
});

test('two officers: one asks for a reporter\'s identity with a reason, the other approves on a phone', async () => {
  const desk = await laptopContext(browser, { viewport: { width: 1366, height: 768 } });
  const phone = await phoneContext(browser);
  const mo = await desk.newPage();
  const noor = await phone.newPage();
  const expected = { ignore: [/status of 403/, /status of 401/] };
  const watchers = [watchPage(mo, expected), watchPage(noor, expected)];
  try {
    await logInPage(mo, alvd, 'meldpunt', '/staff/meldpunt.html');
    await mo.getByLabel('Wachtzin van het meldpunt').fill('demo-meldpunt-wachtzin-2026');
    await mo.getByRole('button', { name: 'Ontgrendelen' }).click();
    await mo.locator('.badge', { hasText: 'Ontgrendeld' }).waitFor({ timeout: 30000 });
    await mo.getByRole('heading', { name: 'Functionarissen' }).waitFor();
    assert.equal(await mo.locator('.officer').count(), 2, 'both demo officers are listed');
    const open = mo.getByRole('button', { name: 'Openen' }).first();
    await open.click();
    await mo.getByText('Wie deze melding deed, ziet u pas nadat u erom vraagt met een reden.').waitFor();
    await mo.getByText('Een andere functionaris beslist over uw verzoek.').waitFor();
    await mo.getByLabel('Waarom heeft u de identiteit nodig?').fill('De melder vroeg om teruggebeld te worden.');
    await mo.getByRole('button', { name: 'Identiteit opvragen' }).click();
    await mo.getByText('Uw verzoek wacht op een andere functionaris.').waitFor();
    await screenshot(mo, 'meldpunt-06-identity-asked-desktop');
    await checkPage(mo, { name: 'meldpunt-4' });
    assert.deepEqual(await checkAccessibility(mo), [], 'the report with a pending request is accessible');

    await logInPage(noor, alvd, 'meldpunt2', '/staff/meldpunt.html');
    await noor.getByLabel('Wachtzin van het meldpunt').fill('demo-noor-wachtzin-2026');
    await noor.getByRole('button', { name: 'Ontgrendelen' }).click();
    await noor.locator('.badge', { hasText: 'Ontgrendeld' }).waitFor({ timeout: 30000 });
    const request = noor.locator('.identity-request', { hasText: 'De melder vroeg om teruggebeld te worden.' });
    await request.waitFor();
    await screenshot(noor, 'meldpunt-07-identity-decide-phone');
    await checkPage(noor, { name: 'meldpunt-5' });
    assert.deepEqual(await checkAccessibility(noor), [], 'the officer page with a request to decide is accessible');
    await request.getByRole('button', { name: 'Goedkeuren' }).click();
    await noor.getByText('Goedgekeurd: de identiteit is vrijgegeven aan Mo Meldpunt.').waitFor();

    await open.click();
    await mo.locator('#detail').getByText('@').first().waitFor();
    assert.equal(await mo.getByRole('button', { name: 'Identiteit opvragen' }).count(), 0);
    await screenshot(mo, 'meldpunt-08-identity-released-desktop');
    for (const watcher of watchers) assert.deepEqual(watcher.errors, []);
  } finally {
    await desk.close();
    await phone.close();
  }
});

test('the report form and the half-year report switch to English with the header toggle', async () => {
  const context = await phoneContext(browser);
  const page = await context.newPage();
  const watcher = watchPage(page, { ignore: [/status of 401/] });
  try {
    await page.goto(`${alvd.url}/meldpunt.html`);
    await page.getByLabel(/Norm 6a/).waitFor();
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { level: 1, name: 'Make a report' }).waitFor();
    assert.equal(await page.getAttribute('html', 'lang'), 'en');
    assert.equal(await page.title(), 'Reporting desk · KSF alvd');
    await page.getByText('Confidential, not anonymous').waitFor();
    for (const label of ['Your name', 'Your e-mail address', 'Phone (optional)', 'Which organisation is it about?',
      'What happened?', 'Attachments (optional)']) {
      assert.equal(await page.getByLabel(label, { exact: true }).count(), 1, `English label "${label}"`);
    }
    await page.getByRole('group', { name: 'Which standards of the Code were not applied?' }).waitFor();
    await page.getByLabel(/^Standard 6a: /).check();
    for (const label of ['Uw naam', 'Uw e-mailadres', 'Wat is er gebeurd?', 'Over welke organisatie gaat het?',
      'Bijlagen (niet verplicht)', /^Norm 6a/]) {
      assert.equal(await page.getByLabel(label, { exact: true }).count(), 0, `no Dutch label "${label}"`);
    }
    const text = await page.locator('main').innerText();
    for (const dutch of ['Een melding doen', 'Over u', 'Welke normen', 'Kies er één of meer', 'Melding versturen', 'Volg uw melding']) {
      assert.ok(!text.includes(dutch), `no Dutch "${dutch}" left on the form`);
    }
    await screenshot(page, 'meldpunt-06-form-english-phone');
    await checkPage(page, { name: 'meldpunt-6' });
    assert.deepEqual(await checkAccessibility(page), [], 'the English report form is accessible');
    await page.getByLabel(/^Standard 6a: /).uncheck();
    await page.getByRole('button', { name: 'Send report' }).click();
    await page.getByText('Choose one or more standards.').first().waitFor();

    // The half-year report opens in English (the choice is remembered), and its chart,
    // legend, table and period list follow the toggle both ways.
    await page.goto(`${alvd.url}/meldpunt-rapportage.html?period=2025H1`);
    await page.getByRole('heading', { level: 1, name: 'Half-year report of the reporting desk' }).waitFor();
    await page.locator('#report table').waitFor();
    assert.equal(await page.title(), 'Reporting desk half-year report · KSF alvd');
    await page.getByRole('img', { name: 'Reports per standard, split by judgement' }).waitFor();
    await page.getByRole('columnheader', { name: 'Standard', exact: true }).waitFor();
    await page.getByRole('columnheader', { name: 'Does not apply the standard' }).waitFor();
    await page.getByText('Dashed outline: fewer than 3').waitFor();
    assert.equal(await page.locator('#period option:checked').textContent(), '2025 January–June');
    await page.getByLabel('Half-year').waitFor();
    const englishBars = await page.locator('svg.chart text').allTextContents();
    assert.ok(englishBars.some((label) => /^Standard \d/.test(label)), englishBars.join(' | '));
    assert.ok(!englishBars.some((label) => label.startsWith('Norm ')), englishBars.join(' | '));
    await screenshot(page, 'meldpunt-07-half-year-english-phone');
    await checkPage(page, { name: 'meldpunt-7' });
    assert.deepEqual(await checkAccessibility(page), [], 'the English half-year page is accessible');

    await page.getByRole('button', { name: 'Nederlands' }).click();
    await page.getByRole('heading', { level: 1, name: 'Halfjaarrapportage van het meldpunt' }).waitFor();
    await page.getByRole('img', { name: 'Meldingen per norm, verdeeld naar oordeel' }).waitFor();
    await page.getByRole('columnheader', { name: 'Past de norm niet toe' }).waitFor();
    assert.equal(await page.locator('#period option:checked').textContent(), '2025 januari–juni');
    assert.ok((await page.locator('svg.chart text').allTextContents()).some((label) => /^Norm \d/.test(label)));
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('columnheader', { name: 'Applies the standard', exact: true }).waitFor();
    assert.deepEqual(watcher.errors, []);
  } finally {
    await context.close();
  }
});
