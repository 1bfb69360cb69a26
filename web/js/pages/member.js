// The delegate's phone during the ALV: the meeting, whether the member is checked in,
// the agenda with links to the proposal texts, and the place where the live poll comes.
import { api, getSession } from '../api.js';
import { addMessages, t } from '../i18n.js';
import { publicPage, el, errorMessage, formatDate } from '../ui.js';

addMessages({
  nl: {
    'member.title': 'Algemene Ledenvergadering',
    'member.for': 'Aangemeld voor: {name}',
    'member.when': '{date} om {time} uur · {location}',
    'member.inside': 'U bent ingecheckt: {name} telt mee.',
    'member.represented': 'Uw organisatie telt mee via een volmacht.',
    'member.outside': 'U bent nog niet ingecheckt. Laat uw QR-code scannen bij de ingang.',
    'member.present': 'Aanwezig (P): {count}',
    'member.agenda': 'Agenda',
    'member.proposal': 'Voorsteltekst en wijzigingen',
    'member.current': 'nu aan de orde',
    'member.poll': 'Stemming',
    'member.no_poll': 'Er is nu geen stemming. Zodra de voorzitter een stemming opent, verschijnt die hier.',
    'member.login_needed': 'Open de ticketlink uit uw e-mail en tik op “Aanmelden op deze telefoon”.',
    'member.closed': 'De vergadering is gesloten.',
  },
  en: {
    'member.title': 'Members’ meeting',
    'member.for': 'Signed in for: {name}',
    'member.when': '{date} at {time} · {location}',
    'member.inside': 'You are checked in: {name} counts.',
    'member.represented': 'Your organisation counts through a proxy.',
    'member.outside': 'You are not checked in yet. Have your QR code scanned at the door.',
    'member.present': 'Present (P): {count}',
    'member.agenda': 'Agenda',
    'member.proposal': 'Proposal text and changes',
    'member.current': 'now under discussion',
    'member.poll': 'Vote',
    'member.no_poll': 'There is no vote now. When the chair opens one, it appears here.',
    'member.login_needed': 'Open the ticket link from your e-mail and tap “Sign in on this phone”.',
    'member.closed': 'The meeting is closed.',
  },
});

publicPage({ title: 'member.title' });

const presence = document.getElementById('member-presence');

async function load(meetingId) {
  const meeting = await api('GET', `/api/meetings/${meetingId}`);
  document.getElementById('member-title').textContent = meeting.title;
  document.getElementById('member-org').replaceChildren(
    el('span', {}, t('member.for', { name: meeting.me.name })), el('br'),
    el('span', {}, t('member.when', { date: formatDate(meeting.date), time: meeting.starts_at, location: meeting.location })));
  let kind = 'warning';
  let text = t('member.outside');
  if (meeting.state === 'closed') { kind = 'warning'; text = t('member.closed'); }
  else if (meeting.me.inside) { kind = 'success'; text = t('member.inside', { name: meeting.me.name }); }
  else if (meeting.me.represented_by) { kind = 'success'; text = t('member.represented'); }
  presence.replaceChildren(el('div', { class: `alert alert--${kind}`, id: 'member-status', dataset: { inside: String(meeting.me.inside) } },
    el('strong', { class: 'alert__title' }, text),
    el('p', {}, t('member.present', { count: meeting.attendance.eligible }))));
  document.getElementById('agenda').replaceChildren(...meeting.agenda.map((item) => el('li', { class: 'card' },
    el('strong', {}, item.title),
    item.position === meeting.current_item ? el('span', { class: 'badge badge--info' }, t('member.current')) : null,
    item.proposal_id ? el('p', {}, el('a', { href: `/proposal.html?id=${item.proposal_id}` }, t('member.proposal'))) : null)));
}

async function start() {
  const session = await getSession().catch(() => null);
  if (!session || session.kind !== 'member') {
    presence.replaceChildren(el('div', { class: 'alert alert--warning' }, t('member.login_needed')));
    return;
  }
  try {
    await load(session.meeting_id);
  } catch (error) {
    presence.replaceChildren(el('div', { class: 'alert alert--error', role: 'alert' }, errorMessage(error)));
    return;
  }
  // Live: every attendance, agenda or meeting event reloads the small state.
  const events = new EventSource(`/api/meetings/${session.meeting_id}/events`);
  for (const kind of ['attendance', 'agenda', 'meeting']) {
    events.addEventListener(kind, () => load(session.meeting_id).catch(() => {}));
  }
}

start();
