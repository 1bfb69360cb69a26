// The meldpunt officer's page: set up or unlock the key for this session, the overview
// with due dates and overdue flags, one report with its workflow steps, the half-year text.
import { api } from '../api.js';
import { staffPage, el, setBusy, errorMessage, toast, formatDate } from '../ui.js';

/** replaceChildren that flattens arrays and skips null/false (as el() does). */
function fill(node, ...children) {
  node.replaceChildren(...children.flat(Infinity).filter((child) => child !== null && child !== undefined && child !== false));
}

await staffPage({ title: 'Meldpunt', active: 'meldpunt', roles: ['meldpunt'] });

const STATES = {
  received: 'Ontvangen', acknowledged: 'In behandeling', signal_sent: 'Signaal verstuurd', response: 'Reactie ontvangen',
  judgement: 'Oordeel gegeven', feedback: 'Teruggekoppeld', closed: 'Afgesloten',
};
const JUDGEMENTS = { pending: 'Nog geen oordeel', compliant: 'Past toe', non_compliant: 'Past niet toe', explained: 'Afwijking uitgelegd' };
const keys = document.getElementById('keys');
const overview = document.getElementById('overview');
const detail = document.getElementById('detail');

async function act(button, busyLabel, work, success) {
  setBusy(button, true, busyLabel);
  try {
    await work();
    if (success) toast(success, 'success');
  } catch (error) {
    toast(errorMessage(error), 'error');
  } finally {
    setBusy(button, false);
  }
}

function passphraseForm(label, path, hint) {
  const input = el('input', { id: 'passphrase', type: 'password', autocomplete: 'current-password', required: true, minlength: 12 });
  const button = el('button', { type: 'submit', class: 'button' }, label);
  return el('form', { novalidate: true, onsubmit: (event) => {
    event.preventDefault();
    act(button, 'Bezig… (dit duurt even)', async () => {
      await api('POST', path, { passphrase: input.value }, { timeout: 120000 });
      input.value = '';
      await refresh();
    }, 'Het meldpunt is ontgrendeld voor deze sessie.');
  } },
  el('div', { class: 'field' }, el('label', { for: 'passphrase' }, 'Wachtzin van het meldpunt'), hint ? el('span', { class: 'hint' }, hint) : null, input),
  button);
}

async function renderKeys() {
  const status = await api('GET', '/api/meldpunt/status');
  if (!status.set_up) {
    keys.replaceChildren(el('h2', {}, 'Meldpunt inrichten'),
      el('p', {}, 'Kies een wachtzin. Daarmee wordt de sleutel van het meldpunt versleuteld; zonder de wachtzin kan niemand meldingen lezen, ook de beheerder niet. Bewaar hem op een veilige plek: kwijt is kwijt.'),
      passphraseForm('Sleutel maken', '/api/meldpunt/setup', 'Minstens 12 tekens; een zin van een paar woorden werkt goed.'));
  } else if (!status.unlocked) {
    keys.replaceChildren(el('h2', {}, 'Ontgrendelen'),
      el('p', {}, 'Voer de wachtzin in om namen en meldingen te lezen. Het ontgrendelen geldt alleen voor deze sessie.'),
      passphraseForm('Ontgrendelen', '/api/meldpunt/unlock'));
  } else {
    const lock = el('button', { type: 'button', class: 'button button--secondary' }, 'Vergrendelen');
    lock.addEventListener('click', () => act(lock, 'Bezig…', async () => { await api('POST', '/api/meldpunt/lock', {}); detail.replaceChildren(); await refresh(); }));
    keys.replaceChildren(el('p', {}, el('span', { class: 'badge badge--success' }, 'Ontgrendeld'), ' Elke keer dat u een melding opent, wordt dat vastgelegd in het auditlog.'), lock);
  }
  return status;
}

async function renderOverview() {
  const answer = await api('GET', '/api/reports');
  if (!answer.items.length) {
    overview.replaceChildren(el('p', { class: 'muted' }, 'Nog geen meldingen.'));
    return;
  }
  fill(overview,
    answer.overdue ? el('div', { class: 'alert alert--warning', role: 'status' }, `${answer.overdue} melding(en) over tijd.`) : null,
    el('div', { class: 'table-wrap' }, el('table', { class: 'table' },
      el('thead', {}, el('tr', {}, ['Nr.', 'Ontvangen', 'Organisatie', 'Normen', 'Stand', 'Bevestigen vóór', 'Terugkoppelen vóór', ''].map((h) => el('th', { scope: 'col' }, h)))),
      el('tbody', {}, answer.items.map((item) => el('tr', {},
        el('td', {}, String(item.id)),
        el('td', {}, formatDate(item.received_on, 'short')),
        el('td', {}, item.organisation?.name || '—'),
        el('td', {}, item.norms.join(', ')),
        el('td', {}, STATES[item.state] || item.state, item.overdue ? [' ', el('span', { class: 'badge badge--danger' }, 'over tijd')] : null),
        el('td', {}, item.acknowledged_on ? '✓' : formatDate(item.acknowledgement_due, 'short')),
        el('td', {}, item.fed_back_on ? '✓' : formatDate(item.feedback_due, 'short')),
        el('td', {}, item.personal_data_deleted_on ? el('span', { class: 'muted' }, 'opgeschoond')
          : el('button', { type: 'button', class: 'button button--link', onclick: () => openReport(item.id) }, 'Openen'))))))));
}

