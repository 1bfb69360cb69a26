// The congested-hall-Wi-Fi benchmark (scripts/bench-web): the member's ballot page in
// headless Chromium throttled to 400 kbit/s each way and 400 ms latency, first with an
// empty cache, then warm (the same browser context, a second navigation). Prints the
// requests that went to the network, the bytes they moved and the time from navigation
// start until the vote buttons are visible. Asserts nothing about time.
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { startAlvd, ensureDatabaseServer, sourceDir } from '../api/lib/alvd.mjs';
import { launchBrowser, phoneContext } from '../browser/lib/browser.mjs';
import { addCycle, addProposal, hall } from '../api/lib/poll-fixtures.mjs';

const RUNS = Number(process.env.BENCH_WEB_RUNS || 5);
const KBIT = Number(process.env.BENCH_WEB_KBIT || 400);
const LATENCY_MS = Number(process.env.BENCH_WEB_LATENCY_MS || 400);
const VERBOSE = Boolean(process.env.BENCH_WEB_VERBOSE);
/** After the buttons show, the page still fetches (the proposal text): count those too. */
const SETTLE_MS = Number(process.env.BENCH_WEB_SETTLE_MS || 3000);

function log(line) { process.stderr.write(`${line}\n`); }

/** In the page, before any of its scripts: note the first frame with visible vote buttons. */
function watchForButtons() {
  const seen = () => {
    const buttons = [...document.querySelectorAll('.vote-button')];
    return buttons.length >= 3 && buttons.every((b) => b.checkVisibility() && b.getBoundingClientRect().height > 0);
  };
  const observer = new MutationObserver(() => {
    if (window.__buttonsAt !== undefined || !seen()) return;
    window.__buttonsAt = null;
    observer.disconnect();
    requestAnimationFrame(() => { window.__buttonsAt = performance.now(); });
  });
  observer.observe(document, { childList: true, subtree: true, attributes: true });
}

/**
 * Every request of one navigation through CDP: those answered by the network (a 304
 * counts, it is a round trip) and the bytes on the wire (headers and body as
 * received, so compressed sizes), versus those served from the browser's cache.
 */
function recorder(cdp) {
  const requests = new Map();
  let active = false;
  const entry = (id) => requests.get(id);
  cdp.on('Network.requestWillBeSent', (event) => {
    if (!active || event.request.url.startsWith('data:')) return;
    requests.set(event.requestId, { url: event.request.url, cached: false, bytes: 0, status: null, type: event.type, sent: event.timestamp });
  });
  cdp.on('Network.requestServedFromCache', (event) => { if (entry(event.requestId)) entry(event.requestId).cached = true; });
  cdp.on('Network.responseReceived', (event) => {
    const item = entry(event.requestId);
    if (!item) return;
    item.status = event.response.status;
    item.headersAt = event.timestamp;
    item.encoding = event.response.headers['content-encoding'] || event.response.headers['Content-Encoding'] || '';
    if (event.response.fromDiskCache || event.response.fromPrefetchCache || event.response.fromServiceWorker) item.cached = true;
  });
  cdp.on('Network.dataReceived', (event) => { const item = entry(event.requestId); if (item) item.streamed = (item.streamed || 0) + event.encodedDataLength; });
  cdp.on('Network.loadingFinished', (event) => { const item = entry(event.requestId); if (item) { item.bytes = event.encodedDataLength; item.doneAt = event.timestamp; } });
  return {
    start() { requests.clear(); active = true; },
    stop() {
      active = false;
      const list = [...requests.values()].map((item) => ({ ...item, bytes: Math.max(item.bytes, item.streamed || 0) }));
      const network = list.filter((item) => !item.cached);
      return { all: list, network, bytes: network.reduce((sum, item) => sum + item.bytes, 0) };
    },
  };
}

async function measure(page, cdp, rec, url) {
  rec.start();
  await page.goto(url, { waitUntil: 'commit' });
  await page.waitForFunction(() => typeof window.__buttonsAt === 'number', null, { timeout: 60000, polling: 50 });
  const buttonsMs = await page.evaluate(() => window.__buttonsAt);
  await page.waitForTimeout(SETTLE_MS);
  const seen = rec.stop();
  if (VERBOSE) {
    const zero = Math.min(...seen.all.map((item) => item.sent));
    const at = (time) => (time === undefined ? '     -' : ((time - zero) * 1000).toFixed(0).padStart(6));
    for (const item of seen.all) {
      log(`    ${at(item.sent)} ${at(item.headersAt)} ${at(item.doneAt)} ms ${item.cached ? 'cache' : String(item.status).padEnd(5)} ${String(item.bytes).padStart(7)} B ${item.encoding.padEnd(4)} ${item.url.replace(/^https?:\/\/[^/]+/, '')}`);
    }
  }
  return { ms: buttonsMs, requests: seen.network.length, bytes: seen.bytes };
}

