// The meldpunt officer's page: set up or unlock the key for this session (each officer
// with an own passphrase; meldpunt-officers.js), the officers and identity requests, the
// overview with due dates and overdue flags, one report with its workflow steps, the
// half-year text.
import { api } from '../api.js';
import { addMessages, t, onLanguageChange } from '../i18n.js';
import { staffPage, el, setBusy, errorMessage, toast, formatDate } from '../ui.js';
import { officerKeyStep, renderOfficers, renderIdentityRequests, reporterSection } from '../meldpunt-officers.js';

addMessages({
  nl: {
    'meldpunt.staff.title': 'Meldpunt',
    'meldpunt.staff.reports': 'Meldingen',
    'meldpunt.staff.state.received': 'Ontvangen',
    'meldpunt.staff.state.acknowledged': 'In behandeling',
    'meldpunt.staff.state.signal_sent': 'Signaal verstuurd',
    'meldpunt.staff.state.response': 'Reactie ontvangen',
    'meldpunt.staff.state.judgement': 'Oordeel gegeven',
    'meldpunt.staff.state.feedback': 'Teruggekoppeld',
    'meldpunt.staff.state.closed': 'Afgesloten',
    'meldpunt.staff.judgement.pending': 'Nog geen oordeel',
    'meldpunt.staff.judgement.compliant': 'Past toe',
    'meldpunt.staff.judgement.non_compliant': 'Past niet toe',
    'meldpunt.staff.judgement.explained': 'Afwijking uitgelegd',
    'meldpunt.staff.busy': 'Bezig…',
    'meldpunt.staff.busy_slow': 'Bezig… (dit duurt even)',
    'meldpunt.staff.saved': 'Opgeslagen.',
    'meldpunt.staff.passphrase': 'Wachtzin van het meldpunt',
    'meldpunt.staff.unlocked_toast': 'Het meldpunt is ontgrendeld voor deze sessie.',
    'meldpunt.staff.setup_title': 'Meldpunt inrichten',
    'meldpunt.staff.setup_text': 'Kies een wachtzin. Daarmee wordt de sleutel van het meldpunt versleuteld; zonder de wachtzin kan niemand meldingen lezen, ook de beheerder niet. Bewaar hem op een veilige plek: kwijt is kwijt.',
    'meldpunt.staff.setup_button': 'Sleutel maken',
    'meldpunt.staff.setup_hint': 'Minstens 12 tekens; een zin van een paar woorden werkt goed.',
    'meldpunt.staff.unlock_title': 'Ontgrendelen',
    'meldpunt.staff.unlock_text': 'Voer de wachtzin in om namen en meldingen te lezen. Het ontgrendelen geldt alleen voor deze sessie.',
    'meldpunt.staff.unlock_button': 'Ontgrendelen',
    'meldpunt.staff.unlocked': 'Ontgrendeld',
    'meldpunt.staff.unlocked_text': ' Elke keer dat u een melding opent, wordt dat vastgelegd in het auditlog.',
    'meldpunt.staff.lock': 'Vergrendelen',
    'meldpunt.staff.no_reports': 'Nog geen meldingen.',
    'meldpunt.staff.overdue_count': '{count} melding(en) over tijd.',
    'meldpunt.staff.column.id': 'Nr.',
    'meldpunt.staff.column.received': 'Ontvangen',
    'meldpunt.staff.column.organisation': 'Organisatie',
    'meldpunt.staff.column.norms': 'Normen',
    'meldpunt.staff.column.state': 'Stand',
    'meldpunt.staff.column.acknowledge_due': 'Bevestigen vóór',
    'meldpunt.staff.column.feedback_due': 'Terugkoppelen vóór',
    'meldpunt.staff.overdue': 'over tijd',
    'meldpunt.staff.purged': 'opgeschoond',
    'meldpunt.staff.report': 'Melding {id}',
    'meldpunt.staff.reporter': 'Melder (vertrouwelijk)',
    'meldpunt.staff.about': 'Over {organisation} — normen {norms}',
    'meldpunt.staff.attachment': 'bijlage {id}',
    'meldpunt.staff.messages': 'Aanvullingen van de melder',
    'meldpunt.staff.summary_line': 'Stand: {state}. Oordeel: {judgement}. Bevestigen vóór {acknowledge_due}, terugkoppelen vóór {feedback_due}.',
    'meldpunt.staff.signal_title': 'Signaal aan de organisatie',
    'meldpunt.staff.stance.comply': 'Pas toe: ',
    'meldpunt.staff.stance.explain': 'Leg uit: ',
    'meldpunt.staff.no_response': 'Nog geen reactie.',
    'meldpunt.staff.acknowledge': 'Ontvangst bevestigen (in behandeling nemen)',
    'meldpunt.staff.send_signal': 'Signaal versturen',
    'meldpunt.staff.summary': 'Geanonimiseerd signaal voor de organisatie',
    'meldpunt.staff.summary_hint': 'Wat de organisatie leest. Noem niets waaraan de melder te herkennen is.',
    'meldpunt.staff.record_judgement': 'Oordeel vastleggen',
    'meldpunt.staff.judgement': 'Oordeel',
    'meldpunt.staff.send_feedback': 'Terugkoppeling versturen',
    'meldpunt.staff.feedback': 'Terugkoppeling aan de melder',
    'meldpunt.staff.feedback_hint': 'Gaat per e-mail naar de melder en is te lezen met de ontvangstcode.',
    'meldpunt.staff.close': 'Melding afsluiten',
    'meldpunt.staff.half_year': 'Halfjaarrapportage',
    'meldpunt.staff.hy_period': 'Halfjaar (bijvoorbeeld 2026H1)',
    'meldpunt.staff.hy_guidance': 'Toelichting en handreikingen',
    'meldpunt.staff.hy_suggestions': 'Voorstellen om de Code te wijzigen',
    'meldpunt.staff.hy_suggestions_hint': 'Eén voorstel per regel, met het artikel vooraan: "6c: Neem een maximale wachttijd op."',
    'meldpunt.staff.hy_publish': 'Publiceren',
    'meldpunt.staff.hy_public': 'Concept bekijken',
    'meldpunt.staff.hy_confirm': 'Halfjaar {period} publiceren? De tabel wordt dan openbaar en staat vast; latere oordelen veranderen haar niet meer.',
    'meldpunt.staff.hy_saved': 'De tekst is opgeslagen.',
    'meldpunt.staff.hy_published': 'Gepubliceerd: de tabel is openbaar en staat vast.',
  },
  en: {
    'meldpunt.staff.title': 'Reporting desk',
    'meldpunt.staff.reports': 'Reports',
    'meldpunt.staff.state.received': 'Received',
    'meldpunt.staff.state.acknowledged': 'Being handled',
    'meldpunt.staff.state.signal_sent': 'Signal sent',
    'meldpunt.staff.state.response': 'Response received',
    'meldpunt.staff.state.judgement': 'Judgement given',
    'meldpunt.staff.state.feedback': 'Feedback given',
    'meldpunt.staff.state.closed': 'Closed',
    'meldpunt.staff.judgement.pending': 'No judgement yet',
    'meldpunt.staff.judgement.compliant': 'Applies',
    'meldpunt.staff.judgement.non_compliant': 'Does not apply',
    'meldpunt.staff.judgement.explained': 'Deviation explained',
    'meldpunt.staff.busy': 'Working…',
    'meldpunt.staff.busy_slow': 'Working… (this takes a moment)',
    'meldpunt.staff.saved': 'Saved.',
    'meldpunt.staff.passphrase': 'Reporting desk passphrase',
    'meldpunt.staff.unlocked_toast': 'The reporting desk is unlocked for this session.',
    'meldpunt.staff.setup_title': 'Set up the reporting desk',
    'meldpunt.staff.setup_text': 'Choose a passphrase. It encrypts the reporting desk key; without the passphrase no one can read reports, not even the administrator. Keep it in a safe place: lost is lost.',
    'meldpunt.staff.setup_button': 'Create key',
    'meldpunt.staff.setup_hint': 'At least 12 characters; a sentence of a few words works well.',
    'meldpunt.staff.unlock_title': 'Unlock',
    'meldpunt.staff.unlock_text': 'Enter the passphrase to read names and reports. Unlocking applies to this session only.',
    'meldpunt.staff.unlock_button': 'Unlock',
    'meldpunt.staff.unlocked': 'Unlocked',
    'meldpunt.staff.unlocked_text': ' Every time you open a report, this is recorded in the audit log.',
    'meldpunt.staff.lock': 'Lock',
    'meldpunt.staff.no_reports': 'No reports yet.',
    'meldpunt.staff.overdue_count': '{count} report(s) overdue.',
    'meldpunt.staff.column.id': 'No.',
    'meldpunt.staff.column.received': 'Received',
    'meldpunt.staff.column.organisation': 'Organisation',
    'meldpunt.staff.column.norms': 'Standards',
    'meldpunt.staff.column.state': 'Status',
    'meldpunt.staff.column.acknowledge_due': 'Acknowledge by',
    'meldpunt.staff.column.feedback_due': 'Feedback by',
    'meldpunt.staff.overdue': 'overdue',
    'meldpunt.staff.purged': 'purged',
    'meldpunt.staff.report': 'Report {id}',
    'meldpunt.staff.reporter': 'Reporter (confidential)',
    'meldpunt.staff.about': 'About {organisation} — standards {norms}',
    'meldpunt.staff.attachment': 'attachment {id}',
    'meldpunt.staff.messages': 'Additions from the reporter',
    'meldpunt.staff.summary_line': 'Status: {state}. Judgement: {judgement}. Acknowledge by {acknowledge_due}, give feedback by {feedback_due}.',
    'meldpunt.staff.signal_title': 'Signal to the organisation',
    'meldpunt.staff.stance.comply': 'Comply: ',
    'meldpunt.staff.stance.explain': 'Explain: ',
    'meldpunt.staff.no_response': 'No response yet.',
    'meldpunt.staff.acknowledge': 'Acknowledge receipt (start handling)',
    'meldpunt.staff.send_signal': 'Send signal',
    'meldpunt.staff.summary': 'Anonymised signal for the organisation',
    'meldpunt.staff.summary_hint': 'What the organisation reads. Mention nothing by which the reporter could be recognised.',
    'meldpunt.staff.record_judgement': 'Record judgement',
    'meldpunt.staff.judgement': 'Judgement',
    'meldpunt.staff.send_feedback': 'Send feedback',
    'meldpunt.staff.feedback': 'Feedback to the reporter',
    'meldpunt.staff.feedback_hint': 'Goes to the reporter by e-mail and can be read with the receipt code.',
    'meldpunt.staff.close': 'Close report',
    'meldpunt.staff.half_year': 'Half-year report',
    'meldpunt.staff.hy_period': 'Half-year (for example 2026H1)',
    'meldpunt.staff.hy_guidance': 'Explanation and guidance',
    'meldpunt.staff.hy_suggestions': 'Proposals to amend the Code',
    'meldpunt.staff.hy_suggestions_hint': 'One proposal per line, with the article first: "6c: Include a maximum waiting time."',
    'meldpunt.staff.hy_publish': 'Publish',
    'meldpunt.staff.hy_public': 'View the draft',
    'meldpunt.staff.hy_confirm': 'Publish half-year {period}? The table becomes public and is fixed; later judgements no longer change it.',
    'meldpunt.staff.hy_saved': 'The text has been saved.',
    'meldpunt.staff.hy_published': 'Published: the table is public and fixed.',
  },
});

