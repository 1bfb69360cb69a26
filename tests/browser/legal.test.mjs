// The pages behind issue 13's rules, as their readers see them, at 390×844 and
// 1366×768: the public half-year report (published, "<3" and "x"; a half year not yet
// published), the officer's marked concept, the Code import form with its ALV decision,
// a consultation window entered on a laptop set to New York time (Amsterdam time is
// what is stored and shown), the meeting's notice period worded as the association's
// own, and the projector saying a majority of votes cast in words. Every view is kept
// as a screenshot and checked with axe.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  launchBrowser, phoneContext, laptopContext, projectorContext, screenshot, checkAccessibility, watchPage, startAlvd, demoLogins, logInPage } from './lib/browser.mjs';
import { addCycle, addProposal, hall, vote } from '../api/lib/poll-fixtures.mjs';
import { checkPage } from './lib/pagecheck.mjs';

let alvd;
let browser;

before(async () => {
  alvd = await startAlvd({ demo: true, env: { ALVD_TEST_TODAY: '2026-08-20' } });
  browser = await launchBrowser();
  // A half year whose "<3" would follow from its row: published with an "x" beside it.
  const rows = [['6a', 'compliant'], ['6a', 'compliant'], ['6a', 'compliant'], ['6a', 'explained'], ['6b', 'pending']];
  alvd.sql(rows.map(([norm, judgement], i) => `INSERT INTO meldpunt_reports (received_on, state, judgement, closed_on, personal_data_deleted_on)
    VALUES ('2024-0${7 + i}-10', 'closed', '${judgement}', '2025-01-10', '2025-01-10');
    INSERT INTO meldpunt_report_norms (report_id, norm) VALUES (LAST_INSERT_ID(), '${norm}')`).join(';\n'));
  const officer = await alvd.login('meldpunt');
  assert.equal((await officer.post('/api/meldpunt/half-year/2024H2/publish', {})).status, 200);
});

after(async () => {
  await browser?.close();
  await alvd?.stop();
});

const sizes = [
  ['phone', (b, options = {}) => phoneContext(b, options)],
  ['laptop', (b, options = {}) => laptopContext(b, { viewport: { width: 1366, height: 768 }, ...options })],
];

// Through the login page; the officer's and the administrator's second factor is typed
// as the app shows it (lib/browser.mjs).
const login = (page, role, next) => logInPage(page, alvd, role, next);

for (const [size, makeContext] of sizes) {
  test(`the public half-year report shows "<3" and "x", and an unpublished half year says so (${size})`, async () => {
    const context = await makeContext(browser);
    const page = await context.newPage();
    const watcher = watchPage(page);
    try {
      await page.goto(`${alvd.url}/meldpunt-rapportage.html?period=2024H2`);
      const table = page.locator('#report table');
      await table.waitFor();
      const sixA = table.locator('tbody tr', { hasText: '6a' });
      assert.deepEqual((await sixA.locator('td').allTextContents()).map((c) => c.trim()), ['x', 'x', '0', '< 3', '0']);
      await page.getByText('x: niet gepubliceerd').waitFor();
      await screenshot(page, `legal-meldpunt-published-${size}`);
      await checkPage(page, { name: 'legal-1' });
      assert.deepEqual(await checkAccessibility(page), [], 'published report');
      await page.goto(`${alvd.url}/meldpunt-rapportage.html?period=2026H2`);
      await page.getByText('nog niet gepubliceerd').waitFor();
      assert.equal(await page.locator('#csv').isVisible(), false, 'no CSV link for what is not published');
      await screenshot(page, `legal-meldpunt-not-published-${size}`);
      await checkPage(page, { name: 'legal-2' });
      assert.deepEqual(await checkAccessibility(page), [], 'unpublished half year');
      assert.deepEqual(watcher.errors.filter((e) => !/404/.test(e)), []);
    } finally {
      await context.close();
    }
  });

  test(`the officer sees the running half year as a marked concept, with the way to publish (${size})`, async () => {
    const context = await makeContext(browser);
    const page = await context.newPage();
    try {
      await login(page, 'meldpunt', '/staff/meldpunt.html');
      // The period is chosen in words now (office's form), its value the API's period.
      await page.getByLabel('Halfjaar', { exact: true }).selectOption('2026H2');
      const draft = page.getByRole('link', { name: 'Concept bekijken' });
      assert.match(await draft.getAttribute('href'), /period=2026H2$/);
      await page.locator('#half-year-form').scrollIntoViewIfNeeded();
      await screenshot(page, `legal-meldpunt-officer-form-${size}`);
      await page.goto(`${alvd.url}/meldpunt-rapportage.html?period=2026H2`);
      await page.getByText('Concept, niet gepubliceerd').waitFor();
      await page.getByRole('link', { name: 'Publiceren op de meldpuntpagina' }).waitFor();
      await screenshot(page, `legal-meldpunt-concept-${size}`);
      await checkPage(page, { name: 'legal-3' });
      assert.deepEqual(await checkAccessibility(page), [], 'concept view');
    } finally {
      await context.close();
    }
  });

  test(`the Code import form asks for the ALV decision and refuses a retroactive date in words (${size})`, async () => {
    const context = await makeContext(browser);
    const page = await context.newPage();
    try {
      await login(page, 'admin', '/staff/code.html');
      await page.getByLabel('Datum van het ALV-besluit').waitFor();
      await page.getByLabel('Versie', { exact: true }).fill('terugwerkend');
      await page.getByLabel('Geldt vanaf').fill('2020-01-01');
      await page.getByLabel('Datum van het ALV-besluit').fill('2019-10-01');
      await page.getByLabel('Tekst van de Code').fill('1. Een\n\nTekst.');
      await page.getByRole('button', { name: 'Versie invoeren' }).click();
      await page.getByText(/werkt niet terug/).first().waitFor();
      await screenshot(page, `legal-code-import-retroactive-${size}`);
      await checkPage(page, { name: 'legal-4' });
      assert.deepEqual(await checkAccessibility(page), [], 'code import form');
    } finally {
      await context.close();
    }
  });
}