function stepForm(label, fields, submit) {
  const button = el('button', { type: 'submit', class: 'button' }, label);
  return el('form', { class: 'card', novalidate: true, onsubmit: (event) => {
    event.preventDefault();
    act(button, 'Bezig…', async () => { await submit(event.target); }, 'Opgeslagen.');
  } }, fields, button);
}

async function openReport(id) {
  let report;
  try {
    report = await api('GET', `/api/reports/${id}`);
  } catch (error) {
    detail.replaceChildren(el('div', { class: 'alert alert--error', role: 'alert' }, errorMessage(error)));
    detail.focus();
    return;
  }
  const reload = async () => { await openReport(id); await renderOverview(); };
  const signal = report.signal;
  fill(detail, el('h2', {}, `Melding ${report.id}`),
    el('section', { class: 'card' },
      el('h3', {}, 'Melder (vertrouwelijk)'),
      el('p', {}, report.reporter.name, el('br'), report.reporter.email, report.reporter.phone ? [el('br'), report.reporter.phone] : null),
      el('h3', {}, `Over ${report.organisation.name} — normen ${report.norms.join(', ')}`),
      el('p', { class: 'prewrap' }, report.text),
      report.files.length ? el('ul', {}, report.files.map((f) => el('li', {}, el('a', { href: f.url, download: '' }, f.name || `bijlage ${f.id}`), ` (${f.content_type})`))) : null,
      report.messages.length ? [el('h3', {}, 'Aanvullingen van de melder'), report.messages.map((m) => el('p', { class: 'prewrap' }, `${formatDate(m.created_on, 'short')}: ${m.text}`))] : null,
      el('p', {}, `Stand: ${STATES[report.state]}. Oordeel: ${JUDGEMENTS[report.judgement]}. Bevestigen vóór ${formatDate(report.acknowledgement_due)}, terugkoppelen vóór ${formatDate(report.feedback_due)}.`)),
    signal ? el('section', { class: 'card' }, el('h3', {}, 'Signaal aan de organisatie'), el('p', { class: 'prewrap' }, signal.summary),
      signal.stance ? el('p', {}, el('strong', {}, signal.stance === 'comply' ? 'Pas toe: ' : 'Leg uit: '), signal.response || '')
        : el('p', { class: 'muted' }, 'Nog geen reactie.')) : null,
    report.state === 'received' ? stepForm('Ontvangst bevestigen (in behandeling nemen)', [], async () => {
      await api('POST', `/api/reports/${id}/acknowledge`, {}); await reload();
    }) : null,
    ['received', 'acknowledged'].includes(report.state) ? stepForm('Signaal versturen', [
      el('div', { class: 'field' }, el('label', { for: 'summary' }, 'Geanonimiseerd signaal voor de organisatie'),
        el('span', { class: 'hint' }, 'Wat de organisatie leest. Noem niets waaraan de melder te herkennen is.'),
        el('textarea', { id: 'summary', name: 'summary', rows: 5, required: true }))], async (form) => {
      await api('POST', `/api/reports/${id}/signal`, { summary: form.elements.summary.value }); await reload();
    }) : null,
    ['signal_sent', 'response', 'judgement'].includes(report.state) ? stepForm('Oordeel vastleggen', [
      el('div', { class: 'field' }, el('label', { for: 'judgement' }, 'Oordeel'),
        el('select', { id: 'judgement', name: 'judgement' }, Object.entries(JUDGEMENTS).map(([value, label]) => el('option', { value, selected: value === report.judgement }, label))))],
    async (form) => { await api('POST', `/api/reports/${id}/judgement`, { judgement: form.elements.judgement.value }); await reload(); }) : null,
    !['received', 'closed'].includes(report.state) ? stepForm('Terugkoppeling versturen', [
      el('div', { class: 'field' }, el('label', { for: 'feedback' }, 'Terugkoppeling aan de melder'),
        el('span', { class: 'hint' }, 'Gaat per e-mail naar de melder en is te lezen met de ontvangstcode.'),
        el('textarea', { id: 'feedback', name: 'text', rows: 5, required: true }, report.feedback || ''))], async (form) => {
      await api('POST', `/api/reports/${id}/feedback`, { text: form.elements.text.value }, { timeout: 60000 }); await reload();
    }) : null,
    report.fed_back_on && report.state !== 'closed' ? stepForm('Melding afsluiten', [], async () => {
      await api('POST', `/api/reports/${id}/close`, {}); await reload();
    }) : null);
  detail.focus();
}

async function refresh() {
  try {
    const status = await renderKeys();
    await renderOverview();
    return status;
  } catch (error) {
    keys.replaceChildren(el('div', { class: 'alert alert--error', role: 'alert' }, errorMessage(error)));
    return null;
  }
}

const halfYear = document.getElementById('half-year-form');
halfYear.addEventListener('submit', (event) => {
  event.preventDefault();
  const period = halfYear.elements.period.value.trim();
  const suggestions = halfYear.elements.suggestions.value.split('\n').map((line) => line.trim()).filter(Boolean).map((line) => {
    const match = /^(\d+[a-z]?)\s*:\s*(.+)$/.exec(line);
    return match ? { article: match[1], text: match[2] } : { text: line };
  });
  act(document.getElementById('hy-save'), 'Bezig…', () => api('POST', `/api/meldpunt/half-year/${period}/text`,
    { guidance: halfYear.elements.guidance.value, suggestions }), 'De tekst is opgeslagen.');
});
document.getElementById('hy-publish').addEventListener('click', (event) => {
  const period = halfYear.elements.period.value.trim();
  act(event.target, 'Bezig…', () => api('POST', `/api/meldpunt/half-year/${period}/publish`, {}), 'Gepubliceerd.');
});

refresh();