/** replaceChildren that flattens arrays and skips null/false (as el() does). */
function fill(node, ...children) {
  node.replaceChildren(...children.flat(Infinity).filter((child) => child !== null && child !== undefined && child !== false));
}

/** Re-render a container and give its form fields back what was typed or chosen in them. */
function keepingValues(container, render) {
  const values = [...container.querySelectorAll('input[id], textarea[id], select[id]')]
    .filter((control) => control.type !== 'file').map((control) => [control.id, control.value]);
  render();
  for (const [id, value] of values) {
    const control = container.querySelector(`#${CSS.escape(id)}`);
    if (control) control.value = value;
  }
}

await staffPage({ title: 'meldpunt.staff.title', active: 'meldpunt', roles: ['meldpunt'] });

const STATES = ['received', 'acknowledged', 'signal_sent', 'response', 'judgement', 'feedback', 'closed'];
const JUDGEMENTS = ['pending', 'compliant', 'non_compliant', 'explained'];
const stateLabel = (state) => (STATES.includes(state) ? t(`meldpunt.staff.state.${state}`) : state);
const judgementLabel = (judgement) => (JUDGEMENTS.includes(judgement) ? t(`meldpunt.staff.judgement.${judgement}`) : judgement);
const keys = document.getElementById('keys');
const overview = document.getElementById('overview');
const detail = document.getElementById('detail');
let keyStatus = null;
let reports = null;
let openedReport = null;

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
    act(button, t('meldpunt.staff.busy_slow'), async () => {
      await api('POST', path, { passphrase: input.value }, { timeout: 120000 });
      input.value = '';
      await refresh();
    }, t('meldpunt.staff.unlocked_toast'));
  } },
  el('div', { class: 'field' }, el('label', { for: 'passphrase' }, t('meldpunt.staff.passphrase')), hint ? el('span', { class: 'hint' }, hint) : null, input),
  button);
}

