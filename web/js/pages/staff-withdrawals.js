// The secretariat's withdrawal intake: organisation search, dates, form, track & trace
// with live validation, scan upload, the live preview of R4/R5 before saving, the list
// and corrections (?correct=<id> fills the form from the entry it replaces).
import { api, hasRole } from '../api.js';
import { t, onLanguageChange } from '../i18n.js';
import { addMessages } from '../i18n.js';
import { staffPage, el, toast, errorMessage, formData, formatDate, todayCivil, param } from '../ui.js';
import { handleSubmit } from '../forms.js';
import { wordDates } from '../words.js';
import { checkTrackingCode, effectSentence } from './withdrawals-i18n.js';

addMessages({
  nl: {
    'wd.org_required': 'Kies de organisatie waarvan de brief komt: typ een deel van de naam of het KvK-nummer en kies uit de lijst.',
    'wd.reason_required': 'Schrijf waarom deze registratie wordt gecorrigeerd.',
    'wd.not_known': 'Niet van toepassing',
    'wd.received_required': 'Vul de datum in waarop de brief binnenkwam.',
    'wd.org_results': 'Gevonden organisaties',
  },
  en: {
    'wd.org_required': 'Choose the organisation the letter is from: type part of the name or the KvK number and choose from the list.',
    'wd.reason_required': 'Write why this entry is corrected.',
    'wd.not_known': 'Not applicable',
    'wd.received_required': 'Enter the date the letter came in.',
    'wd.org_results': 'Organisations found',
  },
});

const session = await staffPage({ title: 'wd.title', active: 'withdrawals', roles: ['secretariat', 'admin', 'board', 'chair', 'meldpunt'] });
const canEdit = hasRole(session, ['secretariat']);
const form = document.getElementById('intake');
const preview = document.getElementById('preview');
const list = document.getElementById('list');
const correctId = param('correct');
let items = [];

document.getElementById('intake-section').hidden = !canEdit;
form.elements.received_on.value = todayCivil();
form.elements.received_on.max = todayCivil();

/* ---- organisation search ---- */
const search = document.getElementById('org-search');
const results = document.getElementById('org-results');
const chosen = document.getElementById('org-chosen');
function choose(org) {
  form.elements.organisation_id.value = String(org.id);
  chosen.textContent = t('wd.org_chosen', { name: org.name, kvk: org.kvk });
  results.replaceChildren();
  search.value = org.name;
  refreshPreview();
}
let searchTimer = null;
search.addEventListener('input', () => {
  if (form.elements.organisation_id.value) { form.elements.organisation_id.value = ''; chosen.textContent = ''; }
  clearTimeout(searchTimer);
  searchTimer = setTimeout(async () => {
    const q = search.value.trim();
    if (q.length < 2) { results.replaceChildren(); return; }
    try {
      const answer = await api('GET', `/api/organisations?q=${encodeURIComponent(q)}`);
      results.replaceChildren(...(answer.items.length
        ? answer.items.slice(0, 8).map((org) => el('li', {}, el('button', { type: 'button', class: 'button button--link', onclick: () => choose(org) }, `${org.name} · KvK ${org.kvk}`)))
        : [el('li', { class: 'muted' }, t('wd.org_none'))]));
    } catch (error) {
      results.replaceChildren(el('li', { class: 'alert alert--error' }, errorMessage(error)));
    }
  }, 250);
});

/* ---- track & trace, live ---- */
const trackingStatus = document.getElementById('tracking-status');
form.elements.tracking_code.addEventListener('input', () => {
  showTrackingCheck();
});
/* The live check of the code: below the field, kept through failed saves (the form's
 * error clean-up only removes the errors it placed itself). */
function showTrackingCheck() {
  const check = checkTrackingCode(form.elements.tracking_code.value);
  trackingStatus.className = `small tracking-status ${check.empty ? '' : check.ok ? 'tracking-status--ok' : 'tracking-status--bad'}`;
  trackingStatus.textContent = check.empty ? '' : check.ok ? t('wd.tracking_ok', { code: check.code }) : t(check.reason, { country: check.country });
}

