// Browser test of the staff second factor: the administrator types the code from the
// app on a phone (a wrong one first); a new meldpunt officer is led through setting up
// the app at login (the QR code scanned with zbarimg, the first code, the recovery codes);
// the chair is advised on the dashboard and sets it up on the account page.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import {
  launchBrowser, phoneContext, laptopContext, screenshot, checkAccessibility, watchPage, startAlvd, demoLogins,
  artifactsDir,
} from './lib/browser.mjs';
import { freshTotpCode, totpCode } from '../api/lib/alvd.mjs';
import { waitForMails } from '../api/lib/cycle-fixtures.mjs';
import { checkPage } from './lib/pagecheck.mjs';

// A wrong code is a 401 that Chromium logs as a failed resource load.
const expectedHttpErrors = [/Failed to load resource: the server responded with a status of 4\d\d/];

let alvd;
let browser;
before(async () => { alvd = await startAlvd({ demo: true }); browser = await launchBrowser(); });
after(async () => { await browser?.close(); await alvd?.stop(); });

const desktop = (b) => laptopContext(b, { viewport: { width: 1366, height: 768 } });

function assertAccessible(violations, where) {
  assert.deepEqual(violations, [], `serious/critical axe violations on ${where}:\n${JSON.stringify(violations, null, 2)}`);
}

async function passwordStep(page, email, password, next = '/staff/') {
  await page.goto(`${alvd.url}/login.html?next=${encodeURIComponent(next)}`);
  await page.getByLabel('E-mailadres').fill(email);
  await page.getByLabel('Wachtwoord').fill(password);
  await page.getByRole('button', { name: 'Inloggen', exact: true }).click();
}

test('the administrator logs in on a phone with the code from the app; a wrong code is explained', async () => {
  const context = await phoneContext(browser);
  const page = await context.newPage();
  const watcher = watchPage(page, { ignore: expectedHttpErrors });
  try {
    await passwordStep(page, demoLogins.admin.email, demoLogins.admin.password);
    await page.getByRole('heading', { level: 2, name: 'Code uit uw app' }).waitFor();
    const field = page.getByLabel('Code uit de app');
    assert.equal(await field.getAttribute('autocomplete'), 'one-time-code');
    assert.equal(await field.getAttribute('inputmode'), 'numeric');
    assert.equal(await page.locator('#login-form').isHidden(), true, 'the password form made way');
    await screenshot(page, 'totp-01-code-step-phone');
    await checkPage(page, { name: 'second-factor-1' });
    assertAccessible(await checkAccessibility(page), 'the code step');

    // A wrong code: the server's sentence in the error summary, the field emptied.
    const right = await freshTotpCode(alvd.url, demoLogins.admin.email);
    await field.fill(right === '000000' ? '111111' : '000000');
    await page.getByRole('button', { name: 'Verder', exact: true }).click();
    await page.locator('.error-summary').getByText('De code klopt niet.', { exact: false }).waitFor();
    assert.equal(await field.inputValue(), '');
    await screenshot(page, 'totp-02-wrong-code-phone');

    await field.fill(right);
    await page.getByRole('button', { name: 'Verder', exact: true }).click();
    await page.waitForURL(`${alvd.url}/staff/`);
    await page.getByRole('heading', { level: 1, name: 'Welkom, Anna Admin' }).waitFor();
    assert.equal(await page.locator('#second-factor-advice').count(), 0, 'no advice: the admin has it');
    assert.deepEqual(watcher.errors, []);
  } finally {
    await context.close();
  }
});

test('a new meldpunt officer sets up the app at login: QR code, first code, recovery codes', async () => {
  const email = 'nieuwe-functionaris@ksf.example';
  const made = alvd.run(['user', 'add', '--email', email, '--name', 'Nina Nieuw', '--role', 'meldpunt', '--password-stdin'],
    'nina-wachtwoord-2026\n');
  assert.equal(made.status, 0, made.stderr);
  for (const [name, makeContext] of [['phone', phoneContext], ['desktop', desktop]]) {
    const context = await makeContext(browser);
    const page = await context.newPage();
    const watcher = watchPage(page, { ignore: expectedHttpErrors });
    try {
      if (name === 'desktop') {
        // Linked on the phone already: reset so the desktop run sets it up again.
        assert.equal(alvd.run(['user', 'totp-reset', '--email', email]).status, 0);
      }
      await passwordStep(page, email, 'nina-wachtwoord-2026', '/staff/meldpunt.html');
      await page.getByRole('heading', { level: 2, name: 'Tweestapsverificatie instellen' }).waitFor();
      await page.getByText('Uw rol geeft toegang tot gevoelige gegevens.', { exact: false }).waitFor();
      const qr = page.locator('img.totp-qr');
      await qr.waitFor();
      await page.waitForFunction(() => document.querySelector('img.totp-qr')?.complete);
      const secret = (await page.locator('.totp-secret').textContent()).replace(/\s/g, '');
      assert.match(secret, /^[A-Z2-7]{32}$/);
      await screenshot(page, `totp-03-enrol-${name}`);
      await checkPage(page, { name: 'second-factor-2' });
      assertAccessible(await checkAccessibility(page), `the enrolment step (${name})`);

      // What an authenticator app reads from the QR code: the otpauth URI with this key.
      const file = join(artifactsDir, `totp-qr-${name}.png`);
      await qr.screenshot({ path: file });
      const decoded = execFileSync('zbarimg', ['--raw', '-q', file], { encoding: 'utf8' }).trim();
      assert.equal(decoded, `otpauth://totp/KSF%20alvd:nieuwe-functionaris%40ksf.example?secret=${secret}`
        + '&issuer=KSF%20alvd&algorithm=SHA1&digits=6&period=30');

      // The staff page sends a half-logged-in officer back here, not into the meldpunt.
      assert.equal((await (await context.request.get(`${alvd.url}/api/reports`)).json()).code, 'totp_enrolment_required');

      await page.getByLabel('Code uit de app').fill(totpCode(secret));
      await page.getByRole('button', { name: 'Bevestigen' }).click();
      await page.getByRole('heading', { level: 2, name: 'Bewaar uw herstelcodes' }).waitFor();
      const codes = await page.locator('.recovery-codes code').allTextContents();
      assert.equal(codes.length, 10);
      const next = page.getByRole('button', { name: 'Verder', exact: true });
      assert.equal(await next.isDisabled(), true, 'first say the codes are kept');
      await screenshot(page, `totp-04-recovery-codes-${name}`);
      await checkPage(page, { name: 'second-factor-3' });
      assertAccessible(await checkAccessibility(page), `the recovery codes (${name})`);
      await page.getByLabel('Ik heb de herstelcodes bewaard').check();
      await next.click();
      await page.waitForURL(`${alvd.url}/staff/meldpunt.html`);
      await page.getByRole('heading', { level: 1, name: 'Meldpunt' }).first().waitFor();
      assert.deepEqual(watcher.errors, []);
    } finally {
      await context.close();
    }
  }
});

