// The meldpunt and the administrator (issue 14 points 1, 4, 5 and 6), asserting what a
// person reads: the public form's errors named as the labels name them (never a field
// name), a bad e-mail address refused by the page and by the server at its field with
// nothing stored, full-size checkboxes, the receipt's due date in words; the officer's
// wrong passphrase replaced by the unlock, states and judgements that agree; the log as
// readable entries with their details folded, filters that keep working.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launchBrowser, laptopContext, phoneContext, screenshot, watchPage, startAlvd, logInPageAnyLanguage } from './lib/browser.mjs';
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

/** Logged in as a demo role; admin and meldpunt give the app's code too (ALVD_TOTP_ROLES). */
async function staffLogin(page, role) {
  await logInPageAnyLanguage(page, alvd, role);
}

const texts = (locator) => locator.evaluateAll((nodes) => nodes.map((node) => node.textContent.replace(/\s+/g, ' ').trim()));
const errorAt = (page, id) => page.locator(`.field:has(#${id}) > .field-error`);
const reports = () => Number(alvd.sql('SELECT COUNT(*) FROM meldpunt_reports')[0][0]);

test('the public report form: every error named as its label, a bad address refused by page and server, the due date in words', async () => {
  const context = await phoneContext(browser);
  const page = await context.newPage();
  // The server's refusal (422) on purpose; an anonymous visitor's session check before sending (401).
  const watcher = watchPage(page, { ignore: [/status of 422/, /status of 401/] });
  try {
    await page.goto(`${alvd.url}/meldpunt.html`);
    await page.locator('#norms input').first().waitFor();
    const box = await page.locator('#norms input').first().boundingBox();
    assert.ok(box.width >= 24 && box.height >= 24, `a norm's checkbox is full size (${box.width}×${box.height})`);
    await page.getByRole('button', { name: 'Melding versturen' }).click();
    const summary = page.locator('.error-summary');
    await summary.waitFor();
    const listed = await texts(summary.locator('li'));
    assert.deepEqual(listed, [
      'Vul uw naam in.',
      'Vul uw e-mailadres in, zodat wij de ontvangst kunnen bevestigen.',
      'Kies de organisatie uit de lijst. Typ eerst een deel van de naam.',
      'Kies één of meer normen.',
      'Beschrijf wat er is gebeurd.',
    ]);
    assert.doesNotMatch(listed.join(' '), /organisation_id|reporter|norms\b|text\b/);
    await page.locator('#norms-field > .field-error', { hasText: 'Kies één of meer normen.' }).waitFor();
    await screenshot(page, 'office-meldpunt-01-form-errors-phone');
    await checkPage(page, { key: { phone: '.error-summary' }, name: 'office-meldpunt-form-errors' });
    // On a laptop the person sends the form there: the summary comes into view at that size too.
    await page.setViewportSize({ width: 1366, height: 768 });
    await page.getByRole('button', { name: 'Melding versturen' }).click();
    await summary.waitFor();
    await screenshot(page, 'office-meldpunt-01-form-errors-laptop');
    await checkPage(page, { key: { laptop: '.error-summary' }, name: 'office-meldpunt-form-errors-laptop' });
    await page.setViewportSize({ width: 390, height: 844 });

    // The English toggle rewrites the errors the page made.
    await page.getByRole('button', { name: 'English' }).click();
    await summary.getByText('Enter your name.').waitFor();
    assert.equal(await summary.locator('h2').textContent(), 'There are 5 errors in the form');
    await page.getByRole('button', { name: 'Nederlands' }).click();
    await summary.getByText('Vul uw naam in.').waitFor();

    await page.getByLabel('Uw naam').fill('Fatima Bakker');
    await page.getByLabel('Uw e-mailadres').fill('fatima@@voorbeeld.nl');
    await page.locator('#organisation_id').selectOption({ index: 0 });
    await page.getByLabel(/^Norm 6a/).check();
    await page.getByLabel('Wat is er gebeurd?').fill('Na drie keer doorverbinden viel de lijn weg.');
    await page.getByRole('button', { name: 'Melding versturen' }).click();
    await errorAt(page, 'email').getByText('Vul een geldig e-mailadres in, zoals naam@voorbeeld.nl.').waitFor();
    assert.deepEqual(await texts(summary.locator('li')), ['Vul een geldig e-mailadres in, zoals naam@voorbeeld.nl.']);

    // Past the page's check, the server refuses too: at the same field, nothing stored.
    const before = reports();
    await page.locator('#email').evaluate((input) => { input.type = 'text'; });
    await page.getByRole('button', { name: 'Melding versturen' }).click();
    await errorAt(page, 'email').getByText('Vul een geldig e-mailadres in, zoals naam@voorbeeld.nl.').waitFor();
    assert.equal(reports(), before, 'no report stored for a bad address');

    await page.getByLabel('Uw e-mailadres').fill('fatima@voorbeeld.nl');
    const answered = page.waitForResponse((response) => response.url().endsWith('/api/reports') && response.request().method() === 'POST');
    await page.getByRole('button', { name: 'Melding versturen' }).click();
    const due = (await (await answered).json()).feedback_due;
    const receipt = page.locator('#receipt-box');
    await receipt.waitFor();
    assert.equal(reports(), before + 1);
    const words = new Intl.DateTimeFormat('nl-NL', { timeZone: 'UTC', weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' })
      .format(new Date(`${due}T00:00:00Z`)).replace(',', '');
    await receipt.getByText(new RegExp(`^Meldingnummer \\d+\\. U krijgt uiterlijk ${words} een terugkoppeling\\.$`)).waitFor();
    await checkPage(page, { key: '#receipt-box', name: 'office-meldpunt-receipt' });
    await screenshot(page, 'office-meldpunt-02-receipt-phone');
    assert.deepEqual(watcher.errors, []);
  } finally {
    await context.close();
  }
});

test('the officer: a wrong passphrase at its field, replaced by the unlock; state and judgement in the same words', async () => {
  const context = await laptopContext(browser);
  const page = await context.newPage();
  const watcher = watchPage(page, { ignore: [/status of 4\d\d/] }); // the wrong passphrase, on purpose
  try {
    await staffLogin(page, 'meldpunt');
    await page.goto(`${alvd.url}/staff/meldpunt.html`);
    await page.getByLabel('Wachtzin van het meldpunt').fill('niet de goede wachtzin hoor');
    await page.getByRole('button', { name: 'Ontgrendelen' }).click();
    await errorAt(page, 'passphrase').getByText('De wachtzin klopt niet.').waitFor({ timeout: 30000 });
    assert.equal(await page.locator('.toast--error').count(), 0, 'the error is at the field, not in a toast');
    await page.getByLabel('Wachtzin van het meldpunt').fill('demo-meldpunt-wachtzin-2026');
    await page.getByRole('button', { name: 'Ontgrendelen' }).click();
    await page.locator('.badge', { hasText: 'Ontgrendeld' }).waitFor({ timeout: 30000 });
    assert.equal(await page.locator('.error-summary, .field-error, .toast--error').count(), 0, 'no old error next to the unlock');
    await page.locator('.toast--success', { hasText: 'Het meldpunt is ontgrendeld voor deze sessie.' }).waitFor();

    // Report 5 of the demo: a judgement recorded as "nog geen oordeel".
    const open = async (id) => {
      await page.locator('#overview tr', { has: page.locator('td', { hasText: new RegExp(`^${id}$`) }) }).getByRole('button', { name: 'Openen' }).click();
      await page.getByRole('heading', { level: 2, name: `Melding ${id}` }).waitFor();
    };
    const rows = async () => Object.fromEntries((await page.locator('#detail dl.dl').evaluate((dl) => [...dl.querySelectorAll('dt')]
      .map((dt) => [dt.textContent, dt.nextElementSibling.textContent]))));
    await open(5);
    let shown = await rows();
    assert.equal(shown.Stand, 'Oordeel aangehouden');
    assert.equal(shown.Oordeel, 'Nog geen oordeel');
    assert.match(shown['Terugkoppelen vóór'], /^\w+dag \d{1,2} \w+ \d{4}$/, 'the due date in words');
    assert.match(await page.locator('#overview').innerText(), /Oordeel aangehouden/);
    await page.getByLabel('Oordeel', { exact: true }).selectOption({ label: 'Past de norm toe' });
    await page.getByRole('button', { name: 'Oordeel vastleggen' }).click();
    await page.locator('.toast--success', { hasText: 'Opgeslagen.' }).waitFor();
    shown = await rows();
    assert.equal(shown.Stand, 'Oordeel vastgelegd');
    assert.equal(shown.Oordeel, 'Past de norm toe');
    await checkPage(page, { name: 'office-meldpunt-officer' });
    await screenshot(page, 'office-meldpunt-03-officer-case');
    assert.deepEqual(watcher.errors, []);
  } finally {
    await context.close();
  }
});

test('the log: readable entries with their details folded, no sideways scrolling, filters that keep working', async () => {
  const context = await laptopContext(browser);
  context.setDefaultTimeout(30000); // a full-page picture of fifty entries takes a while on a busy machine
  const page = await context.newPage();
  // The login's first answer is 401 totp_required: the admin role gives the app's code next.
  const watcher = watchPage(page, { ignore: [/status of 401/] });
  try {
    await staffLogin(page, 'admin');
    await page.goto(`${alvd.url}/staff/audit.html`);
    await page.getByRole('heading', { level: 1, name: 'Logboek' }).waitFor();
    await page.locator('.audit-list li').first().waitFor();
    const heads = await texts(page.locator('.audit-entry__head strong'));
    assert.ok(heads.includes('Ingelogd'), heads.join(', '));
    assert.ok(heads.every((head) => !/[._]/.test(head)), 'actions in words, not their internal names');
    assert.equal(await page.locator('.audit-entry details[open]').count(), 0, 'details folded');
    assert.equal(await page.locator('.audit-entry details').count(), await page.locator('.audit-list li').count());
    await checkPage(page, { key: 'main h1', name: 'office-admin-log' });
    await screenshot(page, 'office-admin-01-log');

    // Filter on one organisation: every entry is about it, and the address keeps the filter.
    await page.getByLabel('Soort object').selectOption({ label: 'Organisatie' });
    await page.getByLabel('Nummer van het object (niet verplicht)').fill('2');
    await page.getByRole('button', { name: 'Filteren' }).click();
    await page.waitForURL(/\/staff\/audit\.html\?object_type=organisation&object_id=2$/);
    await page.locator('.audit-entry__meta', { hasText: 'Over Organisatie 2' }).first().waitFor();
    const about = await texts(page.locator('.audit-entry__meta'));
    assert.ok(about.length >= 1 && about.every((line) => line.endsWith('Over Organisatie 2')), about.join('\n'));
    await page.locator('.audit-entry details summary').first().click();
    await page.locator('.audit-entry details[open] dt', { hasText: 'Hash' }).waitFor();
    await checkPage(page, { name: 'office-admin-log-filtered' });
    await screenshot(page, 'office-admin-02-log-filtered');
    await page.reload();
    assert.equal(await page.locator('#object_type option:checked').textContent(), 'Organisatie', 'the filter survives a reload');
    await page.locator('.audit-entry__meta', { hasText: 'Over Organisatie 2' }).first().waitFor();
    // In English, the entries loaded before the switch are written again.
    await page.getByRole('button', { name: 'English' }).click();
    await page.locator('.audit-entry__meta', { hasText: 'About Organisation 2' }).first().waitFor();
    assert.equal(await page.locator('#object_type option:checked').textContent(), 'Organisation');
    await page.getByRole('button', { name: 'Nederlands' }).click();
    await page.getByRole('link', { name: 'Alles tonen' }).click();
    await page.waitForURL(/\/staff\/audit\.html$/);
    await page.locator('.audit-entry__head strong', { hasText: 'Ingelogd' }).first().waitFor();
    assert.deepEqual(watcher.errors, []);
  } finally {
    await context.close();
  }
});
