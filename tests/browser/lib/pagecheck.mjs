// What a person sees, checked on every page a browser test visits (issue 12, point 8):
// at each screen size, no leaked code or data in the visible text, no sideways
// scrolling, touch targets a thumb can hit, and the one thing the page is for in view.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { artifactsDir } from './browser.mjs';

/**
 * HOW TO USE (every browser test, on every page it visits, after the page has drawn
 * what it is about):
 *
 *   import { checkPage } from './lib/pagecheck.mjs';
 *   await checkPage(page, { key: '.vote-buttons button', name: 'member-ballot' });
 *   await checkPage(projector, { kind: 'projector', key: '#projector-outcome' });
 *
 * checkPage(page, options) resizes the page to each size of its kind, checks, restores
 * the size it had, and throws one AssertionError listing every problem (with the size
 * and the element) — a full-page screenshot of each failing size is kept as
 * tests/browser/artifacts/pagecheck-<name>-<size>.png.
 *
 * options:
 *   kind   'page' (default): phone 390×844 and laptop 1366×768;
 *          'projector': 1920×1080 and 1280×720, and the page may never scroll.
 *   sizes  instead of kind's sizes: [{ name, width, height, phone: bool }].
 *   key    the element(s) the person needs in view without scrolling: a CSS or
 *          Playwright selector; every match must be visible and wholly inside the
 *          viewport. At the size the page has when checkPage is called, that is at
 *          the scroll position the page itself chose (a page may scroll or move the
 *          focus to what matters); at any other size, from the top of the page. An
 *          object { phone: '…', laptop: '…' } gives one per size name (a size
 *          without an entry is not checked for a key). Omit for pages without one.
 *   allow  [RegExp…]: visible text these match is not reported (use sparingly, for
 *          text the person is meant to read, e.g. a ticket code on purpose).
 *   name   file-name stem for the screenshots of failing sizes.
 *
 * The checks, at every size:
 *   - visible text (text nodes of rendered elements, SVG labels, values of text
 *     inputs) holds no `null`, `undefined`, `NaN`, `[object …]`, raw JSON, code
 *     identifiers (snake_case such as organisation_id or more_than_half), rule codes
 *     (R1–R8), formulas (⌊P/2⌋, W = E − 28), ISO dates (2026-12-07) or signature-length hex; on a
 *     Dutch page (<html lang="nl">) also no English enum values (closed, draft, ready,
 *     planned, adopted…);
 *   - no horizontal overflow: the document is no wider than the viewport and no
 *     visible element scrolls sideways inside it;
 *   - on phone sizes, every visible input, select, textarea and button is at least
 *     44 px high (a checkbox, radio button or file input counts by its label);
 *   - kind 'projector': the document is no taller than the viewport;
 *   - the key element(s) visible and inside the viewport.
 *
 * pageProblems(page, options) does the same and returns the list of problems as
 * strings instead of throwing (for tests of the checker itself).
 */

export const PHONE = { name: 'phone', width: 390, height: 844, phone: true };
export const LAPTOP = { name: 'laptop', width: 1366, height: 768, phone: false };
export const PROJECTOR_FULL_HD = { name: 'projector-1080', width: 1920, height: 1080, phone: false };
export const PROJECTOR_HD = { name: 'projector-720', width: 1280, height: 720, phone: false };

const SIZES = {
  page: [PHONE, LAPTOP],
  projector: [PROJECTOR_FULL_HD, PROJECTOR_HD],
};

/** The smallest height of a touch target on a phone, in CSS pixels. */
export const MIN_TARGET = 44;

/*
 * Text a person must never read. Each pattern is tested on one visible text node at a
 * time (so a hit can name its element); sources are strings because they travel into
 * the page.
 */
const FORBIDDEN = [
  ['the word null', '\\bnull\\b'],
  ['the word undefined', '\\bundefined\\b'],
  ['NaN', '\\bNaN\\b'],
  ['an object printed as text', '\\[object\\b'],
  ['raw JSON', '[{\\[]\\s*"[^"\\n]{1,60}"\\s*:'],
  ['a code identifier', '\\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\\b'],
  ['a rule code', '\\bR[1-8]\\b'],
  // ⌊P/2⌋ and friends, and a rule written as a sum of letters: "W = E − 28 dagen".
  ['a formula', '[⌊⌋⌈⌉]|\\bfloor\\(|\\bP\\s*/\\s*2\\b|\\b[A-Z]\\s*=\\s*[A-Z]\\s*[−+×*/-]'],
  ['an ISO date', '\\b\\d{4}-\\d{2}-\\d{2}(?:T\\d{2}:\\d{2})?\\b'],
  ['signature-length hex', '\\b[0-9a-f]{96,}\\b'],
];