test('the chair is advised on the dashboard and sets the second factor up on the account page', async () => {
  const context = await desktop(browser);
  const page = await context.newPage();
  const watcher = watchPage(page, { ignore: expectedHttpErrors });
  try {
    await passwordStep(page, demoLogins.chair.email, demoLogins.chair.password);
    await page.waitForURL(`${alvd.url}/staff/`);
    const advice = page.locator('#second-factor-advice');
    await advice.getByText('Tweestapsverificatie aangeraden').waitFor();
    await screenshot(page, 'totp-05-chair-advice-desktop');
    await checkPage(page, { name: 'second-factor-4' });
    assertAccessible(await checkAccessibility(page), 'the dashboard with the advice');
    await advice.getByRole('link', { name: 'Nu instellen' }).click();
    await page.waitForURL(`${alvd.url}/staff/account.html`);
    await page.getByText('Uit: u logt in met alleen uw wachtwoord.').waitFor();
    await screenshot(page, 'totp-06-account-off-desktop');
    await checkPage(page, { name: 'second-factor-5' });
    assertAccessible(await checkAccessibility(page), 'the account page');
    await page.getByRole('button', { name: 'App koppelen' }).click();
    await page.getByText('Met een code uit een app op uw telefoon', { exact: false }).waitFor();
    const secret = (await page.locator('.totp-secret').textContent()).replace(/\s/g, '');
    await page.getByLabel('Code uit de app').fill(totpCode(secret));
    await page.getByRole('button', { name: 'Bevestigen' }).click();
    await page.getByLabel('Ik heb de herstelcodes bewaard').check();
    await page.getByRole('button', { name: 'Verder', exact: true }).click();
    await page.getByText('Aan: u logt in met uw wachtwoord en een code uit uw app.').waitFor();
    await page.getByText('Herstelcodes over: 10 van 10.').waitFor();
    await screenshot(page, 'totp-07-account-on-desktop');
    // From now on the chair's login asks for the code as well.
    const asked = await alvd.client().post('/api/session', demoLogins.chair);
    assert.equal(asked.json.code, 'totp_required');
    assert.deepEqual(watcher.errors, []);
  } finally {
    await context.close();
  }
});

test('a login link replaces the password, not the code: the link page asks for the code from the app', async () => {
  const admin = demoLogins.admin;
  assert.equal((await alvd.client().post('/api/session/link-request', { email: admin.email })).status, 202);
  const [mail] = await waitForMails(alvd.dataDir, (m) => m.to.includes(admin.email) && m.links.length === 1);
  const context = await phoneContext(browser);
  const page = await context.newPage();
  const watcher = watchPage(page, { ignore: expectedHttpErrors });
  try {
    await page.goto(`${alvd.url}/l/${mail.links[0]}`);
    await page.getByRole('button', { name: 'Inloggen', exact: true }).click();
    await page.getByRole('heading', { level: 2, name: 'Code uit uw app' }).waitFor();
    const field = page.getByLabel('Code uit de app');
    assert.equal(await field.getAttribute('autocomplete'), 'one-time-code');
    assert.equal(await page.locator('#link-card').isHidden(), true, 'the link button made way');
    await screenshot(page, 'totp-08-link-code-step-phone');
    await checkPage(page, { name: 'second-factor-6' });
    assertAccessible(await checkAccessibility(page), 'the link page asking for the code');
    // A wrong code is explained at the field; the link still works after it.
    const right = await freshTotpCode(alvd.url, admin.email);
    await field.fill(right === '000000' ? '111111' : '000000');
    await page.getByRole('button', { name: 'Verder', exact: true }).click();
    await page.locator('.error-summary').getByText('De code klopt niet.', { exact: false }).waitFor();
    await field.fill(right);
    await page.getByRole('button', { name: 'Verder', exact: true }).click();
    await page.getByText('Welkom, Anna Admin. U bent ingelogd.').waitFor();
    await screenshot(page, 'totp-09-link-logged-in-phone');
    await page.getByRole('link', { name: 'Verder naar uw overzicht' }).click();
    await page.waitForURL(`${alvd.url}/staff/`);
    assert.deepEqual(watcher.errors, []);
  } finally {
    await context.close();
  }
});