function renderKeys() {
  const status = keyStatus;
  const step = status.set_up ? officerKeyStep(status, { act, refresh }) : null;
  if (!status.set_up) {
    keys.replaceChildren(el('h2', {}, t('meldpunt.staff.setup_title')),
      el('p', {}, t('meldpunt.staff.setup_text')),
      passphraseForm(t('meldpunt.staff.setup_button'), '/api/meldpunt/setup', t('meldpunt.staff.setup_hint')));
  } else if (step) {
    keys.replaceChildren(...step);
  } else if (!status.unlocked) {
    keys.replaceChildren(el('h2', {}, t('meldpunt.staff.unlock_title')),
      el('p', {}, t('meldpunt.staff.unlock_text')),
      passphraseForm(t('meldpunt.staff.unlock_button'), '/api/meldpunt/unlock'));
  } else {
    const lock = el('button', { type: 'button', class: 'button button--secondary' }, t('meldpunt.staff.lock'));
    lock.addEventListener('click', () => act(lock, t('meldpunt.staff.busy'), async () => {
      await api('POST', '/api/meldpunt/lock', {});
      openedReport = null;
      detail.replaceChildren();
      await refresh();
    }));
    keys.replaceChildren(el('p', {}, el('span', { class: 'badge badge--success' }, t('meldpunt.staff.unlocked')), t('meldpunt.staff.unlocked_text')), lock);
  }
}

