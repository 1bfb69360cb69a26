// A contact person's page: the signals of their own organisation and the comply-or-explain
// answer (pas toe of leg uit). Logged in by the e-mailed link.
import { api, getSession } from '../api.js';
import { publicPage, el, setBusy, errorMessage, toast, formatDate } from '../ui.js';

publicPage({ title: 'Signalen van het meldpunt', active: 'meldpunt' });
const box = document.getElementById('signals');

function answerForm(signal) {
  const button = el('button', { type: 'submit', class: 'button' }, 'Reactie versturen');
  const name = `stance-${signal.id}`;
  return el('form', { novalidate: true, onsubmit: async (event) => {
    event.preventDefault();
    const form = event.target;
    const stance = form.elements[name].value;
    const text = form.elements.text.value.trim();
    if (!stance) { toast('Kies: pas toe of leg uit.', 'error'); return; }
    if (stance === 'explain' && !text) { toast('Leg uit waarom u afwijkt en wat u in plaats daarvan doet.', 'error'); return; }
    setBusy(button, true, 'Bezig…');
    try {
      await api('POST', `/api/signals/${signal.id}/response`, { stance, ...(text ? { text } : {}) });
      toast('Uw reactie is verstuurd aan het meldpunt.', 'success');
      await load();
    } catch (error) {
      toast(errorMessage(error), 'error');
      setBusy(button, false);
    }
  } },
  el('fieldset', { class: 'field' }, el('legend', {}, 'Uw reactie'),
    el('label', { class: 'choice' }, el('input', { type: 'radio', name, value: 'comply' }), 'Pas toe: wij passen de norm toe'),
    el('label', { class: 'choice' }, el('input', { type: 'radio', name, value: 'explain' }), 'Leg uit: wij wijken af')),
  el('div', { class: 'field' }, el('label', { for: `text-${signal.id}` }, 'Toelichting'),
    el('span', { class: 'hint' }, 'Bij "leg uit" verplicht: waarom u afwijkt en wat u in plaats daarvan doet.'),
    el('textarea', { id: `text-${signal.id}`, name: 'text', rows: 5, maxlength: 10000 })),
  button);
}

async function load() {
  try {
    const session = await getSession();
    if (!session || session.kind !== 'contact') {
      box.replaceChildren(el('div', { class: 'alert alert--warning' }, 'Log in met de link uit de e-mail van het meldpunt. ',
        el('a', { href: '/login.html' }, 'Nieuwe link aanvragen')));
      return;
    }
    const answer = await api('GET', '/api/signals');
    if (!answer.items.length) {
      box.replaceChildren(el('p', { class: 'muted' }, 'Er zijn geen signalen voor uw organisatie.'));
      return;
    }
    box.replaceChildren(...answer.items.map((signal) => el('article', { class: 'card' },
      el('h2', {}, `Signaal van ${formatDate(signal.sent_on)}`),
      el('p', {}, `Normen: ${signal.norms.join(', ')}`),
      el('p', { class: 'prewrap' }, signal.summary),
      signal.stance
        ? el('p', {}, el('span', { class: 'badge badge--success' }, signal.stance === 'comply' ? 'Pas toe' : 'Leg uit'),
          ` beantwoord op ${formatDate(signal.responded_on)}. `, signal.response || '')
        : answerForm(signal))));
  } catch (error) {
    box.replaceChildren(el('div', { class: 'alert alert--error', role: 'alert' }, errorMessage(error)));
  }
}

load();
