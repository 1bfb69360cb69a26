// The public half-year report: counts per norm with small counts as "< 3" and counts
// hidden to protect them as "x", an inline SVG chart (stacked by judgement; hidden counts
// drawn as a dashed outline), CSV. Only published half years; the officer sees a
// marked concept of the others.
import { api } from '../api.js';
import { addMessages, t, onLanguageChange } from '../i18n.js';
import { publicPage, el, errorMessage, todayCivil, param, formatDate } from '../ui.js';
import { plural } from '../words.js';

/** replaceChildren that flattens arrays and skips null/false (as el() does). */
function fill(node, ...children) {
  node.replaceChildren(...children.flat(Infinity).filter((child) => child !== null && child !== undefined && child !== false));
}

addMessages({
  nl: {
    'meldpunt.report.page_title': 'Halfjaarrapportage meldpunt',
    'meldpunt.report.title': 'Halfjaarrapportage van het meldpunt',
    'meldpunt.report.lead': 'Per halfjaar: hoeveel meldingen er waren, over welke normen, en wat het oordeel was. Aantallen onder de 3 tonen we als "< 3", zodat niemand herkenbaar is; waar zo\'n aantal uit de andere getallen zou volgen, tonen we ook een ander getal niet ("x").',
    'meldpunt.report.period': 'Halfjaar',
    'meldpunt.report.half1': '{year} januari–juni',
    'meldpunt.report.half2': '{year} juli–december',
    'meldpunt.report.csv': 'CSV downloaden',
    'meldpunt.report.judgement.compliant': 'Past de norm toe',
    'meldpunt.report.judgement.non_compliant': 'Past de norm niet toe',
    'meldpunt.report.judgement.explained': 'Afwijking uitgelegd',
    'meldpunt.report.judgement.pending': 'Nog geen oordeel',
    'meldpunt.report.chart_label': 'Meldingen per norm, verdeeld naar oordeel',
    'meldpunt.report.norm': 'Norm {norm}',
    'meldpunt.report.total.one': '1 melding ontvangen van {from} tot en met {to}.',
    'meldpunt.report.total.other': '{count} meldingen ontvangen van {from} tot en met {to}.',
    'meldpunt.report.total.zero': 'Geen meldingen ontvangen van {from} tot en met {to}.',
    'meldpunt.report.dashed': 'Stippellijn: minder dan 3 (< 3) of afgeschermd (x)',
    'meldpunt.report.hidden_legend': 'x: niet gepubliceerd, zodat een klein aantal niet uit de andere getallen te berekenen is.',
    'meldpunt.report.not_published': 'Het meldpunt heeft de rapportage over dit halfjaar nog niet gepubliceerd. Een halfjaar verschijnt hier na afloop, als het meldpunt het publiceert.',
    'meldpunt.report.preview': 'Concept, niet gepubliceerd. Alleen het meldpunt ziet dit; het publiek ziet dit halfjaar pas na publicatie, en dan staat de tabel vast.',
    'meldpunt.report.preview_publish': 'Publiceren op de meldpuntpagina',
    'meldpunt.report.caption': 'Meldingen per norm en oordeel',
    'meldpunt.report.norm_column': 'Norm',
    'meldpunt.report.reports': 'Meldingen',
    'meldpunt.report.none': 'In dit halfjaar zijn geen meldingen ontvangen.',
    'meldpunt.report.guidance': 'Toelichting van het meldpunt',
    'meldpunt.report.suggestions': 'Voorstellen om de Code te wijzigen',
    'meldpunt.report.suggestion': 'Artikel {article}: {text}',
  },
  en: {
    'meldpunt.report.page_title': 'Reporting desk half-year report',
    'meldpunt.report.title': 'Half-year report of the reporting desk',
    'meldpunt.report.lead': 'Per half-year: how many reports there were, about which standards, and what the judgement was. Counts below 3 are shown as "< 3", so that no one can be recognised; where such a count would follow from the other figures, another figure is hidden too ("x").',
    'meldpunt.report.period': 'Half-year',
    'meldpunt.report.half1': '{year} January–June',
    'meldpunt.report.half2': '{year} July–December',
    'meldpunt.report.csv': 'Download CSV',
    'meldpunt.report.judgement.compliant': 'Applies the standard',
    'meldpunt.report.judgement.non_compliant': 'Does not apply the standard',
    'meldpunt.report.judgement.explained': 'Deviation explained',
    'meldpunt.report.judgement.pending': 'No judgement yet',
    'meldpunt.report.chart_label': 'Reports per standard, split by judgement',
    'meldpunt.report.norm': 'Standard {norm}',
    'meldpunt.report.total.one': '1 report received from {from} up to and including {to}.',
    'meldpunt.report.total.other': '{count} reports received from {from} up to and including {to}.',
    'meldpunt.report.total.zero': 'No reports received from {from} up to and including {to}.',
    'meldpunt.report.dashed': 'Dashed outline: fewer than 3 (< 3) or hidden (x)',
    'meldpunt.report.hidden_legend': 'x: not published, so that a small count cannot be worked out from the other figures.',
    'meldpunt.report.not_published': 'The reporting desk has not published the report on this half-year yet. A half-year appears here after it has ended, once the desk publishes it.',
    'meldpunt.report.preview': 'Draft, not published. Only the reporting desk sees this; the public sees this half-year only after publication, and then the table is fixed.',
    'meldpunt.report.preview_publish': 'Publish on the reporting desk page',
    'meldpunt.report.caption': 'Reports per standard and judgement',
    'meldpunt.report.norm_column': 'Standard',
    'meldpunt.report.reports': 'Reports',
    'meldpunt.report.none': 'No reports were received in this half-year.',
    'meldpunt.report.guidance': 'Explanation from the reporting desk',
    'meldpunt.report.suggestions': 'Proposals to amend the Code',
    'meldpunt.report.suggestion': 'Article {article}: {text}',
  },
});

