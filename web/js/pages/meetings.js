// Staff: the list of meetings and the form for a new one (secretariat).
import { api } from '../api.js';
import { addMessages, t } from '../i18n.js';
import { staffPage, el, formData, setBusy, showFieldErrors, clearFieldErrors, validateRequired, toast, formatDate, errorMessage } from '../ui.js';

addMessages({
  nl: {
    'meetings.title': 'Vergaderingen', 'meetings.new': 'Nieuwe vergadering', 'meetings.f_title': 'Titel',
    'meetings.f_date': 'Datum', 'meetings.f_time': 'Begintijd', 'meetings.f_location': 'Plaats',
    'meetings.f_rule': 'Meerderheidsregel', 'meetings.f_proxies': 'Volmachten toegestaan',
    'meetings.f_max': 'Maximum volmachten per lid', 'meetings.create': 'Vergadering aanmaken',
    'meetings.none': 'Nog geen vergaderingen.', 'meetings.created': 'Vergadering aangemaakt.',
    'meetings.state.planned': 'gepland', 'meetings.state.open': 'geopend', 'meetings.state.closed': 'gesloten',
  },
  en: {
    'meetings.title': 'Meetings', 'meetings.new': 'New meeting', 'meetings.f_title': 'Title',
    'meetings.f_date': 'Date', 'meetings.f_time': 'Start time', 'meetings.f_location': 'Location',
    'meetings.f_rule': 'Majority rule', 'meetings.f_proxies': 'Proxies allowed',
    'meetings.f_max': 'Maximum proxies per member', 'meetings.create': 'Create meeting',
    'meetings.none': 'No meetings yet.', 'meetings.created': 'Meeting created.',
    'meetings.state.planned': 'planned', 'meetings.state.open': 'open', 'meetings.state.closed': 'closed',
  },
});

const list = document.getElementById('meetings');

async function load() {
  const { items } = await api('GET', '/api/meetings');
  list.removeAttribute('aria-busy');
  list.replaceChildren(...(items.length ? items.map((m) => el('a', { class: 'card card--link', href: `/staff/meeting.html?id=${m.id}` },
    el('strong', {}, m.title), ' ', el('span', { class: 'badge badge--neutral' }, t(`meetings.state.${m.state}`)),
    el('p', { class: 'muted' }, `${formatDate(m.date)} · ${m.starts_at} · ${m.location}`))) : [el('p', { class: 'muted' }, t('meetings.none'))]));
}

async function start() {
  const session = await staffPage({ title: 'meetings.title', active: 'meetings', roles: ['secretariat', 'chair', 'board', 'admin'] });
  const form = document.getElementById('create');
  if (!session.user.roles.includes('secretariat')) form.hidden = true;
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearFieldErrors(form);
    const missing = validateRequired(form);
    if (missing.length) { showFieldErrors(form, missing); return; }
    const button = form.querySelector('button[type="submit"]');
    setBusy(button, true);
    try {
      const meeting = await api('POST', '/api/meetings', formData(form));
      toast(t('meetings.created'), 'success');
      for (const warning of meeting.warnings || []) toast(warning, 'info');
      location.assign(`/staff/meeting.html?id=${meeting.id}`);
    } catch (error) {
      showFieldErrors(form, error);
    } finally {
      setBusy(button, false);
    }
  });
  await load().catch((error) => list.replaceChildren(el('div', { class: 'alert alert--error' }, errorMessage(error))));
}

start();
