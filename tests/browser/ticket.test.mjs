// Browser test of the delegate's phone: a ticket URL opens the landing page (which
// logs nobody in), the tap logs the phone in as that member, and the member page
// turns to "checked in" live when the door scans the ticket.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import {
  launchBrowser, phoneContext, screenshot, checkAccessibility, watchPage, startAlvd,
} from './lib/browser.mjs';

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

test('a phone logs in through its ticket URL and sees itself checked in after the door scan', async () => {
  const ticketUrl = /(http\S+\/t\/[A-Za-z0-9_-]+)/.exec(alvd.demoOutput)?.[1];
  assert.ok(ticketUrl, `the demo prints a ticket link:\n${alvd.demoOutput}`);
  const meetingId = Number(/meeting (\d+)/.exec(alvd.demoOutput)[1]);
  const context = await phoneContext(browser);
  const page = await context.newPage();
  const watcher = watchPage(page);
  try {
    await page.goto(ticketUrl);
    await page.getByRole('heading', { level: 1, name: 'Uw toegangsbewijs voor de ALV' }).waitFor();
    assert.equal(alvd.sql("SELECT COUNT(*) FROM sessions WHERE kind = 'member'")[0][0], '0', 'opening the page logs nobody in');
    await screenshot(page, 'ticket-01-landing-phone');
    assert.deepEqual(await checkAccessibility(page), [], 'accessibility of the landing page');

    await page.getByRole('button', { name: 'Aanmelden op deze telefoon' }).click();
    await page.waitForURL('**/member.html');
    const status = page.locator('#member-status');
    await status.getByText('U bent nog niet ingecheckt').waitFor();
    assert.equal(alvd.sql("SELECT COUNT(*) FROM sessions WHERE kind = 'member'")[0][0], '1');
    await page.getByRole('heading', { level: 2, name: 'Agenda' }).waitFor();
    assert.ok(await page.getByText('Jaarlijkse herziening van de Code').isVisible());
    await screenshot(page, 'ticket-02-member-outside-phone');

    const secretariat = await alvd.login('secretariat');
    const scanned = await secretariat.post(`/api/meetings/${meetingId}/scans`,
      { ticket: ticketUrl, direction: 'entry', nonce: randomUUID() });
    assert.equal(scanned.status, 200, scanned.text);
    assert.equal(scanned.json.result, 'entered');
    await status.getByText('U bent ingecheckt').waitFor();
    assert.equal(await status.getAttribute('data-inside'), 'true');
    await screenshot(page, 'ticket-03-member-inside-phone');
    assert.deepEqual(await checkAccessibility(page), [], 'accessibility of the member page');
    assert.deepEqual(watcher.errors, []);
  } finally {
    await context.close();
  }
});
