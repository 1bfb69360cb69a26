// The subtraction attack on a published meldpunt half-year table, written apart from the
// server's own check (server/rules/suppression.c): every whole-number solution of what
// the table says is enumerated, and an entry that takes one value in all of them is
// disclosed. A reader knows: each norm's "reports" is the sum of its four judgements;
// when every report names one norm, the total is the sum of the norms' reports
// (singleNorm); otherwise no norm has more reports than the total. "<3" is 1 or 2; "x"
// is any count; no column totals are published.

export const JUDGEMENTS = ['compliant', 'non_compliant', 'explained', 'pending'];

/** Parse the CSV the API serves into the shape of the JSON ({reports, by_norm}). */
export function tableFromCsv(text) {
  const lines = text.split('\r\n').filter((line) => line.length > 0);
  if (lines[0] !== 'norm,reports,compliant,non_compliant,explained,pending') throw new Error(`bad header ${lines[0]}`);
  const value = (cell) => (/^\d+$/.test(cell) ? Number(cell) : cell);
  const table = { by_norm: {} };
  for (const line of lines.slice(1)) {
    const cells = line.split(',');
    if (cells[0] === 'total') table.reports = value(cells[1]);
    else table.by_norm[cells[0]] = Object.fromEntries(['reports', ...JUDGEMENTS].map((key, i) => [key, value(cells[i + 1])]));
  }
  return table;
}

function domain(entry, bound) {
  if (typeof entry === 'number') return [entry];
  if (entry === '<3') return [1, 2];
  if (entry === 'x') return Array.from({ length: bound + 1 }, (_, i) => i);
  throw new Error(`unknown entry ${JSON.stringify(entry)}`);
}

/**
 * Attack one table. Returns {disclosed: [{where, value}], consistent} where every
 * hidden entry that takes a single value is listed. bound caps "x" when the total is
 * hidden too (the real counts of a test are far below it).
 */
export function subtractionAttack(table, { singleNorm, bound: cap = 60 }) {
  const norms = Object.keys(table.by_norm);
  // No count exceeds the number of reports (a report names a norm at most once), so a
  // published total bounds every "x"; otherwise the cap does.
  const bound = typeof table.reports === 'number' ? table.reports : table.reports === '<3' ? 2 : cap;
  const totalDomain = domain(table.reports, bound);
  // Per norm: every assignment of its hidden entries that makes reports = sum.
  const rows = norms.map((norm) => {
    const row = table.by_norm[norm];
    // No row sums to more than its own largest possible total (pruning only).
    const upper = Math.max(...domain(row.reports, bound));
    const solutions = [];
    const walk = (k, values, sum) => {
      if (sum > upper) return;
      if (k === JUDGEMENTS.length) {
        if (domain(row.reports, bound).includes(sum)) solutions.push({ reports: sum, cells: values });
        return;
      }
      for (const v of domain(row[JUDGEMENTS[k]], bound)) walk(k + 1, [...values, v], sum + v);
    };
    walk(0, [], 0);
    return solutions;
  });
  // Combinations of the norms' reports that fit the total: the sums the other norms can
  // make (every combination, as a set of sums), from the left and from the right.
  const reportValues = rows.map((solutions) => [...new Set(solutions.map((s) => s.reports))]);
  const plus = (a, b) => { const out = new Set(); for (const x of a) for (const y of b) out.add(x + y); return out; };
  const prefix = [new Set([0])];
  reportValues.forEach((values, i) => prefix.push(plus(prefix[i], values)));
  const suffix = Array(norms.length + 1);
  suffix[norms.length] = new Set([0]);
  for (let i = norms.length - 1; i >= 0; i--) suffix[i] = plus(suffix[i + 1], reportValues[i]);
  const usedReports = norms.map(() => new Set());
  const usedTotals = new Set();
  if (singleNorm) {
    for (const t of totalDomain) if (prefix[norms.length].has(t)) usedTotals.add(t);
    norms.forEach((_, n) => {
      const others = plus(prefix[n], suffix[n + 1]);
      for (const r of reportValues[n]) if ([...usedTotals].some((t) => others.has(t - r))) usedReports[n].add(r);
    });
  } else {
    // No norm has more reports than the total.
    const lowest = reportValues.map((values) => Math.min(...values));
    for (const t of totalDomain) if (reportValues.every((values) => values.length) && lowest.every((r) => r <= t)) usedTotals.add(t);
    norms.forEach((_, n) => {
      for (const r of reportValues[n]) {
        if ([...usedTotals].some((t) => r <= t && lowest.every((low, m) => m === n || low <= t))) usedReports[n].add(r);
      }
    });
  }
  const disclosed = [];
  const hidden = (entry) => typeof entry !== 'number';
  if (hidden(table.reports) && usedTotals.size === 1) disclosed.push({ where: 'total', value: [...usedTotals][0] });
  norms.forEach((norm, n) => {
    const row = table.by_norm[norm];
    if (hidden(row.reports) && usedReports[n].size === 1) disclosed.push({ where: `${norm}.reports`, value: [...usedReports[n]][0] });
    JUDGEMENTS.forEach((key, k) => {
      if (!hidden(row[key])) return;
      const values = new Set(rows[n].filter((s) => usedReports[n].has(s.reports)).map((s) => s.cells[k]));
      if (values.size === 1) disclosed.push({ where: `${norm}.${key}`, value: [...values][0] });
    });
  });
  return { disclosed, consistent: usedTotals.size > 0 };
}

/** The naive reader's subtractions, one relation at a time: rows, then the total. */
export function naiveSubtractions(table, { singleNorm }) {
  const found = [];
  for (const [norm, row] of Object.entries(table.by_norm)) {
    const hiddenKeys = JUDGEMENTS.filter((k) => typeof row[k] !== 'number');
    if (typeof row.reports === 'number' && hiddenKeys.length === 1) {
      found.push({ where: `${norm}.${hiddenKeys[0]}`, value: row.reports - JUDGEMENTS.filter((k) => k !== hiddenKeys[0]).reduce((a, k) => a + row[k], 0) });
    }
    if (typeof row.reports !== 'number' && hiddenKeys.length === 0) {
      found.push({ where: `${norm}.reports`, value: JUDGEMENTS.reduce((a, k) => a + row[k], 0) });
    }
  }
  if (singleNorm && typeof table.reports === 'number') {
    const hiddenNorms = Object.entries(table.by_norm).filter(([, row]) => typeof row.reports !== 'number');
    if (hiddenNorms.length === 1) {
      const known = Object.values(table.by_norm).filter((row) => typeof row.reports === 'number').reduce((a, row) => a + row.reports, 0);
      found.push({ where: `${hiddenNorms[0][0]}.reports`, value: table.reports - known });
    }
  }
  return found;
}