async function loadKeys() {
  keyStatus = await api('GET', '/api/meldpunt/status');
  renderKeys();
  return keyStatus;
}

const COLUMNS = ['id', 'received', 'organisation', 'norms', 'state', 'acknowledge_due', 'feedback_due'];

function renderOverview() {
  const answer = reports;
  if (!answer.items.length) {
    overview.replaceChildren(el('p', { class: 'muted' }, t('meldpunt.staff.no_reports')));
    return;
  }
  fill(overview,
    answer.overdue ? el('div', { class: 'alert alert--warning', role: 'status' }, t('meldpunt.staff.overdue_count', { count: answer.overdue })) : null,
    el('div', { class: 'table-wrap', role: 'region', tabindex: 0, 'aria-label': t('meldpunt.staff.reports') }, el('table', { class: 'table' },
      el('thead', {}, el('tr', {}, [...COLUMNS.map((column) => t(`meldpunt.staff.column.${column}`)), ''].map((h) => el('th', { scope: 'col' }, h)))),
      el('tbody', {}, answer.items.map((item) => el('tr', {},
        el('td', {}, String(item.id)),
        el('td', {}, formatDate(item.received_on, 'short')),
        el('td', {}, item.organisation?.name || '—'),
        el('td', {}, item.norms.join(', ')),
        el('td', {}, stateLabel(item.state), item.overdue ? [' ', el('span', { class: 'badge badge--danger' }, t('meldpunt.staff.overdue'))] : null),
        el('td', {}, item.acknowledged_on ? '✓' : formatDate(item.acknowledgement_due, 'short')),
        el('td', {}, item.fed_back_on ? '✓' : formatDate(item.feedback_due, 'short')),
        el('td', {}, item.personal_data_deleted_on ? el('span', { class: 'muted' }, t('meldpunt.staff.purged'))
          : el('button', { type: 'button', class: 'button button--link', onclick: () => openReport(item.id) }, t('common.open')))))))));
}

