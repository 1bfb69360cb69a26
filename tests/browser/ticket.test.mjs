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
    assert.ok(await page.getByText('Opening en mededelingen').isVisible());
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

test('the door scanner reads a QR from an uploaded picture; the projector and the meeting page follow', async () => {
  const meetingId = Number(/meeting (\d+)/.exec(alvd.demoOutput)[1]);
  const secretariat = await alvd.login('secretariat');
  const tickets = await secretariat.get(`/api/meetings/${meetingId}/tickets`);
  const ticket = tickets.json.items.find((item) => !/\/t\//.test(alvd.demoOutput) || !alvd.demoOutput.includes(item.code));
  const png = await fetch(`${alvd.url}${ticket.qr_png}`, { headers: { Authorization: `Bearer ${secretariat.token}` } });
  const { mkdtempSync, writeFileSync, rmSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const dir = mkdtempSync(join(tmpdir(), 'alvd-scan-'));
  const file = join(dir, 'ticket.png');
  writeFileSync(file, Buffer.from(await png.arrayBuffer()));
  const { laptopContext, projectorContext } = await import('./lib/browser.mjs');
  const context = await laptopContext(browser);
  const page = await context.newPage();
  const watcher = watchPage(page);
  const projectorCtx = await projectorContext(browser);
  const projector = await projectorCtx.newPage();
  try {
    await page.goto(`${alvd.url}/login.html?next=${encodeURIComponent(`/staff/scanner.html?meeting=${meetingId}`)}`);
    await page.getByLabel('E-mailadres').fill('secretariaat@ksf.example');
    await page.getByLabel('Wachtwoord').fill('demo-secretariaat-2026');
    await page.getByRole('button', { name: 'Inloggen', exact: true }).click();
    await page.waitForURL('**/staff/scanner.html?meeting=*');
    await page.getByRole('heading', { level: 1, name: 'Scannen bij de ingang' }).waitFor();
    await page.waitForFunction(() => typeof window.jsQR === 'function');

    const projectorLogin = projector;
    await projectorLogin.goto(`${alvd.url}/login.html?next=${encodeURIComponent(`/projector.html?meeting=${meetingId}`)}`);
    await projectorLogin.getByLabel('E-mailadres').fill('secretariaat@ksf.example');
    await projectorLogin.getByLabel('Wachtwoord').fill('demo-secretariaat-2026');
    await projectorLogin.getByRole('button', { name: 'Inloggen', exact: true }).click();
    await projector.waitForURL('**/projector.html?meeting=*');
    await projector.locator('#projector-live').getByText('Live bijgewerkt').waitFor();
    const before = Number(await projector.locator('#projector-eligible').textContent());

    await page.setInputFiles('#image', file);
    const result = page.locator('#scan-result');
    await result.getByText('Welkom').waitFor();
    assert.equal(await result.getAttribute('data-outcome'), 'entered');
    assert.ok((await result.textContent()).includes(ticket.name));
    assert.match(await result.getAttribute('class'), /result--success/);
    await screenshot(page, 'scanner-01-welcome-laptop');
    assert.deepEqual(await checkAccessibility(page), [], 'accessibility of the scanner');

    await page.setInputFiles('#image', file);
    await result.getByText('Al binnen').waitFor();
    assert.match(await result.getAttribute('class'), /result--warning/);

    await page.getByLabel('Ticketcode of ticketlink').fill('dit-is-geen-ticket');
    await page.getByRole('button', { name: 'Verwerken' }).click();
    await result.getByText('Ongeldig ticket').waitFor();
    assert.match(await result.getAttribute('class'), /result--danger/);
    await screenshot(page, 'scanner-02-forged-laptop');

    await projector.waitForFunction((n) => Number(document.getElementById('projector-eligible').textContent) === n, before + 1);
    await screenshot(projector, 'projector-01-present');

    await page.goto(`${alvd.url}/staff/meeting.html?id=${meetingId}`);
    await page.locator('#attendance-table tbody tr').first().waitFor();
    await page.getByText(/Aanwezig: \d+ · via volmacht/).waitFor();
    await screenshot(page, 'meeting-01-attendance-laptop');
    assert.deepEqual(watcher.errors.filter((e) => !/status of 4\d\d/.test(e)), []);
  } finally {
    await context.close();
    await projectorCtx.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
