// The staff login page: e-mail + password, with inline errors, the 401 sentence,
// the 429 wait, then on to ?next= (same site only) or the dashboard.
import { login } from '../api.js';
import { t, onLanguageChange } from '../i18n.js';
import {
  publicPage, el, param, safeNext, setBusy, showFieldErrors, clearFieldErrors, validateRequired,
} from '../ui.js';

publicPage({ title: 'login.title', active: 'login' });

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
      submit.disabled = true;
      clearTimeout(waitTimer);
      waitTimer = setTimeout(() => { submit.disabled = false; }, seconds * 1000);
    }
  }
});
