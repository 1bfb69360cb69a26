// The administrator's log (audit log): every recorded change, newest first, each as
// readable fields (when, what, who, which object) with its details folded; filter by
// object; a check of the hash chain (the same walk as `alvd audit verify`).
import { api } from '../api.js';
import { addMessages, t, onLanguageChange, getLanguage } from '../i18n.js';
import { staffPage, el, setBusy, errorMessage, formatDateTime, formatDate, param } from '../ui.js';
import { handleSubmit, formMessage } from '../forms.js';
import { plural } from '../words.js';

/* What each recorded action means, in words. An action not listed here is shown by
 * its parts in words ("basis" + "end") so nothing internal reaches the screen. */
const ACTIONS = {
  'attendance.close_all': ['Iedereen uitgecheckt bij het sluiten', 'Everyone checked out at closing'],
  'attendance.scan': ['Ticket gescand', 'Ticket scanned'],
  'attendance.scan_refused': ['Ticket geweigerd bij de deur', 'Ticket refused at the door'],
  'authz.denied': ['Toegang geweigerd', 'Access refused'],
  'basis.create': ['Grondslag toegevoegd', 'Basis added'],
  'basis.end': ['Grondslag beëindigd', 'Basis ended'],
  'basis.ended_by_withdrawal': ['Ondertekening beëindigd door een intrekking', 'Signature ended by a withdrawal'],
  'basis.revise': ['Grondslag aangepast', 'Basis revised'],
  'basis.withdrawal_undone': ['Intrekking teruggedraaid', 'Withdrawal undone'],
  'code_version.create': ['Versie van de Code ingevoerd', 'Code version entered'],
  'code_version.created': ['Versie van de Code gemaakt', 'Code version made'],
  'comment.create': ['Reactie geplaatst', 'Comment posted'],
  'comment.reply': ['Antwoord van het bestuur', 'Board reply'],
  'comment.update': ['Reactie aangepast', 'Comment changed'],
  'consultation.close': ['Consultatieronde gesloten', 'Consultation round closed'],
  'consultation.open': ['Consultatieronde geopend', 'Consultation round opened'],
  'consultation.reminder': ['Herinnering consultatie verstuurd', 'Consultation reminder sent'],
  'contact.create': ['Contactpersoon toegevoegd', 'Contact person added'],
  'contact.remove': ['Contactpersoon verwijderd', 'Contact person removed'],
  'cycle.create': ['Wijzigingscyclus geopend', 'Amendment cycle opened'],
  'cycle.dates': ['Datums van de cyclus gewijzigd', 'Cycle dates changed'],
  'cycle.state': ['Fase van de cyclus gewijzigd', 'Cycle phase changed'],
  'deadline_feed.link_issued': ['Agendalink gemaakt', 'Calendar link made'],
  'demo.cycle': ['Voorbeeldcyclus geladen', 'Demo cycle loaded'],
  'link.requested': ['Inloglink aangevraagd', 'Login link requested'],
  'meeting.agenda': ['Agenda gewijzigd', 'Agenda changed'],
  'meeting.convocation': ['Oproeping verstuurd', 'Notice sent'],
  'meeting.create': ['Vergadering aangemaakt', 'Meeting created'],
  'meeting.current_item': ['Huidig agendapunt gewijzigd', 'Current agenda item changed'],
  'meeting.open': ['Vergadering geopend', 'Meeting opened'],
  'meeting.close': ['Vergadering gesloten', 'Meeting closed'],
  'meeting.update': ['Vergadering gewijzigd', 'Meeting changed'],
  'meldpunt.demo_loaded': ['Voorbeeldmeldingen geladen', 'Demo reports loaded'],
  'meldpunt.half_year_published': ['Halfjaarrapportage gepubliceerd', 'Half-year report published'],
  'meldpunt.half_year_text': ['Tekst halfjaarrapportage opgeslagen', 'Half-year text saved'],
  'meldpunt.jobs_run': ['Taken van het meldpunt uitgevoerd', 'Meldpunt jobs run'],
  'meldpunt.lock': ['Meldpunt vergrendeld', 'Meldpunt locked'],
  'meldpunt.setup': ['Meldpunt ingericht', 'Meldpunt set up'],
  'meldpunt.suggestion_proposed': ['Voorstel gemaakt van een suggestie', 'Proposal made from a suggestion'],
  'meldpunt.unlock': ['Meldpunt ontgrendeld', 'Meldpunt unlocked'],
  'meldpunt.unlock_failed': ['Ontgrendelen mislukt', 'Unlocking failed'],
  'organisation.create': ['Organisatie toegevoegd', 'Organisation added'],
  'organisation.update': ['Organisatie gewijzigd', 'Organisation changed'],
  'outbox.retry': ['Mail opnieuw verstuurd', 'Mail sent again'],
  'poll.close': ['Stemming gesloten', 'Poll closed'],
  'poll.open': ['Stemming geopend', 'Poll opened'],
  'poll.paper': ['Papieren stemmen ingevoerd', 'Paper votes entered'],
  'poll.votes': ['Stemmen ontvangen', 'Votes received'],
  'proposal.create': ['Voorstel gemaakt', 'Proposal created'],
  'proposal.effective_date': ['Ingangsdatum vastgesteld', 'Effective date set'],
  'proposal.ready': ['Voorstel gereed voor de ALV', 'Proposal ready for the ALV'],
  'proposal.revise': ['Nieuwe versie van een voorstel', 'New version of a proposal'],
  'proxy.create': ['Volmacht vastgelegd', 'Proxy recorded'],
  'proxy.revoke': ['Volmacht ingetrokken', 'Proxy revoked'],
  'register.import': ['Ledenlijst ingelezen', 'Member list imported'],
  'report.acknowledged': ['Ontvangst melding bevestigd', 'Report acknowledged'],
  'report.closed': ['Melding afgesloten', 'Report closed'],
  'report.feedback': ['Terugkoppeling aan de melder', 'Feedback to the reporter'],
  'report.file_viewed': ['Bijlage van een melding bekeken', 'Report attachment viewed'],
  'report.identity_viewed': ['Gegevens van de melder bekeken', 'Reporter details viewed'],
  'report.judgement': ['Oordeel vastgelegd', 'Judgement recorded'],
  'report.personal_data_deleted': ['Persoonsgegevens verwijderd', 'Personal data deleted'],
  'report.received': ['Melding ontvangen', 'Report received'],
  'report.reminder': ['Herinnering over een melding', 'Report reminder'],
  'report.reporter_message': ['Aanvulling van de melder', 'Addition from the reporter'],
  'report.signal_sent': ['Signaal aan de organisatie verstuurd', 'Signal sent to the organisation'],
  'session.issued': ['Sessie uitgegeven', 'Session issued'],
  'session.link_login': ['Ingelogd met een link', 'Logged in with a link'],
  'session.login': ['Ingelogd', 'Logged in'],
  'session.login_failed': ['Inloggen mislukt', 'Login failed'],
  'session.logout': ['Uitgelogd', 'Logged out'],
  'session.ticket_login': ['Ingelogd met een ticket', 'Logged in with a ticket'],
  'session.ticket_refused': ['Ticket geweigerd', 'Ticket refused'],
  'signal.response': ['Reactie op een signaal', 'Response to a signal'],
  'ticket.reissue': ['Ticket opnieuw uitgegeven', 'Ticket reissued'],
  'tickets.issue': ['Tickets uitgegeven', 'Tickets issued'],
  'user.upsert': ['Gebruiker aangemaakt of gewijzigd', 'User created or changed'],
  'withdrawal.apply_pending': ['Wachtende intrekking verwerkt', 'Waiting withdrawal applied'],
  'withdrawal.corrected': ['Intrekking gecorrigeerd', 'Withdrawal corrected'],
  'withdrawal.pending_applied': ['Wachtende intrekking verwerkt', 'Waiting withdrawal applied'],
  'withdrawal.recorded': ['Intrekking vastgelegd', 'Withdrawal recorded'],
  'withdrawal.undo_skipped': ['Terugdraaien overgeslagen', 'Undo skipped'],
  'withdrawal_scan.uploaded': ['Scan van een brief opgeslagen', 'Scan of a letter stored'],
};