async function loadOverview() {
  reports = await api('GET', '/api/reports');
  renderOverview();
}

function stepForm(label, fields, submit) {
  const button = el('button', { type: 'submit', class: 'button' }, label);
  return el('form', { class: 'card', novalidate: true, onsubmit: (event) => {
    event.preventDefault();
    act(button, t('meldpunt.staff.busy'), async () => { await submit(event.target); }, t('meldpunt.staff.saved'));
  } }, fields, button);
}

function renderReport() {
  const report = openedReport;
  const id = report.id;
  const reload = async () => { await openReport(id); await loadOverview(); };
  const signal = report.signal;
  fill(detail, el('h2', {}, t('meldpunt.staff.report', { id: report.id })),
    el('section', { class: 'card' },
      el('h3', {}, t('meldpunt.staff.reporter')),
      reporterSection(report, {
        act,
        reload: async () => { await reload(); await renderIdentityRequests(requestsSection, keyStatus, { act, refresh, openReport }); },
      }),
      el('h3', {}, t('meldpunt.staff.about', { organisation: report.organisation.name, norms: report.norms.join(', ') })),
      el('p', { class: 'prewrap' }, report.text),
      report.files.length ? el('ul', {}, report.files.map((f) => el('li', {}, el('a', { href: f.url, download: '' }, f.name || t('meldpunt.staff.attachment', { id: f.id })), ` (${f.content_type})`))) : null,
      report.messages.length ? [el('h3', {}, t('meldpunt.staff.messages')), report.messages.map((m) => el('p', { class: 'prewrap' }, `${formatDate(m.created_on, 'short')}: ${m.text}`))] : null,
      el('p', {}, t('meldpunt.staff.summary_line', {
        state: stateLabel(report.state), judgement: judgementLabel(report.judgement),
        acknowledge_due: formatDate(report.acknowledgement_due), feedback_due: formatDate(report.feedback_due),
      }))),
    signal ? el('section', { class: 'card' }, el('h3', {}, t('meldpunt.staff.signal_title')), el('p', { class: 'prewrap' }, signal.summary),
      signal.stance ? el('p', {}, el('strong', {}, t(signal.stance === 'comply' ? 'meldpunt.staff.stance.comply' : 'meldpunt.staff.stance.explain')), signal.response || '')
        : el('p', { class: 'muted' }, t('meldpunt.staff.no_response'))) : null,
    report.state === 'received' ? stepForm(t('meldpunt.staff.acknowledge'), [], async () => {
      await api('POST', `/api/reports/${id}/acknowledge`, {}); await reload();
    }) : null,
    ['received', 'acknowledged'].includes(report.state) ? stepForm(t('meldpunt.staff.send_signal'), [
      el('div', { class: 'field' }, el('label', { for: 'summary' }, t('meldpunt.staff.summary')),
        el('span', { class: 'hint' }, t('meldpunt.staff.summary_hint')),
        el('textarea', { id: 'summary', name: 'summary', rows: 5, required: true }))], async (form) => {
      await api('POST', `/api/reports/${id}/signal`, { summary: form.elements.summary.value }); await reload();
    }) : null,
    ['signal_sent', 'response', 'judgement'].includes(report.state) ? stepForm(t('meldpunt.staff.record_judgement'), [
      el('div', { class: 'field' }, el('label', { for: 'judgement' }, t('meldpunt.staff.judgement')),
        el('select', { id: 'judgement', name: 'judgement' }, JUDGEMENTS.map((value) => el('option', { value, selected: value === report.judgement }, judgementLabel(value)))))],
    async (form) => { await api('POST', `/api/reports/${id}/judgement`, { judgement: form.elements.judgement.value }); await reload(); }) : null,
    !['received', 'closed'].includes(report.state) ? stepForm(t('meldpunt.staff.send_feedback'), [
      el('div', { class: 'field' }, el('label', { for: 'feedback' }, t('meldpunt.staff.feedback')),
        el('span', { class: 'hint' }, t('meldpunt.staff.feedback_hint')),
        el('textarea', { id: 'feedback', name: 'text', rows: 5, required: true }, report.feedback || ''))], async (form) => {
      await api('POST', `/api/reports/${id}/feedback`, { text: form.elements.text.value }, { timeout: 60000 }); await reload();
    }) : null,
    report.fed_back_on && report.state !== 'closed' ? stepForm(t('meldpunt.staff.close'), [], async () => {
      await api('POST', `/api/reports/${id}/close`, {}); await reload();
    }) : null);
}

