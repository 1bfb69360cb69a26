// The staff second factor in the browser: setting up an authenticator app (QR code or
// typed key, confirmed with a first code), the ten recovery codes shown once, and the
// advice for roles that may go without it. Used by the login page and /staff/account.html.
import { api } from './api.js';
import { addMessages, t, onLanguageChange } from './i18n.js';
import { el, setBusy } from './ui.js';
import { showFieldErrors, clearFieldErrors } from './forms.js';

addMessages({
  nl: {
    'totp.code': 'Code uit de app',
    'totp.code_hint': '6 cijfers. Telefoon kwijt? Typ hier een van uw herstelcodes (12 tekens).',
    'totp.code_label': 'de code uit de app',
    'totp.step_title': 'Code uit uw app',
    'totp.step_lead': 'Open de authenticator-app op uw telefoon en typ de code die bij KSF alvd staat. De code verandert elke 30 seconden.',
    'totp.step_submit': 'Verder',
    'totp.step_back': 'Ander account',
    'totp.enrol_title': 'Tweestapsverificatie instellen',
    'totp.enrol_lead': 'Uw rol geeft toegang tot gevoelige gegevens. Daarom logt u voortaan in met uw wachtwoord én een code uit een app op uw telefoon.',
    'totp.enrol_voluntary': 'Met een code uit een app op uw telefoon naast uw wachtwoord kan niemand inloggen die alleen uw wachtwoord kent.',
    'totp.enrol_step1': 'Installeer een authenticator-app, bijvoorbeeld FreeOTP, Aegis, Microsoft Authenticator of Google Authenticator.',
    'totp.enrol_step2': 'Scan deze QR-code met de app.',
    'totp.enrol_qr_alt': 'QR-code om KSF alvd aan uw authenticator-app toe te voegen',
    'totp.enrol_manual': 'Scannen lukt niet? Kies in de app "sleutel invoeren" en typ:',
    'totp.enrol_manual_details': 'Soort: op tijd gebaseerd (TOTP), 6 cijfers, 30 seconden.',
    'totp.enrol_step3': 'Typ de code van 6 cijfers die de app nu toont.',
    'totp.enrol_start': 'App koppelen',
    'totp.enrol_confirm': 'Bevestigen',
    'totp.enrol_busy': 'Bezig…',
    'totp.enrol_failed': 'Koppelen lukt niet',
    'totp.recovery_title': 'Bewaar uw herstelcodes',
    'totp.recovery_lead': 'Bent u uw telefoon kwijt, dan logt u in met een van deze codes in plaats van de code uit de app. Elke code werkt één keer. Bewaar ze op papier of in uw wachtwoordkluis; u ziet ze alleen nu.',
    'totp.recovery_list': 'Herstelcodes',
    'totp.recovery_copy': 'Kopiëren',
    'totp.recovery_copied': 'Gekopieerd.',
    'totp.recovery_download': 'Downloaden (.txt)',
    'totp.recovery_saved': 'Ik heb de herstelcodes bewaard',
    'totp.recovery_continue': 'Verder',
    'totp.recovery_file': 'Herstelcodes voor KSF alvd ({email}). Elke code werkt één keer.',
    'totp.advice_title': 'Tweestapsverificatie aangeraden',
    'totp.advice_text': 'Uw rol kan veel zien of veranderen. Stel een code uit een app in naast uw wachtwoord.',
    'totp.advice_link': 'Nu instellen',
  },
  en: {
    'totp.code': 'Code from the app',
    'totp.code_hint': '6 digits. Lost your phone? Type one of your recovery codes (12 characters) here.',
    'totp.code_label': 'the code from the app',
    'totp.step_title': 'Code from your app',
    'totp.step_lead': 'Open the authenticator app on your phone and type the code shown for KSF alvd. The code changes every 30 seconds.',
    'totp.step_submit': 'Continue',
    'totp.step_back': 'Another account',
    'totp.enrol_title': 'Set up two-step verification',
    'totp.enrol_lead': 'Your role gives access to sensitive data. From now on you log in with your password and a code from an app on your phone.',
    'totp.enrol_voluntary': 'With a code from an app on your phone next to your password, nobody who only knows your password can log in.',
    'totp.enrol_step1': 'Install an authenticator app, for example FreeOTP, Aegis, Microsoft Authenticator or Google Authenticator.',
    'totp.enrol_step2': 'Scan this QR code with the app.',
    'totp.enrol_qr_alt': 'QR code to add KSF alvd to your authenticator app',
    'totp.enrol_manual': 'Cannot scan? Choose "enter a setup key" in the app and type:',
    'totp.enrol_manual_details': 'Type: time-based (TOTP), 6 digits, 30 seconds.',
    'totp.enrol_step3': 'Type the 6-digit code the app shows now.',
    'totp.enrol_start': 'Link an app',
    'totp.enrol_confirm': 'Confirm',
    'totp.enrol_busy': 'Working…',
    'totp.enrol_failed': 'Linking did not work',
    'totp.recovery_title': 'Keep your recovery codes',
    'totp.recovery_lead': 'If you lose your phone, log in with one of these codes instead of the code from the app. Each code works once. Keep them on paper or in your password manager; you see them only now.',
    'totp.recovery_list': 'Recovery codes',
    'totp.recovery_copy': 'Copy',
    'totp.recovery_copied': 'Copied.',
    'totp.recovery_download': 'Download (.txt)',
    'totp.recovery_saved': 'I have kept the recovery codes',
    'totp.recovery_continue': 'Continue',
    'totp.recovery_file': 'Recovery codes for KSF alvd ({email}). Each code works once.',
    'totp.advice_title': 'Two-step verification recommended',
    'totp.advice_text': 'Your role can see or change a lot. Set up a code from an app next to your password.',
    'totp.advice_link': 'Set up now',
  },
});