const OBJECTS = {
  organisation: ['Organisatie', 'Organisation'], contact: ['Contactpersoon', 'Contact person'], basis: ['Grondslag', 'Basis'],
  code_version: ['Versie van de Code', 'Code version'], cycle: ['Wijzigingscyclus', 'Amendment cycle'], proposal: ['Voorstel', 'Proposal'],
  consultation: ['Consultatieronde', 'Consultation round'], comment: ['Reactie', 'Comment'], meeting: ['Vergadering', 'Meeting'],
  poll: ['Stemming', 'Poll'], ticket: ['Ticket', 'Ticket'], proxy: ['Volmacht', 'Proxy'], withdrawal: ['Intrekking', 'Withdrawal'],
  withdrawal_scan: ['Scan', 'Scan'], report: ['Melding', 'Report'], signal: ['Signaal', 'Signal'], meldpunt: ['Meldpunt', 'Meldpunt'],
  user: ['Gebruiker', 'User'], session: ['Sessie', 'Session'], outbox: ['Mail', 'Mail'], register: ['Register', 'Register'],
  route: ['Adres', 'Address'], member: ['Lid', 'Member'],
};

const ACTORS = {
  user: ['Medewerker', 'Staff'], system: ['Systeem', 'System'], anonymous: ['Anoniem', 'Anonymous'],
  member: ['Lid', 'Member'], contact: ['Contactpersoon', 'Contact person'],
};

