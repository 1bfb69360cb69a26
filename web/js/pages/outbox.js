// The admin's outbox: every mail with its state, attempts and last error; opening
// one shows its plain text with the links made clickable (no mail HTML is rendered).
import { api } from '../api.js';
import { t, onLanguageChange } from '../i18n.js';
import { replace } from '../cycle-common.js';
import { staffPage, el, param, setBusy, toast, errorMessage, formatDateTime } from '../ui.js';

await staffPage({ title: 'outbox.title', active: 'outbox', roles: ['admin'] });
const content = document.getElementById('content');

const badge = (state) => el('span', { class: `badge badge--${{ pending: 'warning', sent: 'success', failed: 'danger' }[state]}` }, t(`outbox.state.${state}`));

/** Text with every http(s) address turned into a link (text nodes only). */
function linkified(text) {
  const nodes = [];
  let last = 0;
  for (const match of text.matchAll(/https?:\/\/[^\s<>"]+/g)) {
    nodes.push(text.slice(last, match.index), el('a', { href: match[0], rel: 'noopener noreferrer' }, match[0]));
    last = match.index + match[0].length;
  }
  nodes.push(text.slice(last));
  return nodes;
}

async function showMail(id) {
  const mail = await api('GET', `/api/outbox/${id}`);
  const retry = mail.state === 'failed' ? el('button', { type: 'button', class: 'button', onclick: async (event) => {
    setBusy(event.currentTarget, true);
    try { await api('POST', `/api/outbox/${id}/retry`); toast(t('outbox.retried'), 'success'); await showMail(id); } catch (error) { setBusy(event.currentTarget, false); toast(errorMessage(error), 'error'); }
  } }, t('outbox.retry')) : null;
  replace(content, 
    el('p', {}, el('a', { href: '/staff/outbox.html' }, `← ${t('outbox.title')}`)),
    el('dl', { class: 'dl' },
      el('dt', {}, t('outbox.to')), el('dd', {}, mail.recipient),
      el('dt', {}, t('outbox.subject')), el('dd', {}, mail.subject),
      el('dt', {}, t('outbox.state')), el('dd', {}, badge(mail.state), ` ${t('outbox.attempts')}: ${mail.attempts}`),
      el('dt', {}, t('outbox.created')), el('dd', {}, formatDateTime(mail.created_at)),
      mail.last_error ? [el('dt', {}, t('outbox.error')), el('dd', { class: 'mono' }, mail.last_error)] : null,
      mail.eml_path ? [el('dt', {}, '.eml'), el('dd', { class: 'mono small' }, mail.eml_path)] : null),
    retry,
    el('pre', { class: 'card diff' }, linkified(mail.body_text)));
  content.removeAttribute('aria-busy');
}

async function showList(state) {
  const data = await api('GET', `/api/outbox${state ? `?state=${state}` : ''}`);
  const filters = el('nav', { class: 'cluster', 'aria-label': t('outbox.state') },
    [['', t('outbox.all')], ['pending', `${t('outbox.state.pending')} (${data.counts.pending})`], ['sent', `${t('outbox.state.sent')} (${data.counts.sent})`],
      ['failed', `${t('outbox.state.failed')} (${data.counts.failed})`]].map(([value, label]) =>
      el('a', { href: value ? `?state=${value}` : '?', class: 'badge badge--neutral', 'aria-current': (state || '') === value ? 'page' : null }, label)));
  replace(content, el('p', { class: 'lead' }, t('outbox.lead')), filters,
    data.items.length ? el('div', { class: 'table-wrap' }, el('table', { class: 'table table--stack' },
      el('thead', {}, el('tr', {}, ['outbox.created', 'outbox.to', 'outbox.subject', 'outbox.state', 'outbox.attempts', 'outbox.error'].map((k) => el('th', { scope: 'col' }, t(k))))),
      el('tbody', {}, data.items.map((m) => el('tr', {},
        el('td', { 'data-label': t('outbox.created') }, formatDateTime(m.created_at)),
        el('td', { 'data-label': t('outbox.to') }, m.recipient),
        el('td', { 'data-label': t('outbox.subject') }, el('a', { href: `?id=${m.id}` }, m.subject)),
        el('td', { 'data-label': t('outbox.state') }, badge(m.state)),
        el('td', { 'data-label': t('outbox.attempts'), class: 'num' }, String(m.attempts)),
        el('td', { 'data-label': t('outbox.error') }, m.last_error || '—')))))) : el('p', { class: 'muted' }, t('outbox.empty')));
  content.removeAttribute('aria-busy');
}

try {
  if (param('id')) await showMail(Number(param('id')));
  else await showList(param('state'));
} catch (error) {
  replace(content, el('div', { class: 'alert alert--error', role: 'alert' }, errorMessage(error)));
}
onLanguageChange(() => location.reload());
