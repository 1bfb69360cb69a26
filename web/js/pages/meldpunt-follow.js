// Follow-up by receipt: the state of the report, the meldpunt's feedback, and a form to
// add information. The receipt is kept only in this page's memory.
import { api } from '../api.js';
import { addMessages, t, hasMessage, getLanguage, onLanguageChange } from '../i18n.js';
import { publicPage, el, formatDate } from '../ui.js';
import { handleSubmit, formMessage } from '../forms.js';

addMessages({
  nl: {
    'meldpunt.follow.page_title': 'Melding volgen',
    'meldpunt.follow.title': 'Uw melding volgen',
    'meldpunt.follow.lead': 'Vul de ontvangstcode in die u kreeg toen u de melding deed.',
    'meldpunt.follow.receipt': 'Ontvangstcode (20 cijfers)',
    'meldpunt.follow.open': 'Bekijken',
    'meldpunt.follow.busy': 'Bezig…',
    'meldpunt.follow.report': 'Melding {id}',
    'meldpunt.follow.received_on': 'Ontvangen',
    'meldpunt.follow.state': 'Stand van zaken',
    'meldpunt.follow.feedback_due': 'Terugkoppeling uiterlijk',
    'meldpunt.follow.fed_back_on': 'Terugkoppeling gegeven',
    'meldpunt.follow.feedback': 'Terugkoppeling van het meldpunt',
    'meldpunt.follow.no_feedback': 'Er is nog geen terugkoppeling.',
    'meldpunt.follow.add_title': 'Informatie toevoegen',
    'meldpunt.follow.message': 'Wat wilt u toevoegen?',
    'meldpunt.follow.send': 'Toevoegen',
    'meldpunt.follow.sent': 'Uw aanvulling is versleuteld bewaard en doorgegeven aan het meldpunt.',
    'meldpunt.follow.state.received': 'Ontvangen',
    'meldpunt.follow.state.acknowledged': 'In behandeling genomen',
    'meldpunt.follow.state.signal_sent': 'De organisatie is om een reactie gevraagd',
    'meldpunt.follow.state.response': 'De organisatie heeft gereageerd',
    'meldpunt.follow.state.judgement': 'Het meldpunt heeft een oordeel gegeven',
    'meldpunt.follow.state.feedback': 'Terugkoppeling gegeven',
    'meldpunt.follow.state.closed': 'Afgesloten',
    'meldpunt.follow.error_receipt': 'Vul de ontvangstcode in: 20 cijfers, spaties mogen.',
    'meldpunt.follow.error_message': 'Schrijf wat u wilt toevoegen.',
  },
  en: {
    'meldpunt.follow.page_title': 'Follow a report',
    'meldpunt.follow.title': 'Follow your report',
    'meldpunt.follow.lead': 'Enter the receipt code you were given when you made the report.',
    'meldpunt.follow.receipt': 'Receipt code (20 digits)',
    'meldpunt.follow.open': 'View',
    'meldpunt.follow.busy': 'Working…',
    'meldpunt.follow.report': 'Report {id}',
    'meldpunt.follow.received_on': 'Received',
    'meldpunt.follow.state': 'Status',
    'meldpunt.follow.feedback_due': 'Feedback due by',
    'meldpunt.follow.fed_back_on': 'Feedback given',
    'meldpunt.follow.feedback': 'Feedback from the reporting desk',
    'meldpunt.follow.no_feedback': 'There is no feedback yet.',
    'meldpunt.follow.add_title': 'Add information',
    'meldpunt.follow.message': 'What would you like to add?',
    'meldpunt.follow.send': 'Add',
    'meldpunt.follow.sent': 'Your addition has been stored encrypted and passed on to the reporting desk.',
    'meldpunt.follow.state.received': 'Received',
    'meldpunt.follow.state.acknowledged': 'Being handled',
    'meldpunt.follow.state.signal_sent': 'The organisation has been asked to respond',
    'meldpunt.follow.state.response': 'The organisation has responded',
    'meldpunt.follow.state.judgement': 'The reporting desk has given its judgement',
    'meldpunt.follow.state.feedback': 'Feedback given',
    'meldpunt.follow.state.closed': 'Closed',
    'meldpunt.follow.error_receipt': 'Enter the receipt code: 20 digits, spaces are fine.',
    'meldpunt.follow.error_message': 'Write what you want to add.',
  },
});

publicPage({ title: 'meldpunt.follow.page_title', active: 'meldpunt' });

const receiptForm = document.getElementById('receipt-form');
const messageForm = document.getElementById('message-form');
const status = document.getElementById('status');
let receipt = null;
let shown = null;

/** The server's (Dutch) label for the state, or its English for a state we know. */
function stateLabel(report) {
  const key = `meldpunt.follow.state.${report.state}`;
  return getLanguage() !== 'nl' && hasMessage(key) ? t(key) : report.state_label;
}

function render(report) {
  shown = report;
  status.replaceChildren(el('section', { class: 'card' },
    el('h2', {}, t('meldpunt.follow.report', { id: report.id })),
    el('dl', { class: 'dl' },
      el('dt', {}, t('meldpunt.follow.received_on')), el('dd', {}, formatDate(report.received_on)),
      el('dt', {}, t('meldpunt.follow.state')), el('dd', {}, el('span', { class: 'badge badge--info' }, stateLabel(report))),
      el('dt', {}, t('meldpunt.follow.feedback_due')), el('dd', {}, formatDate(report.feedback_due)),
      report.fed_back_on ? [el('dt', {}, t('meldpunt.follow.fed_back_on')), el('dd', {}, formatDate(report.fed_back_on))] : null),
    report.feedback
      ? [el('h3', {}, t('meldpunt.follow.feedback')), el('p', { class: 'prewrap' }, report.feedback)]
      : el('p', { class: 'muted' }, t('meldpunt.follow.no_feedback'))));
  messageForm.hidden = report.state === 'closed';
}

handleSubmit(receiptForm, {
  busyLabel: t('meldpunt.follow.busy'),
  send: (data) => api('POST', '/api/reports/follow-up', { receipt: data.receipt }),
  success: (report) => {
    receipt = document.getElementById('receipt').value;
    status.replaceChildren();
    render(report);
  },
});

handleSubmit(messageForm, {
  busyLabel: t('meldpunt.follow.busy'),
  send: (data) => api('POST', '/api/reports/follow-up/messages', { receipt, text: data.text }),
  success: () => {
    document.getElementById('message').value = '';
    formMessage(messageForm, 'success', { key: 'meldpunt.follow.sent' }).focus();
  },
});

onLanguageChange(() => { if (shown) render(shown); });
