// The secretariat's register: search and filter organisations (member / signatory /
// contract-bound / all); adding one is its own page (organisation-new.html).
import { api, hasRole } from '../api.js';
import { t, onLanguageChange } from '../i18n.js';
import { staffPage, el, errorMessage, formData } from '../ui.js';
import { plural } from '../words.js';

const session = await staffPage({ title: 'register.title', active: 'register', roles: ['secretariat', 'admin', 'board', 'chair', 'meldpunt'] });
const canEdit = hasRole(session, ['secretariat']);
const list = document.getElementById('list');
const count = document.getElementById('count');
const filters = document.getElementById('filters');
let items = [];

document.getElementById('register-actions').hidden = !canEdit;
const params = new URLSearchParams(location.search);
filters.elements.q.value = params.get('q') || '';
filters.elements.basis.value = params.get('basis') || 'all';

function basisBadges(kinds) {
  if (!kinds.length) return [el('span', { class: 'badge badge--neutral' }, t('register.basis.none'))];
  return kinds.map((kind) => el('span', { class: `badge ${kind === 'membership' ? 'badge--info' : 'badge--success'}` }, t(`register.basis.${kind}`)));
}

function render() {
  list.removeAttribute('aria-busy');
  count.textContent = plural('register.count', items.length);
  if (!items.length) {
    list.replaceChildren(el('p', { class: 'alert alert--warning' }, t('register.empty')));
    return;
  }
  list.replaceChildren(el('div', { class: 'table-wrap' }, el('table', { class: 'table table--stack' },
    el('thead', {}, el('tr', {},
      el('th', { scope: 'col' }, t('register.col.name')),
      el('th', { scope: 'col' }, t('register.col.kvk')),
      el('th', { scope: 'col' }, t('register.col.member_number')),
      el('th', { scope: 'col' }, t('register.col.bases')))),
    el('tbody', {}, items.map((org) => el('tr', {},
      el('td', { 'data-label': t('register.col.name') }, el('a', { href: `/staff/organisation.html?id=${org.id}` }, org.name)),
      el('td', { 'data-label': t('register.col.kvk'), class: 'mono' }, org.kvk),
      el('td', { 'data-label': t('register.col.member_number') }, org.member_number || el('span', { class: 'muted' }, t('register.no_member_number'))),
      el('td', { 'data-label': t('register.col.bases') }, el('span', { class: 'cluster' }, basisBadges(org.active_bases)))))))));
}

let sequence = 0;
async function load() {
  const mine = ++sequence;
  const { q, basis } = formData(filters);
  const query = new URLSearchParams();
  if (q) query.set('q', q);
  if (basis && basis !== 'all') query.set('basis', basis);
  history.replaceState(null, '', `${location.pathname}${query.size ? `?${query}` : ''}`);
  list.setAttribute('aria-busy', 'true');
  try {
    const answer = await api('GET', `/api/organisations?${query}`);
    if (mine !== sequence) return; // a later search already answered
    items = answer.items;
    render();
  } catch (error) {
    list.removeAttribute('aria-busy');
    list.replaceChildren(el('div', { class: 'alert alert--error', role: 'alert' }, errorMessage(error)));
  }
}

let timer = null;
filters.addEventListener('input', () => { clearTimeout(timer); timer = setTimeout(load, 250); });
filters.addEventListener('submit', (event) => { event.preventDefault(); load(); });
onLanguageChange(render);
await load();
