// The meldpunt's half-year publication under the subtraction attack (issue 13, point 3):
// 24 half years of generated reports (small counts on purpose, some reports naming two
// norms) plus the demo's are published by the officer; every published table, as JSON
// and as CSV, is then attacked (tests/api/lib/subtraction-attack.mjs): no hidden count
// follows from any row, the total or any combination of them. Nothing is public before
// publication, and a published table no longer moves.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startAlvd } from './lib/alvd.mjs';
import { subtractionAttack, naiveSubtractions, tableFromCsv, JUDGEMENTS } from './lib/subtraction-attack.mjs';

let alvd, officer;
const NORMS = ['6', '6a', '6b', '6c', '6d'];

// A small deterministic generator, so a failing table can be replayed.
let seed = 20261207;
const random = (n) => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed % n; };

before(async () => {
  alvd = await startAlvd({ demo: true, env: { ALVD_TEST_TODAY: '2026-08-20' } });
  officer = await alvd.login('meldpunt');
});
after(async () => { if (process.env.SHOW_LOG) console.error(alvd?.log); await alvd?.stop(); });

/** Generated reports for one half year; returns the truth per norm and judgement. */
function addReports(period, multiNorm) {
  const [year, half] = [Number(period.slice(0, 4)), Number(period.slice(5))];
  const used = NORMS.filter(() => random(3) > 0);
  const count = random(14);
  const statements = [];
  for (let i = 0; i < count; i++) {
    const month = half === 1 ? 1 + random(6) : 7 + random(6);
    // Mostly judged, with a skew: small counts are the point.
    const judgement = JUDGEMENTS[[0, 0, 0, 1, 2, 3][random(6)]];
    const first = used.length ? used[random(used.length)] : NORMS[random(NORMS.length)];
    const second = multiNorm && random(3) === 0 ? NORMS.find((n) => n !== first && random(2) === 0) : null;
    statements.push(`INSERT INTO meldpunt_reports (received_on, state, judgement, closed_on, personal_data_deleted_on)
      VALUES ('${year}-${String(month).padStart(2, '0')}-1${random(9)}', 'closed', '${judgement}', '${year + 1}-01-05', '${year + 1}-01-05')`,
    `INSERT INTO meldpunt_report_norms (report_id, norm) VALUES (LAST_INSERT_ID(), '${first}')${second ? `, (LAST_INSERT_ID(), '${second}')` : ''}`);
  }
  if (statements.length) alvd.sql(statements.join(';\n'));
}

/** Whether every report of the period names exactly one norm (then total = sum of norms). */
function singleNorm(period) {
  const [year, half] = [period.slice(0, 4), period.slice(5)];
  const [from, to] = half === '1' ? [`${year}-01-01`, `${year}-06-30`] : [`${year}-07-01`, `${year}-12-31`];
  const [[several]] = alvd.sql(`SELECT COUNT(*) FROM (SELECT r.id FROM meldpunt_reports r JOIN meldpunt_report_norms n ON n.report_id = r.id
    WHERE r.received_on BETWEEN '${from}' AND '${to}' GROUP BY r.id HAVING COUNT(*) > 1) m`);
  return several === '0';
}

test('nothing of a half year is public before the officer publishes it; the officer sees a marked preview', async () => {
  const anonymous = alvd.client();
  const current = await anonymous.get('/api/meldpunt/half-year/2026H2');
  assert.equal(current.status, 404, 'the running half year is not public');
  assert.equal(current.json.code, 'not_published');
  const preview = await officer.get('/api/meldpunt/half-year/2026H2');
  assert.equal(preview.status, 200, preview.text);
  assert.equal(preview.json.preview, true);
  assert.equal(preview.json.published, false);
  // The demo's officer published the half years that are over.
  for (const period of ['2025H1', '2025H2', '2026H1']) {
    const published = await anonymous.get(`/api/meldpunt/half-year/${period}`);
    assert.equal(published.status, 200, `${period}: ${published.text}`);
    assert.equal(published.json.published, true);
  }
});

