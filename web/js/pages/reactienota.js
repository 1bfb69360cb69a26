// The reactienota (consultation report), printable: every comment of the round with
// the board's reply and the change it led to, grouped per proposal; CSV download.
import { api } from '../api.js';
import { t, addMessages, onLanguageChange } from '../i18n.js';
import { replace } from '../cycle-common.js';
import { staffPage, el, param, errorMessage, formatDateTime } from '../ui.js';
import { plural } from '../words.js';

addMessages({
  nl: {
    'nota.heading': 'Reactienota consultatieronde {n} ({year})',
    'nota.comments.one': '1 reactie',
    'nota.comments.other': '{count} reacties',
    'nota.comments.zero': 'Geen reacties',
    'nota.organisations.one': 'van 1 organisatie',
    'nota.organisations.other': 'van {count} organisaties',
    'nota.replied': '{count} beantwoord',
    'nota.changed.one': '1 leidde tot een wijziging',
    'nota.changed.other': '{count} leidden tot een wijziging',
    'nota.changed.zero': 'geen leidde tot een wijziging',
    'nota.proposal': 'Voorstel {id}: {title} (versie {revision})',
    'nota.col.article': 'Artikel',
    'nota.col.comment': 'Reactie',
    'nota.col.change': 'Leidde tot wijziging',
    'nota.whole': 'Hele voorstel',
    'nota.no_change': 'Nee',
    'nota.none': 'Op dit voorstel kwamen geen reacties.',
  },
  en: {
    'nota.heading': 'Consultation report, round {n} ({year})',
    'nota.comments.one': '1 comment',
    'nota.comments.other': '{count} comments',
    'nota.comments.zero': 'No comments',
    'nota.organisations.one': 'from 1 organisation',
    'nota.organisations.other': 'from {count} organisations',
    'nota.replied': '{count} replied',
    'nota.changed.one': '1 led to a change',
    'nota.changed.other': '{count} led to a change',
    'nota.changed.zero': 'none led to a change',
    'nota.proposal': 'Proposal {id}: {title} (version {revision})',
    'nota.col.article': 'Article',
    'nota.col.comment': 'Comment',
    'nota.col.change': 'Led to a change',
    'nota.whole': 'Whole proposal',
    'nota.no_change': 'No',
    'nota.none': 'This proposal received no comments.',
  },
});

await staffPage({ title: 'cycle.reactienota', active: 'cycles' });
const content = document.getElementById('content');
const id = Number(param('id'));
let report = null;

/** "3 reacties van 2 organisaties; 3 beantwoord, 1 leidde tot een wijziging." */
function countsSentence(counts) {
  if (!counts.comments) return `${plural('nota.comments', 0)}.`;
  return `${plural('nota.comments', counts.comments)} ${plural('nota.organisations', counts.responding_organisations)}; `
    + `${plural('nota.replied', counts.replied)}, ${plural('nota.changed', counts.led_to_change)}.`;
}

function render() {
  const round = report.consultation;
  const heading = t('nota.heading', { n: round.round, year: round.year });
  document.getElementById('page-title').textContent = heading;
  document.title = `${heading} · ${t('shell.product')}`;
  const columns = ['consult.organisation', 'nota.col.article', 'nota.col.comment', 'consult.reply', 'nota.col.change'];
  replace(content,
    el('p', { class: 'lead' }, t('consult.report_lead')),
    el('p', {}, t('consult.window', { from: formatDateTime(round.opens_at), until: formatDateTime(round.closes_at) })),
    el('p', { id: 'nota-counts' }, countsSentence(report.counts)),
    el('div', { class: 'button-row no-print' },
      el('button', { type: 'button', class: 'button', onclick: () => window.print() }, t('consult.print')),
      el('a', { class: 'button button--secondary', href: `/api/consultations/${id}/report?format=csv`, download: '' }, t('consult.csv'))),
    ...report.proposals.map((p) => {
      const items = report.items.filter((i) => i.proposal_id === p.id);
      return el('section', {},
        el('h2', {}, t('nota.proposal', { id: p.id, title: p.title, revision: p.revision })),
        items.length ? el('div', { class: 'table-wrap' }, el('table', { class: 'table table--stack' },
          el('thead', {}, el('tr', {}, columns.map((key) => el('th', { scope: 'col' }, t(key))))),
          el('tbody', {}, items.map((i) => el('tr', {},
            el('td', { 'data-label': t(columns[0]) }, i.organisation),
            el('td', { 'data-label': t(columns[1]) }, i.article || t('nota.whole')),
            el('td', { 'data-label': t(columns[2]) }, el('p', { class: 'diff' }, i.text), el('span', { class: 'small muted' }, formatDateTime(i.updated_at))),
            el('td', { 'data-label': t(columns[3]) }, i.reply ? i.reply.text : el('span', { class: 'badge badge--warning' }, t('consult.no_reply'))),
            el('td', { 'data-label': t(columns[4]) }, i.reply?.led_to_change || t('nota.no_change')))))))
          : el('p', { class: 'muted' }, t('nota.none')));
    }));
  content.removeAttribute('aria-busy');
}

try {
  report = await api('GET', `/api/consultations/${id}/report`);
  render();
} catch (error) {
  replace(content, el('div', { class: 'alert alert--error', role: 'alert' }, errorMessage(error)));
}
onLanguageChange(() => { if (report) render(); });
