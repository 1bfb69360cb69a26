// The public report form of the meldpunt: organisation search, the norms of the Code in
// force, attachments as base64, and the receipt code shown once after sending.
import { api } from '../api.js';
import { addMessages, t, onLanguageChange } from '../i18n.js';
import { publicPage, el, errorMessage, formatDate } from '../ui.js';
import { handleSubmit } from '../forms.js';

addMessages({
  nl: {
    'meldpunt.form.page_title': 'Meldpunt',
    'meldpunt.form.title': 'Een melding doen',
    'meldpunt.form.lead': 'Past een organisatie de Code voor Verantwoordelijk Marktgedrag niet toe? Meld het bij het meldpunt van de KSF.',
    'meldpunt.form.confidential_title': 'Vertrouwelijk, niet anoniem',
    'meldpunt.form.confidential_text': 'Alleen de functionaris van het meldpunt kan uw naam en gegevens lezen; ze worden versleuteld bewaard. De organisatie hoort alleen een geanonimiseerd signaal. Uw IP-adres wordt niet bewaard.',
    'meldpunt.form.about_you': 'Over u',
    'meldpunt.form.name': 'Uw naam',
    'meldpunt.form.email': 'Uw e-mailadres',
    'meldpunt.form.email_hint': 'U krijgt een ontvangstbevestiging en later een terugkoppeling.',
    'meldpunt.form.phone': 'Telefoon (niet verplicht)',
    'meldpunt.form.organisation': 'Over welke organisatie gaat het?',
    'meldpunt.form.organisation_hint': 'Typ een deel van de naam en kies de organisatie uit de lijst.',
    'meldpunt.form.organisation_list': 'Organisatie',
    'meldpunt.form.norms': 'Welke normen van de Code zijn niet toegepast?',
    'meldpunt.form.norms_hint': 'Kies er één of meer.',
    'meldpunt.form.no_norms': 'Er is nog geen Code met normen van kracht.',
    'meldpunt.form.article6': 'Artikel 6, algemene principes',
    'meldpunt.form.norm': 'Norm {id}',
    'meldpunt.form.text': 'Wat is er gebeurd?',
    'meldpunt.form.text_hint': 'Beschrijf wat u zag of meemaakte, wanneer en waar. Noem liever geen namen van anderen.',
    'meldpunt.form.attachments': 'Bijlagen (niet verplicht)',
    'meldpunt.form.attachments_hint': 'Hoogstens 3 bestanden: PDF, JPEG of PNG, elk tot 5 MB. Gegevens in foto\'s (zoals locatie) halen wij eruit.',
    'meldpunt.form.submit': 'Melding versturen',
    'meldpunt.form.sending': 'Versturen…',
    'meldpunt.form.already': 'Al een melding gedaan?',
    'meldpunt.form.follow_link': 'Volg uw melding met uw ontvangstcode',
    'meldpunt.form.error_norms': 'Kies één of meer normen.',
    'meldpunt.form.error_files': 'Kies hoogstens 3 bestanden.',
    'meldpunt.form.error_size': 'Een bestand is groter dan 5 MB.',
    'meldpunt.form.received_title': 'Uw melding is ontvangen',
    'meldpunt.form.received_text': 'Meldingnummer {id}. U krijgt uiterlijk {due} een terugkoppeling.',
    'meldpunt.form.receipt_label': 'Uw ontvangstcode:',
    'meldpunt.form.receipt_keep': 'Bewaar deze code goed.',
    'meldpunt.form.receipt_once': ' Wij tonen hem maar één keer en sturen hem niet per e-mail. Met de code volgt u uw melding en voegt u informatie toe.',
    'meldpunt.form.to_follow': 'Naar de volgpagina',
    'meldpunt.form.error_name': 'Vul uw naam in.',
    'meldpunt.form.error_email': 'Vul uw e-mailadres in, zodat wij de ontvangst kunnen bevestigen.',
    'meldpunt.form.error_organisation': 'Kies de organisatie uit de lijst. Typ eerst een deel van de naam.',
    'meldpunt.form.error_text': 'Beschrijf wat er is gebeurd.',
  },
  en: {
    'meldpunt.form.page_title': 'Reporting desk',
    'meldpunt.form.title': 'Make a report',
    'meldpunt.form.lead': 'Does an organisation not apply the Code for Responsible Market Conduct? Report it to the KSF reporting desk.',
    'meldpunt.form.confidential_title': 'Confidential, not anonymous',
    'meldpunt.form.confidential_text': 'Only the reporting desk officer can read your name and details; they are stored encrypted. The organisation only hears an anonymised signal. Your IP address is not stored.',
    'meldpunt.form.about_you': 'About you',
    'meldpunt.form.name': 'Your name',
    'meldpunt.form.email': 'Your e-mail address',
    'meldpunt.form.email_hint': 'You will get a confirmation of receipt, and our feedback later on.',
    'meldpunt.form.phone': 'Phone (optional)',
    'meldpunt.form.organisation': 'Which organisation is it about?',
    'meldpunt.form.organisation_hint': 'Type part of the name and choose the organisation from the list.',
    'meldpunt.form.organisation_list': 'Organisation',
    'meldpunt.form.norms': 'Which standards of the Code were not applied?',
    'meldpunt.form.norms_hint': 'Choose one or more.',
    'meldpunt.form.no_norms': 'No Code with standards is in force yet.',
    'meldpunt.form.article6': 'Article 6, general principles',
    'meldpunt.form.norm': 'Standard {id}',
    'meldpunt.form.text': 'What happened?',
    'meldpunt.form.text_hint': 'Describe what you saw or experienced, when and where. Please do not name other people.',
    'meldpunt.form.attachments': 'Attachments (optional)',
    'meldpunt.form.attachments_hint': 'At most 3 files: PDF, JPEG or PNG, each up to 5 MB. We remove data stored in photos (such as the location).',
    'meldpunt.form.submit': 'Send report',
    'meldpunt.form.sending': 'Sending…',
    'meldpunt.form.already': 'Already made a report?',
    'meldpunt.form.follow_link': 'Follow your report with your receipt code',
    'meldpunt.form.error_norms': 'Choose one or more standards.',
    'meldpunt.form.error_files': 'Choose at most 3 files.',
    'meldpunt.form.error_size': 'A file is larger than 5 MB.',
    'meldpunt.form.received_title': 'Your report has been received',
    'meldpunt.form.received_text': 'Report number {id}. You will get our feedback by {due} at the latest.',
    'meldpunt.form.receipt_label': 'Your receipt code:',
    'meldpunt.form.receipt_keep': 'Keep this code safe.',
    'meldpunt.form.receipt_once': ' We show it only once and do not send it by e-mail. With the code you can follow your report and add information.',
    'meldpunt.form.to_follow': 'Go to the follow-up page',
    'meldpunt.form.error_name': 'Enter your name.',
    'meldpunt.form.error_email': 'Enter your e-mail address, so that we can confirm receipt.',
    'meldpunt.form.error_organisation': 'Choose the organisation from the list. First type part of its name.',
    'meldpunt.form.error_text': 'Describe what happened.',
  },
});