async function openReport(id, { focus = true } = {}) {
  try {
    openedReport = await api('GET', `/api/reports/${id}`);
  } catch (error) {
    openedReport = null;
    detail.replaceChildren(el('div', { class: 'alert alert--error', role: 'alert' }, errorMessage(error)));
    detail.focus();
    return;
  }
  renderReport();
  if (focus) detail.focus();
}

const officersSection = document.getElementById('officers');
const requestsSection = document.getElementById('identity-requests');

async function refresh() {
  try {
    const status = await loadKeys();
    await renderOfficers(officersSection, status, { act, refresh });
    await renderIdentityRequests(requestsSection, status, { act, refresh, openReport });
    await loadOverview();
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
  act(document.getElementById('hy-save'), t('meldpunt.staff.busy'), () => api('POST', `/api/meldpunt/half-year/${period}/text`,
    { guidance: halfYear.elements.guidance.value, suggestions }), t('meldpunt.staff.hy_saved'));
});
// "View the draft" opens the half-year page on the period typed here (a marked preview
// until it is published).
const draftLink = halfYear.querySelector('a[data-i18n="meldpunt.staff.hy_public"]');
halfYear.elements.period.addEventListener('input', () => {
  const period = halfYear.elements.period.value.trim();
  draftLink.href = /^\d{4}H[12]$/.test(period) ? `/meldpunt-rapportage.html?period=${period}` : '/meldpunt-rapportage.html';
});
document.getElementById('hy-publish').addEventListener('click', (event) => {
  const period = halfYear.elements.period.value.trim();
  if (/^\d{4}H[12]$/.test(period) && !window.confirm(t('meldpunt.staff.hy_confirm', { period }))) return;
  act(event.target, t('meldpunt.staff.busy'), () => api('POST', `/api/meldpunt/half-year/${period}/publish`, {}), t('meldpunt.staff.hy_published'));
});

// A language switch re-renders from what was loaded: re-opening a report would add an
// audit entry for nothing, and typed text in the step forms stays where it is.
onLanguageChange(() => {
  if (keyStatus) keepingValues(keys, renderKeys);
  if (keyStatus) {
    renderOfficers(officersSection, keyStatus, { act, refresh }).catch(() => {});
    renderIdentityRequests(requestsSection, keyStatus, { act, refresh, openReport }).catch(() => {});
  }
  if (reports) renderOverview();
  if (openedReport) keepingValues(detail, renderReport);
});

refresh();
