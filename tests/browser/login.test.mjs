// Browser test of the shell: a phone user logs in (after a wrong password), lands on
// the dashboard, switches to English and logs out; plus the 429 wait and the public pages.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  launchBrowser, phoneContext, laptopContext, screenshot, checkAccessibility, watchPage, startAlvd, demoLogins,
} from './lib/browser.mjs';
import { checkPage } from './lib/pagecheck.mjs';

// Expected HTTP answers (401 wrong password, 404 for area pages not built yet) are
// logged by Chromium as "Failed to load resource"; anything else is a real error.
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

function assertAccessible(violations, where) {
  assert.deepEqual(violations, [], `serious/critical axe violations on ${where}:\n${JSON.stringify(violations, null, 2)}`);
}

test('a secretariat user logs in on a phone, switches to English and logs out', async () => {
  const secretariat = demoLogins.secretariat;
  const context = await phoneContext(browser);
  const page = await context.newPage();
  const watcher = watchPage(page, { ignore: expectedHttpErrors });
  try {
    await page.goto(`${alvd.url}/login.html`);
    await page.getByRole('heading', { level: 1, name: 'Inloggen' }).waitFor();
    assert.equal(await page.getAttribute('html', 'lang'), 'nl');
    await screenshot(page, 'login-01-form-phone');
    await checkPage(page, { name: 'login-1' });
    assertAccessible(await checkAccessibility(page), 'the login page');

    // Submitting empty fields: inline Dutch errors, nothing sent.
    await page.getByRole('button', { name: 'Inloggen', exact: true }).click();
    await page.getByText('Vul uw e-mailadres in.').first().waitFor();
    assert.equal(await page.getAttribute('#email', 'aria-invalid'), 'true');
    await screenshot(page, 'login-02-empty-phone');

    // A wrong password: the server's Dutch sentence, in a focused error summary.
    await page.getByLabel('E-mailadres').fill(secretariat.email);
    await page.getByLabel('Wachtwoord').fill('niet-het-goede-wachtwoord');
    await page.getByRole('button', { name: 'Inloggen', exact: true }).click();
    const summary = page.locator('.error-summary');
    await summary.getByText('Het e-mailadres of het wachtwoord klopt niet.').waitFor();
    assert.equal(await summary.evaluate((node) => node === document.activeElement), true, 'the error summary has the focus');
    assert.equal(await page.inputValue('#password'), '', 'the wrong password is cleared');
    await screenshot(page, 'login-03-wrong-password-phone');

    // The right password: on to the dashboard with the user's name and roles.
    await page.getByLabel('Wachtwoord').fill(secretariat.password);
    await page.getByRole('button', { name: 'Inloggen', exact: true }).click();
    await page.waitForURL(`${alvd.url}/staff/`);
    const name = (await (await alvd.login('secretariat')).get('/api/session')).json.user.name;
    await page.getByRole('heading', { level: 1, name: `Welkom, ${name}` }).waitFor();
    await page.locator('.badge', { hasText: 'Secretariaat' }).waitFor();
    const cards = await page.locator('#areas h3').allTextContents();
    assert.deepEqual(cards, ['Register', 'Vergaderingen', 'Intrekkingen'], 'the secretariat sees its own areas only');
    await screenshot(page, 'login-04-dashboard-phone');
    await checkPage(page, { name: 'login-2' });
    assertAccessible(await checkAccessibility(page), 'the dashboard');

    // The menu opens on a phone and lists the same areas.
    await page.getByRole('button', { name: 'Menu' }).click();
    const nav = page.getByRole('navigation', { name: 'Hoofdmenu' });
    await nav.getByRole('link', { name: 'Intrekkingen' }).waitFor();
    assert.equal(await nav.getByRole('link', { name: 'Logboek' }).count(), 0, 'no log (audit) link for the secretariat');
    await screenshot(page, 'login-05-menu-phone');
    await page.getByRole('button', { name: 'Menu' }).click();

    // English: the toggle in the header, remembered across pages.
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { level: 1, name: `Welcome, ${name}` }).waitFor();
    assert.equal(await page.getAttribute('html', 'lang'), 'en');
    await page.getByText('What would you like to work on?').waitFor();
    assert.deepEqual(await page.locator('#areas h3').allTextContents(), ['Register', 'Meetings', 'Withdrawals']);
    await screenshot(page, 'login-06-dashboard-english-phone');

    // Log out: back on the login page (still in English), and the session is gone.
    await page.locator('main').getByRole('button', { name: 'Log out' }).click();
    await page.waitForURL(/\/login\.html\?reason=logged_out$/);
    await page.getByText('You have logged out.').waitFor();
    await page.getByRole('heading', { level: 1, name: 'Log in' }).waitFor();
    await screenshot(page, 'login-07-logged-out-phone');
    await page.goto(`${alvd.url}/staff/`);
    await page.waitForURL(/\/login\.html\?next=%2Fstaff%2F/);
    await page.getByText('Please log in to continue.').waitFor();

    assert.deepEqual(watcher.errors, [], 'no script errors or CSP violations');
  } finally {
    await context.close();
  }
});

