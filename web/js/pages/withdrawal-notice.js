// The online withdrawal notice of a contact person (logged in by e-mailed link): what
// follows if sent today, then the notice with an explicit confirmation, and the receipt.
import { api, getSession } from '../api.js';
import { t, addMessages, onLanguageChange } from '../i18n.js';
import { publicPage, el, toast, errorMessage, formatDate } from '../ui.js';
import { handleSubmit } from '../forms.js';
import { effectSentence } from './withdrawals-i18n.js';

addMessages({
  nl: {
    'my.error_email': 'Vul uw e-mailadres in.',
    'my.error_text': 'Schrijf de tekst van de intrekking.',
    'my.error_confirm': 'Vink aan dat u namens uw organisatie de ondertekening intrekt.',
    'my.history_line': '{date} (kenmerk INT-{id}): {effect}',
  },
  en: {
    'my.error_email': 'Enter your e-mail address.',
    'my.error_text': 'Write the text of the withdrawal.',
    'my.error_confirm': 'Tick that you withdraw the signature on behalf of your organisation.',
    'my.history_line': '{date} (reference INT-{id}): {effect}',
  },
});

publicPage({ title: 'my.title' });
const session = await getSession().catch(() => null);

if (!session || session.kind !== 'contact') {
  document.getElementById('login-section').hidden = false;
  const linkForm = document.getElementById('link-form');
  handleSubmit(linkForm, {
    busyLabel: t('common.busy'),
    send: (data) => api('POST', '/api/session/link-request', { email: data.email }),
    success: () => linkForm.replaceChildren(el('p', { class: 'alert alert--success', role: 'status', 'data-i18n': 'my.link_sent' }, t('my.link_sent'))),
  });
} else {
  document.getElementById('notice-section').hidden = false;
  const position = document.getElementById('position');
  const form = document.getElementById('notice-form');
  let last = null;
  const show = (answer) => {
    last = answer;
    if (answer.can_send) {
      const p = answer.preview;
      position.replaceChildren(el('div', { class: 'card card--muted' },
        el('h2', {}, t('my.position')),
        p.version_id ? el('p', {}, t('wd.preview_version', { label: p.version_label, effective: formatDate(p.effective_from), deadline: formatDate(p.deadline) })) : null,
        el('p', {}, effectSentence(p))));
      form.hidden = false;
      if (!form.elements.text.value) form.elements.text.value = t('my.text_default', { name: answer.organisation.name });
    } else {
      position.replaceChildren(el('div', { class: 'alert alert--warning' }, el('strong', { class: 'alert__title' }, t('my.cannot')), el('p', {}, answer.refusal.error)));
      form.hidden = true;
    }
    document.getElementById('history-section').hidden = answer.withdrawals.length === 0;
    document.getElementById('history').replaceChildren(...answer.withdrawals.map((w) => el('li', {},
      t('my.history_line', { date: formatDate(w.received_on, 'medium'), id: w.id, effect: effectSentence(w) }))));
  };
  onLanguageChange(() => { if (last) show(last); });
  const load = async () => {
    try {
      show(await api('GET', '/api/my/withdrawal'));
    } catch (error) {
      position.replaceChildren(el('div', { class: 'alert alert--error', role: 'alert' }, errorMessage(error)));
    }
  };
  handleSubmit(form, {
    busyLabel: t('common.busy'),
    send: (data) => api('POST', '/api/my/withdrawal', { text: data.text, confirm: Boolean(data.confirm) }),
    success: async (answer) => {
      form.hidden = true;
      document.getElementById('receipt').replaceChildren(el('div', { class: 'alert alert--success' },
        el('p', {}, t('my.sent', { id: answer.id })), el('p', {}, effectSentence(answer)),
        el('p', { class: 'small mono-wrap' }, t('my.proof', { hash: answer.proof_text_sha256 }))));
      toast(t('my.sent', { id: answer.id }), 'success');
      await load();
    },
  });
  await load();
}
