// The printable attendance list (presentielijst) of a meeting: a heading with the
// meeting, its date in words and place, one row per voting member with the entry time
// or proxy, and an empty column for the delegate's name and signature.
import { api } from '../api.js';
import { t, addMessages, onLanguageChange } from '../i18n.js';
import { staffPage, el, param, errorMessage, formatDate, formatDateTime } from '../ui.js';
import { plural } from '../words.js';

addMessages({
  nl: {
    'attendance_list.title': 'Presentielijst',
    'attendance_list.print': 'Afdrukken',
    'attendance_list.back': 'Terug naar de vergadering',
    'attendance_list.heading': 'Presentielijst {title}',
    'attendance_list.when': '{date}, {time} uur · {location}',
    'attendance_list.members.one': '1 stemgerechtigd lid',
    'attendance_list.members.other': '{count} stemgerechtigde leden',
    'attendance_list.present.one': '1 aanwezig',
    'attendance_list.present.other': '{count} aanwezig',
    'attendance_list.present.zero': 'nog niemand aanwezig',
    'attendance_list.printed': 'Stand op {when}.',
    'attendance_list.col.number': 'Lidnummer',
    'attendance_list.col.organisation': 'Organisatie',
    'attendance_list.col.delegate': 'Naam afgevaardigde',
    'attendance_list.col.in': 'Binnen sinds',
    'attendance_list.col.proxy': 'Volmacht aan',
    'attendance_list.col.signature': 'Handtekening',
    'attendance_list.no_number': 'geen',
    'attendance_list.not_in': 'nog niet binnen',
    'attendance_list.no_proxy': 'geen',
  },
  en: {
    'attendance_list.title': 'Attendance list',
    'attendance_list.print': 'Print',
    'attendance_list.back': 'Back to the meeting',
    'attendance_list.heading': 'Attendance list {title}',
    'attendance_list.when': '{date}, {time} · {location}',
    'attendance_list.members.one': '1 voting member',
    'attendance_list.members.other': '{count} voting members',
    'attendance_list.present.one': '1 present',
    'attendance_list.present.other': '{count} present',
    'attendance_list.present.zero': 'nobody present yet',
    'attendance_list.printed': 'As on {when}.',
    'attendance_list.col.number': 'Member number',
    'attendance_list.col.organisation': 'Organisation',
    'attendance_list.col.delegate': 'Name of delegate',
    'attendance_list.col.in': 'In since',
    'attendance_list.col.proxy': 'Proxy to',
    'attendance_list.col.signature': 'Signature',
    'attendance_list.no_number': 'none',
    'attendance_list.not_in': 'not in yet',
    'attendance_list.no_proxy': 'none',
  },
});

await staffPage({ title: 'attendance_list.title', active: 'meetings', roles: ['secretariat', 'chair', 'board', 'admin'] });
const root = document.getElementById('list');
const id = Number(param('meeting'));
let meeting = null;
let attendance = null;
let asOf = null;

function render() {
  const heading = t('attendance_list.heading', { title: meeting.title });
  document.getElementById('page-title').textContent = heading;
  document.title = `${heading} · ${t('shell.product')}`;
  document.getElementById('back').href = `/staff/meeting.html?id=${id}`;
  const columns = ['number', 'organisation', 'delegate', 'in', 'proxy', 'signature'];
  const names = new Map(attendance.members.map((member) => [member.organisation_id, member.name]));
  root.removeAttribute('aria-busy');
  root.replaceChildren(
    el('p', { class: 'lead' }, t('attendance_list.when', { date: formatDate(meeting.date), time: meeting.starts_at, location: meeting.location })),
    el('p', {}, `${plural('attendance_list.members', attendance.members.length)}; ${plural('attendance_list.present', attendance.present)}. `,
      t('attendance_list.printed', { when: formatDateTime(asOf) })),
    el('table', { class: 'table table--stack attendance-list' },
      el('thead', {}, el('tr', {}, columns.map((column) => el('th', { scope: 'col', class: `attendance-list__${column}` }, t(`attendance_list.col.${column}`))))),
      el('tbody', {}, attendance.members.map((member) => {
        const cell = (column, ...content) => el('td', { 'data-label': t(`attendance_list.col.${column}`), class: `attendance-list__${column}` }, ...content);
        return el('tr', {},
          cell('number', member.member_number || t('attendance_list.no_number')),
          cell('organisation', member.name),
          cell('delegate'),
          cell('in', member.first_entry ? formatDateTime(member.first_entry) : el('span', { class: 'muted' }, t('attendance_list.not_in'))),
          cell('proxy', member.represented_by ? names.get(member.represented_by) || t('attendance_list.no_proxy') : t('attendance_list.no_proxy')),
          cell('signature'));
      }))));
}

document.getElementById('print').addEventListener('click', () => window.print());
try {
  [meeting, attendance] = await Promise.all([api('GET', `/api/meetings/${id}`), api('GET', `/api/meetings/${id}/attendance`)]);
  asOf = new Date().toISOString();
  render();
  onLanguageChange(render);
} catch (error) {
  root.removeAttribute('aria-busy');
  root.replaceChildren(el('div', { class: 'alert alert--error', role: 'alert' }, errorMessage(error)));
}
