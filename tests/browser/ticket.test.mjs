// Browser test of the delegate's phone and the door: a ticket URL opens the landing page
// (which logs nobody in) with the QR code for the door, the tap logs the phone in as
// that member, and the member page turns to "checked in" live when the door scans the
// ticket. The door scanner reads a QR picture, keeps the last result and the count, and
// finds a member by name to check out; the desk list fits a phone. Every page passes
// the page check (tests/browser/lib/pagecheck.mjs).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import {
  launchBrowser, phoneContext, screenshot, checkAccessibility, watchPage, startAlvd,
} from './lib/browser.mjs';
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
    // The page shows the QR of this very link for the door.
    await page.waitForFunction(() => document.getElementById('ticket-qr')?.naturalWidth > 0);
    assert.equal(await page.getByRole('img', { name: 'QR-code van uw toegangsbewijs' }).isVisible(), true);
    await page.getByText('Toon deze code bij de ingang.').waitFor();
    const qr = await fetch(`${ticketUrl}/qr.svg`);
    assert.equal(qr.status, 200);
    assert.equal(qr.headers.get('content-type'), 'image/svg+xml');
    assert.equal((await fetch(`${ticketUrl.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A'))}/qr.svg`)).status, 404, 'no QR for a code without a valid signature');
    await checkPage(page, { key: '#ticket-qr', name: 'ticket-landing' });
    await screenshot(page, 'ticket-01-landing-phone');
    assert.deepEqual(await checkAccessibility(page), [], 'accessibility of the landing page');

    await page.getByRole('button', { name: 'Aanmelden op deze telefoon' }).click();
    await page.waitForURL(/\/member\.html\?meeting=\d+$/);
    const status = page.locator('#member-status');
    await status.getByText('U bent nog niet ingecheckt').waitFor();
    assert.equal(alvd.sql("SELECT COUNT(*) FROM sessions WHERE kind = 'member'")[0][0], '1');
    await page.getByRole('heading', { level: 2, name: 'Agenda' }).waitFor();
    assert.match(await page.locator('#agenda').innerText(), /Opening en mededelingen[\s\S]*Norm 6d: opleiding concreet maken[\s\S]*Rondvraag[\s\S]*Sluiting/);
    // Not checked in: the QR for the door is right there, under one message.
    await page.waitForFunction(() => document.getElementById('member-qr')?.naturalWidth > 0);
    await checkPage(page, { key: '#member-qr', name: 'ticket-member-outside' });
    await screenshot(page, 'ticket-02-member-outside-phone');
    // The proposal is one tap away, with its text and changes.
    await page.locator('#agenda').getByRole('link', { name: 'Lees het voorstel' }).first().click();
    await page.getByRole('heading', { level: 1, name: 'Norm 6d: opleiding concreet maken' }).waitFor();
    await page.getByRole('heading', { level: 2, name: 'Wat verandert er' }).waitFor();
    assert.ok(await page.locator('#voorstel-changes ins').count() > 0, 'the new text is marked');
    await checkPage(page, { name: 'ticket-proposal' });
    await screenshot(page, 'ticket-02b-proposal-phone');
    await page.getByRole('link', { name: 'Terug naar de vergadering' }).click();
    await status.getByText('U bent nog niet ingecheckt').waitFor();

    const secretariat = await alvd.login('secretariat');
    const scanned = await secretariat.post(`/api/meetings/${meetingId}/scans`,
      { ticket: ticketUrl, direction: 'entry', nonce: randomUUID() });
    assert.equal(scanned.status, 200, scanned.text);
    assert.equal(scanned.json.result, 'entered');
    await status.getByText('U bent ingecheckt').waitFor();
    assert.equal(await status.getAttribute('data-inside'), 'true');
    assert.equal(await page.locator('#member-qr').count(), 0, 'once inside, one message and no QR');
    await page.locator('#member-connection').getByText('Verbonden: deze pagina werkt zichzelf bij').waitFor();
    await checkPage(page, { name: 'ticket-member-inside' });
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
    const before = Number(await projector.locator('#projector-present').textContent());

    const count = page.locator('#scan-count');
    await count.getByText(new RegExp(`^Binnen: ${before} van \\d+ leden$`)).waitFor();
    await page.setInputFiles('#image', file);
    const result = page.locator('#scan-result');
    await result.getByText('Welkom').waitFor();
    assert.equal(await result.getAttribute('data-outcome'), 'entered');
    assert.ok((await result.textContent()).includes(ticket.name));
    assert.match(await result.getAttribute('class'), /result--success/);
    await count.getByText(new RegExp(`^Binnen: ${before + 1} van \\d+ leden$`)).waitFor();
    await checkPage(page, { key: { phone: '#scan-result, #scan-count' }, name: 'scanner-welcome' });
    await screenshot(page, 'scanner-01-welcome-laptop');
    assert.deepEqual(await checkAccessibility(page), [], 'accessibility of the scanner');

    await page.setInputFiles('#image', file);
    await result.getByText('Al binnen').waitFor();
    assert.match(await result.getAttribute('class'), /result--warning/);

    await page.getByText('Ticketcode typen of foto van een QR-code kiezen').click();
    await page.getByLabel('Ticketcode of ticketlink').fill('dit-is-geen-ticket');
    await page.getByRole('button', { name: 'Verwerken' }).click();
    await result.getByText('Ongeldig ticket').waitFor();
    assert.match(await result.getAttribute('class'), /result--danger/);
    await screenshot(page, 'scanner-02-forged-laptop');

    // No ticket at hand: found by member number (or name), one tap checks out.
    const [[number]] = alvd.sql(`SELECT member_number FROM organisations WHERE id = ${ticket.organisation_id}`);
    await page.getByLabel('Zoek op naam van de organisatie of lidnummer').fill(number.toLowerCase());
    await page.getByRole('button', { name: `${ticket.name} uitchecken` }).click();
    await result.getByText('Vertrokken').waitFor();
    assert.ok((await result.textContent()).includes(ticket.name), 'the last result names who left, and stays');
    await count.getByText(new RegExp(`^Binnen: ${before} van \\d+ leden$`)).waitFor();
    await page.getByRole('button', { name: `${ticket.name} inchecken` }).click();
    await result.getByText('Welkom').waitFor();
    await count.getByText(new RegExp(`^Binnen: ${before + 1} van \\d+ leden$`)).waitFor();
    await checkPage(page, { key: { phone: '#scan-result, #scan-count' }, name: 'scanner-search' });
    await screenshot(page, 'scanner-03-search-laptop');

    await projector.locator('#projector-present').getByText(String(before + 1), { exact: true }).waitFor();
    await checkPage(projector, { kind: 'projector', key: '#projector-present', name: 'projector-present' });
    await screenshot(projector, 'projector-01-present');

    await page.goto(`${alvd.url}/staff/meeting.html?id=${meetingId}`);
    await page.locator('#attendance-table tbody tr').first().waitFor();
    await page.getByText(/Aanwezig: \d+ · via volmacht/).waitFor();
    await checkPage(page, { name: 'meeting-attendance' });
    await screenshot(page, 'meeting-01-attendance-laptop');
    assert.deepEqual(watcher.errors.filter((e) => !/status of 4\d\d/.test(e)), []);
  } finally {
    await context.close();
    await projectorCtx.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a picture chosen while the scanner is still loading its member list is scanned, not lost', async () => {
  const meetingId = Number(/meeting (\d+)/.exec(alvd.demoOutput)[1]);
  const secretariat = await alvd.login('secretariat');
  const attendance = (await secretariat.get(`/api/meetings/${meetingId}/attendance`)).json;
  const outside = attendance.members.find((member) => !member.inside);
  assert.ok(outside, 'a member who is not inside yet');
  const tickets = (await secretariat.get(`/api/meetings/${meetingId}/tickets`)).json.items;
  const ticket = tickets.find((item) => item.organisation_id === outside.organisation_id);
  const png = await fetch(`${alvd.url}${ticket.qr_png}`, { headers: { Authorization: `Bearer ${secretariat.token}` } });
  const { mkdtempSync, writeFileSync, rmSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const dir = mkdtempSync(join(tmpdir(), 'alvd-scan-'));
  const file = join(dir, 'ticket.png');
  writeFileSync(file, Buffer.from(await png.arrayBuffer()));
  const { laptopContext } = await import('./lib/browser.mjs');
  const context = await laptopContext(browser);
  const page = await context.newPage();
  try {
    await page.goto(`${alvd.url}/login.html?next=${encodeURIComponent(`/staff/scanner.html?meeting=${meetingId}`)}`);
    await page.getByLabel('E-mailadres').fill('secretariaat@ksf.example');
    await page.getByLabel('Wachtwoord').fill('demo-secretariaat-2026');
    await page.getByRole('button', { name: 'Inloggen', exact: true }).click();
    await page.waitForURL('**/staff/scanner.html?meeting=*');
    // A slow hall network: the member list is held back while the volunteer already picks a photo.
    let release;
    const held = new Promise((resolve) => { release = resolve; });
    await page.route('**/api/meetings/*/attendance', async (route) => { await held; await route.continue(); });
    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Scannen bij de ingang' }).waitFor();
    await page.waitForFunction(() => typeof window.jsQR === 'function');
    const count = page.locator('#scan-count');
    assert.equal((await count.textContent()).trim(), '', 'the count is not there yet: the member list is still loading');
    await page.setInputFiles('#image', file);
    const result = page.locator('#scan-result');
    await result.getByText('Welkom').waitFor();
    assert.ok((await result.textContent()).includes(ticket.name), 'the result names who came in');
    assert.equal(await result.getAttribute('data-outcome'), 'entered');
    release();
    await count.getByText(new RegExp(`^Binnen: ${attendance.present + 1} van \\d+ leden$`)).waitFor();
  } finally {
    await context.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