/* Names of detail fields in words; others are written with spaces for underscores. */
const FIELDS = {
  organisation_id: ['organisatie', 'organisation'], version_id: ['versie', 'version'], received_on: ['ontvangen op', 'received on'],
  tracking_code: ['track & trace-code', 'track & trace code'], form: ['vorm', 'form'], outcome: ['uitkomst', 'outcome'],
  reason: ['reden', 'reason'], channel: ['kanaal', 'channel'], corrects_id: ['corrigeert', 'corrects'],
  effect_version_id: ['werkt voor versie', 'works for version'], judgement: ['oordeel', 'judgement'], state: ['stand', 'state'],
  since: ['vanaf', 'from'], until: ['tot en met', 'until'], basis: ['grondslag', 'basis'], email: ['e-mailadres', 'e-mail address'],
  name: ['naam', 'name'], kvk: ['KvK-nummer', 'KvK number'], year: ['jaar', 'year'], round: ['ronde', 'round'],
  opens_at: ['opent', 'opens'], closes_at: ['sluit', 'closes'], proposal_ids: ['voorstellen', 'proposals'], invited: ['uitgenodigd', 'invited'],
  mails: ['e-mails', 'e-mails'], role: ['rol', 'role'], roles: ['rollen', 'roles'], path: ['adres', 'address'], method: ['methode', 'method'],
  label: ['label', 'label'], effective_from: ['geldt vanaf', 'in force from'], date: ['datum', 'date'], count: ['aantal', 'count'],
  source: ['bron', 'source'], title: ['titel', 'title'], text: ['tekst', 'text'], number: ['nummer', 'number'], phone: ['telefoon', 'phone'],
  member: ['lid', 'member'], member_number: ['lidnummer', 'member number'], address: ['adres', 'address'], public_consent: ['in het openbare register', 'in the public register'],
  revision: ['versie', 'version'], proposal_id: ['voorstel', 'proposal'], meeting_id: ['vergadering', 'meeting'], poll_id: ['stemming', 'poll'],
  cycle_id: ['wijzigingscyclus', 'cycle'], consultation_id: ['consultatieronde', 'round'], period: ['halfjaar', 'half-year'], norms: ['normen', 'standards'],
};