publicPage({ title: 'meldpunt.form.page_title', active: 'meldpunt' });

const form = document.getElementById('report-form');
const search = document.getElementById('organisation-search');
const select = document.getElementById('organisation_id');
const result = document.getElementById('result');
const MAX_FILES = 3;
const MAX_BYTES = 5 * 1024 * 1024;
let norms = null;
let receipt = null;

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

function renderNorms() {
  const box = document.getElementById('norms');
  if (!norms) return;
  if (!norms.length) {
    box.replaceChildren(el('p', { class: 'alert alert--warning' }, t('meldpunt.form.no_norms')));
    return;
  }
  const checked = new Set([...box.querySelectorAll('input[name="norms"]:checked')].map((input) => input.value));
  box.replaceChildren(...norms.map((norm) => el('label', { class: 'choice' },
    el('input', { type: 'checkbox', name: 'norms', value: norm.id, checked: checked.has(String(norm.id)), dataset: { multiple: '' } }),
    el('span', {}, `${norm.id === '6' ? t('meldpunt.form.article6') : t('meldpunt.form.norm', { id: norm.id })}: ${norm.title}`))));
}

async function loadNorms() {
  try {
    norms = (await api('GET', '/api/meldpunt/norms')).items;
    renderNorms();
  } catch (error) {
    document.getElementById('norms').replaceChildren(el('p', { class: 'alert alert--error' }, errorMessage(error)));
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

function renderReceipt() {
  result.replaceChildren(el('div', { class: 'alert alert--success', role: 'status', tabindex: '-1', id: 'receipt-box' },
    el('strong', { class: 'alert__title' }, t('meldpunt.form.received_title')),
    el('p', {}, t('meldpunt.form.received_text', { id: receipt.id, due: formatDate(receipt.feedback_due) })),
    el('p', {}, t('meldpunt.form.receipt_label')),
    el('p', { class: 'receipt-code mono' }, receipt.receipt),
    el('p', {}, el('strong', {}, t('meldpunt.form.receipt_keep')), t('meldpunt.form.receipt_once')),
    el('p', {}, el('a', { class: 'button', href: '/meldpunt-volgen.html' }, t('meldpunt.form.to_follow')))));
}

/* Once sent, the page is the receipt: right under the heading, where a laptop shows it
 * whole without scrolling (the code to keep is its point), the form and its intro gone. */
function showReceipt(answer) {
  form.hidden = true;
  document.getElementById('report-lead').hidden = true;
  document.getElementById('report-confidential').hidden = true;
  receipt = answer;
  renderReceipt();
  window.scrollTo(0, 0);
  document.getElementById('receipt-box').focus({ preventScroll: true });
}

search.addEventListener('input', () => { clearTimeout(search._timer); search._timer = setTimeout(loadOrganisations, 250); });

handleSubmit(form, {
  validate: () => {
    const errors = [];
    const files = [...document.getElementById('attachments').files];
    const control = document.getElementById('attachments');
    if (files.length > MAX_FILES) errors.push({ field: 'attachments', control, key: 'meldpunt.form.error_files', params: {} });
    else if (files.some((f) => f.size > MAX_BYTES)) errors.push({ field: 'attachments', control, key: 'meldpunt.form.error_size', params: {} });
    return errors;
  },
  // The server names fields inside its body (reporter.email); the form names them plainly.
  fields: { 'reporter.email': 'email', 'reporter.name': 'name', reporter: 'name', 'reporter.phone': 'phone' },
  busyLabel: t('meldpunt.form.sending'),
  send: async (data) => {
    const files = [...document.getElementById('attachments').files];
    const attachments = await Promise.all(files.map(async (f) => ({ name: f.name, content_base64: await readBase64(f) })));
    return api('POST', '/api/reports', {
      reporter: { name: data.name, email: data.email, ...(data.phone ? { phone: data.phone } : {}) },
      organisation_id: Number(data.organisation_id),
      norms: data.norms,
      text: data.text,
      ...(attachments.length ? { attachments } : {}),
    }, { timeout: 120000 });
  },
  success: (answer) => showReceipt(answer),
});

loadOrganisations();
loadNorms();
onLanguageChange(() => {
  renderNorms();
  if (receipt) renderReceipt();
});
