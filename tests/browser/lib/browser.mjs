// Browser-test harness: Debian's Chromium driven by playwright-core (no downloaded
// browsers), phone and projector contexts, screenshots and an axe-core check.
import { chromium } from 'playwright-core';
import AxeBuilder from '@axe-core/playwright';
import { mkdirSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

import { demoLogin, freshTotpCode } from '../../api/lib/alvd.mjs';

export { startAlvd, demoLogins } from '../../api/lib/alvd.mjs';

/**
 * Log a demo role in through the login page as a person would: e-mail and password,
 * then the code from the app when the page asks for it (computed here from the demo's
 * TOTP secret), and wait for `next` (default the dashboard).
 */
export async function logInPage(page, alvd, role, next = '/staff/') {
  const { email, password } = demoLogin(role);
  await page.goto(`${alvd.url}/login.html?next=${encodeURIComponent(next)}`);
  await page.getByLabel('E-mailadres').fill(email);
  await page.getByLabel('Wachtwoord').fill(password);
  await page.getByRole('button', { name: 'Inloggen', exact: true }).click();
  await answerCodeStep(page, alvd, email, new URL(next, alvd.url).href, page.getByLabel('Code uit de app'),
    () => page.getByRole('button', { name: 'Verder', exact: true }).click());
}

/** After the password: the app's code when the page asks for it, then wait for `target`. */
async function answerCodeStep(page, alvd, email, target, codeField, submitCode) {
  // Whichever comes first; the other wait's failure is not an error.
  const arrived = page.waitForURL(target).then(() => 'page', () => null);
  const asked = codeField.waitFor().then(() => 'code', () => null);
  const there = () => (typeof target === 'string' ? page.url() === target : target.test(page.url()));
  if ((await Promise.race([arrived, asked])) !== 'page' && !there()) {
    await codeField.fill(await freshTotpCode(alvd.url, email));
    await submitCode();
    await page.waitForURL(target);
  }
}

/**
 * The same login in whatever language the page is in (for sweeps that log in with the
 * English page): the form's fields by id, the code step when the role has one.
 */
export async function logInPageAnyLanguage(page, alvd, role, target = /\/staff\//) {
  const { email, password } = demoLogin(role);
  await page.goto(`${alvd.url}/login.html`);
  await page.locator('#email').fill(email);
  await page.locator('#password').fill(password);
  await page.locator('#login-submit').click();
  await answerCodeStep(page, alvd, email, target, page.locator('#totp'),
    () => page.locator('form:has(#totp) button[type="submit"]').click());
}

export const artifactsDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'artifacts');

/** Chromium, headless, no network chatter of its own. Close it in an after() hook. */
export function launchBrowser(options = {}) {
  return chromium.launch({
    executablePath: process.env.ALVD_CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: [
      '--headless=new', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic',
    ],
    ...options,
  });
}

/** Settings every context shares: Dutch locale, Amsterdam time. */
const common = { locale: 'nl-NL', timezoneId: 'Europe/Amsterdam' };

/** Waits fail after 10 s (not Playwright's 30 s), so a broken page fails fast. */
async function fresh(browser, options) {
  const context = await browser.newContext(options);
  context.setDefaultTimeout(Number(process.env.ALVD_BROWSER_TIMEOUT_MS) || 10000);
  return context;
}

/** A fresh profile (own cookies and storage) at phone size: 390×844, touch, 2× pixels. */
export function phoneContext(browser, options = {}) {
  return fresh(browser, {
    ...common, viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2, ...options,
  });
}

/** A fresh profile at laptop size, 1280×800. */
export function laptopContext(browser, options = {}) {
  return fresh(browser, { ...common, viewport: { width: 1280, height: 800 }, ...options });
}

/** A fresh profile at projector size, 1920×1080. */
export function projectorContext(browser, options = {}) {
  return fresh(browser, { ...common, viewport: { width: 1920, height: 1080 }, ...options });
}

/** Full-page PNG at tests/browser/artifacts/<name>.png; returns the path. */
export async function screenshot(page, name) {
  mkdirSync(artifactsDir, { recursive: true });
  const path = join(artifactsDir, `${name.replace(/[^\w.-]+/g, '-')}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/**
 * axe-core (WCAG 2.1 A/AA rules) on the page as it is now; returns the violations
 * with impact serious or critical, each as {id, impact, help, targets}.
 */
export async function checkAccessibility(page, { exclude = [] } = {}) {
  let builder = new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']);
  for (const selector of exclude) builder = builder.exclude(selector);
  const results = await builder.analyze();
  return results.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map((violation) => ({
      id: violation.id,
      impact: violation.impact,
      help: violation.help,
      targets: violation.nodes.map((node) => node.target.join(' ')),
    }));
}

/**
 * Collect what goes wrong in a page: console errors, uncaught exceptions and CSP
 * violations. Call before navigating; read .errors at the end of a test.
 */
export function watchPage(page, { ignore = [] } = {}) {
  const watcher = { errors: [] };
  const keep = (text) => { if (!ignore.some((pattern) => pattern.test(text))) watcher.errors.push(text); };
  page.on('pageerror', (error) => keep(`pageerror: ${error.message}`));
  // The failing resource's address goes with the message, so a report names the request.
  page.on('console', (message) => {
    if (message.type() !== 'error') return;
    const where = message.location()?.url;
    keep(`console: ${message.text()}${where ? ` (${where.replace(/^https?:\/\/[^/]+/, '')})` : ''}`);
  });
  return watcher;
}