test('every published table and CSV withstands the subtraction attack (rows, total and every combination)', async () => {
  const periods = [];
  for (let year = 2012; year < 2024; year++) for (const half of [1, 2]) periods.push(`${year}H${half}`);
  periods.forEach((period, index) => addReports(period, index % 3 === 2));
  for (const period of periods) {
    const published = await officer.post(`/api/meldpunt/half-year/${period}/publish`, {});
    assert.equal(published.status, 200, `${period}: ${published.text}`);
  }
  const all = alvd.sql('SELECT period FROM meldpunt_half_years WHERE published_at IS NOT NULL ORDER BY period').map(([p]) => p);
  assert.ok(all.length >= periods.length + 3, `${all.length} published half years`);
  const anonymous = alvd.client();
  let small = 0, hidden = 0, entries = 0, leakyBefore = 0;
  for (const period of all) {
    const json = await anonymous.get(`/api/meldpunt/half-year/${period}`);
    assert.equal(json.status, 200, `${period}: ${json.text}`);
    const csv = await anonymous.get(`/api/meldpunt/half-year/${period}?format=csv`);
    assert.equal(csv.status, 200, `${period} csv`);
    const fromCsv = tableFromCsv(csv.text);
    assert.deepEqual(fromCsv, { reports: json.json.reports, by_norm: json.json.by_norm }, `${period}: the CSV says what the JSON says`);
    const single = singleNorm(period);
    for (const [label, table] of [['json', json.json], ['csv', fromCsv]]) {
      const attack = subtractionAttack(table, { singleNorm: single });
      assert.ok(attack.consistent, `${period} ${label}: the published table has a solution`);
      assert.deepEqual(attack.disclosed, [], `${period} ${label} (${single ? 'one norm per report' : 'several norms'}): ${JSON.stringify(table)}`);
      assert.deepEqual(naiveSubtractions(table, { singleNorm: single }), [], `${period} ${label}: a single subtraction`);
    }
    // No count of 1 or 2 is ever shown as a number.
    const [year, half] = [period.slice(0, 4), period.slice(5)];
    const [from, to] = half === '1' ? [`${year}-01-01`, `${year}-06-30`] : [`${year}-07-01`, `${year}-12-31`];
    const truth = alvd.sql(`SELECT n.norm, r.judgement, COUNT(*) FROM meldpunt_report_norms n JOIN meldpunt_reports r ON r.id = n.report_id
      WHERE r.received_on BETWEEN '${from}' AND '${to}' GROUP BY n.norm, r.judgement`);
    const perNorm = {};
    for (const [norm, judgement, count] of truth) {
      perNorm[norm] ??= { reports: 0 };
      perNorm[norm][judgement] = Number(count);
      perNorm[norm].reports += Number(count);
    }
    for (const [norm, row] of Object.entries(json.json.by_norm)) {
      for (const key of ['reports', ...JUDGEMENTS]) {
        const real = perNorm[norm]?.[key] ?? 0;
        const shown = row[key];
        entries++;
        if (real > 0 && real < 3) assert.notEqual(typeof shown, 'number', `${period} ${norm}.${key} = ${real} is shown`);
        if (typeof shown === 'number') assert.equal(shown, real, `${period} ${norm}.${key}`);
        if (shown === '<3') { small++; assert.ok(real > 0 && real < 3, `${period} ${norm}.${key}: "<3" for ${real}`); }
        if (shown === 'x') hidden++;
      }
      // The same table with only "<3" (the old publication) would have leaked?
    }
    const plain = { reports: json.json.reports, by_norm: Object.fromEntries(Object.entries(perNorm).map(([norm, row]) => [norm,
      Object.fromEntries(['reports', ...JUDGEMENTS].map((key) => { const v = row[key] ?? 0; return [key, v > 0 && v < 3 ? '<3' : v]; }))])) };
    if (typeof plain.reports === 'number' && subtractionAttack(plain, { singleNorm: single }).disclosed.length) leakyBefore++;
  }
  console.log(`published tables attacked: ${all.length} (JSON and CSV each); entries ${entries}, "<3" ${small}, "x" ${hidden}; `
    + `tables that "<3" alone would have given away: ${leakyBefore}`);
  assert.ok(leakyBefore > 0, 'the generated data includes tables the old publication leaked');
  assert.ok(hidden > 0);
});

test('a published table is frozen: a judgement given later changes neither the JSON nor the CSV', async () => {
  const before = await alvd.client().get('/api/meldpunt/half-year/2025H2?format=csv');
  alvd.sql("UPDATE meldpunt_reports SET judgement = 'non_compliant' WHERE received_on BETWEEN '2025-07-01' AND '2025-12-31'");
  const later = await alvd.client().get('/api/meldpunt/half-year/2025H2?format=csv');
  assert.equal(later.text, before.text);
  const preview = await officer.get('/api/meldpunt/half-year/2026H2');
  assert.equal(preview.json.preview, true, 'only the running half year moves, and only for the officer');
});
