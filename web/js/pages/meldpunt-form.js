// The public report form of the meldpunt: organisation search, the norms of the Code in
// force, attachments as base64, and the receipt code shown once after sending.
import { api } from '../api.js';
import { publicPage, el, setBusy, errorMessage, clearFieldErrors, showFieldErrors, validateRequired, formData } from '../ui.js';

publicPage({ title: 'Meldpunt', active: 'meldpunt' });

const form = document.getElementById('report-form');
const search = document.getElementById('organisation-search');
const select = document.getElementById('organisation_id');
const result = document.getElementById('result');
const MAX_FILES = 3;
const MAX_BYTES = 5 * 1024 * 1024;

async function loadOrganisations() {
  try {
    const answer = await api('GET', `/api/meldpunt/organisations?q=${encodeURIComponent(search.value.trim())}`);
    select.replaceChildren(...answer.items.map((o) => el('option', { value: o.id }, o.name)));
    if (answer.items.length === 1) select.value = String(answer.items[0].id);
  } catch (error) {
    select.replaceChildren();
    result.replaceChildren(el('div', { class: 'alert alert--error', role: 'alert' }, errorMessage(error)));
  }
}

async function loadNorms() {
  const box = document.getElementById('norms');
  try {
    const answer = await api('GET', '/api/meldpunt/norms');
    if (!answer.items.length) {
      box.replaceChildren(el('p', { class: 'alert alert--warning' }, 'Er is nog geen Code met normen van kracht.'));
      return;
    }
    box.replaceChildren(...answer.items.map((norm) => el('label', { class: 'choice' },
      el('input', { type: 'checkbox', name: 'norms', value: norm.id, dataset: { multiple: '' } }),
      `${norm.id === '6' ? 'Artikel 6, algemene principes' : `Norm ${norm.id}`}: ${norm.title}`)));
  } catch (error) {
    box.replaceChildren(el('p', { class: 'alert alert--error' }, errorMessage(error)));
  }
}

function readBase64(file) {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result).split(',')[1] || '');
    reader.onerror = () => reject(reader.error);
    reader.readAsDataURL(file);
  });
}

function showReceipt(answer) {
  form.hidden = true;
  result.replaceChildren(el('div', { class: 'alert alert--success', role: 'status', tabindex: '-1', id: 'receipt-box' },
    el('strong', { class: 'alert__title' }, 'Uw melding is ontvangen'),
    el('p', {}, `Meldingnummer ${answer.id}. U krijgt uiterlijk ${answer.feedback_due} een terugkoppeling.`),
    el('p', {}, 'Uw ontvangstcode:'),
    el('p', { class: 'receipt-code mono' }, answer.receipt),
    el('p', {}, el('strong', {}, 'Bewaar deze code goed.'),
      ' Wij tonen hem maar één keer en sturen hem niet per e-mail. Met de code volgt u uw melding en voegt u informatie toe.'),
    el('p', {}, el('a', { class: 'button', href: '/meldpunt-volgen.html' }, 'Naar de volgpagina'))));
  document.getElementById('receipt-box').focus();
}

search.addEventListener('input', () => { clearTimeout(search._timer); search._timer = setTimeout(loadOrganisations, 250); });

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  clearFieldErrors(form);
  const errors = validateRequired(form);
  const data = formData(form);
  if (!data.norms || !data.norms.length) errors.push({ field: 'norms', message: 'Kies één of meer normen.' });
  const files = [...document.getElementById('attachments').files];
  if (files.length > MAX_FILES) errors.push({ field: 'attachments', message: 'Kies hoogstens 3 bestanden.' });
  if (files.some((f) => f.size > MAX_BYTES)) errors.push({ field: 'attachments', message: 'Een bestand is groter dan 5 MB.' });
  if (errors.length) { showFieldErrors(form, errors); return; }
  const button = document.getElementById('submit');
  setBusy(button, true, 'Versturen…');
  try {
    const attachments = await Promise.all(files.map(async (f) => ({ name: f.name, content_base64: await readBase64(f) })));
    const body = {
      reporter: { name: data.name, email: data.email, ...(data.phone ? { phone: data.phone } : {}) },
      organisation_id: Number(data.organisation_id),
      norms: data.norms,
      text: data.text,
      ...(attachments.length ? { attachments } : {}),
    };
    showReceipt(await api('POST', '/api/reports', body, { timeout: 120000 }));
  } catch (error) {
    setBusy(button, false);
    if (error.field) showFieldErrors(form, error);
    else result.replaceChildren(el('div', { class: 'alert alert--error', role: 'alert' }, errorMessage(error)));
  }
});

loadOrganisations();
loadNorms();