/* Enum values that are English words: on a Dutch page they are data, not prose. */
const ENGLISH_ENUMS = [
  'draft', 'ready', 'closed', 'planned', 'adopted', 'rejected', 'lapsed', 'superseded', 'scheduled',
  'pending', 'withdrawn', 'compliant', 'explained', 'membership', 'signature', 'entered', 'revoked', 'forged',
];

function sizesOf(options) {
  if (options.sizes) return options.sizes;
  const sizes = SIZES[options.kind || 'page'];
  if (!sizes) throw new Error(`checkPage: unknown kind ${options.kind}`);
  return sizes;
}

function keyFor(options, size) {
  if (!options.key) return null;
  if (typeof options.key === 'string') return options.key;
  return options.key[size.name] || null;
}

/* Runs inside the page: everything that needs the DOM and the layout. */
function inspect({ forbidden, englishEnums, allow, phone, projector, minTarget }) {
  const problems = [];
  const patterns = forbidden.map(([label, source]) => [label, new RegExp(source)]);
  const allowed = allow.map((source) => new RegExp(source));
  const dutch = (document.documentElement.lang || '').startsWith('nl');
  const enumPattern = new RegExp(`(^|[^\\p{L}\\d_-])(${englishEnums.join('|')})(?=$|[^\\p{L}\\d_-])`, 'u');

  const describe = (element) => {
    const parts = [];
    for (let node = element; node && node.nodeType === 1 && parts.length < 3; node = node.parentElement) {
      let part = node.tagName.toLowerCase();
      if (node.id) { part += `#${node.id}`; parts.unshift(part); break; }
      const classes = [...node.classList].slice(0, 2);
      if (classes.length) part += `.${classes.join('.')}`;
      parts.unshift(part);
    }
    return parts.join(' > ');
  };
  const shown = (element) => element.checkVisibility({ visibilityProperty: true, opacityProperty: true });
  const clip = (text) => {
    const flat = text.replace(/\s+/g, ' ').trim();
    return flat.length > 90 ? `${flat.slice(0, 87)}…` : flat;
  };

  const check = (text, element, where) => {
    let rest = text;
    for (const pattern of allowed) rest = rest.replace(new RegExp(pattern.source, `${pattern.flags.replace('g', '')}g`), ' ');
    for (const [label, pattern] of patterns) {
      const hit = pattern.exec(rest);
      if (hit) problems.push(`${label} "${hit[0]}" in ${where} ${describe(element)}: "${clip(text)}"`);
    }
    if (dutch) {
      const hit = enumPattern.exec(rest);
      if (hit) problems.push(`an English enum value "${hit[2]}" on a Dutch page in ${where} ${describe(element)}: "${clip(text)}"`);
    }
  };

  // Visible text: every text node whose element is rendered (HTML and SVG alike).
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const parent = node.parentElement;
    if (!parent || !node.textContent.trim()) continue;
    if (parent.closest('script, style, noscript, template')) continue;
    if (!shown(parent)) continue;
    check(node.textContent, parent, 'text of');
  }
  for (const input of document.querySelectorAll('input, textarea')) {
    const textual = input.tagName === 'TEXTAREA' || ['text', 'search', 'email', 'tel', 'url', 'number', ''].includes(input.type);
    if (textual && input.value && shown(input)) {
      for (const [label, pattern] of patterns.slice(0, 4)) {
        const hit = pattern.exec(input.value);
        if (hit) problems.push(`${label} "${hit[0]}" in the value of ${describe(input)}`);
      }
    }
  }

  // Sideways: the document, then anything that scrolls sideways inside it.
  const width = document.documentElement.clientWidth;
  const documentWidth = Math.max(document.documentElement.scrollWidth, document.body.scrollWidth);
  if (documentWidth > width + 1) {
    const wide = [...document.body.querySelectorAll('*')]
      .filter((element) => shown(element) && element.getBoundingClientRect().right > width + 1)
      .filter((element) => ![...element.children].some((child) => child.getBoundingClientRect().right > width + 1));
    problems.push(`the page is ${documentWidth} px wide in a ${width} px viewport (sticking out: ${
      wide.slice(0, 4).map(describe).join('; ') || 'unknown'})`);
  }
  for (const element of document.body.querySelectorAll('*')) {
    if (element.scrollWidth <= element.clientWidth + 1 || element.clientWidth === 0) continue;
    const overflow = getComputedStyle(element).overflowX;
    if ((overflow === 'auto' || overflow === 'scroll') && shown(element)) {
      problems.push(`${describe(element)} scrolls sideways (${element.scrollWidth} px of content in ${element.clientWidth} px)`);
    }
  }

  if (projector) {
    const height = document.documentElement.clientHeight;
    const documentHeight = Math.max(document.documentElement.scrollHeight, document.body.scrollHeight);
    if (documentHeight > height + 1) problems.push(`the projector page is ${documentHeight} px tall in a ${height} px screen: it scrolls`);
  }

  if (phone) {
    const controls = document.querySelectorAll('input:not([type="hidden"]), select, textarea, button, [role="button"], summary');
    for (const control of controls) {
      if (!shown(control)) continue;
      let target = control;
      // A checkbox, radio button or file input is hit through its label.
      if (['checkbox', 'radio', 'file'].includes(control.type)) target = control.closest('label') || control.labels?.[0] || control;
      const box = target.getBoundingClientRect();
      if (box.width === 0 && box.height === 0) continue;
      if (box.height + 0.5 < minTarget) {
        const name = (control.labels?.[0]?.textContent || control.textContent || control.getAttribute('aria-label') || control.name || '').trim();
        problems.push(`${describe(control)} "${clip(name)}" is ${Math.round(box.height)} px high (at least ${minTarget} on a phone)`);
      }
    }
  }
  return problems;
}