/* ---- scan upload: stored at once, its id goes with the entry ---- */
const scanStatus = document.getElementById('scan-status');
document.getElementById('scan-file').addEventListener('change', async (event) => {
  const file = event.currentTarget.files[0];
  form.elements.scan_id.value = '';
  if (!file) { scanStatus.textContent = ''; return; }
  scanStatus.className = 'small';
  scanStatus.textContent = t('common.busy');
  try {
    const answer = await api('POST', `/api/withdrawals/scans?name=${encodeURIComponent(file.name)}`, file,
      { headers: { 'Content-Type': 'application/octet-stream' }, timeout: 120000 });
    form.elements.scan_id.value = String(answer.id);
    scanStatus.textContent = t('wd.scan_uploaded', { size: Math.ceil(answer.size / 1024) });
  } catch (error) {
    scanStatus.className = 'small tracking-status--bad';
    scanStatus.textContent = errorMessage(error);
  }
});

/* ---- the body of preview / intake / correction ---- */
function body({ forPreview = false } = {}) {
  const data = formData(form);
  const out = { organisation_id: Number(data.organisation_id), received_on: data.received_on, form: data.form };
  for (const key of ['sent_on', 'tracking_code', 'note']) if (data[key]) out[key] = data[key];
  // The preview asks what the letter does; a code still being typed is left out of it.
  if (forPreview && out.tracking_code && !checkTrackingCode(out.tracking_code).ok) delete out.tracking_code;
  if (data.scan_id) out.scan_id = Number(data.scan_id);
  return out;
}

let lastPreview = null;
function renderPreview(answer) {
  lastPreview = answer;
  const verdict = answer.version_id
    ? el('span', { class: `badge ${answer.timely ? 'badge--success' : 'badge--warning'}` }, t(answer.timely ? 'wd.timely' : 'wd.late'))
    : el('span', { class: 'badge badge--neutral' }, t('wd.pending'));
  preview.replaceChildren(...[
    el('p', {}, verdict, ' ', answer.version_id
      ? t('wd.preview_version', { label: answer.version_label, effective: formatDate(answer.effective_from), deadline: formatDate(answer.deadline) })
      : t('wd.preview_none')),
    el('p', {}, effectSentence(answer)),
    answer.warning ? el('p', { class: 'alert alert--warning' }, wordDates(answer.warning)) : null,
  ].filter(Boolean));
}

let previewSequence = 0;
async function refreshPreview() {
  const data = body({ forPreview: true });
  if (!data.organisation_id || !data.received_on) return;
  const mine = ++previewSequence;
  if (correctId) data.corrects_id = Number(correctId);
  try {
    const answer = await api('POST', '/api/withdrawals/preview', data);
    if (mine === previewSequence) renderPreview(answer);
  } catch (error) {
    if (mine !== previewSequence) return;
    preview.replaceChildren(el('div', { class: 'alert alert--error' }, errorMessage(error)));
  }
}
let previewTimer = null;
form.addEventListener('input', (event) => {
  if (event.target === search) return;
  clearTimeout(previewTimer);
  previewTimer = setTimeout(refreshPreview, 300);
});

handleSubmit(form, {
  validate: () => {
    const errors = [];
    if (!form.elements.organisation_id.value) errors.push({ field: 'org-search', control: search, key: 'wd.org_required', params: {} });
    const check = checkTrackingCode(form.elements.tracking_code.value);
    if (!check.empty && !check.ok) errors.push({ field: 'tracking_code', control: form.elements.tracking_code, key: check.reason, params: {} });
    return errors;
  },
  fields: { organisation_id: 'org-search', scan_id: 'scan-file' },
  busyLabel: t('common.busy'),
  send: () => {
    const data = body();
    if (correctId) return api('POST', `/api/withdrawals/${encodeURIComponent(correctId)}/correct`, { ...data, reason: form.elements.reason.value.trim() });
    return api('POST', '/api/withdrawals', data);
  },
  success: (answer) => {
    toast(t('wd.saved', { id: answer.id }), 'success');
    location.assign(`/staff/withdrawal-letter.html?id=${answer.id}`);
  },
});

/* ---- the list ---- */
function stateBadge(state) {
  const kind = state === 'applied' ? 'badge--success' : state === 'pending' ? 'badge--warning' : 'badge--neutral';
  return el('span', { class: `badge ${kind}` }, t(`wd.state.${state}`));
}

