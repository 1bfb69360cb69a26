// The board's journey through its pages (issue 14 points 1, 2 and 6), asserting what the
// board reads: the proposal editor's errors all at once at their fields, "Vervangen"
// starting from the article's text with a live diff, the consultation window in
// Amsterdam time from a browser elsewhere, a reply's error replaced by its success, and
// the reactienota in correct plurals — in Dutch and after the English toggle.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launchBrowser, laptopContext, phoneContext, screenshot, watchPage, startAlvd, logInPageAnyLanguage } from './lib/browser.mjs';
import { checkPage } from './lib/pagecheck.mjs';

let alvd;
let browser;
let board;

before(async () => {
  alvd = await startAlvd({ demo: true });
  browser = await launchBrowser();
  board = await alvd.login('board');
});

after(async () => {
  await browser?.close();
  await alvd?.stop();
});

/** Logged in as a demo role; admin and meldpunt give the app's code too (ALVD_TOTP_ROLES). */
async function staffLogin(page, role) {
  await logInPageAnyLanguage(page, alvd, role);
}

const texts = (locator) => locator.evaluateAll((nodes) => nodes.map((node) => node.textContent.replace(/\s+/g, ' ').trim()));

/** The error shown at a field: the note in the field's wrapper (GOV.UK places it above the input). */
const errorAt = (page, id) => page.locator(`.field:has(#${id}) > .field-error`);

test('the proposal editor: every error at once at its field, then Vervangen from the current text with a live diff', async () => {
  const context = await laptopContext(browser);
  const page = await context.newPage();
  const watcher = watchPage(page);
  try {
    await staffLogin(page, 'board');
    await page.goto(`${alvd.url}/staff/proposal.html?cycle=1`);
    await page.locator('#proposal-form').waitFor();
    await page.getByRole('button', { name: 'Voorstel opslaan' }).click();
    const summary = page.locator('.error-summary');
    await summary.waitFor();
    assert.equal(await summary.locator('h2').textContent(), 'Er zijn 4 fouten in het formulier');
    assert.deepEqual(await texts(summary.locator('li')), [
      'Vul de titel van het voorstel in.',
      'Vul de toelichting in: waarom stelt het bestuur dit voor?',
      'Kies het artikel dat deze wijziging verandert.',
      'Vul de tekst van het artikel in.',
    ]);
    assert.equal(await summary.evaluate((node) => node === document.activeElement), true, 'the summary has the focus');
    assert.match(await errorAt(page, 'title').textContent(), /Vul de titel van het voorstel in\.$/);
    assert.match(await errorAt(page, 'article-1').textContent(), /Kies het artikel dat deze wijziging verandert\.$/);
    assert.equal(await page.getAttribute('#text-1', 'aria-invalid'), 'true');
    // The summary links to the field it names.
    await summary.getByRole('link', { name: 'Vul de titel van het voorstel in.' }).click();
    assert.equal(await page.evaluate(() => document.activeElement.id), 'title');
    await screenshot(page, 'office-board-01-editor-errors');
    await checkPage(page, { key: '.error-summary', name: 'office-board-editor-errors' });

    // Vervangen: the article's text in force is the starting point, and the diff follows the typing.
    const code = (await board.get('/api/code/in-force')).json;
    const current = code.articles.find((article) => article.id === '6a');
    await page.locator('#title').fill('Norm 6a: klachten binnen vijf werkdagen');
    assert.equal(await errorAt(page, 'title').count(), 0, 'a corrected field loses its error at once');
    await page.locator('#rationale').fill('Een termijn maakt de norm toetsbaar.');
    await page.locator('#article-1').selectOption('6a');
    assert.equal(await page.inputValue('#text-1'), current.text, 'Vervangen starts from the text in force');
    assert.equal(await page.inputValue('#title-1'), current.title);
    await page.locator('#text-1').fill(current.text.replace('Zij handelen integer', 'Zij beantwoorden klachten binnen vijf werkdagen en handelen integer'));
    await page.locator('.change__preview ins', { hasText: 'beantwoorden klachten binnen vijf werkdagen en' }).waitFor();
    assert.equal(await page.locator('.change__preview del').count(), 0, 'nothing of the old text is struck');

    // Schrappen shows the text that goes; the action is named as on screen.
    await page.getByRole('button', { name: 'Nog een artikel wijzigen' }).click();
    await page.locator('#action-2').selectOption({ label: 'Schrappen' });
    await page.locator('#article-2').selectOption('6b');
    const deleted = code.articles.find((article) => article.id === '6b');
    assert.equal((await page.locator('fieldset.change').nth(1).locator('.change__preview del').textContent()).trim(), deleted.text.trim());
    assert.equal(await page.locator('#text-2').isVisible(), false, 'Schrappen takes no new text');
    assert.deepEqual(await texts(page.locator('#action-2 option')), ['Vervangen', 'Nieuw artikel', 'Schrappen']);
    await screenshot(page, 'office-board-02-editor-diff');
    await checkPage(page, { name: 'office-board-editor-diff' });

    // The English toggle redraws every label; what was typed stays.
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByText('Title of the proposal', { exact: true }).waitFor();
    assert.equal(await page.inputValue('#title'), 'Norm 6a: klachten binnen vijf werkdagen');
    assert.equal(await page.locator('fieldset.change legend').first().textContent(), 'Change 1');
    assert.deepEqual(await texts(page.locator('#action-2 option')), ['Replace', 'New article', 'Delete']);
    await page.getByRole('button', { name: 'Nederlands' }).click();
    await page.getByText('Titel van het voorstel', { exact: true }).waitFor();

    await page.getByRole('button', { name: 'Voorstel opslaan' }).click();
    await page.waitForURL(/\/staff\/proposal\.html\?id=\d+$/);
    await page.getByRole('heading', { level: 1, name: /^Voorstel \d+: Norm 6a: klachten binnen vijf werkdagen$/ }).waitFor();
    await page.locator('.diff ins', { hasText: 'beantwoorden klachten binnen vijf werkdagen' }).first().waitFor();
    await page.getByRole('heading', { level: 3, name: 'Artikel 6b · Schrappen' }).waitFor();
    await checkPage(page, { key: 'main h1', name: 'office-board-proposal' });
    assert.deepEqual(watcher.errors, []);
  } finally {
    await context.close();
  }
});