test('too many wrong passwords: the 429 sentence and the wait, in Dutch', async () => {
  const admin = demoLogins.admin;
  const client = alvd.client();
  for (let i = 0; i < 5; i++) {
    const answer = await client.post('/api/session', { email: admin.email, password: `fout-${i}` });
    assert.equal(answer.status, 401);
  }
  const context = await phoneContext(browser);
  const page = await context.newPage();
  const watcher = watchPage(page, { ignore: expectedHttpErrors });
  try {
    await page.goto(`${alvd.url}/login.html`);
    await page.getByLabel('E-mailadres').fill(admin.email);
    await page.getByLabel('Wachtwoord').fill(admin.password);
    await page.getByRole('button', { name: 'Inloggen', exact: true }).click();
    const summary = page.locator('.error-summary');
    await summary.getByText('Te veel mislukte pogingen om in te loggen.').waitFor();
    // The wait once, from Retry-After (the first wait after five failures is 30 s).
    const wait = await summary.getByText(/^U kunt het over \d+ seconden opnieuw proberen\.$/).textContent();
    const seconds = Number(/\d+/.exec(wait)[0]);
    assert.ok(seconds > 0 && seconds <= 30, wait);
    assert.equal(await summary.getByText(/seconden/).count(), 1, 'the wait is said once');
    assert.equal(await page.getByRole('button', { name: 'Inloggen', exact: true }).isDisabled(), true, 'the button waits');
    // Or not wait: a login link by e-mail (the owner of the address gets in with it).
    await summary.getByText('Wilt u niet wachten? Vraag een inloglink aan.', { exact: false }).waitFor();
    await screenshot(page, 'login-08-too-many-phone');
    await summary.getByRole('button', { name: 'Stuur mij een inloglink' }).click();
    await summary.getByText('Als dit adres bij een account hoort, staat er binnen enkele minuten een inloglink in uw mailbox.').waitFor();
    await screenshot(page, 'login-09-link-sent-phone');
    assert.deepEqual(watcher.errors, []);
  } finally {
    await context.close();
  }
});

test('a staff page sends an anonymous visitor to the login page and back after login', async () => {
  const board = demoLogins.board;
  const context = await laptopContext(browser);
  const page = await context.newPage();
  const watcher = watchPage(page, { ignore: expectedHttpErrors });
  try {
    await page.goto(`${alvd.url}/staff/`);
    await page.waitForURL(/\/login\.html\?next=%2Fstaff%2F&reason=login$/);
    await page.getByText('Log in om verder te gaan.').waitFor();
    await page.getByLabel('E-mailadres').fill(board.email);
    await page.getByLabel('Wachtwoord').fill(board.password);
    await page.getByRole('button', { name: 'Inloggen', exact: true }).click();
    await page.waitForURL(`${alvd.url}/staff/`);
    await page.locator('.badge', { hasText: 'Bestuur' }).waitFor();
    const nav = page.getByRole('navigation', { name: 'Hoofdmenu' });
    await nav.getByRole('link', { name: 'Wijzigingscycli' }).waitFor();
    assert.equal(await nav.getByRole('link', { name: 'Dashboard' }).getAttribute('aria-current'), 'page');
    await screenshot(page, 'dashboard-board-laptop');
    await checkPage(page, { name: 'login-3' });
    assertAccessible(await checkAccessibility(page), 'the dashboard at laptop size');
    assert.deepEqual(watcher.errors, []);
  } finally {
    await context.close();
  }
});

test('public pages: landing and 404 are readable and accessible at phone and laptop size', async () => {
  for (const [size, makeContext] of [['phone', phoneContext], ['laptop', laptopContext]]) {
    const context = await makeContext(browser);
    const page = await context.newPage();
    const watcher = watchPage(page, { ignore: expectedHttpErrors });
    try {
      await page.goto(`${alvd.url}/`);
      await page.getByRole('heading', { level: 1, name: 'Code voor Verantwoordelijk Marktgedrag' }).waitFor();
      await page.getByRole('link', { name: 'Inloggen voor medewerkers' }).waitFor();
      for (const link of ['De Code', 'Meldpunt', 'Register']) {
        await page.locator('main').getByRole('link', { name: link, exact: true }).waitFor();
      }
      await screenshot(page, `home-${size}`);
      await checkPage(page, { name: 'login-4' });
      assertAccessible(await checkAccessibility(page), `the landing page (${size})`);
      await page.goto(`${alvd.url}/404.html`);
      await page.getByRole('heading', { level: 1, name: 'Deze pagina bestaat niet' }).waitFor();
      await screenshot(page, `notfound-${size}`);
      await checkPage(page, { name: 'login-5' });
      assertAccessible(await checkAccessibility(page), `the 404 page (${size})`);
      assert.deepEqual(watcher.errors, []);
    } finally {
      await context.close();
    }
  }
});