let cycleYear = 2161;
for (const [size, makeContext] of sizes) {
  test(`a consultation window entered in a browser on New York time is Amsterdam time, stored and shown (${size})`, async () => {
    const board = await alvd.login('board');
    const cycle = await board.post('/api/cycles', { year: cycleYear++ });
    assert.equal(cycle.status, 201, cycle.text);
    const proposal = await board.post(`/api/cycles/${cycle.json.id}/proposals`, {
      title: 'Norm 6c: wachttijden', rationale: 'Signalen van het meldpunt.', changes: [{ article: '6c', action: 'replace', text: 'Wachttijden blijven onder de tien minuten.' }],
    });
    assert.equal(proposal.status, 201, proposal.text);
    const context = await makeContext(browser, { timezoneId: 'America/New_York' });
    const page = await context.newPage();
    try {
      await login(page, 'board', `/staff/cycles.html?id=${cycle.json.id}`);
      assert.equal(await page.evaluate(() => Intl.DateTimeFormat().resolvedOptions().timeZone), 'America/New_York');
      await page.getByText('Nederlandse tijd. Standaard: de eerstvolgende werkdag 09:00 tot vier weken later 17:00.').waitFor();
      await page.getByLabel('Opent op').fill('2027-03-02T09:00');
      await page.getByLabel('Sluit op').fill('2027-03-30T17:00');
      await page.getByRole('button', { name: 'Consultatieronde openen' }).click();
      // The form's own sentence already names both moments; the round is opened when the
      // confirmation says so.
      await page.getByText(/^Ronde geopend/).first().waitFor();
      await page.getByText('2 maart 2027 09:00').first().waitFor();
      await page.getByText('30 maart 2027 17:00').first().waitFor();
      assert.deepEqual(alvd.sql(`SELECT DATE_FORMAT(opens_at, '%Y-%m-%d %H:%i'), DATE_FORMAT(closes_at, '%Y-%m-%d %H:%i') FROM consultations WHERE cycle_id = ${cycle.json.id}`),
        [['2027-03-02 08:00', '2027-03-30 15:00']], '09:00 CET and 17:00 CEST in UTC');
      await screenshot(page, `legal-consultation-window-new-york-${size}`);
      await checkPage(page, { name: 'legal-5' });
      assert.deepEqual(await checkAccessibility(page), [], 'cycle page');
    } finally {
      await context.close();
    }
  });

  test(`the meeting page calls the notice period the association's own (${size})`, async () => {
    const [[meetingId]] = alvd.sql("SELECT id FROM meetings WHERE title = 'Algemene Ledenvergadering (demo)'");
    const context = await makeContext(browser);
    const page = await context.newPage();
    try {
      await login(page, 'secretariat', `/staff/meeting.html?id=${meetingId}`);
      await page.getByRole('tab', { name: 'Agenda en instellingen' }).click();
      await page.getByText('Oproepingstermijn van de vereniging').waitFor();
      await page.locator('#settings dd', { hasText: /^14 dagen/ }).waitFor();
      await page.getByText(/de wet schrijft voor een ALV geen termijn voor/).waitFor();
      await screenshot(page, `legal-meeting-notice-${size}`);
    } finally {
      await context.close();
    }
  });
}

test('the projector says "more votes for than against" while a majority-of-votes-cast poll is open', async () => {
  const staff = { secretariat: await alvd.login('secretariat'), board: await alvd.login('board'), chair: await alvd.login('chair') };
  const cycle = addCycle(alvd, 2190);
  const proposalId = addProposal(alvd, cycle, 'Besluit bij gewone meerderheid', [{ article: '6c', action: 'replace', text: 'Nieuw 6c.' }]);
  const room = await hall(alvd, { prefix: 'Projector', present: 3, rule: 'majority_of_votes_cast', proposalIds: [proposalId], staff });
  const poll = await staff.chair.post(`/api/meetings/${room.meeting.id}/polls`, { proposal_id: proposalId, secret: false });
  assert.equal((await staff.chair.post(`/api/polls/${poll.json.id}/open`)).status, 200);
  assert.equal((await vote(room.phones[0], poll.json.id, 'against')).status, 201);
  const context = await projectorContext(browser);
  const page = await context.newPage();
  try {
    await login(page, 'chair', `/projector.html?meeting=${room.meeting.id}`);
    // The projector's figure "Nodig voor aanname" says it in words (hall's projector).
    const box = page.locator('#projector-threshold');
    await box.getByText('meer voor dan tegen', { exact: true }).waitFor();
    assert.equal(await box.textContent(), 'meer voor dan tegen', 'not a count such as "1"');
    await screenshot(page, 'legal-projector-votes-cast-open');
    await checkPage(page, { name: 'legal-6', kind: 'projector' });
    assert.deepEqual(await checkAccessibility(page), [], 'projector');
  } finally {
    await context.close();
  }
});
