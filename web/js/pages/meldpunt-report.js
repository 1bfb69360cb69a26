// The public half-year report: counts per norm with small counts as "< 3", an inline
// SVG chart (stacked by judgement; suppressed counts drawn as a dashed outline), CSV.
import { api } from '../api.js';
import { publicPage, el, errorMessage, todayCivil, param } from '../ui.js';

/** replaceChildren that flattens arrays and skips null/false (as el() does). */
function fill(node, ...children) {
  node.replaceChildren(...children.flat(Infinity).filter((child) => child !== null && child !== undefined && child !== false));
}

publicPage({ title: 'Halfjaarrapportage meldpunt', active: 'meldpunt' });

const JUDGEMENTS = [
  ['compliant', 'Past de norm toe'],
  ['non_compliant', 'Past de norm niet toe'],
  ['explained', 'Afwijking uitgelegd'],
  ['pending', 'Nog geen oordeel'],
];
const select = document.getElementById('period');
const box = document.getElementById('report');

function periods() {
  const [year, month] = todayCivil().split('-').map(Number);
  const list = [];
  let y = year;
  let h = month <= 6 ? 1 : 2;
  for (let i = 0; i < 6; i++) {
    list.push(`${y}H${h}`);
    if (h === 2) h = 1; else { h = 2; y -= 1; }
  }
  return list;
}

const shown = (value) => (typeof value === 'string' ? value.replace('<', '< ') : String(value));
const width = (value) => (typeof value === 'number' ? value : 1.5);

function chart(byNorm) {
  const norms = Object.keys(byNorm);
  const max = Math.max(3, ...norms.map((n) => width(byNorm[n].reports)));
  const row = 34;
  const left = 60;
  const scale = 480 / max;
  const svg = el('svg:svg', { class: 'chart', viewBox: `0 0 600 ${norms.length * row + 10}`, role: 'img',
    'aria-label': 'Meldingen per norm, verdeeld naar oordeel' });
  norms.forEach((norm, index) => {
    const y = index * row + 5;
    svg.append(el('svg:text', { x: 0, y: y + 18 }, `Norm ${norm}`));
    let x = left;
    for (const [key] of JUDGEMENTS) {
      const value = byNorm[norm][key];
      if (value === 0) continue;
      const w = width(value) * scale;
      svg.append(el('svg:rect', { x, y, width: w, height: 24, class: typeof value === 'string' ? 'bar--suppressed' : `bar--${key}` }));
      x += w;
    }
    svg.append(el('svg:text', { x: x + 6, y: y + 18 }, shown(byNorm[norm].reports)));
  });
  return svg;
}

async function load() {
  const period = select.value;
  document.getElementById('csv').href = `/api/meldpunt/half-year/${period}?format=csv`;
  history.replaceState(null, '', `?period=${period}`);
  try {
    const report = await api('GET', `/api/meldpunt/half-year/${period}`);
    const norms = Object.keys(report.by_norm);
    fill(box,
      el('p', { class: 'lead' }, `${shown(report.reports)} meldingen ontvangen tussen ${report.from} en ${report.to}.`),
      norms.length ? [
        chart(report.by_norm),
        el('ul', { class: 'legend' }, JUDGEMENTS.map(([key, label]) => el('li', {}, el('span', { class: `legend__swatch legend__swatch--${key}` }), label)),
          el('li', {}, 'Stippellijn: minder dan 3')),
        el('div', { class: 'table-wrap' }, el('table', { class: 'table' },
          el('caption', { class: 'visually-hidden' }, 'Meldingen per norm en oordeel'),
          el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, 'Norm'), el('th', { scope: 'col', class: 'num' }, 'Meldingen'),
            JUDGEMENTS.map(([, label]) => el('th', { scope: 'col', class: 'num' }, label)))),
          el('tbody', {}, norms.map((norm) => el('tr', {}, el('th', { scope: 'row' }, norm),
            el('td', { class: 'num' }, shown(report.by_norm[norm].reports)),
            JUDGEMENTS.map(([key]) => el('td', { class: 'num' }, shown(report.by_norm[norm][key])))))))),
      ] : el('p', { class: 'muted' }, 'In dit halfjaar zijn geen meldingen ontvangen.'),
      report.published && report.guidance ? [el('h2', {}, 'Toelichting van het meldpunt'), el('p', { class: 'prewrap' }, report.guidance)] : null,
      report.published && report.suggestions.length ? [el('h2', {}, 'Voorstellen om de Code te wijzigen'),
        el('ul', {}, report.suggestions.map((s) => el('li', {}, s.article ? `Artikel ${s.article}: ${s.text}` : s.text)))] : null,
      report.published ? null : el('p', { class: 'muted small' }, 'De toelichting verschijnt zodra het meldpunt de rapportage na afloop van het halfjaar publiceert.'),
    );
  } catch (error) {
    box.replaceChildren(el('div', { class: 'alert alert--error', role: 'alert' }, errorMessage(error)));
  }
}

const list = periods();
select.replaceChildren(...list.map((p) => el('option', { value: p }, p.replace('H', ' — ').replace('— 1', 'januari–juni').replace('— 2', 'juli–december'))));
select.value = list.includes(param('period')) ? param('period') : list[1];
select.addEventListener('change', load);
load();
