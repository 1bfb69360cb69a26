// The member's phone on slow hall Wi-Fi (issue 12, point 7), in Chromium: the ballot is
// drawn while the proposal text is still on its way; the page loads its modules under
// fingerprinted URLs through the import map (CSP allows it, nothing falls back to a
// plain URL); a second visit asks the network for the API answers only (once each: the
// page's Link header asks, the page takes those answers); only the dictionary
// of the language in use is loaded, and switching loads the other one and re-renders.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launchBrowser, phoneContext, screenshot, watchPage, startAlvd } from './lib/browser.mjs';
import { checkPage } from './lib/pagecheck.mjs';
import { addCycle, addProposal, hall } from '../api/lib/poll-fixtures.mjs';

let alvd;
let browser;
let room;

before(async () => {
  alvd = await startAlvd({ demo: true });
  browser = await launchBrowser();
  const staff = { secretariat: await alvd.login('secretariat'), board: await alvd.login('board'), chair: await alvd.login('chair') };
  const cycle = addCycle(alvd, 2098);
  const proposalId = addProposal(alvd, cycle, 'Klachten binnen vijf werkdagen beantwoorden',
    [{ article: '6a', action: 'replace', text: 'Partijen beantwoorden klachten binnen vijf werkdagen.' }]);
  room = await hall(alvd, { prefix: 'Wifi', present: 2, proposalIds: [proposalId], staff });
  const poll = await staff.chair.post(`/api/meetings/${room.meeting.id}/polls`, { proposal_id: proposalId });
  assert.equal((await staff.chair.post(`/api/polls/${poll.json.id}/open`)).status, 200);
});

after(async () => {
  await browser?.close();
  await alvd?.stop();
});

/** Requests of a page that reached the network (not the browser's cache), by path. */
async function networkLog(context, page) {
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  const sent = new Map();
  const cached = new Set();
  cdp.on('Network.requestWillBeSent', (event) => sent.set(event.requestId, new URL(event.request.url).pathname));
  cdp.on('Network.requestServedFromCache', (event) => cached.add(event.requestId));
  cdp.on('Network.responseReceived', (event) => { if (event.response.fromDiskCache || event.response.fromPrefetchCache) cached.add(event.requestId); });
  return {
    reset() { sent.clear(); cached.clear(); },
    network() { return [...sent].filter(([id]) => !cached.has(id)).map(([, path]) => path); },
    all() { return [...sent.values()]; },
  };
}

async function signIn(page, phone) {
  await page.goto(`${alvd.url}/t/${phone.ticket}`);
  await page.getByRole('button', { name: 'Aanmelden op deze telefoon' }).click();
  await page.waitForURL(/\/member\.html\?meeting=\d+$/);
}

