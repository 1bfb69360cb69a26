// The administrator's audit log: every recorded change, newest first, filterable by
// object, with a check of the hash chain (the same walk as `alvd audit verify`).
import { api } from '../api.js';
import { addMessages, t, onLanguageChange } from '../i18n.js';
import { staffPage, el, setBusy, toast, errorMessage, formatDateTime, formData } from '../ui.js';

addMessages({
  nl: {
    'audit.title': 'Auditlog',
    'audit.lead': 'Elke wijziging van het dossier staat hier, in een keten van hashes: een later gewijzigde of verwijderde regel valt op bij de controle.',
    'audit.verify': 'Controleer de keten',
    'audit.intact': 'De keten is intact: {checked} regels gecontroleerd.',
    'audit.broken': 'De keten is verbroken bij regel {id}: {message}',
    'audit.filter': 'Filter',
    'audit.object_type': 'Soort object',
    'audit.object_id': 'Nummer',
    'audit.when': 'Wanneer',
    'audit.who': 'Wie',
    'audit.action': 'Handeling',
    'audit.object': 'Object',
    'audit.details': 'Details',
    'audit.more': 'Oudere regels',
    'audit.none': 'Geen regels gevonden.',
  },
  en: {
    'audit.title': 'Audit log',
    'audit.lead': 'Every change to the record is here, in a chain of hashes: a line changed or deleted later shows up in the check.',
    'audit.verify': 'Check the chain',
    'audit.intact': 'The chain is intact: {checked} entries checked.',
    'audit.broken': 'The chain is broken at entry {id}: {message}',
    'audit.filter': 'Filter',
    'audit.object_type': 'Object type',
    'audit.object_id': 'Number',
    'audit.when': 'When',
    'audit.who': 'Who',
    'audit.action': 'Action',
    'audit.object': 'Object',
    'audit.details': 'Details',
    'audit.more': 'Older entries',
    'audit.none': 'No entries found.',
  },
});

await staffPage({ title: 'audit.title', active: 'audit', roles: ['admin'] });
const content = document.getElementById('content');
const status = el('div', { role: 'status' });
const tbody = el('tbody');
const more = el('button', { type: 'button', class: 'button button--secondary', hidden: true }, t('audit.more'));
let filter = {};
let nextBefore = null;

function row(entry) {
  const cell = (label, ...children) => el('td', { 'data-label': label }, ...children);
  return el('tr', {},
    cell(t('audit.when'), formatDateTime(entry.created_at)),
    cell(t('audit.who'), `${entry.actor_kind}${entry.actor_label ? ` · ${entry.actor_label}` : ''}`),
    cell(t('audit.action'), el('code', {}, entry.action)),
    cell(t('audit.object'), entry.object_id ? `${entry.object_type} ${entry.object_id}` : entry.object_type),
    cell(t('audit.details'), el('code', { class: 'small' }, JSON.stringify(entry.details))));
}

async function load(append) {
  const query = new URLSearchParams({ limit: '50' });
  if (filter.object_type) query.set('object_type', filter.object_type);
  if (filter.object_id) query.set('object_id', String(filter.object_id));
  if (append && nextBefore) query.set('before', String(nextBefore));
  const page = await api('GET', `/api/audit?${query}`);
  if (!append) tbody.replaceChildren();
  tbody.append(...page.items.map(row));
  if (!tbody.children.length) tbody.append(el('tr', {}, el('td', { colspan: 5 }, t('audit.none'))));
  nextBefore = page.next_before || null;
  more.hidden = !nextBefore;
}

const verify = el('button', { type: 'button', class: 'button' }, t('audit.verify'));
verify.addEventListener('click', async () => {
  setBusy(verify, true);
  status.replaceChildren();
  try {
    const result = await api('GET', '/api/audit/verify');
    status.append(result.intact
      ? el('div', { class: 'alert alert--success' }, t('audit.intact', { checked: result.checked }))
      : el('div', { class: 'alert alert--error', role: 'alert' }, t('audit.broken', { id: result.bad_entry, message: result.message })));
  } catch (error) {
    toast(errorMessage(error), 'error');
  } finally {
    setBusy(verify, false);
  }
});

const filterButton = el('button', { type: 'submit', class: 'button button--secondary' }, t('audit.filter'));
const form = el('form', { class: 'cluster', novalidate: true },
  el('div', { class: 'field' }, el('label', { for: 'object_type' }, t('audit.object_type')),
    el('input', { id: 'object_type', name: 'object_type', type: 'text', placeholder: 'meeting' })),
  el('div', { class: 'field' }, el('label', { for: 'object_id' }, t('audit.object_id')),
    el('input', { id: 'object_id', name: 'object_id', type: 'number', min: 1 })),
  filterButton);
form.addEventListener('submit', async (event) => {
  event.preventDefault();
  filter = formData(form);
  setBusy(filterButton, true);
  try { await load(false); } catch (error) { toast(errorMessage(error), 'error'); } finally { setBusy(filterButton, false); }
});
more.addEventListener('click', async () => {
  setBusy(more, true);
  try { await load(true); } catch (error) { toast(errorMessage(error), 'error'); } finally { setBusy(more, false); }
});

content.replaceChildren(
  el('p', { class: 'lead' }, t('audit.lead')),
  el('div', { class: 'cluster' }, verify), status, form,
  el('table', { class: 'table table--stack' },
    el('thead', {}, el('tr', {}, ...['when', 'who', 'action', 'object', 'details'].map((k) => el('th', { scope: 'col' }, t(`audit.${k}`))))),
    tbody),
  more);
content.removeAttribute('aria-busy');
try { await load(false); } catch (error) { toast(errorMessage(error), 'error'); }
onLanguageChange(() => location.reload());
