// Browser test of the meldpunt pages: a reporter on a phone sends a report and sees the
// receipt once, follows it up; the officer unlocks and opens it; the half-year chart.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  launchBrowser, phoneContext, laptopContext, screenshot, checkAccessibility, watchPage, startAlvd, demoLogins,
} from './lib/browser.mjs';

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
  const watcher = watchPage(page, { ignore: [/status of 403/] });
  try {
    await page.goto(`${alvd.url}/login.html`);
    await page.getByLabel('E-mailadres').fill(demoLogins.meldpunt.email);
    await page.getByLabel('Wachtwoord').fill(demoLogins.meldpunt.password);
    await page.getByRole('button', { name: 'Inloggen', exact: true }).click();
    await page.waitForURL(`${alvd.url}/staff/`);
    await page.goto(`${alvd.url}/staff/meldpunt.html`);
    await page.getByLabel('Wachtzin van het meldpunt').fill('demo-meldpunt-wachtzin-2026');
    await page.getByRole('button', { name: 'Ontgrendelen' }).click();
    await page.locator('.badge', { hasText: 'Ontgrendeld' }).waitFor({ timeout: 30000 });
    await page.getByRole('button', { name: 'Openen' }).first().click();
    await page.getByRole('heading', { name: 'Melder (vertrouwelijk)' }).waitFor();
    await screenshot(page, 'meldpunt-04-officer-laptop');
    assert.deepEqual(await checkAccessibility(page), [], 'the officer page is accessible');

    await page.goto(`${alvd.url}/meldpunt-rapportage.html?period=2025H1`);
    await page.locator('#report table').waitFor();
    assert.ok(await page.locator('svg.chart rect').count() > 0, await page.locator('#report').innerHTML());
    await page.getByRole('cell', { name: '< 3' }).first().waitFor();
    await screenshot(page, 'meldpunt-05-half-year-laptop');
    assert.deepEqual(await checkAccessibility(page), [], 'the half-year page is accessible');
    assert.deepEqual(watcher.errors, []);
  } finally {
    await context.close();
  }
});