test('the ballot is drawn before the proposal text arrives; a second visit fetches only the page', async () => {
  const context = await phoneContext(browser);
  const page = await context.newPage();
  const watcher = watchPage(page);
  const log = await networkLog(context, page);
  try {
    // Hold the proposal text back, as a congested network would.
    let release;
    const held = new Promise((resolve) => { release = resolve; });
    let asked = 0;
    await page.route('**/api/polls/*/proposal', async (route) => { asked++; await held; await route.continue(); });
    await signIn(page, room.phones[0]);
    const buttons = page.locator('.vote-button');
    await buttons.first().waitFor();
    assert.equal(await buttons.count(), 3);
    for (const name of ['Voor', 'Tegen', 'Onthouding']) assert.ok(await page.getByRole('button', { name, exact: true }).isVisible(), name);
    assert.equal(asked, 1, 'the proposal text was asked for');
    assert.equal(await page.getByText('Tekst van het voorstel en de wijzigingen').count(), 0, 'and has not arrived');
    await screenshot(page, 'hall-wifi-01-ballot-before-text-phone');
    const before = await buttons.first().boundingBox();
    release();
    await page.getByText('Tekst van het voorstel en de wijzigingen').waitFor();
    assert.deepEqual(await buttons.first().boundingBox(), before, 'the late text does not move the buttons');
    await page.getByText('Tekst van het voorstel en de wijzigingen').click();
    await page.getByText('binnen vijf werkdagen').first().waitFor();
    await screenshot(page, 'hall-wifi-02-ballot-with-text-phone');
    // The ballot's place on the first screen is the page's own business (its layout
    // test); here: nothing leaked, nothing overflows, targets are large enough.
    await checkPage(page, { name: 'hall-wifi-member' });

    // Modules came by fingerprinted URL only, the Dutch dictionary and not the English one.
    const scripts = log.all().filter((path) => path.startsWith('/js/'));
    assert.ok(scripts.length >= 5, scripts.join(' '));
    for (const path of scripts) assert.match(path, /\.[0-9a-f]{12}\.js$/, `${path} by its fingerprinted URL`);
    assert.ok(scripts.some((path) => /^\/js\/i18n\/nl\./.test(path)), 'Dutch dictionary loaded');
    assert.ok(!scripts.some((path) => /^\/js\/i18n\/en\./.test(path)), 'English dictionary not loaded');

    // Later visits (a profile without request interception, which turns the cache off):
    // within its 5 minutes the page itself, CSS, modules and icon come from the cache.
    const warm = await phoneContext(browser);
    await warm.addCookies(await context.cookies());
    const again = await warm.newPage();
    const againWatcher = watchPage(again);
    const againLog = await networkLog(warm, again);
    const url = `${alvd.url}/member.html?meeting=${room.meeting.id}`;
    await again.goto(url);
    await again.getByText('Tekst van het voorstel en de wijzigingen').waitFor();
    await again.goto('about:blank');
    againLog.reset();
    await again.goto(url);
    await again.locator('.vote-button').first().waitFor();
    await again.getByText('Tekst van het voorstel en de wijzigingen').waitFor();
    const fetched = againLog.network().filter((path) => !path.startsWith('/api/'));
    assert.deepEqual(fetched, [], `only API requests went to the network: ${fetched.join(' ')}`);
    assert.ok(againLog.all().includes('/member.html'), 'the page was visited (from the cache)');
    // The session and the poll were asked for with the page (its Link header) and the
    // page's own requests took those answers: one request each, not a second one.
    const requested = againLog.all();
    for (const path of ['/api/session', `/api/meetings/${room.meeting.id}/polls/current`]) {
      assert.equal(requested.filter((item) => item === path).length, 1, `${path} asked for once: ${requested.join(' ')}`);
    }
    assert.deepEqual(againWatcher.errors, [], 'no console errors or CSP violations on later visits');
    await warm.close();
    assert.deepEqual(watcher.errors, [], 'no console errors or CSP violations');
  } finally {
    await context.close();
  }
});

test('switching language loads the other dictionary on demand, re-renders, and is remembered', async () => {
  const context = await phoneContext(browser);
  const page = await context.newPage();
  const watcher = watchPage(page);
  const log = await networkLog(context, page);
  try {
    await signIn(page, room.phones[1]);
    await page.locator('.vote-button').first().waitFor();
    assert.ok(!log.all().some((path) => /^\/js\/i18n\/en\./.test(path)), 'no English before the switch');
    log.reset();
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('button', { name: 'Nederlands' }).waitFor();
    assert.equal(await page.locator('html').getAttribute('lang'), 'en');
    assert.ok(log.all().some((path) => /^\/js\/i18n\/en\.[0-9a-f]{12}\.js$/.test(path)), `English loaded on demand: ${log.all().join(' ')}`);
    await page.getByText('Naar de inhoud').count().then((count) => assert.equal(count, 0, 'the shell re-rendered'));
    await screenshot(page, 'hall-wifi-03-ballot-english-phone');
    await checkPage(page, { name: 'hall-wifi-member-en' });

    // The next visit starts in English and loads only the English dictionary.
    await page.goto('about:blank');
    log.reset();
    await page.goto(`${alvd.url}/member.html?meeting=${room.meeting.id}`);
    await page.getByRole('button', { name: 'For', exact: true }).waitFor();
    const dictionaries = log.all().filter((path) => path.startsWith('/js/i18n/'));
    assert.ok(dictionaries.length === 1 && /^\/js\/i18n\/en\./.test(dictionaries[0]), dictionaries.join(' '));
    assert.deepEqual(watcher.errors, [], 'no console errors or CSP violations');
  } finally {
    await context.close();
  }
});
