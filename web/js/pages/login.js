// The staff login page: e-mail + password, with inline errors, the 401 sentence,
// the 429 wait (with an e-mailed login link offered instead), then on to ?next= (same
// site only, parsed as a URL) or the dashboard.
import { api, login } from '../api.js';
import { t, onLanguageChange, addMessages } from '../i18n.js';
import {
  publicPage, el, param, safeNext, setBusy, showFieldErrors, clearFieldErrors, validateRequired,
} from '../ui.js';

addMessages({
  nl: {
    'login.link_offer': 'Kun je niet wachten? Vraag een inloglink aan; die komt per e-mail en werkt 10 minuten.',
    'login.link_send': 'Stuur mij een inloglink',
    'login.link_sent': 'Als dit adres bij een account hoort, staat er binnen enkele minuten een inloglink in je mailbox.',
  },
  en: {
    'login.link_offer': 'Cannot wait? Ask for a login link; it comes by e-mail and works for 10 minutes.',
    'login.link_send': 'Send me a login link',
    'login.link_sent': 'If this address belongs to an account, a login link arrives in your mailbox within minutes.',
  },
});

publicPage({ title: 'login.title', active: 'login' });

/** After too many attempts: the owner of the address gets in by e-mailed link instead. */
function offerLink(summary) {
  const button = el('button', { type: 'button', class: 'button button--secondary', id: 'login-link' }, t('login.link_send'));
  const done = el('p', { role: 'status' });
  button.addEventListener('click', async () => {
    setBusy(button, true);
    try {
      await api('POST', '/api/session/link-request', { email: form.elements.email.value.trim() });
      done.textContent = t('login.link_sent');
      button.hidden = true;
    } catch (error) {
      setBusy(button, false);
      done.textContent = error.message;
    }
  });
  summary.append(el('p', {}, t('login.link_offer')), button, done);
}

const form = document.getElementById('login-form');
const submit = document.getElementById('login-submit');
const notice = document.getElementById('login-notice');

const reasons = { logged_out: ['success', 'login.logged_out'], login: ['info', 'login.needed'] };
function showNotice() {
  const reason = reasons[param('reason')];
  notice.replaceChildren();
  if (reason) notice.append(el('div', { class: `alert alert--${reason[0]}`, role: 'status' }, t(reason[1])));
}
showNotice();
onLanguageChange(showNotice);

let waitTimer = null;

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  if (submit.disabled) return;
  clearFieldErrors(form);
  const missing = validateRequired(form);
  if (missing.length) {
    showFieldErrors(form, missing);
    return;
  }
  setBusy(submit, true, t('login.busy'));
  try {
    await login(form.elements.email.value.trim(), form.elements.password.value);
    location.assign(safeNext(param('next')));
  } catch (error) {
    setBusy(submit, false);
    const summary = showFieldErrors(form, error, { title: t('login.failed_title') });
    if (error.status === 401) form.elements.password.value = '';
    if (error.status === 429) {
      const seconds = error.retryAfter || 60;
      summary.append(el('p', {}, t('login.wait', { seconds })));
      if (form.elements.email.value.trim()) offerLink(summary);
      submit.disabled = true;
      clearTimeout(waitTimer);
      waitTimer = setTimeout(() => { submit.disabled = false; }, seconds * 1000);
    }
  }
});