publicPage({ title: 'meldpunt.report.page_title', active: 'meldpunt' });

const JUDGEMENTS = ['compliant', 'non_compliant', 'explained', 'pending'];
const judgementLabel = (key) => t(`meldpunt.report.judgement.${key}`);
const select = document.getElementById('period');
const box = document.getElementById('report');
let report = null;

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
const hiddenAny = (byNorm) => Object.values(byNorm).some((row) => Object.values(row).includes('x'));
const width = (value) => (typeof value === 'number' ? value : 1.5);

function chart(byNorm) {
  const norms = Object.keys(byNorm);
  const max = Math.max(3, ...norms.map((n) => width(byNorm[n].reports)));
  const row = 34;
  const labels = Object.fromEntries(norms.map((norm) => [norm, t('meldpunt.report.norm', { norm })]));
  // Room for the longest label ("Standard 6a" is wider than "Norm 6a"); bars end at 540.
  const left = Math.max(60, ...Object.values(labels).map((label) => label.length * 7 + 8));
  const scale = (540 - left) / max;
  const svg = el('svg:svg', { class: 'chart', viewBox: `0 0 600 ${norms.length * row + 10}`, role: 'img',
    'aria-label': t('meldpunt.report.chart_label') });
  norms.forEach((norm, index) => {
    const y = index * row + 5;
    svg.append(el('svg:text', { x: 0, y: y + 18 }, labels[norm]));
    let x = left;
    for (const key of JUDGEMENTS) {
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

function render() {
  if (!report) return;
  const norms = Object.keys(report.by_norm);
  fill(box,
    report.preview ? el('div', { class: 'alert alert--warning', role: 'status' },
      el('p', {}, t('meldpunt.report.preview')),
      el('p', {}, el('a', { href: '/staff/meldpunt.html#half-year-form' }, t('meldpunt.report.preview_publish')))) : null,
    el('p', { class: 'lead' }, typeof report.reports === 'number'
      ? plural('meldpunt.report.total', report.reports, { from: formatDate(report.from, 'medium'), to: formatDate(report.to, 'medium') })
      : t('meldpunt.report.total.other', { count: shown(report.reports), from: formatDate(report.from, 'medium'), to: formatDate(report.to, 'medium') })),
    norms.length ? [
      chart(report.by_norm),
      el('ul', { class: 'legend' }, JUDGEMENTS.map((key) => el('li', {}, el('span', { class: `legend__swatch legend__swatch--${key}` }), judgementLabel(key))),
        el('li', {}, t('meldpunt.report.dashed'))),
      hiddenAny(report.by_norm) ? el('p', { class: 'muted small' }, t('meldpunt.report.hidden_legend')) : null,
      el('div', { class: 'table-wrap', role: 'region', tabindex: 0, 'aria-label': t('meldpunt.report.caption') }, el('table', { class: 'table table--stack' },
        el('caption', { class: 'visually-hidden' }, t('meldpunt.report.caption')),
        el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, t('meldpunt.report.norm_column')), el('th', { scope: 'col', class: 'num' }, t('meldpunt.report.reports')),
          JUDGEMENTS.map((key) => el('th', { scope: 'col', class: 'num' }, judgementLabel(key))))),
        el('tbody', {}, norms.map((norm) => el('tr', {}, el('th', { scope: 'row' }, t('meldpunt.report.norm', { norm })),
          el('td', { class: 'num', 'data-label': t('meldpunt.report.reports') }, shown(report.by_norm[norm].reports)),
          JUDGEMENTS.map((key) => el('td', { class: 'num', 'data-label': judgementLabel(key) }, shown(report.by_norm[norm][key])))))))),
    ] : el('p', { class: 'muted' }, t('meldpunt.report.none')),
    report.published && report.guidance ? [el('h2', {}, t('meldpunt.report.guidance')), el('p', { class: 'prewrap' }, report.guidance)] : null,
    report.published && report.suggestions.length ? [el('h2', {}, t('meldpunt.report.suggestions')),
      el('ul', {}, report.suggestions.map((s) => el('li', {}, s.article ? t('meldpunt.report.suggestion', { article: s.article, text: s.text }) : s.text)))] : null,
  );
}

async function load() {
  const period = select.value;
  document.getElementById('csv').href = `/api/meldpunt/half-year/${period}?format=csv`;
  history.replaceState(null, '', `?period=${period}`);
  const csv = document.getElementById('csv');
  try {
    report = await api('GET', `/api/meldpunt/half-year/${period}`);
    csv.hidden = false;
    render();
  } catch (error) {
    report = null;
    csv.hidden = true;
    box.replaceChildren(error.code === 'not_published'
      ? el('p', { class: 'muted' }, t('meldpunt.report.not_published'))
      : el('div', { class: 'alert alert--error', role: 'alert' }, errorMessage(error)));
  }
}

const list = periods();
const periodLabel = (p) => t(`meldpunt.report.half${p.slice(5)}`, { year: p.slice(0, 4) });
function renderPeriods() {
  const chosen = select.value;
  select.replaceChildren(...list.map((p) => el('option', { value: p }, periodLabel(p))));
  if (chosen) select.value = chosen;
}
renderPeriods();
select.value = list.includes(param('period')) ? param('period') : list[1];
select.addEventListener('change', load);
load();
onLanguageChange(() => { renderPeriods(); render(); });
