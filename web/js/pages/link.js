// Landing page of an e-mailed login link (/l/<link>). Opening the page spends nothing
// (mail scanners fetch links); only the tap below POSTs the link and logs in. A staff
// link replaces the password, not the second factor: where the account has one, the page
// asks for the app's code and sends it with the link (the link stays unspent until then).
import { api, adoptSession } from '../api.js';
import { addMessages, t } from '../i18n.js';
import { publicPage, el, param, safeNext, setBusy, toast, errorMessage } from '../ui.js';
import { showFieldErrors, clearFieldErrors, validateRequired } from '../forms.js';
import { codeField } from '../second-factor.js';

addMessages({
  nl: {
    'link.title': 'Inloggen met uw persoonlijke link',
    'link.lead': 'U opent een inloglink uit een e-mail van KSF. Tik op de knop om in te loggen.',
    'link.use': 'Inloggen',
    'link.busy': 'Bezig met inloggen…',
    'link.once': 'De link werkt één keer. Daarna blijft u op dit apparaat ingelogd tot u uitlogt.',
    'link.welcome': 'Welkom, {name}. U bent ingelogd voor {organisation}.',
    'link.welcome_staff': 'Welkom, {name}. U bent ingelogd.',
    'link.request_title': 'Nieuwe link aanvragen',
    'link.email': 'Uw e-mailadres',
    'link.request': 'Stuur mij een nieuwe link',
    'link.requested': 'Als dit adres bij een account hoort, ontvangt u binnen enkele minuten een nieuwe link.',
    'link.continue': 'Verder naar uw overzicht',
    'link.enrol': 'Verder: tweestapsverificatie instellen',
  },
  en: {
    'link.title': 'Log in with your personal link',
    'link.lead': 'You opened a login link from a KSF e-mail. Tap the button to log in.',
    'link.use': 'Log in',
    'link.busy': 'Logging in…',
    'link.once': 'The link works once. After that you stay logged in on this device until you log out.',
    'link.welcome': 'Welcome, {name}. You are logged in for {organisation}.',
    'link.welcome_staff': 'Welcome, {name}. You are logged in.',
    'link.request_title': 'Request a new link',
    'link.email': 'Your e-mail address',
    'link.request': 'Send me a new link',
    'link.requested': 'If this address belongs to an account, a new link arrives within a few minutes.',
    'link.continue': 'Continue to your overview',
    'link.enrol': 'Continue: set up two-step verification',
  },
});

publicPage({ title: 'link.title' });

const token = decodeURIComponent(location.pathname.split('/').pop() || '');
const useButton = document.getElementById('link-use');
const status = document.getElementById('link-status');
const requestSection = document.getElementById('link-request');
const requestForm = document.getElementById('link-request-form');

const FACTOR_CODES = ['totp_required', 'totp_invalid', 'totp_used', 'recovery_invalid'];

function welcome(answer) {
  document.getElementById('link-card').hidden = true;
  document.getElementById('link-code')?.remove();
  // A staff user's link (an account locked against password guesses) or a contact's.
  const enrolling = answer.second_factor?.session === 'enrolment';
  const target = enrolling
    ? `/login.html?reason=enrol&next=${encodeURIComponent(safeNext(param('next'), '/staff/'))}`
    : safeNext(param('next'), answer.user ? '/staff/' : '/consultation.html');
  const text = answer.user
    ? t('link.welcome_staff', { name: answer.user.name })
    : t('link.welcome', { name: answer.contact.name, organisation: answer.contact.organisation_name });
  status.replaceChildren(
    el('div', { class: 'alert alert--success' },
      el('p', {}, text),
      el('p', {}, el('a', { href: target, class: 'button' }, t(enrolling ? 'link.enrol' : 'link.continue')))),
  );
}

/** The account has a second factor: the code from the app (or a recovery code), sent with the link. */
function codeStep(error) {
  document.getElementById('link-card').hidden = true;
  let form = document.getElementById('link-code');
  if (!form) {
    const button = el('button', { type: 'submit', class: 'button button--block', id: 'link-code-submit' }, t('totp.step_submit'));
    const field = codeField('totp');
    field.querySelector('input').name = 'totp';
    form = el('form', { class: 'card', id: 'link-code', novalidate: true },
      el('h2', { tabindex: '-1' }, t('totp.step_title')), el('p', {}, t('totp.step_lead')), field, button);
    status.after(form);
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      if (button.disabled) return;
      clearFieldErrors(form);
      const missing = validateRequired(form);
      if (missing.length) { showFieldErrors(form, missing); return; }
      setBusy(button, true, t('link.busy'));
      try {
        const answer = await api('POST', '/api/session/link', { link: token, totp: form.elements.totp.value.trim() });
        adoptSession(answer);
        welcome(answer);
      } catch (failure) {
        setBusy(button, false);
        form.elements.totp.value = '';
        if (FACTOR_CODES.includes(failure.code) && failure.code !== 'totp_required') {
          showFieldErrors(form, failure);
        } else {
          form.hidden = true;
          status.replaceChildren(el('div', { class: 'alert alert--error', role: 'alert' }, errorMessage(failure)));
          requestSection.hidden = false;
        }
      }
    });
  }
  status.replaceChildren();
  if (error.code !== 'totp_required') showFieldErrors(form, error);
  form.elements.totp.focus();
}

useButton.addEventListener('click', async () => {
  setBusy(useButton, true, t('link.busy'));
  status.replaceChildren();
  try {
    const answer = await api('POST', '/api/session/link', { link: token });
    adoptSession(answer);
    welcome(answer);
  } catch (error) {
    setBusy(useButton, false);
    if (FACTOR_CODES.includes(error.code)) {
      codeStep(error);
      return;
    }
    status.append(el('div', { class: 'alert alert--error', role: 'alert' }, errorMessage(error)));
    requestSection.hidden = false;
  }
});

requestForm.addEventListener('submit', async (event) => {
  event.preventDefault();
  clearFieldErrors(requestForm);
  const missing = validateRequired(requestForm);
  if (missing.length) { showFieldErrors(requestForm, missing); return; }
  const button = document.getElementById('link-request-submit');
  setBusy(button, true);
  try {
    await api('POST', '/api/session/link-request', { email: requestForm.elements.email.value.trim() });
    toast(t('link.requested'), 'success');
    requestForm.reset();
  } catch (error) {
    showFieldErrors(requestForm, error);
  } finally {
    setBusy(button, false);
  }
});