addMessages({
  nl: {
    'audit.title': 'Logboek',
    'audit.lead': 'Elke wijziging van het dossier staat hier, nieuwste eerst, in een keten die niet ongemerkt te veranderen is: een later gewijzigde of verwijderde regel valt op bij de controle.',
    'audit.verify': 'Controleer de keten',
    'audit.intact.one': 'De keten is intact: 1 regel gecontroleerd.',
    'audit.intact.other': 'De keten is intact: {count} regels gecontroleerd.',
    'audit.broken': 'De keten is verbroken bij regel {id}: {message}',
    'audit.broken_pending': 'De keten is niet compleet: {message}',
    'audit.pending.one': '1 wijziging van zojuist wacht nog op haar plaats in de keten (dat duurt hooguit enkele seconden; na {bound} s geldt het als een gat).',
    'audit.pending.other': '{count} wijzigingen van zojuist wachten nog op hun plaats in de keten (dat duurt hooguit enkele seconden; na {bound} s geldt het als een gat).',
    'audit.filter': 'Filteren',
    'audit.filter_clear': 'Alles tonen',
    'audit.object_type': 'Soort object',
    'audit.object_all': 'Alle soorten',
    'audit.object_id': 'Nummer van het object (niet verplicht)',
    'audit.entry': 'Regel {id}',
    'audit.by': 'Door {who}',
    'audit.about': 'Over {object}',
    'audit.about_none': 'Over het hele systeem',
    'audit.details': 'Details',
    'audit.no_details': 'Geen verdere details.',
    'audit.hash': 'Hash',
    'audit.more': 'Oudere regels tonen',
    'audit.none': 'Geen regels gevonden.',
    'audit.count.one': '1 regel getoond',
    'audit.count.other': '{count} regels getoond',
    'audit.yes': 'ja',
    'audit.no': 'nee',
    'audit.empty': 'leeg',
  },
  en: {
    'audit.title': 'Log',
    'audit.lead': 'Every change to the record is here, newest first, in a chain that cannot be changed unnoticed: a line changed or deleted later shows up in the check.',
    'audit.verify': 'Check the chain',
    'audit.intact.one': 'The chain is intact: 1 entry checked.',
    'audit.intact.other': 'The chain is intact: {count} entries checked.',
    'audit.broken': 'The chain is broken at entry {id}: {message}',
    'audit.broken_pending': 'The chain is not complete: {message}',
    'audit.pending.one': '1 change made just now is still waiting for its place in the chain (this takes a few seconds at most; after {bound} s it counts as a gap).',
    'audit.pending.other': '{count} changes made just now are still waiting for their place in the chain (this takes a few seconds at most; after {bound} s it counts as a gap).',
    'audit.filter': 'Filter',
    'audit.filter_clear': 'Show all',
    'audit.object_type': 'Kind of object',
    'audit.object_all': 'All kinds',
    'audit.object_id': 'Number of the object (optional)',
    'audit.entry': 'Entry {id}',
    'audit.by': 'By {who}',
    'audit.about': 'About {object}',
    'audit.about_none': 'About the whole system',
    'audit.details': 'Details',
    'audit.no_details': 'No further details.',
    'audit.hash': 'Hash',
    'audit.more': 'Show older entries',
    'audit.none': 'No entries found.',
    'audit.count.one': '1 entry shown',
    'audit.count.other': '{count} entries shown',
    'audit.yes': 'yes',
    'audit.no': 'no',
    'audit.empty': 'empty',
  },
});

