// Follow-up by receipt: the state of the report, the meldpunt's feedback, and a form to
// add information. The receipt is kept only in this page's memory.
import { api } from '../api.js';
import { publicPage, el, setBusy, errorMessage, formatDate, toast, clearFieldErrors, showFieldErrors, validateRequired } from '../ui.js';

publicPage({ title: 'Melding volgen', active: 'meldpunt' });

const receiptForm = document.getElementById('receipt-form');
const messageForm = document.getElementById('message-form');
const status = document.getElementById('status');
let receipt = null;

function render(report) {
  status.replaceChildren(el('section', { class: 'card' },
    el('h2', {}, `Melding ${report.id}`),
    el('dl', {},
      el('dt', {}, 'Ontvangen'), el('dd', {}, formatDate(report.received_on)),
      el('dt', {}, 'Stand van zaken'), el('dd', {}, el('span', { class: 'badge badge--info' }, report.state_label)),
      el('dt', {}, 'Terugkoppeling uiterlijk'), el('dd', {}, formatDate(report.feedback_due)),
      report.fed_back_on ? [el('dt', {}, 'Terugkoppeling gegeven'), el('dd', {}, formatDate(report.fed_back_on))] : null),
    report.feedback
      ? [el('h3', {}, 'Terugkoppeling van het meldpunt'), el('p', { class: 'prewrap' }, report.feedback)]
      : el('p', { class: 'muted' }, 'Er is nog geen terugkoppeling.')));
  messageForm.hidden = report.state === 'closed';
}

receiptForm.addEventListener('submit', async (event) => {
  event.preventDefault();
  clearFieldErrors(receiptForm);
  const errors = validateRequired(receiptForm);
  if (errors.length) { showFieldErrors(receiptForm, errors); return; }
  const button = document.getElementById('open');
  setBusy(button, true, 'Bezig…');
  try {
    const value = document.getElementById('receipt').value;
    const report = await api('POST', '/api/reports/follow-up', { receipt: value });
    receipt = value;
    render(report);
  } catch (error) {
    status.replaceChildren(el('div', { class: 'alert alert--error', role: 'alert' }, errorMessage(error)));
  } finally {
    setBusy(button, false);
  }
});

messageForm.addEventListener('submit', async (event) => {
  event.preventDefault();
  clearFieldErrors(messageForm);
  const errors = validateRequired(messageForm);
  if (errors.length) { showFieldErrors(messageForm, errors); return; }
  const button = document.getElementById('send');
  setBusy(button, true, 'Bezig…');
  try {
    await api('POST', '/api/reports/follow-up/messages', { receipt, text: document.getElementById('message').value });
    document.getElementById('message').value = '';
    toast('Uw aanvulling is versleuteld bewaard en doorgegeven aan het meldpunt.', 'success');
  } catch (error) {
    toast(errorMessage(error), 'error');
  } finally {
    setBusy(button, false);
  }
});
