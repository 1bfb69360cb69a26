// The member list import: upload a CSV, see per row what would change (and why a row
// is invalid), then confirm; the server applies all rows or none.
import { api } from '../api.js';
import { t, onLanguageChange, addMessages } from '../i18n.js';
import { plural } from '../words.js';

addMessages({
  nl: {
    'import.summary.one': '1 regel: {new} nieuw, {changed} gewijzigd, {unchanged} ongewijzigd, {invalid} ongeldig.',
    'import.summary.other': '{total} regels: {new} nieuw, {changed} gewijzigd, {unchanged} ongewijzigd, {invalid} ongeldig.',
  },
  en: {
    'import.summary.one': '1 row: {new} new, {changed} changed, {unchanged} unchanged, {invalid} invalid.',
    'import.summary.other': '{total} rows: {new} new, {changed} changed, {unchanged} unchanged, {invalid} invalid.',
  },
});
import { staffPage, el, toast, errorMessage, setBusy } from '../ui.js';
import { showFieldErrors, validateRequired } from '../forms.js';

await staffPage({ title: 'import.title', active: 'register', roles: ['secretariat'] });
const form = document.getElementById('upload');
const result = document.getElementById('result');
let bytes = null;

const BADGE = { new: 'badge--info', changed: 'badge--warning', unchanged: 'badge--neutral', invalid: 'badge--danger' };

function csvBlob() {
  return new Blob([bytes], { type: 'text/csv' });
}

/* What the page shows now, drawn again in the other language on a switch. */
let shown = null;
let committed = null;

function showCommitted(done) {
  committed = done;
  shown = null;
  result.replaceChildren(el('div', { class: 'alert alert--success', role: 'status', tabindex: '-1' }, t('import.committed', done.imported)),
    el('p', {}, el('a', { href: '/staff/register.html' }, t('register.back'))));
}

function showPreview(preview, { focus = true } = {}) {
  shown = preview;
  committed = null;
  const counts = preview.counts;
  const onlyChanges = el('input', { type: 'checkbox', checked: counts.total > 50 });
  const table = () => el('div', { class: 'table-wrap' }, el('table', { class: 'table table--stack' },
    el('thead', {}, el('tr', {}, ['import.col.line', 'import.col.status', 'register.col.name', 'register.col.kvk', 'import.col.reason']
      .map((key) => el('th', { scope: 'col' }, t(key))))),
    el('tbody', {}, preview.rows.filter((row) => !onlyChanges.checked || row.status !== 'unchanged').map((row) => el('tr', {},
      el('td', { 'data-label': t('import.col.line'), class: 'num' }, String(row.line)),
      el('td', { 'data-label': t('import.col.status') }, el('span', { class: `badge ${BADGE[row.status]}` }, t(`import.status.${row.status}`))),
      el('td', { 'data-label': t('register.col.name') }, row.organisation_id
        ? el('a', { href: `/staff/organisation.html?id=${row.organisation_id}` }, row.name || '—') : (row.name || '—')),
      el('td', { 'data-label': t('register.col.kvk'), class: 'mono' }, row.kvk || '—'),
      el('td', { 'data-label': t('import.col.reason') }, row.reason || ''))))));
  const holder = el('div', {}, table());
  onlyChanges.addEventListener('change', () => holder.replaceChildren(table()));
  const commit = el('button', { type: 'button', class: 'button', disabled: counts.invalid > 0 || counts.new + counts.changed === 0 }, t('import.commit'));
  commit.addEventListener('click', async () => {
    setBusy(commit, true, t('common.busy'));
    try {
      const done = await api('POST', '/api/organisations/import/commit', csvBlob(), { timeout: 120000 });
      showCommitted(done);
      result.firstChild.focus();
      toast(t('import.committed', done.imported), 'success');
    } catch (error) {
      setBusy(commit, false);
      if (error.body?.rows) showPreview({ ...error.body, rows: error.body.rows });
      toast(errorMessage(error), 'error');
    }
  });
  result.hidden = false;
  result.replaceChildren(
    el('div', { class: `alert ${counts.invalid ? 'alert--error' : 'alert--success'}`, role: 'status', tabindex: '-1' },
      el('strong', { class: 'alert__title' }, plural('import.summary', counts.total, counts)),
      counts.invalid ? el('p', {}, t('import.blocked')) : null,
      preview.ignored_columns?.length ? el('p', { class: 'small' }, t('import.ignored', { columns: preview.ignored_columns.join(', ') })) : null),
    el('label', { class: 'choice' }, onlyChanges, el('span', {}, t('import.only_problems'))),
    holder,
    el('div', { class: 'button-row' }, commit));
  if (focus) result.firstChild.focus();
}

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  const missing = validateRequired(form);
  if (missing.length) { showFieldErrors(form, missing); return; }
  const button = form.querySelector('button[type=submit]');
  setBusy(button, true, t('common.busy'));
  try {
    bytes = await form.elements.file.files[0].arrayBuffer();
    showPreview(await api('POST', '/api/organisations/import/preview', csvBlob(), { timeout: 120000 }));
  } catch (error) {
    showFieldErrors(form, [{ field: 'file', message: errorMessage(error) }]);
  } finally {
    setBusy(button, false);
  }
});

onLanguageChange(() => {
  if (shown) showPreview(shown, { focus: false });
  else if (committed) showCommitted(committed);
});