await staffPage({ title: 'audit.title', active: 'audit', roles: ['admin'] });
const content = document.getElementById('content');
const pick = (pair) => pair[getLanguage() === 'en' ? 1 : 0];
const words = (code) => String(code).replace(/[._]/g, ' ');
const capitalised = (text) => text.charAt(0).toLocaleUpperCase() + text.slice(1);
let entries = [];
let nextBefore = null;
let verifyResult = null;

function actionText(action) {
  return ACTIONS[action] ? pick(ACTIONS[action]) : words(action);
}

function objectText(type, id) {
  const name = OBJECTS[type] ? pick(OBJECTS[type]) : words(type);
  return id ? `${name} ${id}` : name;
}

function actorText(entry) {
  const kind = ACTORS[entry.actor_kind] ? pick(ACTORS[entry.actor_kind]) : words(entry.actor_kind);
  return entry.actor_label ? `${kind}: ${entry.actor_label}` : kind;
}

/** A detail value in words: dates in words, lists joined, true/false as ja/nee. */
function valueText(value) {
  if (value === null || value === undefined || value === '') return t('audit.empty');
  if (value === true) return t('audit.yes');
  if (value === false) return t('audit.no');
  if (Array.isArray(value)) return value.map(valueText).join(', ');
  if (typeof value === 'object') return Object.entries(value).map(([k, v]) => `${FIELDS[k] ? pick(FIELDS[k]) : words(k)}: ${valueText(v)}`).join('; ');
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return formatDate(value, 'medium');
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(value)) return formatDateTime(value);
  return String(value);
}

function entryItem(entry) {
  const details = Object.entries(entry.details || {});
  return el('li', { class: 'audit-entry' },
    el('p', { class: 'audit-entry__head' },
      el('strong', {}, actionText(entry.action)), ' ',
      el('time', { datetime: entry.created_at, class: 'muted' }, formatDateTime(entry.created_at))),
    el('p', { class: 'audit-entry__meta' },
      t('audit.by', { who: actorText(entry) }), ' · ',
      entry.object_type ? t('audit.about', { object: objectText(entry.object_type, entry.object_id) }) : t('audit.about_none')),
    el('details', { class: 'audit-entry__details' },
      el('summary', {}, `${t('audit.details')} · ${t('audit.entry', { id: entry.id })}`),
      el('dl', { class: 'dl' },
        details.map(([key, value]) => [el('dt', {}, capitalised(FIELDS[key] ? pick(FIELDS[key]) : words(key))), el('dd', {}, valueText(value))]),
        details.length ? null : [el('dt', {}, t('audit.details')), el('dd', {}, t('audit.no_details'))],
        el('dt', {}, t('audit.hash')), el('dd', { class: 'mono audit-entry__hash' }, entry.hash || ''))));
}

const list = el('ol', { class: 'audit-list list-plain', 'aria-live': 'polite' });
const count = el('p', { class: 'muted', role: 'status' });
const more = el('button', { type: 'button', class: 'button button--secondary', hidden: true }, t('audit.more'));
const status = el('div');

function renderList() {
  list.replaceChildren(...(entries.length ? entries.map(entryItem) : [el('li', { class: 'muted' }, t('audit.none'))]));
  count.textContent = entries.length ? plural('audit.count', entries.length) : '';
  more.textContent = t('audit.more');
  more.hidden = !nextBefore;
}

function renderVerify() {
  // pending: entries committed moments ago that the sequencer has not chained yet (issue 17);
  // a broken check without an entry number is such an entry left behind too long.
  const pending = verifyResult?.intact && verifyResult.pending > 0;
  status.replaceChildren(...(!verifyResult ? [] : [verifyResult.intact
    ? el('div', { class: 'alert alert--success', role: 'status' },
      t(verifyResult.checked === 1 ? 'audit.intact.one' : 'audit.intact.other', { count: verifyResult.checked }),
      ...(pending ? [' ', t(verifyResult.pending === 1 ? 'audit.pending.one' : 'audit.pending.other', { count: verifyResult.pending, bound: verifyResult.pending_bound_seconds })] : []))
    : el('div', { class: 'alert alert--error', role: 'alert' }, verifyResult.bad_entry
      ? t('audit.broken', { id: verifyResult.bad_entry, message: verifyResult.message })
      : t('audit.broken_pending', { message: verifyResult.message }))]));
}

