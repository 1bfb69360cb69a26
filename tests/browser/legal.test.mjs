// The pages behind issue 13's rules, as their readers see them, at 390×844 and
// 1366×768: the public half-year report (published, "<3" and "x"; a half year not yet
// published), the officer's marked concept, the Code import form with its ALV decision.
// Every view is kept as a screenshot and checked with axe.
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
  // A half year whose "<3" would follow from its row: published with an "x" beside it.
  const rows = [['6a', 'compliant'], ['6a', 'compliant'], ['6a', 'compliant'], ['6a', 'explained'], ['6b', 'pending']];
  alvd.sql(rows.map(([norm, judgement], i) => `INSERT INTO meldpunt_reports (received_on, state, judgement, closed_on, personal_data_deleted_on)
    VALUES ('2024-0${7 + i}-10', 'closed', '${judgement}', '2025-01-10', '2025-01-10');
    INSERT INTO meldpunt_report_norms (report_id, norm) VALUES (LAST_INSERT_ID(), '${norm}')`).join(';\n'));
  const officer = await alvd.login('meldpunt');
  assert.equal((await officer.post('/api/meldpunt/half-year/2024H2/publish', {})).status, 200);
});

after(async () => {
  await browser?.close();
  await alvd?.stop();
});

const sizes = [
  ['phone', (b) => phoneContext(b)],
  ['laptop', (b) => laptopContext(b, { viewport: { width: 1366, height: 768 } })],
];

async function login(page, role, next) {
  await page.goto(`${alvd.url}/login.html?next=${encodeURIComponent(next)}`);
  await page.getByLabel('E-mailadres').fill(demoLogins[role].email);
  await page.getByLabel('Wachtwoord').fill(demoLogins[role].password);
  await page.getByRole('button', { name: 'Inloggen', exact: true }).click();
  await page.waitForURL(`**${next.split('?')[0]}*`);
}

for (const [size, makeContext] of sizes) {
  test(`the public half-year report shows "<3" and "x", and an unpublished half year says so (${size})`, async () => {
    const context = await makeContext(browser);
    const page = await context.newPage();
    const watcher = watchPage(page);
    try {
      await page.goto(`${alvd.url}/meldpunt-rapportage.html?period=2024H2`);
      const table = page.locator('#report table');
      await table.waitFor();
      const sixA = table.locator('tbody tr', { hasText: '6a' });
      assert.deepEqual((await sixA.locator('td').allTextContents()).map((c) => c.trim()), ['x', 'x', '0', '< 3', '0']);
      await page.getByText('x: niet gepubliceerd').waitFor();
      await screenshot(page, `legal-meldpunt-published-${size}`);
      assert.deepEqual(await checkAccessibility(page), [], 'published report');
      await page.goto(`${alvd.url}/meldpunt-rapportage.html?period=2026H2`);
      await page.getByText('nog niet gepubliceerd').waitFor();
      assert.equal(await page.locator('#csv').isVisible(), false, 'no CSV link for what is not published');
      await screenshot(page, `legal-meldpunt-not-published-${size}`);
      assert.deepEqual(await checkAccessibility(page), [], 'unpublished half year');
      assert.deepEqual(watcher.errors.filter((e) => !/404/.test(e)), []);
    } finally {
      await context.close();
    }
  });

  test(`the officer sees the running half year as a marked concept, with the way to publish (${size})`, async () => {
    const context = await makeContext(browser);
    const page = await context.newPage();
    try {
      await login(page, 'meldpunt', '/staff/meldpunt.html');
      await page.getByLabel('Halfjaar (bijvoorbeeld 2026H1)').fill('2026H2');
      const draft = page.getByRole('link', { name: 'Concept bekijken' });
      assert.match(await draft.getAttribute('href'), /period=2026H2$/);
      await page.locator('#half-year-form').scrollIntoViewIfNeeded();
      await screenshot(page, `legal-meldpunt-officer-form-${size}`);
      await page.goto(`${alvd.url}/meldpunt-rapportage.html?period=2026H2`);
      await page.getByText('Concept, niet gepubliceerd').waitFor();
      await page.getByRole('link', { name: 'Publiceren op de meldpuntpagina' }).waitFor();
      await screenshot(page, `legal-meldpunt-concept-${size}`);
      assert.deepEqual(await checkAccessibility(page), [], 'concept view');
    } finally {
      await context.close();
    }
  });

  test(`the Code import form asks for the ALV decision and refuses a retroactive date in words (${size})`, async () => {
    const context = await makeContext(browser);
    const page = await context.newPage();
    try {
      await login(page, 'admin', '/staff/code.html');
      await page.getByLabel('Datum van het ALV-besluit').waitFor();
      await page.getByLabel('Versie', { exact: true }).fill('terugwerkend');
      await page.getByLabel('Geldt vanaf').fill('2020-01-01');
      await page.getByLabel('Datum van het ALV-besluit').fill('2019-10-01');
      await page.getByLabel('Tekst van de Code').fill('1. Een\n\nTekst.');
      await page.getByRole('button', { name: 'Versie invoeren' }).click();
      await page.getByText(/werkt niet terug/).first().waitFor();
      await screenshot(page, `legal-code-import-retroactive-${size}`);
      assert.deepEqual(await checkAccessibility(page), [], 'code import form');
    } finally {
      await context.close();
    }
  });
}
