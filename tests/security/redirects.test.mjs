// Redirects after login go to same-origin paths only, parsed as URLs the way Chromium
// parses them (issue 16, point 6): the pentest's '/\evil.example' and '/%09/evil.example'
// and their relatives end on alvd's own pages, in headless Chromium, on the staff login
// page and in the function both login pages use.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { launchBrowser, phoneContext, startAlvd, demoLogins } from '../browser/lib/browser.mjs';

let alvd;
let browser;
after(async () => { await browser?.close(); await alvd?.stop(); });

// As they stand in the address bar after ?next= (percent-encoded where a browser would).
const hostile = ['/\\evil.example', '/%09/evil.example', '//evil.example', '/%5Cevil.example', '/%0A/evil.example',
  '/%0D%0A/evil.example', '%2F%2Fevil.example', 'https://evil.example/', 'javascript:alert(1)', '/\\/evil.example',
  '/.//evil.example'];

test('hostile ?next= values never leave the site; a real path is kept', async () => {
  alvd = await startAlvd({ demo: true });
  browser = await launchBrowser();
  const context = await phoneContext(browser);
  const page = await context.newPage();
  await page.goto(`${alvd.url}/login.html`);
  const decided = await page.evaluate(async (values) => {
    const { safeNext } = await import('/js/ui.js');
    return values.map((value) => {
      const raw = new URLSearchParams(`next=${value}`).get('next');
      const target = safeNext(raw, '/staff/');
      return { value, target, origin: new URL(target, location.origin).origin };
    });
  }, [...hostile, '/staff/cycles.html?id=3#top']);
  for (const { value, target, origin } of decided) {
    assert.equal(origin, new URL(alvd.url).origin, `${value} → ${target} stays on the site`);
  }
  assert.equal(decided.at(-1).target, `${alvd.url}/staff/cycles.html?id=3#top`, 'a path on the site is kept');

  // The whole flow for the pentest's two values: log in, and see where Chromium lands.
  for (const value of ['/%09/evil.example', '/\\evil.example']) {
    const tab = await context.newPage();
    await tab.goto(`${alvd.url}/login.html?next=${value}`);
    await tab.fill('#email', demoLogins.board.email);
    await tab.fill('#password', demoLogins.board.password);
    await Promise.all([tab.waitForURL((url) => !url.pathname.endsWith('/login.html'), { timeout: 30000 }), tab.click('#login-submit')]);
    assert.equal(new URL(tab.url()).origin, new URL(alvd.url).origin, `after login with ?next=${value}: ${tab.url()}`);
    await tab.close();
  }
  await context.close();
});