test('a consultation window defaults to the next working day 09:00 until four weeks later 17:00, Amsterdam time, from a browser in New York', async () => {
  const context = await laptopContext(browser, { timezoneId: 'America/New_York' });
  const page = await context.newPage();
  const watcher = watchPage(page);
  try {
    await staffLogin(page, 'board');
    await page.goto(`${alvd.url}/staff/cycles.html?id=1`);
    await page.locator('#round-form').waitFor();
    const opens = await page.inputValue('#opens_at');
    const closes = await page.inputValue('#closes_at');
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Amsterdam' }).format(new Date());
    assert.match(opens, /^\d{4}-\d{2}-\d{2}T09:00$/);
    assert.match(closes, /^\d{4}-\d{2}-\d{2}T17:00$/);
    const day = (text) => Date.parse(`${text.slice(0, 10)}T00:00:00Z`) / 86400000;
    assert.ok(day(opens) > day(today), `opens after today (${opens}, today ${today})`);
    assert.ok(![0, 6].includes(new Date(`${opens.slice(0, 10)}T12:00:00Z`).getUTCDay()), 'on a working day');
    assert.equal(day(closes) - day(opens), 28, 'four weeks later');
    const words = await page.locator('#round-form p.muted').textContent();
    assert.match(words, /^De ronde loopt van \w+dag \d{1,2} \w+ \d{4} 09:00 tot \w+dag \d{1,2} \w+ \d{4} 17:00 \(Nederlandse tijd\)\.$/);

    // No proposal chosen: the error stands at the list, in words.
    for (const box of await page.locator('#round-form input[name="proposal_ids"]').all()) await box.uncheck();
    await page.getByRole('button', { name: 'Consultatieronde openen' }).last().click();
    await page.locator('#round-form .field-error', { hasText: 'Kies ten minste één voorstel voor deze ronde.' }).waitFor();
    await page.locator('#round-form input[name="proposal_ids"]').first().check();
    assert.equal(await page.locator('#round-form .error-summary').count(), 0, 'the corrected choice loses its error');
    await page.getByRole('button', { name: 'Consultatieronde openen' }).last().click();
    await page.locator('.toast--success', { hasText: /^Ronde geopend: \d+ organisaties uitgenodigd, \d+ e-mails klaargezet\./ }).waitFor();
    await page.getByRole('link', { name: 'Ronde 2' }).waitFor();
    const rounds = (await board.get('/api/consultations')).json.items.filter((r) => r.cycle_id === 1);
    const second = rounds.find((r) => r.round === 2);
    const offset = new Date(`${opens.slice(0, 10)}T12:00:00Z`).toLocaleString('en-GB', { timeZone: 'Europe/Amsterdam', timeZoneName: 'longOffset' }).split('GMT')[1];
    assert.equal(Date.parse(second.opens_at), Date.parse(`${opens}:00${offset}`), `stored as 09:00 in Amsterdam, not in New York: ${second.opens_at}`);
    assert.equal(new Date(second.opens_at).toLocaleTimeString('nl-NL', { timeZone: 'Europe/Amsterdam', hour: '2-digit', minute: '2-digit' }), '09:00');
    await screenshot(page, 'office-board-03-round-opened');
    assert.deepEqual(watcher.errors, []);
  } finally {
    await context.close();
  }
});

