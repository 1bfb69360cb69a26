// The staff login page: e-mail + password, then (where the account has one) the code
// from the authenticator app, or (where the role requires one not set up yet) setting
// up the app; inline errors, the 401 sentence, the 429 wait (with an e-mailed login link
// offered instead), then on to ?next= (same site only, parsed as a URL).
import { api, login, getSession } from '../api.js';
import { t, onLanguageChange, addMessages } from '../i18n.js';
import { publicPage, el, param, safeNext, setBusy } from '../ui.js';
import { showFieldErrors, clearFieldErrors, validateRequired } from '../forms.js';
import { plural } from '../words.js';
import { codeField, renderEnrolment } from '../second-factor.js';

addMessages({
  nl: {
    'login.link_offer': 'Wilt u niet wachten? Vraag een inloglink aan. U krijgt die per e-mail en hij werkt 10 minuten.',
    'login.link_send': 'Stuur mij een inloglink',
    'login.link_sent': 'Als dit adres bij een account hoort, staat er binnen enkele minuten een inloglink in uw mailbox.',
    'login.wait_minutes.one': 'U kunt het over 1 minuut opnieuw proberen.',
    'login.wait_minutes.other': 'U kunt het over {count} minuten opnieuw proberen.',
  },
  en: {
    'login.link_offer': 'Cannot wait? Ask for a login link; it comes by e-mail and works for 10 minutes.',
    'login.link_send': 'Send me a login link',
    'login.link_sent': 'If this address belongs to an account, a login link arrives in your mailbox within minutes.',
    'login.wait_minutes.one': 'You can try again in 1 minute.',
    'login.wait_minutes.other': 'You can try again in {count} minutes.',
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
const step = document.getElementById('login-step');
const intro = [document.getElementById('login-lead'), document.getElementById('login-members')];

const reasons = { logged_out: ['success', 'login.logged_out'], login: ['info', 'login.needed'] };
function showNotice() {
  const reason = reasons[param('reason')];
  notice.replaceChildren();
  if (reason) notice.append(el('div', { class: `alert alert--${reason[0]}`, role: 'status' }, t(reason[1])));
}
showNotice();
onLanguageChange(showNotice);

let waitTimer = null;
/** 429: say how long, and keep the button off for that long. */
function holdOff(button, summary, error) {
  const seconds = error.retryAfter || 60;
  // Up to two minutes in seconds; longer waits (up to 15 minutes) in whole minutes.
  summary.append(el('p', {}, seconds <= 120 ? t('login.wait', { seconds }) : plural('login.wait_minutes', Math.ceil(seconds / 60))));
  button.disabled = true;
  clearTimeout(waitTimer);
  waitTimer = setTimeout(() => { button.disabled = false; }, seconds * 1000);
}

function goOn() {
  location.assign(safeNext(param('next')));
}

/** Past the first form: hide it and its introduction, show the next step instead. */
function leaveFirstStep() {
  form.hidden = true;
  notice.replaceChildren();
  for (const node of intro) if (node) node.hidden = true;
}

function backToFirstStep() {
  step.replaceChildren();
  setBusy(submit, false);
  form.hidden = false;
  for (const node of intro) if (node) node.hidden = false;
  form.elements.password.value = '';
  form.elements.password.focus();
}

async function enrol(email) {
  leaveFirstStep();
  try {
    await renderEnrolment(step, { email, required: true, onDone: goOn });
  } catch (error) {
    backToFirstStep();
    showFieldErrors(form, error, { title: t('login.failed_title') });
  }
}

function afterLogin(answer, email) {
  if (answer.second_factor?.session === 'enrolment') return enrol(email);
  return goOn();
}

/** The code from the app (or a recovery code), sent with the e-mail and password again. */
function codeStep(email, password) {
  leaveFirstStep();
  const button = el('button', { type: 'submit', class: 'button button--block' }, t('totp.step_submit'));
  const field = codeField('totp');
  field.querySelector('input').name = 'totp';
  const heading = el('h2', { tabindex: '-1' }, t('totp.step_title'));
  const codeForm = el('form', { class: 'card', novalidate: true },
    heading, el('p', {}, t('totp.step_lead')), field, button,
    el('p', {}, el('button', { type: 'button', class: 'button button--link', onclick: backToFirstStep }, t('totp.step_back'))));
  step.replaceChildren(codeForm);
  codeForm.elements.totp.focus();
  codeForm.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (button.disabled) return;
    clearFieldErrors(codeForm);
    const missing = validateRequired(codeForm);
    if (missing.length) {
      showFieldErrors(codeForm, missing, { title: t('login.failed_title') });
      return;
    }
    setBusy(button, true, t('login.busy'));
    try {
      afterLogin(await login(email, password, codeForm.elements.totp.value.trim()), email);
    } catch (error) {
      setBusy(button, false);
      if (error.code === 'wrong_credentials') {
        backToFirstStep();
        showFieldErrors(form, error, { title: t('login.failed_title') });
        return;
      }
      codeForm.elements.totp.value = '';
      const summary = showFieldErrors(codeForm, error, { title: t('login.failed_title') });
      if (error.status === 429) holdOff(button, summary, error);
    }
  });
}

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  if (submit.disabled) return;
  clearFieldErrors(form);
  const missing = validateRequired(form);
  if (missing.length) {
    showFieldErrors(form, missing);
    return;
  }
  const email = form.elements.email.value.trim();
  const password = form.elements.password.value;
  setBusy(submit, true, t('login.busy'));
  try {
    await afterLogin(await login(email, password), email);
  } catch (error) {
    setBusy(submit, false);
    if (error.code === 'totp_required') {
      codeStep(email, password);
      return;
    }
    const summary = showFieldErrors(form, error, { title: t('login.failed_title') });
    if (error.status === 401) form.elements.password.value = '';
    if (error.status === 429) {
      holdOff(submit, summary, error);
      if (email) offerLink(summary);
    }
  }
});

// Sent here by a staff page while the session may only set up its second factor.
if (param('reason') === 'enrol') {
  getSession().then((session) => {
    if (session?.second_factor?.session === 'enrolment') enrol(session.user.email);
  }).catch(() => {});
}
