// The meldpunt officer's page: set up or unlock the key for this session (each officer
// with an own passphrase; meldpunt-officers.js), the officers and identity requests, the
// overview with due dates and overdue flags, one report with its workflow steps, the
// half-year text.
import { api } from '../api.js';
import { addMessages, t, onLanguageChange } from '../i18n.js';
import { staffPage, el, setBusy, errorMessage, toast, formatDate, todayCivil } from '../ui.js';
import { officerKeyStep, renderOfficers, renderIdentityRequests, reporterSection } from '../meldpunt-officers.js';
import { handleSubmit, formMessage, showErrors, serverErrors } from '../forms.js';
import { plural } from '../words.js';

addMessages({
  nl: {
    'meldpunt.staff.title': 'Meldpunt',
    'meldpunt.staff.unknown_organisation': 'onbekend',
    'meldpunt.staff.state.judgement_pending': 'Oordeel aangehouden',
    'meldpunt.staff.overdue_count.one': '1 melding is over tijd.',
    'meldpunt.staff.overdue_count.other': '{count} meldingen zijn over tijd.',
    'meldpunt.staff.row.state': 'Stand',
    'meldpunt.staff.row.judgement': 'Oordeel',
    'meldpunt.staff.row.acknowledge_due': 'Ontvangst bevestigen vóór',
    'meldpunt.staff.row.feedback_due': 'Terugkoppelen vóór',
    'meldpunt.staff.done_on': 'gedaan op {date}',
    'meldpunt.staff.hy_choose': 'Kies het halfjaar.',
    'meldpunt.staff.hy_choose_option': 'Kies een halfjaar',
    'meldpunt.staff.half1': 'januari–juni {year}',
    'meldpunt.staff.half2': 'juli–december {year}',
    'meldpunt.staff.error_summary': 'Schrijf het signaal voor de organisatie.',
    'meldpunt.staff.error_feedback': 'Schrijf de terugkoppeling aan de melder.',
    'meldpunt.staff.error_passphrase': 'Vul de wachtzin in.',
    'meldpunt.staff.file.pdf': 'PDF', 'meldpunt.staff.file.image': 'afbeelding',
    'meldpunt.staff.reports': 'Meldingen',
    'meldpunt.staff.state.received': 'Ontvangen',
    'meldpunt.staff.state.acknowledged': 'In behandeling',
    'meldpunt.staff.state.signal_sent': 'Signaal verstuurd',
    'meldpunt.staff.state.response': 'Reactie ontvangen',
    'meldpunt.staff.state.judgement': 'Oordeel vastgelegd',
    'meldpunt.staff.state.feedback': 'Teruggekoppeld',
    'meldpunt.staff.state.closed': 'Afgesloten',
    'meldpunt.staff.judgement.pending': 'Nog geen oordeel',
    'meldpunt.staff.judgement.compliant': 'Past de norm toe',
    'meldpunt.staff.judgement.non_compliant': 'Past de norm niet toe',
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
    'meldpunt.staff.unlocked_text': ' Elke keer dat u een melding opent, wordt dat vastgelegd in het logboek.',
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
    'meldpunt.staff.about.one': 'Over {organisation} — norm {norms}',
    'meldpunt.staff.about.other': 'Over {organisation} — normen {norms}',
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
    'meldpunt.staff.hy_period': 'Halfjaar',
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
    'meldpunt.staff.unknown_organisation': 'unknown',
    'meldpunt.staff.state.judgement_pending': 'Judgement deferred',
    'meldpunt.staff.overdue_count.one': '1 report is overdue.',
    'meldpunt.staff.overdue_count.other': '{count} reports are overdue.',
    'meldpunt.staff.row.state': 'Status',
    'meldpunt.staff.row.judgement': 'Judgement',
    'meldpunt.staff.row.acknowledge_due': 'Acknowledge by',
    'meldpunt.staff.row.feedback_due': 'Give feedback by',
    'meldpunt.staff.done_on': 'done on {date}',
    'meldpunt.staff.hy_choose': 'Choose the half-year.',
    'meldpunt.staff.hy_choose_option': 'Choose a half-year',
    'meldpunt.staff.half1': 'January–June {year}',
    'meldpunt.staff.half2': 'July–December {year}',
    'meldpunt.staff.error_summary': 'Write the signal for the organisation.',
    'meldpunt.staff.error_feedback': 'Write the feedback to the reporter.',
    'meldpunt.staff.error_passphrase': 'Enter the passphrase.',
    'meldpunt.staff.file.pdf': 'PDF', 'meldpunt.staff.file.image': 'image',
    'meldpunt.staff.reports': 'Reports',
    'meldpunt.staff.state.received': 'Received',
    'meldpunt.staff.state.acknowledged': 'Being handled',
    'meldpunt.staff.state.signal_sent': 'Signal sent',
    'meldpunt.staff.state.response': 'Response received',
    'meldpunt.staff.state.judgement': 'Judgement recorded',
    'meldpunt.staff.state.feedback': 'Feedback given',
    'meldpunt.staff.state.closed': 'Closed',
    'meldpunt.staff.judgement.pending': 'No judgement yet',
    'meldpunt.staff.judgement.compliant': 'Applies the standard',
    'meldpunt.staff.judgement.non_compliant': 'Does not apply the standard',
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
    'meldpunt.staff.about.one': 'About {organisation} — standard {norms}',
    'meldpunt.staff.about.other': 'About {organisation} — standards {norms}',
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
    'meldpunt.staff.hy_period': 'Half-year',
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
/* A recorded "nog geen oordeel" is a deferred judgement: the state says so, in the same
 * words as the judgement, so the two never contradict each other. */
const stateLabel = (state, judgement) => (state === 'judgement' && judgement === 'pending'
  ? t('meldpunt.staff.state.judgement_pending') : t(`meldpunt.staff.state.${STATES.includes(state) ? state : 'received'}`));
const judgementLabel = (judgement) => t(`meldpunt.staff.judgement.${JUDGEMENTS.includes(judgement) ? judgement : 'pending'}`);
const fileKind = (type) => t(type === 'application/pdf' ? 'meldpunt.staff.file.pdf' : 'meldpunt.staff.file.image');
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
  const input = el('input', { id: 'passphrase', name: 'passphrase', type: 'password', autocomplete: 'current-password', required: true, minlength: 12, 'data-error-required': 'meldpunt.staff.error_passphrase' });
  const form = el('form', {},
    el('div', { class: 'field' }, el('label', { for: 'passphrase' }, t('meldpunt.staff.passphrase')), hint ? el('span', { class: 'hint' }, hint) : null, input),
    el('button', { type: 'submit', class: 'button' }, label));
  return handleSubmit(form, {
    busyLabel: t('meldpunt.staff.busy_slow'),
    send: (data) => api('POST', path, { passphrase: data.passphrase }, { timeout: 120000 }),
    success: async () => { input.value = ''; toast(t('meldpunt.staff.unlocked_toast'), 'success'); await refresh(); },
  });
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
  const cell = (column, ...content) => el('td', { 'data-label': t(`meldpunt.staff.column.${column}`) }, ...content);
  if (!answer.items.length) {
    overview.replaceChildren(el('p', { class: 'muted' }, t('meldpunt.staff.no_reports')));
    return;
  }
  fill(overview,
    answer.overdue ? el('div', { class: 'alert alert--warning', role: 'status' }, plural('meldpunt.staff.overdue_count', answer.overdue)) : null,
    el('div', { class: 'table-wrap', role: 'region', tabindex: 0, 'aria-label': t('meldpunt.staff.reports') }, el('table', { class: 'table table--stack' },
      el('thead', {}, el('tr', {}, [...COLUMNS.map((column) => t(`meldpunt.staff.column.${column}`)), ''].map((h) => el('th', { scope: 'col' }, h)))),
      el('tbody', {}, answer.items.map((item) => el('tr', {},
        cell('id', String(item.id)),
        cell('received', formatDate(item.received_on, 'medium')),
        cell('organisation', item.organisation?.name || t('meldpunt.staff.unknown_organisation')),
        cell('norms', item.norms.join(', ')),
        cell('state', stateLabel(item.state, item.judgement), item.overdue ? [' ', el('span', { class: 'badge badge--danger' }, t('meldpunt.staff.overdue'))] : null),
        cell('acknowledge_due', item.acknowledged_on ? t('meldpunt.staff.done_on', { date: formatDate(item.acknowledged_on, 'medium') }) : formatDate(item.acknowledgement_due, 'medium')),
        cell('feedback_due', item.fed_back_on ? t('meldpunt.staff.done_on', { date: formatDate(item.fed_back_on, 'medium') }) : formatDate(item.feedback_due, 'medium')),
        el('td', {}, item.personal_data_deleted_on ? el('span', { class: 'muted' }, t('meldpunt.staff.purged'))
          : el('button', { type: 'button', class: 'button button--link', onclick: () => openReport(item.id) }, t('common.open')))))))));
}

async function loadOverview() {
  reports = await api('GET', '/api/reports');
  renderOverview();
}

/** One step of a report (acknowledge, signal, judgement, feedback, close): the form
 * pattern, with "Opgeslagen." replacing any earlier error of that step. */
function stepForm(label, fields, submit) {
  const form = el('form', { class: 'card' }, fields, el('button', { type: 'submit', class: 'button' }, label));
  return handleSubmit(form, {
    busyLabel: t('meldpunt.staff.busy'),
    send: () => submit(form),
    success: () => toast(t('meldpunt.staff.saved'), 'success'),
  });
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
      el('h3', {}, plural('meldpunt.staff.about', report.norms.length, { organisation: report.organisation.name, norms: report.norms.join(', ') })),
      el('p', { class: 'prewrap' }, report.text),
      report.files.length ? el('ul', {}, report.files.map((f) => el('li', {}, el('a', { href: f.url, download: '' }, f.name || t('meldpunt.staff.attachment', { id: f.id })), ` (${fileKind(f.content_type)})`))) : null,
      report.messages.length ? [el('h3', {}, t('meldpunt.staff.messages')), report.messages.map((m) => el('p', { class: 'prewrap' }, `${formatDate(m.created_on, 'medium')}: ${m.text}`))] : null,
      el('dl', { class: 'dl' },
        el('dt', {}, t('meldpunt.staff.row.state')), el('dd', {}, stateLabel(report.state, report.judgement)),
        el('dt', {}, t('meldpunt.staff.row.judgement')), el('dd', {}, judgementLabel(report.judgement)),
        el('dt', {}, t('meldpunt.staff.row.acknowledge_due')), el('dd', {}, report.acknowledged_on
          ? t('meldpunt.staff.done_on', { date: formatDate(report.acknowledged_on) }) : formatDate(report.acknowledgement_due)),
        el('dt', {}, t('meldpunt.staff.row.feedback_due')), el('dd', {}, report.fed_back_on
          ? t('meldpunt.staff.done_on', { date: formatDate(report.fed_back_on) }) : formatDate(report.feedback_due)))),
    signal ? el('section', { class: 'card' }, el('h3', {}, t('meldpunt.staff.signal_title')), el('p', { class: 'prewrap' }, signal.summary),
      signal.stance ? el('p', {}, el('strong', {}, t(signal.stance === 'comply' ? 'meldpunt.staff.stance.comply' : 'meldpunt.staff.stance.explain')), signal.response || '')
        : el('p', { class: 'muted' }, t('meldpunt.staff.no_response'))) : null,
    report.state === 'received' ? stepForm(t('meldpunt.staff.acknowledge'), [], async () => {
      await api('POST', `/api/reports/${id}/acknowledge`, {}); await reload();
    }) : null,
    ['received', 'acknowledged'].includes(report.state) ? stepForm(t('meldpunt.staff.send_signal'), [
      el('div', { class: 'field' }, el('label', { for: 'summary' }, t('meldpunt.staff.summary')),
        el('span', { class: 'hint' }, t('meldpunt.staff.summary_hint')),
        el('textarea', { id: 'summary', name: 'summary', rows: 5, required: true, 'data-error-required': 'meldpunt.staff.error_summary' }))], async (form) => {
      await api('POST', `/api/reports/${id}/signal`, { summary: form.elements.summary.value }); await reload();
    }) : null,
    ['signal_sent', 'response', 'judgement'].includes(report.state) ? stepForm(t('meldpunt.staff.record_judgement'), [
      el('div', { class: 'field' }, el('label', { for: 'judgement' }, t('meldpunt.staff.judgement')),
        el('select', { id: 'judgement', name: 'judgement' }, JUDGEMENTS.map((value) => el('option', { value, selected: value === report.judgement }, judgementLabel(value)))))],
    async (form) => { await api('POST', `/api/reports/${id}/judgement`, { judgement: form.elements.judgement.value }); await reload(); }) : null,
    !['received', 'closed'].includes(report.state) ? stepForm(t('meldpunt.staff.send_feedback'), [
      el('div', { class: 'field' }, el('label', { for: 'feedback' }, t('meldpunt.staff.feedback')),
        el('span', { class: 'hint' }, t('meldpunt.staff.feedback_hint')),
        el('textarea', { id: 'feedback', name: 'text', rows: 5, required: true, 'data-error-required': 'meldpunt.staff.error_feedback' }, report.feedback || ''))], async (form) => {
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

/* The half-year text: the period chosen in words (this half-year and the five before). */
const halfYear = document.getElementById('half-year-form');
const periodSelect = halfYear.elements.period;
function renderPeriods() {
  const [year, month] = todayCivil().split('-').map(Number);
  const chosen = periodSelect.value;
  const periods = [];
  for (let y = year, h = month <= 6 ? 1 : 2, i = 0; i < 6; i++) {
    periods.push(`${y}H${h}`);
    if (h === 2) h = 1; else { h = 2; y -= 1; }
  }
  periodSelect.replaceChildren(el('option', { value: '' }, t('meldpunt.staff.hy_choose_option')),
    ...periods.map((p) => el('option', { value: p }, t(`meldpunt.staff.half${p.slice(5)}`, { year: p.slice(0, 4) }))));
  periodSelect.value = chosen;
}
renderPeriods();
periodSelect.dataset.errorRequired = 'meldpunt.staff.hy_choose';
handleSubmit(halfYear, {
  busyLabel: t('meldpunt.staff.busy'),
  send: (data) => {
    const suggestions = (data.suggestions || '').split('\n').map((line) => line.trim()).filter(Boolean).map((line) => {
      const match = /^(\d+[a-z]?)\s*:\s*(.+)$/.exec(line);
      return match ? { article: match[1], text: match[2] } : { text: line };
    });
    return api('POST', `/api/meldpunt/half-year/${data.period}/text`, { guidance: halfYear.elements.guidance.value, suggestions });
  },
  success: () => formMessage(halfYear, 'success', { key: 'meldpunt.staff.hy_saved' }).focus(),
});
// "View the draft" opens the half-year page on the period chosen here (a marked preview
// until it is published).
const draftLink = halfYear.querySelector('a[data-i18n="meldpunt.staff.hy_public"]');
periodSelect.addEventListener('change', () => {
  const period = periodSelect.value;
  if (draftLink) draftLink.href = /^\d{4}H[12]$/.test(period) ? `/meldpunt-rapportage.html?period=${period}` : '/meldpunt-rapportage.html';
});
document.getElementById('hy-publish').addEventListener('click', async (event) => {
  const button = event.currentTarget;
  if (!periodSelect.value) { showErrors(halfYear, [{ field: 'period', control: periodSelect, key: 'meldpunt.staff.hy_choose', params: {} }]); return; }
  if (!window.confirm(t('meldpunt.staff.hy_confirm', { period: periodSelect.selectedOptions[0]?.textContent || periodSelect.value }))) return;
  setBusy(button, true, t('meldpunt.staff.busy'));
  try {
    await api('POST', `/api/meldpunt/half-year/${periodSelect.value}/publish`, {});
    formMessage(halfYear, 'success', { key: 'meldpunt.staff.hy_published' }).focus();
  } catch (error) {
    showErrors(halfYear, serverErrors(halfYear, error));
  } finally {
    setBusy(button, false);
  }
});

// A language switch re-renders from what was loaded: re-opening a report would add an
// audit entry for nothing, and typed text in the step forms stays where it is.
onLanguageChange(() => {
  renderPeriods();
  if (keyStatus) keepingValues(keys, renderKeys);
  if (keyStatus) {
    renderOfficers(officersSection, keyStatus, { act, refresh }).catch(() => {});
    renderIdentityRequests(requestsSection, keyStatus, { act, refresh, openReport }).catch(() => {});
  }
  if (reports) renderOverview();
  if (openedReport) keepingValues(detail, renderReport);
});

refresh();