test('an empty reply is an error at the field; the saved reply replaces it; the reactienota counts in correct Dutch', async () => {
  // A round with one comment, closed, so the board can reply.
  const cycle = (await board.get('/api/cycles/1')).json;
  const proposal = cycle.proposals.find((p) => p.state === 'draft' || p.state === 'ready');
  const round = await board.post('/api/cycles/1/consultations', {
    opens_at: new Date(Date.now() - 60000).toISOString(), closes_at: new Date(Date.now() + 3600000).toISOString(), proposal_ids: [proposal.id],
  });
  assert.equal(round.status, 201, round.text);
  const [[organisation, contact]] = alvd.sql("SELECT o.id, c.id FROM organisations o JOIN contacts c ON c.organisation_id = o.id WHERE c.email = 'marieke@noord.example'");
  const token = alvd.run(['session', 'add', '--kind', 'contact', '--organisation', organisation, '--contact', contact]).stdout.trim();
  const commented = await fetch(`${alvd.url}/api/consultations/${round.json.id}/comments`, {
    method: 'POST', headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ proposal_id: proposal.id, text: 'Graag een overgangstermijn van een jaar.' }),
  });
  assert.equal(commented.status, 201, await commented.text());
  assert.equal((await board.post(`/api/consultations/${round.json.id}/close`)).status, 200);

  const context = await phoneContext(browser);
  const page = await context.newPage();
  const watcher = watchPage(page);
  try {
    await staffLogin(page, 'board');
    await page.goto(`${alvd.url}/staff/round.html?id=${round.json.id}`);
    const form = page.locator('form', { has: page.getByRole('button', { name: 'Antwoord opslaan' }) });
    await form.waitFor();
    await form.getByRole('button', { name: 'Antwoord opslaan' }).click();
    await form.locator('.field-error', { hasText: 'Schrijf het antwoord van het bestuur.' }).waitFor();
    assert.equal(await form.locator('.error-summary li').count(), 1);
    assert.equal(await page.locator('.toast').count(), 0, 'the error is at the field, not in a toast');
    await screenshot(page, 'office-board-04-reply-error-phone');
    await form.getByLabel('Antwoord van het bestuur').fill('Dat nemen we mee: de norm gaat een jaar na de ingangsdatum in.');
    await form.getByRole('button', { name: 'Antwoord opslaan' }).click();
    const saved = page.locator('.form-message', { hasText: 'Antwoord opgeslagen.' });
    await saved.waitFor();
    assert.equal(await page.locator('.error-summary, .field-error, .toast--error').count(), 0, 'no old error next to "Antwoord opgeslagen."');
    await page.locator('.alert--success', { hasText: 'Dat nemen we mee' }).first().waitFor();
    // The message stands where the person saved, on the phone; the check's laptop size
    // starts at the top of the page, far from that form, so it looks at the rest there.
    await checkPage(page, { key: { phone: '.form-message' }, name: 'office-board-reply-saved' });
    await screenshot(page, 'office-board-05-reply-saved-phone');

    // The reactienota: one of each, in the singular; no form hint in a column header.
    await page.goto(`${alvd.url}/staff/reactienota.html?id=${round.json.id}`);
    const counts = page.locator('#nota-counts');
    await counts.waitFor();
    assert.equal(await counts.textContent(), '1 reactie van 1 organisatie; 1 beantwoord, geen leidde tot een wijziging.');
    const headers = await texts(page.locator('thead th'));
    assert.deepEqual(headers, ['Organisatie', 'Artikel', 'Reactie', 'Antwoord van het bestuur', 'Leidde tot wijziging']);
    await checkPage(page, { key: '#nota-counts', name: 'office-board-reactienota' });
    // Content loaded after start follows the language toggle too.
    await page.getByRole('button', { name: 'English' }).click();
    await counts.getByText('1 comment from 1 organisation; 1 replied, none led to a change.').waitFor();
    assert.deepEqual(await texts(page.locator('thead th')), ['Organisation', 'Article', 'Comment', 'Reply of the board', 'Led to a change']);
    await screenshot(page, 'office-board-06-reactienota-english-phone');
    await page.getByRole('button', { name: 'Nederlands' }).click();

    // The demo's round 1: plurals chosen by count.
    const report = (await board.get('/api/consultations/1/report')).json;
    const { comments, responding_organisations: organisations, replied, led_to_change: changed } = report.counts;
    assert.ok(comments > 1 && organisations > 1);
    await page.goto(`${alvd.url}/staff/reactienota.html?id=1`);
    await counts.waitFor();
    assert.equal(await counts.textContent(), `${comments} reacties van ${organisations} organisaties; ${replied} beantwoord, `
      + `${changed === 1 ? '1 leidde' : `${changed} leidden`} tot een wijziging.`);
    await screenshot(page, 'office-board-07-reactienota-phone');
    assert.deepEqual(watcher.errors, []);
  } finally {
    await context.close();
  }
});
