// The reactienota (consultation report), printable: every comment of the round with
// the board's reply and the change it led to, grouped per proposal; CSV download.
import { api } from '../api.js';
import { t, onLanguageChange } from '../i18n.js';
import { replace } from '../cycle-common.js';
import { staffPage, el, param, errorMessage, formatDateTime } from '../ui.js';

await staffPage({ title: 'cycle.reactienota', active: 'cycles' });
const content = document.getElementById('content');
const id = Number(param('id'));

try {
  const report = await api('GET', `/api/consultations/${id}/report`);
  const round = report.consultation;
  document.getElementById('page-title').textContent = `${t('cycle.reactienota')} · ${t('consult.round_title', { n: round.round, year: round.year })}`;
  replace(content, 
    el('p', { class: 'lead' }, t('consult.report_lead')),
    el('p', {}, t('consult.window', { from: round.window, until: round.window_closes })),
    el('p', {}, t('consult.counts', { comments: report.counts.comments, organisations: report.counts.responding_organisations,
      replied: report.counts.replied, changed: report.counts.led_to_change })),
    el('div', { class: 'button-row no-print' },
      el('button', { type: 'button', class: 'button', onclick: () => window.print() }, t('consult.print')),
      el('a', { class: 'button button--secondary', href: `/api/consultations/${id}/report?format=csv`, download: '' }, t('consult.csv'))),
    ...report.proposals.map((p) => el('section', {},
      el('h2', {}, `${t('cycle.proposal')} ${p.id}: ${p.title} (${t('cycle.revision', { n: p.revision })})`),
      el('div', { class: 'table-wrap' }, el('table', { class: 'table table--stack' },
        el('thead', {}, el('tr', {}, [t('consult.organisation'), t('cycle.article'), t('consult.comments'), t('consult.reply'), t('consult.led_to_change')]
          .map((h) => el('th', { scope: 'col' }, h)))),
        el('tbody', {}, report.items.filter((i) => i.proposal_id === p.id).map((i) => el('tr', {},
          el('td', { 'data-label': t('consult.organisation') }, i.organisation),
          el('td', { 'data-label': t('cycle.article') }, i.article || '—'),
          el('td', { 'data-label': t('consult.comments') }, el('p', { class: 'diff' }, i.text), el('span', { class: 'small muted' }, formatDateTime(i.updated_at))),
          el('td', { 'data-label': t('consult.reply') }, i.reply ? i.reply.text : el('span', { class: 'badge badge--warning' }, t('consult.no_reply'))),
          el('td', { 'data-label': t('consult.led_to_change') }, i.reply?.led_to_change || '—')))))))));
  content.removeAttribute('aria-busy');
} catch (error) {
  replace(content, el('div', { class: 'alert alert--error', role: 'alert' }, errorMessage(error)));
}
onLanguageChange(() => location.reload());