/** The key in groups of four, as apps show and people type it. */
function grouped(secret) {
  return secret.replace(/(.{4})(?=.)/g, '$1 ');
}

/** A code field: numeric keyboard on phones, filled by password managers that know TOTP. */
export function codeField(id, { hint = true } = {}) {
  return el('div', { class: 'field' },
    el('label', { for: id }, t('totp.code')),
    hint ? el('p', { class: 'hint', id: `${id}-hint` }, t('totp.code_hint')) : null,
    el('input', {
      id, name: 'code', type: 'text', inputmode: 'numeric', autocomplete: 'one-time-code', spellcheck: 'false',
      autocapitalize: 'none', maxlength: '20', required: true, class: 'input--code',
      'data-required-label': 'totp.code_label', 'aria-describedby': hint ? `${id}-hint` : null,
    }));
}

/**
 * Show the recovery codes once, with copy and download, and call onDone when the user
 * says they have kept them.
 */
export function renderRecoveryCodes(container, codes, { email, onDone }) {
  const saved = el('input', { type: 'checkbox', id: 'recovery-saved' });
  const next = el('button', { type: 'button', class: 'button', disabled: true, onclick: onDone }, t('totp.recovery_continue'));
  saved.addEventListener('change', () => { next.disabled = !saved.checked; });
  const text = `${t('totp.recovery_file', { email })}\n\n${codes.join('\n')}\n`;
  const download = el('a', {
    class: 'button button--secondary', download: 'ksf-alvd-herstelcodes.txt',
    href: URL.createObjectURL(new Blob([text], { type: 'text/plain;charset=utf-8' })),
  }, t('totp.recovery_download'));
  const status = el('p', { class: 'muted small', role: 'status' });
  const copy = el('button', {
    type: 'button', class: 'button button--secondary',
    onclick: async () => {
      try { await navigator.clipboard.writeText(text); status.textContent = t('totp.recovery_copied'); } catch { status.textContent = ''; }
    },
  }, t('totp.recovery_copy'));
  const heading = el('h2', { tabindex: '-1' }, t('totp.recovery_title'));
  container.replaceChildren(el('section', { class: 'card totp-recovery', 'aria-labelledby': 'recovery-heading' },
    Object.assign(heading, { id: 'recovery-heading' }),
    el('p', {}, t('totp.recovery_lead')),
    el('ol', { class: 'recovery-codes', 'aria-label': t('totp.recovery_list') }, ...codes.map((code) => el('li', {}, el('code', {}, code)))),
    el('div', { class: 'button-row' }, copy, download),
    status,
    el('div', { class: 'field' }, el('label', { class: 'choice', for: 'recovery-saved' }, saved, el('span', {}, t('totp.recovery_saved')))),
    next));
  heading.focus();
}

