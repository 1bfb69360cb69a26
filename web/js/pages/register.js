// The public register: organisations bound to the Code today that consented to be
// listed, with their basis. No login.
import { api } from '../api.js';
import { t, onLanguageChange } from '../i18n.js';
import { publicPage, el, errorMessage, formatDate } from '../ui.js';
import { plural } from '../words.js';

publicPage({ title: 'register.public.title', active: 'register' });
const list = document.getElementById('list');
let answer = null;

function render() {
  list.removeAttribute('aria-busy');
  if (!answer.items.length) {
    list.replaceChildren(el('p', { class: 'alert alert--warning' }, t('register.empty')));
    return;
  }
  list.replaceChildren(
    el('p', { class: 'muted' }, `${formatDate(answer.date)} · ${plural('register.count', answer.items.length)}`),
    el('div', { class: 'table-wrap' }, el('table', { class: 'table table--stack' },
      el('thead', {}, el('tr', {},
        el('th', { scope: 'col' }, t('register.col.name')),
        el('th', { scope: 'col' }, t('register.col.kvk')),
        el('th', { scope: 'col' }, t('register.col.bases')),
        el('th', { scope: 'col' }, t('register.public.version')))),
      el('tbody', {}, answer.items.map((org) => el('tr', {},
        el('td', { 'data-label': t('register.col.name') }, org.name),
        el('td', { 'data-label': t('register.col.kvk'), class: 'mono' }, org.kvk),
        el('td', { 'data-label': t('register.col.bases') }, el('span', { class: 'cluster' },
          org.bases.map((kind) => el('span', { class: 'badge badge--info' }, t(`register.basis.${kind}`))))),
        el('td', { 'data-label': t('register.public.version') }, el('a', { href: '/code.html' }, org.version_label || '—'))))))));
}

try {
  answer = await api('GET', '/api/public/register');
  render();
  onLanguageChange(render);
} catch (error) {
  list.removeAttribute('aria-busy');
  list.replaceChildren(el('div', { class: 'alert alert--error', role: 'alert' }, errorMessage(error)));
}