async function main() {
  const socket = ensureDatabaseServer(join(sourceDir, 'var', 'bench-db'));
  const alvd = await startAlvd({ demo: true, socket });
  const browser = await launchBrowser();
  try {
    const staff = { secretariat: await alvd.login('secretariat'), board: await alvd.login('board'), chair: await alvd.login('chair') };
    // A proposal of two articles, the length of the Code's own articles.
    const cycle = addCycle(alvd, 2096);
    const proposalId = addProposal(alvd, cycle, 'Klachten sneller en transparanter afhandelen', [
      { article: '6a', action: 'replace', text: 'Partijen beantwoorden een klacht van een consument binnen vijf werkdagen inhoudelijk. Lukt dat niet, dan melden zij binnen die termijn wanneer het antwoord komt en waarom het langer duurt. Zij leggen hun klachtenprocedure vast, maken die op hun website vindbaar en houden bij hoeveel klachten binnen de termijn zijn beantwoord.' },
      { article: '6b', action: 'insert', title: 'Terugkoppeling', text: 'Na afhandeling van een klacht vragen partijen de consument of de klacht naar tevredenheid is opgelost. Zij rapporteren jaarlijks aan de Federatie over het aandeel klachten dat naar tevredenheid is opgelost, per kanaal waarlangs de klacht binnenkwam.' },
    ]);
    const room = await hall(alvd, { prefix: 'Zaal', present: 1, proposalIds: [proposalId], staff });
    const poll = await staff.chair.post(`/api/meetings/${room.meeting.id}/polls`, { proposal_id: proposalId, secret: true });
    if (poll.status !== 201) throw new Error(`poll: ${poll.text}`);
    const opened = await staff.chair.post(`/api/polls/${poll.json.id}/open`);
    if (opened.status !== 200) throw new Error(`open: ${opened.text}`);
    // The phone logs in as a member does: the ticket link, the button, the page it
    // leads to. Its cookies (session, language) and that URL are what every run uses.
    const setup = await phoneContext(browser);
    const first = await setup.newPage();
    await first.goto(`${alvd.url}/t/${room.phones[0].ticket}`);
    await first.getByRole('button', { name: 'Aanmelden op deze telefoon' }).click();
    await first.waitForURL(/\/member\.html/);
    await first.locator('.vote-button').first().waitFor();
    const url = first.url();
    const cookies = await setup.cookies();
    await setup.close();
    log(`bench-web: ${url}, poll ${poll.json.id} open; ${RUNS} runs at ${KBIT} kbit/s, ${LATENCY_MS} ms latency`);

    const rows = [];
    for (let run = 1; run <= RUNS; run++) {
      // A fresh profile per run: an empty cache, the phone's cookies.
      const context = await phoneContext(browser);
      await context.addCookies(cookies);
      await context.addInitScript(watchForButtons);
      const page = await context.newPage();
      const cdp = await context.newCDPSession(page);
      await cdp.send('Network.enable');
      await cdp.send('Network.emulateNetworkConditions', {
        offline: false, latency: LATENCY_MS,
        downloadThroughput: (KBIT * 1000) / 8, uploadThroughput: (KBIT * 1000) / 8,
      });
      const rec = recorder(cdp);
      if (VERBOSE) log(`  run ${run}, cold:`);
      const cold = await measure(page, cdp, rec, url);
      await page.goto('about:blank');
      if (VERBOSE) log(`  run ${run}, warm:`);
      const warm = await measure(page, cdp, rec, url);
      await context.close();
      rows.push({ run, cold, warm });
      log(`bench-web: run ${run}: cold ${cold.requests} requests ${(cold.bytes / 1024).toFixed(1)} KiB ${(cold.ms / 1000).toFixed(2)} s; warm ${warm.requests} requests ${(warm.bytes / 1024).toFixed(1)} KiB ${(warm.ms / 1000).toFixed(2)} s`);
    }

    const median = (values) => { const s = [...values].sort((a, b) => a - b); const m = Math.floor(s.length / 2); return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };
    const cpu = execFileSync('sh', ['-c', "grep -m1 'model name' /proc/cpuinfo | cut -d: -f2"], { encoding: 'utf8' }).trim();
    console.log(`Member ballot page ${new URL(url).pathname}${new URL(url).search}, Chromium ${browser.version()}, ${KBIT} kbit/s down and up, ${LATENCY_MS} ms latency; ${cpu}, load ${execFileSync('cat', ['/proc/loadavg'], { encoding: 'utf8' }).split(' ').slice(0, 3).join(' ')}`);
    console.log('');
    console.log('| run | cold: requests | cold: KiB | cold: buttons (s) | warm: requests | warm: KiB | warm: buttons (s) |');
    console.log('|---|---|---|---|---|---|---|');
    for (const { run, cold, warm } of rows) {
      console.log(`| ${run} | ${cold.requests} | ${(cold.bytes / 1024).toFixed(1)} | ${(cold.ms / 1000).toFixed(2)} | ${warm.requests} | ${(warm.bytes / 1024).toFixed(1)} | ${(warm.ms / 1000).toFixed(2)} |`);
    }
    const pick = (which, field) => median(rows.map((row) => row[which][field]));
    console.log(`| median | ${pick('cold', 'requests')} | ${(pick('cold', 'bytes') / 1024).toFixed(1)} | ${(pick('cold', 'ms') / 1000).toFixed(2)} | ${pick('warm', 'requests')} | ${(pick('warm', 'bytes') / 1024).toFixed(1)} | ${(pick('warm', 'ms') / 1000).toFixed(2)} |`);
    console.log('');
    console.log(`bench-web cold_requests=${pick('cold', 'requests')} cold_kib=${(pick('cold', 'bytes') / 1024).toFixed(1)} cold_s=${(pick('cold', 'ms') / 1000).toFixed(2)} warm_requests=${pick('warm', 'requests')} warm_kib=${(pick('warm', 'bytes') / 1024).toFixed(1)} warm_s=${(pick('warm', 'ms') / 1000).toFixed(2)}`);
  } catch (error) {
    log(`bench-web: failed; alvd said:\n${alvd.log.slice(-4000)}${alvd.process.exitCode !== null || alvd.process.signalCode ? `\nalvd exited: ${alvd.process.exitCode ?? alvd.process.signalCode}` : ''}`);
    throw error;
  } finally {
    await browser.close().catch(() => {});
    await alvd.stop().catch((error) => log(String(error)));
  }
}

main().catch((error) => { console.error(error); process.exit(1); });
