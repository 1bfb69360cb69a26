// The online withdrawal notice of a contact person (logged in by e-mailed link): what
// follows if sent today, then the notice with an explicit confirmation, and the receipt.
import { api, getSession } from '../api.js';
import { t } from '../i18n.js';
import { publicPage, el, toast, errorMessage, formData, setBusy, showFieldErrors, clearFieldErrors, validateRequired, formatDate } from '../ui.js';
import './withdrawals-i18n.js';

publicPage({ title: 'my.title' });
const session = await getSession().catch(() => null);

if (!session || session.kind !== 'contact') {
  document.getElementById('login-section').hidden = false;
  const linkForm = document.getElementById('link-form');
  linkForm.addEventListener('submit', async (event) => {
    event.preventDefault();
    const missing = validateRequired(linkForm);
    if (missing.length) { showFieldErrors(linkForm, missing); return; }
    clearFieldErrors(linkForm);
    const button = linkForm.querySelector('button[type=submit]');
    setBusy(button, true, t('common.busy'));
    try {
      await api('POST', '/api/session/link-request', formData(linkForm));
      linkForm.replaceChildren(el('p', { class: 'alert alert--success', role: 'status' }, t('my.link_sent')));
    } catch (error) {
      setBusy(button, false);
      showFieldErrors(linkForm, error);
    }
  });
} else {
  document.getElementById('notice-section').hidden = false;
  const position = document.getElementById('position');
  const form = document.getElementById('notice-form');
  const show = (answer) => {
    if (answer.can_send) {
      const p = answer.preview;
      position.replaceChildren(el('div', { class: 'card card--muted' },
        el('h2', {}, t('my.position')),
        p.version_id ? el('p', {}, t('wd.preview_version', { label: p.version_label, effective: formatDate(p.effective_from), deadline: formatDate(p.deadline) })) : null,
        el('p', {}, p.effect)));
      form.hidden = false;
      if (!form.elements.text.value) form.elements.text.value = t('my.text_default', { name: answer.organisation.name });
    } else {
      position.replaceChildren(el('div', { class: 'alert alert--warning' }, el('strong', { class: 'alert__title' }, t('my.cannot')), el('p', {}, answer.refusal.error)));
      form.hidden = true;
    }
    document.getElementById('history-section').hidden = answer.withdrawals.length === 0;
    document.getElementById('history').replaceChildren(...answer.withdrawals.map((w) => el('li', {}, `${formatDate(w.received_on, 'medium')} (INT-${w.id}): ${w.effect}`)));
  };
  const load = async () => {
    try {
      show(await api('GET', '/api/my/withdrawal'));
    } catch (error) {
      position.replaceChildren(el('div', { class: 'alert alert--error', role: 'alert' }, errorMessage(error)));
    }
  };
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const missing = validateRequired(form);
    if (missing.length) { showFieldErrors(form, missing); return; }
    clearFieldErrors(form);
    const button = form.querySelector('button[type=submit]');
    setBusy(button, true, t('common.busy'));
    try {
      const answer = await api('POST', '/api/my/withdrawal', { text: form.elements.text.value, confirm: form.elements.confirm.checked });
      form.hidden = true;
      document.getElementById('receipt').replaceChildren(el('div', { class: 'alert alert--success' },
        el('p', {}, t('my.sent', { id: answer.id })), el('p', {}, answer.effect),
        el('p', { class: 'small mono' }, t('my.proof', { hash: answer.proof_text_sha256 }))));
      toast(t('my.sent', { id: answer.id }), 'success');
      await load();
    } catch (error) {
      setBusy(button, false);
      showFieldErrors(form, error);
    }
  });
  await load();
}
