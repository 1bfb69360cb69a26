// The staff user's own account: whether the second factor is on (and required), how
// many recovery codes are left, and setting up (or moving to) another authenticator app.
import { getSession } from '../api.js';
import { addMessages, t, onLanguageChange } from '../i18n.js';
import { staffPage, el, toast, errorMessage, setBusy } from '../ui.js';
import { renderEnrolment } from '../second-factor.js';

addMessages({
  nl: {
    'account.title': 'Mijn account',
    'account.factor': 'Tweestapsverificatie',
    'account.on': 'Aan: u logt in met uw wachtwoord en een code uit uw app.',
    'account.off': 'Uit: u logt in met alleen uw wachtwoord.',
    'account.required': 'Verplicht voor uw rol.',
    'account.left': 'Herstelcodes over: {count} van 10.',
    'account.left_low': 'U heeft bijna geen herstelcodes meer. Koppel uw app opnieuw voor tien nieuwe codes.',
    'account.enrol': 'App koppelen',
    'account.replace': 'Andere telefoon of app koppelen',
    'account.replace_hint': 'De oude app werkt tot u de nieuwe met een code bevestigt. U krijgt dan tien nieuwe herstelcodes; de oude vervallen, en uw andere sessies worden beëindigd.',
    'account.done': 'Tweestapsverificatie staat aan.',
    'account.email': 'E-mailadres',
    'account.badge_on': 'Aan',
    'account.badge_off': 'Uit',
  },
  en: {
    'account.title': 'My account',
    'account.factor': 'Two-step verification',
    'account.on': 'On: you log in with your password and a code from your app.',
    'account.off': 'Off: you log in with your password only.',
    'account.required': 'Required for your role.',
    'account.left': 'Recovery codes left: {count} of 10.',
    'account.left_low': 'You have almost no recovery codes left. Link your app again for ten new codes.',
    'account.enrol': 'Link an app',
    'account.replace': 'Link another phone or app',
    'account.replace_hint': 'The old app keeps working until you confirm the new one with a code. You then get ten new recovery codes; the old ones expire, and your other sessions end.',
    'account.done': 'Two-step verification is on.',
    'account.email': 'E-mail address',
    'account.badge_on': 'On',
    'account.badge_off': 'Off',
  },
});

let session = await staffPage({ title: 'account.title', active: 'account' });
const content = document.getElementById('content');

function render() {
  const factor = session.second_factor || {};
  content.removeAttribute('aria-busy');
  const button = el('button', { type: 'button', class: 'button', id: 'factor-start' }, t(factor.enrolled ? 'account.replace' : 'account.enrol'));
  const flow = el('div', { id: 'factor-flow' });
  button.addEventListener('click', async () => {
    setBusy(button, true);
    try {
      await renderEnrolment(flow, {
        email: session.user.email,
        required: factor.required,
        onDone: async () => {
          session = await getSession({ refresh: true });
          toast(t('account.done'), 'success');
          render();
        },
      });
      button.hidden = true;
    } catch (error) {
      setBusy(button, false);
      toast(errorMessage(error), 'error');
    }
  });
  content.replaceChildren(
    el('p', {}, el('span', { class: 'muted' }, `${t('account.email')}: `), session.user.email),
    el('section', { class: 'card', 'aria-labelledby': 'factor-heading' },
      el('h2', { id: 'factor-heading' }, t('account.factor'), ' ',
        el('span', { class: `badge ${factor.enrolled ? 'badge--success' : 'badge--warning'}` }, t(factor.enrolled ? 'account.badge_on' : 'account.badge_off'))),
      el('p', {}, t(factor.enrolled ? 'account.on' : 'account.off'), factor.required ? ` ${t('account.required')}` : ''),
      factor.enrolled ? el('p', {}, t('account.left', { count: factor.recovery_codes_left })) : null,
      factor.enrolled && factor.recovery_codes_left <= 3
        ? el('div', { class: 'alert alert--warning', role: 'note' }, t('account.left_low')) : null,
      factor.enrolled ? el('p', { class: 'hint' }, t('account.replace_hint')) : null,
      button),
    flow);
}
render();
// A language switch redraws the status, not a linking that is under way.
onLanguageChange(() => { if (!document.getElementById('factor-flow')?.childElementCount) render(); });