/**
 * Set up the app: POST /api/session/totp draws the QR code and key, the first code
 * confirms it, then the recovery codes. required: the role demands it (login page).
 * onDone(answer of confirm) runs after the codes were acknowledged.
 */
export async function renderEnrolment(container, { email, required = false, onDone }) {
  const started = await api('POST', '/api/session/totp', {});
  const form = el('form', { class: 'card totp-enrol', novalidate: true });
  const submit = el('button', { type: 'submit', class: 'button button--block' }, t('totp.enrol_confirm'));
  const qr = el('img', {
    class: 'totp-qr', width: '220', height: '220', alt: t('totp.enrol_qr_alt'),
    src: `data:image/svg+xml;charset=utf-8,${encodeURIComponent(started.qr_svg)}`,
  });
  const heading = el('h2', { tabindex: '-1' }, t('totp.enrol_title'));
  form.append(
    heading,
    el('p', {}, t(required ? 'totp.enrol_lead' : 'totp.enrol_voluntary')),
    el('ol', { class: 'steps' },
      el('li', {}, t('totp.enrol_step1')),
      el('li', {}, t('totp.enrol_step2'), el('div', { class: 'totp-qr-frame' }, qr),
        el('p', { class: 'small' }, t('totp.enrol_manual')),
        el('p', {}, el('code', { class: 'totp-secret', 'data-secret': started.secret }, grouped(started.secret))),
        el('p', { class: 'muted small' }, t('totp.enrol_manual_details'))),
      el('li', {}, t('totp.enrol_step3'), codeField('enrol-code', { hint: false }))),
    submit);
  container.replaceChildren(form);
  heading.focus();
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (submit.disabled) return;
    clearFieldErrors(form);
    const code = form.elements.code.value.trim();
    if (!code) {
      showFieldErrors(form, [{ field: 'code', message: t('form.required', { label: t('totp.code_label') }) }], { title: t('totp.enrol_failed') });
      return;
    }
    setBusy(submit, true, t('totp.enrol_busy'));
    try {
      const answer = await api('POST', '/api/session/totp/confirm', { code });
      renderRecoveryCodes(container, answer.recovery_codes, { email, onDone: () => onDone(answer) });
    } catch (error) {
      setBusy(submit, false);
      form.elements.code.value = '';
      showFieldErrors(form, error, { title: t('totp.enrol_failed') });
    }
  });
}

/** For roles the setting leaves out (the chair): a notice after `after` with a link to set it up. */
export function adviseSecondFactor(session, after) {
  if (!session?.second_factor?.advised || !after) return null;
  const notice = el('div', { class: 'alert alert--warning', role: 'note', id: 'second-factor-advice' });
  const fill = () => notice.replaceChildren(
    el('strong', { class: 'alert__title' }, t('totp.advice_title')),
    el('p', {}, t('totp.advice_text'), ' ', el('a', { href: '/staff/account.html' }, t('totp.advice_link'))));
  fill();
  onLanguageChange(fill);
  after.after(notice);
  return notice;
}