/** The filter as the address says it (?object_type=…&object_id=…), so a reload or a link keeps it. */
function filterFromAddress() {
  return { object_type: param('object_type') || '', object_id: param('object_id') || '' };
}

async function load({ append = false } = {}) {
  const filter = filterFromAddress();
  const query = new URLSearchParams({ limit: '50' });
  if (filter.object_type) query.set('object_type', filter.object_type);
  if (filter.object_id) query.set('object_id', filter.object_id);
  if (append && nextBefore) query.set('before', String(nextBefore));
  const page = await api('GET', `/api/audit?${query}`);
  entries = append ? [...entries, ...page.items] : page.items;
  nextBefore = page.next_before || null;
  renderList();
}

const verify = el('button', { type: 'button', class: 'button' }, t('audit.verify'));
verify.addEventListener('click', async () => {
  setBusy(verify, true);
  verifyResult = null;
  renderVerify();
  try {
    verifyResult = await api('GET', '/api/audit/verify');
    renderVerify();
  } catch (error) {
    status.replaceChildren(el('div', { class: 'alert alert--error', role: 'alert' }, errorMessage(error)));
  } finally {
    setBusy(verify, false);
  }
});

function typeOptions(selected) {
  return [el('option', { value: '' }, t('audit.object_all')),
    ...Object.keys(OBJECTS).sort((a, b) => pick(OBJECTS[a]).localeCompare(pick(OBJECTS[b])))
      .map((type) => el('option', { value: type, selected: type === selected }, pick(OBJECTS[type])))];
}

const current = filterFromAddress();
const typeSelect = el('select', { id: 'object_type', name: 'object_type' }, typeOptions(current.object_type));
const form = el('form', { class: 'card cluster audit-filter' },
  el('div', { class: 'field' }, el('label', { for: 'object_type', 'data-i18n': 'audit.object_type' }, t('audit.object_type')), typeSelect),
  el('div', { class: 'field' }, el('label', { for: 'object_id', 'data-i18n': 'audit.object_id' }, t('audit.object_id')),
    el('input', { id: 'object_id', name: 'object_id', type: 'number', min: 1, class: 'input--short', value: current.object_id })),
  el('button', { type: 'submit', class: 'button button--secondary', 'data-i18n': 'audit.filter' }, t('audit.filter')),
  el('a', { href: '/staff/audit.html', class: 'button button--link', 'data-i18n': 'audit.filter_clear' }, t('audit.filter_clear')));
handleSubmit(form, {
  send: async (data) => {
    const query = new URLSearchParams();
    if (data.object_type) query.set('object_type', data.object_type);
    if (data.object_id) query.set('object_id', String(data.object_id));
    history.replaceState(null, '', `${location.pathname}${query.size ? `?${query}` : ''}`);
    await load();
  },
});
more.addEventListener('click', async () => {
  setBusy(more, true);
  try { await load({ append: true }); } catch (error) { formMessage(form, 'error', { text: errorMessage(error) }); } finally { setBusy(more, false); }
});

const lead = el('p', { class: 'lead' }, t('audit.lead'));
content.replaceChildren(lead, el('div', { class: 'cluster' }, verify), status, form, count, list, more);
content.removeAttribute('aria-busy');
try { await load(); } catch (error) { formMessage(form, 'error', { text: errorMessage(error) }); }

onLanguageChange(() => {
  lead.textContent = t('audit.lead');
  verify.textContent = t('audit.verify');
  typeSelect.replaceChildren(...typeOptions(typeSelect.value));
  renderVerify();
  renderList();
});
