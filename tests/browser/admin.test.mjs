// Browser tests of the administrator's pages: the audit log with its chain check and
// the Code's versions with the import form.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  launchBrowser, laptopContext, phoneContext, screenshot, checkAccessibility, watchPage, startAlvd, logInPage, artifactsDir,
} from './lib/browser.mjs';
import { join } from 'node:path';
import { checkPage } from './lib/pagecheck.mjs';

let alvd;
let browser;
before(async () => { alvd = await startAlvd({ demo: true }); browser = await launchBrowser(); });
after(async () => { await browser?.close(); await alvd?.stop(); });

// The administrator logs in with the second factor (the login page asks for the code).
const logIn = (page, next) => logInPage(page, alvd, 'admin', next);

test('the admin checks the audit chain and sees the newest entries', async () => {
  const context = await laptopContext(browser);
  const page = await context.newPage();
  // The login page's first try answers 401 totp_required (the code comes next).
  const watcher = watchPage(page, { ignore: [/status of 401/] });
  await logIn(page, '/staff/audit.html');
  await page.getByText('Ingelogd', { exact: true }).first().waitFor();
  await page.getByRole('button', { name: 'Controleer de keten' }).click();
  await page.getByText(/De keten is intact: \d+ regels gecontroleerd/).waitFor();
  await screenshot(page, 'admin-audit-laptop');
  await checkPage(page, { name: 'admin-1' });
  assert.deepEqual(await checkAccessibility(page), []);
  assert.deepEqual(watcher.errors, []);
  await context.close();
});

test('a change made just now and not yet chained shows as waiting, not as a broken chain (issue 17)', async () => {
  // Another process holds the sequencer's lease and chains nothing: the admin's own login
  // waits as a pending entry.
  alvd.sql("UPDATE audit_sequencer SET holder = 'elders:1:stuck', lease_until = UTC_TIMESTAMP(6) + INTERVAL 1 HOUR WHERE id = 1");
  try {
    for (const [name, open] of [['admin-audit-pending-phone', phoneContext], ['admin-audit-pending-laptop', laptopContext]]) {
      const context = await open(browser);
      const page = await context.newPage();
      const watcher = watchPage(page, { ignore: [/status of 401/] });
      await logIn(page, '/staff/audit.html');
      await page.getByText('Ingelogd', { exact: true }).first().waitFor();
      await page.getByRole('button', { name: 'Controleer de keten' }).click();
      await page.getByText(/De keten is intact: \d+ regels gecontroleerd\. \d+ wijziging(en)? van zojuist wacht(en)? nog op (haar|hun) plaats in de keten/).waitFor();
      await screenshot(page, name);
      await page.screenshot({ path: join(artifactsDir, `${name}-top.png`) }); // what the admin sees first
      await checkPage(page, { name: 'admin-2' });
      assert.deepEqual(await checkAccessibility(page), []);
      assert.deepEqual(watcher.errors, []);
      await context.close();
    }
  } finally {
    alvd.sql("UPDATE audit_sequencer SET lease_until = '2000-01-01' WHERE id = 1");
  }
});

test('the admin sees the Code version in force and imports a scheduled one on a phone', async () => {
  const context = await phoneContext(browser);
  const page = await context.newPage();
  await logIn(page, '/staff/code.html');
  await page.getByText('2025-1').first().waitFor();
  await page.getByText('Van kracht').first().waitFor();
  await page.getByLabel('Versie', { exact: true }).fill('2099-1');
  await page.getByLabel('Geldt vanaf').fill('2099-01-01');
  await page.getByLabel('Tekst van de Code').fill('Zonder artikelen.');
  await page.getByRole('button', { name: 'Versie invoeren' }).click();
  await page.locator('.field-error, .error-summary').first().waitFor();
  await page.getByLabel('Tekst van de Code').fill('1. Preambule\n\nEen nieuwe Code.\n\n2. Doelen\n\nBetere marktwerking.');
  await page.getByRole('button', { name: 'Versie invoeren' }).click();
  await page.getByText('Gepland').first().waitFor();
  await screenshot(page, 'admin-code-phone');
  await checkPage(page, { name: 'admin-3' });
  assert.deepEqual(await checkAccessibility(page), []);
  await context.close();
});
