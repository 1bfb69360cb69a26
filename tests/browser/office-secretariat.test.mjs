// The secretariat's journey (issue 14 points 1, 3 and 6), asserting what it reads:
// adding an organisation on its own page (a KvK number in groups is taken), the
// withdrawal intake's live track & trace check surviving a failed save, the printed
// confirmation letter (heading, no null, dates in words), the deadlines page without a
// formula and the printed attendance list with a signature column.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launchBrowser, laptopContext, screenshot, watchPage, startAlvd, logInPageAnyLanguage } from './lib/browser.mjs';
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
const today = () => new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Amsterdam' }).format(new Date());
const inWords = (date) => new Intl.DateTimeFormat('nl-NL', { timeZone: 'UTC', weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' })
  .format(new Date(`${date}T00:00:00Z`)).replace(',', '');

test('adding an organisation is its own form; a KvK number in groups is taken, a taken one is named at its field', async () => {
  const context = await laptopContext(browser);
  const page = await context.newPage();
  const watcher = watchPage(page, { ignore: [/status of 409/] }); // the taken KvK number, on purpose
  try {
    await staffLogin(page, 'secretariat');
    await page.goto(`${alvd.url}/staff/register.html`);
    await page.locator('#list table').waitFor();
    await checkPage(page, { key: '#add-link', name: 'office-secretariat-register' });
    await page.getByRole('link', { name: 'Organisatie toevoegen' }).click();
    await page.getByRole('heading', { level: 1, name: 'Organisatie toevoegen' }).waitFor();
    await page.getByRole('button', { name: 'Organisatie toevoegen' }).click();
    assert.deepEqual(await texts(page.locator('.error-summary li')), ['Vul de naam van de organisatie in.', 'Vul het KvK-nummer in.']);
    await page.getByLabel('Naam van de organisatie').fill('Punt en Spatie B.V.');
    await page.getByLabel('KvK-nummer').fill('1234 567');
    await page.getByRole('button', { name: 'Organisatie toevoegen' }).click();
    assert.match(await errorAt(page, 'add-kvk').textContent(), /Een KvK-nummer heeft 8 cijfers, bijvoorbeeld 12345678\.$/);
    await screenshot(page, 'office-secretariat-01-add-errors');
    await page.getByLabel('KvK-nummer').fill('12 34 56 78');
    await page.getByRole('button', { name: 'Organisatie toevoegen' }).click();
    await page.waitForURL(/\/staff\/organisation\.html\?id=\d+&created=1$/);
    await page.getByRole('heading', { level: 1, name: 'Punt en Spatie B.V.' }).waitFor();
    await page.getByText('Punt en Spatie B.V. is toegevoegd aan het register. Voeg nu contactpersonen en grondslagen toe.').waitFor();
    assert.equal(await page.locator('#details-h + dl dd').first().textContent(), '12345678', 'stored as 8 digits');
    await checkPage(page, { key: 'main h1', name: 'office-secretariat-organisation' });

    // The same number written with a dot: the server's sentence at the KvK field.
    await page.goto(`${alvd.url}/staff/organisation-new.html`);
    await page.getByLabel('Naam van de organisatie').fill('Dubbel B.V.');
    await page.getByLabel('KvK-nummer').fill('1234.5678');
    await page.getByRole('button', { name: 'Organisatie toevoegen' }).click();
    await errorAt(page, 'add-kvk').getByText('KvK-nummer 12345678 staat al in het register (Punt en Spatie B.V.).').waitFor();
    assert.equal(await page.inputValue('#add-kvk'), '12345678');
    await screenshot(page, 'office-secretariat-02-kvk-taken');
    assert.deepEqual(watcher.errors, []);
  } finally {
    await context.close();
  }
});

test('the withdrawal intake keeps its live check through a failed save; the letter has a heading, no null and dates in words', async () => {
  const context = await laptopContext(browser);
  const page = await context.newPage();
  const watcher = watchPage(page, { ignore: [/status of 409/] }); // the already withdrawn organisation, on purpose
  try {
    await staffLogin(page, 'secretariat');
    await page.goto(`${alvd.url}/staff/withdrawals.html`);
    const status = page.locator('#tracking-status');
    const choose = async (name) => {
      await page.getByLabel('Organisatie', { exact: true }).fill(name.slice(0, 8));
      await page.getByRole('button', { name: new RegExp(`^${name.replace(/\./g, '\\.')} · KvK`) }).click();
      await page.getByText(`Gekozen: ${name}`).waitFor();
    };
    // Telecom Klantzorg already withdrew in the demo: the server refuses a second one.
    await choose('Telecom Klantzorg B.V.');
    await page.getByLabel('Track & trace-code').fill('RR123456784NL');
    await status.getByText('Deze code klopt niet: het controlecijfer past niet bij de cijfers. Kijk de code nog eens na.').waitFor();
    await page.getByRole('button', { name: 'Brief vastleggen' }).click();
    await errorAt(page, 'tracking_code').getByText('Deze code klopt niet: het controlecijfer past niet bij de cijfers. Kijk de code nog eens na.').waitFor();
    assert.equal(await status.isVisible(), true, 'the live check stays below the field');
    await page.getByLabel('Track & trace-code').fill('RR123456785NL');
    await status.getByText('Deze code klopt: RR123456785NL').waitFor();
    assert.equal(await errorAt(page, 'tracking_code').count(), 0, 'the old error goes once the code is corrected');

    // A save the server refuses: the sentence at the organisation, the live check still working after it.
    await page.getByRole('button', { name: 'Brief vastleggen' }).click();
    const refusal = errorAt(page, 'org-search');
    await refusal.waitFor();
    assert.match(await refusal.textContent(), /De ondertekening van Telecom Klantzorg B\.V\. is al ingetrokken \(registratie 1\); zij eindigt op \w+dag \d{1,2} \w+ \d{4}\. Corrigeer die registratie/);
    await page.getByLabel('Track & trace-code').fill('RR12345678');
    await status.getByText(/^Deze code klopt niet\./).waitFor();
    await page.getByLabel('Track & trace-code').fill('3SKSF0009876543');
    await status.getByText('Deze code klopt: 3SKSF0009876543').waitFor();
    await screenshot(page, 'office-secretariat-03-intake-after-failed-save');
    await checkPage(page, { name: 'office-secretariat-intake' });

    await choose('Netbeheer Contactcentrum B.V.');
    assert.equal(await refusal.count(), 0, 'choosing another organisation clears the refusal');
    await page.locator('#preview').getByText(/De intrekking werkt voor versie Wijziging B \(demo\), die ingaat op maandag 1 maart 2027/).waitFor();
    await page.getByRole('button', { name: 'Brief vastleggen' }).click();
    await page.waitForURL(/\/staff\/withdrawal-letter\.html\?id=\d+$/);
    await page.getByRole('heading', { level: 1, name: 'Bevestiging van de intrekking' }).waitFor();
    const letter = await page.locator('#letter').innerText();
    assert.ok(letter.includes(`Op ${inWords(today())} ontving KSF de intrekking van de ondertekening van de Code door Netbeheer Contactcentrum B.V. (aangetekende brief, track & trace 3SKSF0009876543).`), letter);
    assert.ok(letter.includes('Een intrekking moest uiterlijk maandag 23 november 2026 binnen zijn; deze intrekking is daarmee te laat.'), letter);
    assert.doesNotMatch(letter, /null|undefined|\d{4}-\d{2}-\d{2}/);
    assert.match(letter, /^Bevestiging van de intrekking\n+Klantenservice Federatie \(KSF\)\nSecretariaat KSF\n+Netbeheer Contactcentrum B\.V\.\nKvK \d{8}\n/);
    await checkPage(page, { key: '.letter__title', name: 'office-secretariat-letter' });
    await page.emulateMedia({ media: 'print' });
    await screenshot(page, 'office-secretariat-04-letter-printed');
    await page.emulateMedia({ media: 'screen' });
    assert.deepEqual(watcher.errors, []);
  } finally {
    await context.close();
  }
});

test('the deadlines page says the rule in words; the printed attendance list has a heading and a signature column', async () => {
  const context = await laptopContext(browser);
  const page = await context.newPage();
  const watcher = watchPage(page);
  try {
    await staffLogin(page, 'secretariat');
    await page.goto(`${alvd.url}/staff/deadlines.html`);
    await page.getByRole('heading', { level: 2, name: 'Wijziging A (demo)' }).waitFor();
    const lead = await page.locator('main .lead').textContent();
    assert.match(lead, /Een intrekking moet uiterlijk 4 weken vóór de ingangsdatum binnen zijn/);
    assert.doesNotMatch(lead, /=|−|\(E\)|\bW\b/);
    await checkPage(page, { key: 'main h1', name: 'office-secretariat-deadlines' });

    await page.goto(`${alvd.url}/staff/presentielijst.html?meeting=1`);
    await page.getByRole('heading', { level: 1, name: 'Presentielijst Algemene Ledenvergadering (demo)' }).waitFor();
    // The demo ALV is dated the day the demo is loaded: its date as stored, written in words.
    const [[stored]] = alvd.sql("SELECT DATE_FORMAT(date, '%Y-%m-%d') FROM meetings WHERE id = 1");
    const inWords = new Intl.DateTimeFormat('nl-NL', { timeZone: 'UTC', weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' })
      .format(new Date(`${stored}T00:00:00Z`)).replace(',', '');
    assert.equal(await page.locator('main .lead').textContent(), `${inWords}, 19:30 uur · Jaarbeurs, Utrecht (zaal 3)`);
    assert.deepEqual(await texts(page.locator('table.attendance-list thead th')),
      ['Lidnummer', 'Organisatie', 'Naam afgevaardigde', 'Binnen sinds', 'Volmacht aan', 'Handtekening']);
    const members = (await (await alvd.login('secretariat')).get('/api/meetings/1/attendance')).json.members.length;
    assert.equal(await page.locator('table.attendance-list tbody tr').count(), members, 'one row per voting member');
    assert.equal(await page.locator('table.attendance-list tbody td.attendance-list__signature').first().textContent(), '', 'room to sign');
    await checkPage(page, { key: 'main h1', name: 'office-secretariat-attendance-list' });
    await page.emulateMedia({ media: 'print' });
    await screenshot(page, 'office-secretariat-05-attendance-list-printed');
    assert.deepEqual(watcher.errors, []);
  } finally {
    await context.close();
  }
});