async function settle(page) {
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
}

async function keyProblems(page, selector) {
  const problems = [];
  const viewport = page.viewportSize();
  const matches = await page.locator(selector).all();
  if (matches.length === 0) return [`the key element ${selector} is not on the page`];
  for (const [index, match] of matches.entries()) {
    const label = matches.length > 1 ? `${selector} (${index + 1} of ${matches.length})` : selector;
    if (!(await match.isVisible())) { problems.push(`the key element ${label} is not visible`); continue; }
    const box = await match.boundingBox();
    if (!box) { problems.push(`the key element ${label} has no box`); continue; }
    const inside = box.x >= -0.5 && box.y >= -0.5 && box.x + box.width <= viewport.width + 0.5 && box.y + box.height <= viewport.height + 0.5;
    if (!inside) {
      problems.push(`the key element ${label} is not inside the ${viewport.width}×${viewport.height} viewport `
        + `(it spans x ${Math.round(box.x)}–${Math.round(box.x + box.width)}, y ${Math.round(box.y)}–${Math.round(box.y + box.height)})`);
    }
  }
  return problems;
}

/** Every problem at every size, as "size: problem" strings (empty when the page passes). */
export async function pageProblems(page, options = {}) {
  const original = page.viewportSize();
  const scrolled = await page.evaluate(() => [window.scrollX, window.scrollY]);
  let now = original;
  const all = [];
  try {
    for (const size of sizesOf(options)) {
      if (now?.width !== size.width || now?.height !== size.height) {
        await page.setViewportSize({ width: size.width, height: size.height });
        now = { width: size.width, height: size.height };
      }
      const own = original?.width === size.width && original?.height === size.height;
      await page.evaluate(([x, y]) => window.scrollTo(x, y), own ? scrolled : [0, 0]);
      await settle(page);
      const found = await page.evaluate(inspect, {
        forbidden: FORBIDDEN,
        englishEnums: ENGLISH_ENUMS,
        allow: (options.allow || []).map((pattern) => (pattern instanceof RegExp ? pattern.source : String(pattern))),
        phone: Boolean(size.phone),
        projector: options.kind === 'projector',
        minTarget: MIN_TARGET,
      });
      const key = keyFor(options, size);
      if (key) {
        // A live page may be redrawing the key element at the moment it is measured (an
        // event arrived): a key element caught between two drawings is measured again
        // after the page settles, a few times; one that stays away is reported.
        let problems = await keyProblems(page, key);
        for (let round = 0; round < 5 && problems.some((p) => /has no box|is not visible|is not on the page/.test(p)); round++) {
          await page.waitForTimeout(200);
          await settle(page);
          problems = await keyProblems(page, key);
        }
        found.push(...problems);
      }
      if (found.length && options.name !== false) {
        mkdirSync(artifactsDir, { recursive: true });
        const stem = `pagecheck-${(options.name || new URL(page.url()).pathname).replace(/[^\w.-]+/g, '-').replace(/^-+/, '')}-${size.name}`;
        await page.screenshot({ path: join(artifactsDir, `${stem}.png`), fullPage: true });
      }
      all.push(...found.map((problem) => `${size.name} ${size.width}×${size.height}: ${problem}`));
    }
  } finally {
    if (original && (now?.width !== original.width || now?.height !== original.height)) await page.setViewportSize(original);
    await page.evaluate(([x, y]) => window.scrollTo(x, y), scrolled);
  }
  return all;
}

/** Throws one AssertionError naming every problem; see HOW TO USE above. */
export async function checkPage(page, options = {}) {
  const problems = await pageProblems(page, options);
  if (problems.length) {
    assert.fail(`What a person sees on ${page.url()} is not right:\n  - ${problems.join('\n  - ')}`);
  }
}
