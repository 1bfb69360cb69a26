// Managing the Code's versions: every version with its status on today's date, links to
// the public text and history, and (administrators) importing a new version from Markdown.
import { api, hasRole } from '../api.js';
import { addMessages, t, onLanguageChange } from '../i18n.js';
import { staffPage, el, setBusy, toast, formData, formatDate } from '../ui.js';
import { showFieldErrors, clearFieldErrors, validateRequired } from '../forms.js';

addMessages({
  nl: {
    'codeadmin.title': 'De Code beheren',
    'codeadmin.lead': 'Elke versie van de Code met de datum waarop zij ingaat. Welke versie geldt, volgt uit de datum: er is niets om aan of uit te zetten.',
    'codeadmin.versions': 'Versies',
    'codeadmin.label': 'Versie',
    'codeadmin.effective': 'Geldt vanaf',
    'codeadmin.status': 'Status',
    'codeadmin.source': 'Herkomst',
    'codeadmin.status.in_force': 'Van kracht',
    'codeadmin.status.scheduled': 'Gepland',
    'codeadmin.status.superseded': 'Vervangen',
    'codeadmin.public': 'Bekijk de Code die nu geldt',
    'codeadmin.history': 'Versies vergelijken',
    'codeadmin.import': 'Een versie invoeren',
    'codeadmin.import_lead': 'Plak de tekst in Markdown met genummerde artikelen (1. Preambule …) en genormeerde onderdelen (a., b. …), of kies een bestand.',
    'codeadmin.file': 'Bestand (.md of .txt)',
    'codeadmin.markdown': 'Tekst van de Code',
    'codeadmin.submit': 'Versie invoeren',
    'codeadmin.imported': 'Versie {label} ingevoerd met {count} artikelen.',
    'codeadmin.effective_hint': 'Niet vóór vandaag (een wijziging werkt niet terug) en ten minste 6 weken na het ALV-besluit, zodat ondertekenaars tot 4 weken vóór de ingangsdatum hun ondertekening kunnen intrekken.',
    'codeadmin.decided': 'Datum van het ALV-besluit',
    'codeadmin.decided_hint': 'Het besluit van de ALV dat deze versie uitvoert. Alleen de allereerste versie van het register kan zonder.',
  },
  en: {
    'codeadmin.title': 'Manage the Code',
    'codeadmin.lead': 'Every version of the Code with the date it takes effect. Which version applies follows from the date: there is nothing to switch on or off.',
    'codeadmin.versions': 'Versions',
    'codeadmin.label': 'Version',
    'codeadmin.effective': 'In force from',
    'codeadmin.status': 'Status',
    'codeadmin.source': 'Source',
    'codeadmin.status.in_force': 'In force',
    'codeadmin.status.scheduled': 'Scheduled',
    'codeadmin.status.superseded': 'Superseded',
    'codeadmin.public': 'See the Code in force',
    'codeadmin.history': 'Compare versions',
    'codeadmin.import': 'Import a version',
    'codeadmin.import_lead': 'Paste the text in Markdown with numbered articles (1. Preambule …) and lettered norms (a., b. …), or choose a file.',
    'codeadmin.file': 'File (.md or .txt)',
    'codeadmin.markdown': 'Text of the Code',
    'codeadmin.submit': 'Import version',
    'codeadmin.imported': 'Version {label} imported with {count} articles.',
    'codeadmin.effective_hint': 'Not before today (an amendment never works backwards) and at least 6 weeks after the ALV decision, so that signatories can withdraw 4 weeks before it takes effect.',
    'codeadmin.decided': 'Date of the ALV decision',
    'codeadmin.decided_hint': 'The decision of the general meeting this version implements. Only the very first version of the register can do without.',
  },
});

const session = await staffPage({ title: 'codeadmin.title', active: 'code', roles: ['admin', 'board'] });
const content = document.getElementById('content');
const tbody = el('tbody');
const statusBadge = { in_force: 'success', scheduled: 'info', superseded: 'neutral' };

async function loadVersions() {
  const { items } = await api('GET', '/api/code/versions');
  tbody.replaceChildren(...items.map((version) => el('tr', {},
    el('td', { 'data-label': t('codeadmin.label') }, version.label),
    el('td', { 'data-label': t('codeadmin.effective') }, formatDate(version.effective_from)),
    el('td', { 'data-label': t('codeadmin.status') },
      el('span', { class: `badge badge--${statusBadge[version.status] || 'neutral'}` }, t(`codeadmin.status.${version.status}`))))));
}

function importForm() {
  const button = el('button', { type: 'submit', class: 'button' }, t('codeadmin.submit'));
  const markdown = el('textarea', { id: 'markdown', name: 'markdown', rows: 12, required: true });
  const file = el('input', { id: 'file', type: 'file', accept: '.md,.txt,text/markdown,text/plain' });
  file.addEventListener('change', async () => { if (file.files[0]) markdown.value = await file.files[0].text(); });
  const form = el('form', { class: 'card stack', novalidate: true },
    el('h2', {}, t('codeadmin.import')),
    el('p', { class: 'muted' }, t('codeadmin.import_lead')),
    el('div', { class: 'field' }, el('label', { for: 'label' }, t('codeadmin.label')),
      el('input', { id: 'label', name: 'label', type: 'text', required: true, placeholder: '2027-1' })),
    el('div', { class: 'field' }, el('label', { for: 'effective_from' }, t('codeadmin.effective')),
      el('p', { class: 'hint', id: 'effective_from-hint' }, t('codeadmin.effective_hint')),
      el('input', { id: 'effective_from', name: 'effective_from', type: 'date', required: true, 'aria-describedby': 'effective_from-hint' })),
    el('div', { class: 'field' }, el('label', { for: 'decided_on' }, t('codeadmin.decided')),
      el('p', { class: 'hint', id: 'decided_on-hint' }, t('codeadmin.decided_hint')),
      el('input', { id: 'decided_on', name: 'decided_on', type: 'date', 'aria-describedby': 'decided_on-hint' })),
    el('div', { class: 'field' }, el('label', { for: 'file' }, t('codeadmin.file')), file),
    el('div', { class: 'field' }, el('label', { for: 'markdown' }, t('codeadmin.markdown')), markdown),
    button);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearFieldErrors(form);
    const missing = validateRequired(form);
    if (missing.length) { showFieldErrors(form, missing); return; }
    setBusy(button, true);
    try {
      const body = formData(form);
      delete body.file;
      if (!body.decided_on) delete body.decided_on;
      const made = await api('POST', '/api/code/versions', body);
      toast(t('codeadmin.imported', { label: made.label || body.label, count: made.articles.length }), 'success');
      form.reset();
      await loadVersions();
    } catch (error) {
      showFieldErrors(form, error);
    } finally {
      setBusy(button, false);
    }
  });
  return form;
}

content.replaceChildren(
  el('p', { class: 'lead' }, t('codeadmin.lead')),
  el('p', { class: 'cluster' },
    el('a', { class: 'button button--secondary', href: '/code.html' }, t('codeadmin.public')),
    el('a', { class: 'button button--secondary', href: '/code-history.html' }, t('codeadmin.history'))),
  el('h2', {}, t('codeadmin.versions')),
  el('table', { class: 'table table--stack' },
    el('thead', {}, el('tr', {}, ...['label', 'effective', 'status'].map((k) => el('th', { scope: 'col' }, t(`codeadmin.${k}`))))),
    tbody),
  ...(hasRole(session, ['admin']) ? [importForm()] : []));
content.removeAttribute('aria-busy');
await loadVersions();
onLanguageChange(() => location.reload());