function render() {
  list.removeAttribute('aria-busy');
  if (!items.length) { list.replaceChildren(el('p', { class: 'muted' }, t('wd.empty'))); return; }
  list.replaceChildren(el('div', { class: 'table-wrap' }, el('table', { class: 'table table--stack' },
    el('thead', {}, el('tr', {}, ['org', 'received', 'version', 'assessment', 'state', 'actions'].map((c) => el('th', { scope: 'col' }, t(`wd.col.${c}`))))),
    el('tbody', {}, items.map((w) => el('tr', {},
      el('td', { 'data-label': t('wd.col.org') }, el('a', { href: `/staff/organisation.html?id=${w.organisation_id}` }, w.organisation_name),
        w.channel === 'online' ? el('span', { class: 'badge badge--info' }, t('wd.online')) : null),
      el('td', { 'data-label': t('wd.col.received') }, formatDate(w.received_on, 'medium')),
      el('td', { 'data-label': t('wd.col.version') }, w.version_label || t('wd.not_known')),
      el('td', { 'data-label': t('wd.col.assessment') },
        w.version_id ? el('span', { class: `badge ${w.timely ? 'badge--success' : 'badge--warning'}` }, t(w.timely ? 'wd.timely' : 'wd.late'))
          : el('span', { class: 'badge badge--neutral' }, t('wd.pending')),
        el('p', { class: 'small' }, effectSentence(w))),
      el('td', { 'data-label': t('wd.col.state') }, stateBadge(w.state)),
      el('td', { 'data-label': t('wd.col.actions') }, el('span', { class: 'cluster' },
        el('a', { href: `/staff/withdrawal-letter.html?id=${w.id}` }, t('wd.letter')),
        w.scan_id ? el('a', { href: `/api/withdrawals/scans/${w.scan_id}` }, t('wd.scan_link')) : null,
        canEdit && w.state !== 'superseded' ? el('a', { href: `/staff/withdrawals.html?correct=${w.id}` }, t('wd.correct')) : null))))))));
}

let versionLabels = null;
async function load() {
  list.setAttribute('aria-busy', 'true');
  try {
    const [answer, code] = await Promise.all([
      api('GET', `/api/withdrawals${document.getElementById('show-all').checked ? '?all=1' : ''}`),
      versionLabels ? null : api('GET', '/api/code/versions'),
    ]);
    // A row names the version its withdrawal works for by id; the words need its label.
    if (code) versionLabels = new Map(code.items.map((version) => [version.id, version.label]));
    items = answer.items.map((w) => ({ ...w, effect_version_label: w.effect_version_label || versionLabels.get(w.effect_version_id) }));
    render();
  } catch (error) {
    list.removeAttribute('aria-busy');
    list.replaceChildren(el('div', { class: 'alert alert--error', role: 'alert' }, errorMessage(error)));
  }
}
document.getElementById('show-all').addEventListener('change', load);
onLanguageChange(() => { render(); showTrackingCheck(); if (lastPreview) renderPreview(lastPreview); });

/* ---- a correction: fill the form from the entry it replaces ---- */
if (correctId && canEdit) {
  try {
    const old = await api('GET', `/api/withdrawals/${encodeURIComponent(correctId)}`);
    const title = document.getElementById('intake-title');
    title.removeAttribute('data-i18n');
    title.textContent = t('wd.correct_title', { id: old.id });
    onLanguageChange(() => { title.textContent = t('wd.correct_title', { id: old.id }); });
    document.getElementById('correct-lead').hidden = false;
    document.getElementById('reason-field').hidden = false;
    form.elements.reason.required = true;
    document.getElementById('save').textContent = t('wd.save_correction');
    document.getElementById('save').dataset.i18n = 'wd.save_correction';
    form.elements.reason.dataset.errorRequired = 'wd.reason_required';
    form.elements.received_on.value = old.received_on;
    if (old.sent_on) form.elements.sent_on.value = old.sent_on;
    form.querySelector(`input[name=form][value="${old.form}"]`).checked = true;
    if (old.tracking_code) { form.elements.tracking_code.value = old.tracking_code; showTrackingCheck(); }
    if (old.note) form.elements.note.value = old.note;
    if (old.scan_id) form.elements.scan_id.value = String(old.scan_id);
    choose({ id: old.organisation_id, name: old.organisation_name, kvk: old.kvk });
  } catch (error) {
    toast(errorMessage(error), 'error');
  }
}
await load();
