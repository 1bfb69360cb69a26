// Staff: the list of meetings and the form for a new one (secretariat).
import { api } from '../api.js';
import { addMessages, t, onLanguageChange } from '../i18n.js';
import { staffPage, el, toast, formatDate, errorMessage } from '../ui.js';
import { handleSubmit } from '../forms.js';

addMessages({
  nl: {
    'meetings.title': 'Vergaderingen', 'meetings.new': 'Nieuwe vergadering', 'meetings.f_title': 'Titel',
    'meetings.f_date': 'Datum', 'meetings.f_time': 'Begintijd', 'meetings.f_location': 'Plaats',
    'meetings.f_rule': 'Meerderheidsregel', 'meetings.f_proxies': 'Volmachten toegestaan',
    'meetings.f_max': 'Maximum volmachten per lid', 'meetings.create': 'Vergadering aanmaken',
    'meetings.none': 'Nog geen vergaderingen.', 'meetings.created': 'Vergadering aangemaakt.',
    'meetings.state.planned': 'Gepland', 'meetings.state.open': 'Geopend', 'meetings.state.closed': 'Gesloten',
    'meetings.rule.more_than_half': 'Meer dan de helft van de aanwezige leden (standaard)',
    'meetings.rule.literal_half_plus_one': 'De helft van de aanwezige leden plus één, letterlijk gelezen',
    'meetings.rule.two_thirds': 'Twee derde van de aanwezige leden',
    'meetings.rule.majority_of_votes_cast': 'Meer dan de helft van de uitgebrachte stemmen',
    'meetings.error_title': 'Vul de titel van de vergadering in.',
    'meetings.error_date': 'Vul de datum van de vergadering in.',
    'meetings.error_time': 'Vul de begintijd in, bijvoorbeeld 19:30.',
    'meetings.error_location': 'Vul de plaats van de vergadering in.',
  },
  en: {
    'meetings.title': 'Meetings', 'meetings.new': 'New meeting', 'meetings.f_title': 'Title',
    'meetings.f_date': 'Date', 'meetings.f_time': 'Start time', 'meetings.f_location': 'Location',
    'meetings.f_rule': 'Majority rule', 'meetings.f_proxies': 'Proxies allowed',
    'meetings.f_max': 'Maximum proxies per member', 'meetings.create': 'Create meeting',
    'meetings.none': 'No meetings yet.', 'meetings.created': 'Meeting created.',
    'meetings.state.planned': 'Planned', 'meetings.state.open': 'Open', 'meetings.state.closed': 'Closed',
    'meetings.rule.more_than_half': 'More than half of the members present (default)',
    'meetings.rule.literal_half_plus_one': 'Half of the members present plus one, read literally',
    'meetings.rule.two_thirds': 'Two thirds of the members present',
    'meetings.rule.majority_of_votes_cast': 'More than half of the votes cast',
    'meetings.error_title': 'Enter the title of the meeting.',
    'meetings.error_date': 'Enter the date of the meeting.',
    'meetings.error_time': 'Enter the start time, for example 19:30.',
    'meetings.error_location': 'Enter the place of the meeting.',
  },
});

const list = document.getElementById('meetings');
let items = null;

async function load() {
  items = (await api('GET', '/api/meetings')).items;
  render();
}

function render() {
  list.removeAttribute('aria-busy');
  // The title is the link; the whole card answers to it (.card--link), the state stays a small badge.
  list.replaceChildren(...(items.length ? items.map((m) => el('article', { class: 'card card--link' },
    el('p', {}, el('a', { href: `/staff/meeting.html?id=${m.id}` }, el('strong', {}, m.title)), ' ',
      el('span', { class: 'badge badge--neutral' }, t(`meetings.state.${m.state}`))),
    el('p', { class: 'muted' }, `${formatDate(m.date)} · ${m.starts_at} · ${m.location}`))) : [el('p', { class: 'muted' }, t('meetings.none'))]));
}

async function start() {
  const session = await staffPage({ title: 'meetings.title', active: 'meetings', roles: ['secretariat', 'chair', 'board', 'admin'] });
  const form = document.getElementById('create');
  if (!session.user.roles.includes('secretariat')) form.hidden = true;
  handleSubmit(form, {
    send: (data) => api('POST', '/api/meetings', data),
    success: (meeting) => {
      toast(t('meetings.created'), 'success');
      for (const warning of meeting.warnings || []) toast(warning, 'info');
      location.assign(`/staff/meeting.html?id=${meeting.id}`);
    },
  });
  onLanguageChange(() => { if (items) render(); });
  await load().catch((error) => list.replaceChildren(el('div', { class: 'alert alert--error' }, errorMessage(error))));
}

start();
