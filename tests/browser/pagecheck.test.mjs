// The page checker itself (tests/browser/lib/pagecheck.mjs): a page with every defect
// the hall's screens had (issue 12) is caught, each defect by name; a clean page of the
// same shape passes; the viewport is given back as it was.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launchBrowser, phoneContext } from './lib/browser.mjs';
import { pageProblems, checkPage } from './lib/pagecheck.mjs';

let browser;
let context;
let page;

before(async () => {
  browser = await launchBrowser();
  context = await phoneContext(browser);
  page = await context.newPage();
});

after(async () => {
  await context?.close();
  await browser?.close();
});

const STYLE = `<style>
  body { margin: 0; font: 18px sans-serif; }
  button, input, select { min-height: 48px; }
  .small-button { min-height: 0; height: 21px; padding: 0; }
  .wide { width: 632px; }
  .scroller { overflow-x: auto; }
  .tall { height: 1200px; }
  .choice { display: flex; min-height: 48px; align-items: center; }
  .choice input { min-height: 0; width: 20px; height: 20px; }
</style>`;

async function show(lang, body) {
  await page.setContent(`<!doctype html><html lang="${lang}"><head><meta name="viewport" content="width=device-width, initial-scale=1">${STYLE}</head><body>${body}</body></html>`);
}

test('every leak of code or data into the visible text is named', async () => {
  await show('nl', `
    <h2>Herstemming</h2><p>null</p>
    <p>Besluiten: [object HTMLElement]</p>
    <pre>{"poll_id": 3, "for": 2}</pre>
    <p>Aantal: NaN · waarde undefined</p>
    <p>Regel: more_than_half</p>
    <p>Op zijn vroegst 2027-07-27 (R3)</p>
    <p>voor ≥ ⌊P/2⌋ + 1</p>
    <p>Uiterste ontvangstdatum: W = E − 28 dagen</p>
    <p>Status: closed</p>
    <p class="sig">${'ab'.repeat(64)}</p>
    <svg width="200" height="40"><text x="0" y="20">organisation_id</text></svg>
    <p hidden>null in een verborgen element telt niet</p>
    <details><summary>Meer</summary><p>undefined in een dichte details telt niet</p></details>`);
  const problems = await pageProblems(page, { sizes: [{ name: 'phone', width: 390, height: 844, phone: true }], name: false });
  const text = problems.join('\n');
  for (const expected of [
    'the word null "null"', 'an object printed as text "[object"', 'raw JSON', 'NaN "NaN"', 'the word undefined "undefined"',
    'a code identifier "more_than_half"', 'an ISO date "2027-07-27"', 'a rule code "R3"', 'a formula "⌊"',
    'a formula "W = E −"', 'an English enum value "closed" on a Dutch page', 'signature-length hex', 'a code identifier "organisation_id"',
  ]) assert.ok(text.includes(expected), `reports ${expected}:\n${text}`);
  assert.ok(!text.includes('verborgen'), 'hidden text is not reported');
  assert.ok(!text.includes('dichte details'), 'text inside a closed <details> is not reported');
});

test('an English page may say "closed"; allow= lets through text the person is meant to read', async () => {
  await show('en', '<p>The vote is closed.</p><p>Your code: abc_def</p>');
  assert.deepEqual(await pageProblems(page, { allow: [/abc_def/], name: false }), []);
});

test('sideways overflow, sideways scrolling regions and small phone targets are named with their size', async () => {
  await show('nl', `
    <table class="wide"><tr><td>Organisatie</td></tr></table>
    <div class="scroller"><div class="wide">tabel</div></div>
    <form><label for="code">Code</label><input id="code" class="small-button">
    <label class="choice"><input type="radio" name="r"> Voor</label>
    <button type="button" class="small-button">Verwerken</button></form>`);
  const problems = await pageProblems(page, { name: false });
  const phone = problems.filter((p) => p.startsWith('phone 390×844'));
  const laptop = problems.filter((p) => p.startsWith('laptop 1366×768'));
  assert.ok(phone.some((p) => /the page is 6\d\d px wide in a 390 px viewport/.test(p)), phone.join('\n'));
  assert.ok(phone.some((p) => /div\.scroller scrolls sideways/.test(p)), phone.join('\n'));
  assert.ok(phone.some((p) => /input#code \"Code\" is \d+ px high \(at least 44 on a phone\)/.test(p)), phone.join('\n'));
  assert.ok(phone.some((p) => /button\.small-button "Verwerken" is 21 px high/.test(p)), phone.join('\n'));
  assert.ok(!phone.some((p) => /type="radio"|input "Voor"/.test(p)), 'a radio button counts by its 48 px label');
  assert.deepEqual(laptop, [], 'the laptop is wide enough and has no minimum target height');
});

test('the key element must be inside the viewport without scrolling; the projector never scrolls', async () => {
  await show('nl', '<div class="tall"></div><div class="vote-buttons"><button>Voor</button><button>Tegen</button></div>');
  const problems = await pageProblems(page, { key: '.vote-buttons button', name: false });
  assert.ok(problems.some((p) => /phone 390×844: the key element \.vote-buttons button \(1 of 2\) is not inside the 390×844 viewport \(it spans x \d+–\d+, y 1200–/.test(p)), problems.join('\n'));
  const missing = await pageProblems(page, { key: '#projector-outcome', kind: 'projector', name: false });
  assert.ok(missing.some((p) => p.startsWith('projector-1080 1920×1080: the projector page is') && p.endsWith('it scrolls')), missing.join('\n'));
  assert.ok(missing.some((p) => p.startsWith('projector-720 1280×720: the key element #projector-outcome is not on the page')), missing.join('\n'));
  const perSize = await pageProblems(page, { key: { laptop: '.vote-buttons' }, name: false });
  assert.ok(perSize.every((p) => !p.startsWith('phone')), 'a size without a key entry is not checked for one');
  assert.ok(perSize.some((p) => p.startsWith('laptop 1366×768: the key element .vote-buttons is not inside')), perSize.join('\n'));
});

test('a clean page passes, and the viewport is given back', async () => {
  await show('nl', `<main><h1>Stemming</h1><p>Aangenomen: 4 voor, 1 tegen, 2 onthoudingen.</p>
    <p>In werking op maandag 28 december 2026.</p>
    <div class="vote-buttons"><button>Voor</button><button>Tegen</button><button>Onthouding</button></div></main>`);
  await page.setViewportSize({ width: 400, height: 700 });
  await checkPage(page, { key: '.vote-buttons button', name: false });
  assert.deepEqual(page.viewportSize(), { width: 400, height: 700 });
  await assert.rejects(() => (show('nl', '<p>null</p>').then(() => checkPage(page, { name: false }))),
    /What a person sees on about:blank is not right:\n {2}- phone 390×844: the word null/);
});
