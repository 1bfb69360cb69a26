// A contact person's page: the signals of their own organisation and the comply-or-explain
// answer (pas toe of leg uit). Logged in by the e-mailed link.
import { api, getSession } from '../api.js';
import { addMessages, t, onLanguageChange } from '../i18n.js';
import { publicPage, el, errorMessage, toast, formatDate } from '../ui.js';
import { handleSubmit } from '../forms.js';

addMessages({
  nl: {
    'signals.title': 'Signalen van het meldpunt',
    'signals.lead': 'Het meldpunt vraagt uw organisatie te reageren op een signaal: pas toe, of leg uit waarom u afwijkt en wat u in plaats daarvan doet.',
    'signals.send': 'Reactie versturen',
    'signals.busy': 'Bezig…',
    'signals.choose': 'Kies: pas toe of leg uit.',
    'signals.explain_required': 'Leg uit waarom u afwijkt en wat u in plaats daarvan doet.',
    'signals.sent': 'Uw reactie is verstuurd aan het meldpunt.',
    'signals.answer': 'Uw reactie',
    'signals.comply_choice': 'Pas toe: wij passen de norm toe',
    'signals.explain_choice': 'Leg uit: wij wijken af',
    'signals.text': 'Toelichting',
    'signals.text_hint': 'Bij "leg uit" verplicht: waarom u afwijkt en wat u in plaats daarvan doet.',
    'signals.log_in': 'Log in met de link uit de e-mail van het meldpunt. ',
    'signals.new_link': 'Nieuwe link aanvragen',
    'signals.none': 'Er zijn geen signalen voor uw organisatie.',
    'signals.signal_of': 'Signaal van {date}',
    'signals.norms': 'Normen: {norms}',
    'signals.comply': 'Pas toe',
    'signals.explain': 'Leg uit',
    'signals.answered_on': ' beantwoord op {date}. ',
  },
  en: {
    'signals.title': 'Signals from the reporting desk',
    'signals.lead': 'The reporting desk asks your organisation to respond to a signal: comply, or explain why you deviate and what you do instead.',
    'signals.send': 'Send response',
    'signals.busy': 'Working…',
    'signals.choose': 'Choose: comply or explain.',
    'signals.explain_required': 'Explain why you deviate and what you do instead.',
    'signals.sent': 'Your response has been sent to the reporting desk.',
    'signals.answer': 'Your response',
    'signals.comply_choice': 'Comply: we apply the standard',
    'signals.explain_choice': 'Explain: we deviate',
    'signals.text': 'Explanation',
    'signals.text_hint': 'Required for "explain": why you deviate and what you do instead.',
    'signals.log_in': 'Log in with the link in the e-mail from the reporting desk. ',
    'signals.new_link': 'Request a new link',
    'signals.none': 'There are no signals for your organisation.',
    'signals.signal_of': 'Signal of {date}',
    'signals.norms': 'Standards: {norms}',
    'signals.comply': 'Comply',
    'signals.explain': 'Explain',
    'signals.answered_on': ' answered on {date}. ',
  },
});

publicPage({ title: 'signals.title', active: 'meldpunt' });
const box = document.getElementById('signals');
let loggedIn = null;
let signals = null;

function answerForm(signal) {
  const name = `stance-${signal.id}`;
  const text = el('textarea', { id: `text-${signal.id}`, name: 'text', rows: 5, maxlength: 10000, 'aria-describedby': `text-${signal.id}-hint` });
  const form = el('form', {},
    el('fieldset', { class: 'field', 'data-required': '', 'data-error-choose': 'signals.choose' }, el('legend', {}, t('signals.answer')),
      el('label', { class: 'choice' }, el('input', { type: 'radio', name, value: 'comply' }), el('span', {}, t('signals.comply_choice'))),
      el('label', { class: 'choice' }, el('input', { type: 'radio', name, value: 'explain' }), el('span', {}, t('signals.explain_choice')))),
    el('div', { class: 'field' }, el('label', { for: `text-${signal.id}` }, t('signals.text')),
      el('span', { class: 'hint', id: `text-${signal.id}-hint` }, t('signals.text_hint')),
      text),
    el('button', { type: 'submit', class: 'button' }, t('signals.send')));
  return handleSubmit(form, {
    validate: (f) => (f.elements[name].value === 'explain' && !text.value.trim()
      ? [{ field: 'text', control: text, key: 'signals.explain_required', params: {} }] : []),
    fields: { stance: name },
    busyLabel: t('signals.busy'),
    send: (data) => api('POST', `/api/signals/${signal.id}/response`, { stance: data[name], ...(data.text ? { text: data.text } : {}) }),
    success: async () => { toast(t('signals.sent'), 'success'); await load(); },
  });
}

function render() {
  if (!loggedIn) {
    box.replaceChildren(el('div', { class: 'alert alert--warning' }, t('signals.log_in'),
      el('a', { href: '/login.html' }, t('signals.new_link'))));
    return;
  }
  if (!signals.length) {
    box.replaceChildren(el('p', { class: 'muted' }, t('signals.none')));
    return;
  }
  box.replaceChildren(...signals.map((signal) => el('article', { class: 'card' },
    el('h2', {}, t('signals.signal_of', { date: formatDate(signal.sent_on) })),
    el('p', {}, t('signals.norms', { norms: signal.norms.join(', ') })),
    el('p', { class: 'prewrap' }, signal.summary),
    signal.stance
      ? el('p', {}, el('span', { class: 'badge badge--success' }, t(signal.stance === 'comply' ? 'signals.comply' : 'signals.explain')),
        t('signals.answered_on', { date: formatDate(signal.responded_on) }), signal.response ? el('span', { class: 'prewrap' }, signal.response) : null)
      : answerForm(signal))));
}

/** Re-render in the new language, keeping what was typed or chosen in the answer forms. */
function rerender() {
  const typed = [...box.querySelectorAll('textarea[id]')].map((area) => [area.id, area.value]);
  const chosen = [...box.querySelectorAll('input[type="radio"]:checked')].map((radio) => [radio.name, radio.value]);
  render();
  for (const [id, value] of typed) {
    const area = document.getElementById(id);
    if (area) area.value = value;
  }
  for (const [name, value] of chosen) {
    const radio = box.querySelector(`input[type="radio"][name="${CSS.escape(name)}"][value="${CSS.escape(value)}"]`);
    if (radio) radio.checked = true;
  }
}

async function load() {
  try {
    const session = await getSession();
    loggedIn = Boolean(session && session.kind === 'contact');
    signals = loggedIn ? (await api('GET', '/api/signals')).items : null;
    render();
  } catch (error) {
    loggedIn = null;
    box.replaceChildren(el('div', { class: 'alert alert--error', role: 'alert' }, errorMessage(error)));
  }
}

onLanguageChange(() => { if (loggedIn !== null) rerender(); });
load();
