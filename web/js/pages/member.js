// The delegate's phone during the ALV. When a vote opens, the ballot is the first thing
// on the screen (ballot.js: three large buttons, focus on it, confirmation, receipt),
// the proposal one tap away. Otherwise one message says where the member stands (not
// checked in: the QR for the door, and where the meeting allows it the way to take part
// remotely; checked in; represented), then the speaker list (ask for the floor,
// withdraw) and the agenda. The connection state is always visible; when the live
// stream fails the page asks every few seconds.
import { api, getSession } from '../api.js';
import { addMessages, t, onLanguageChange } from '../i18n.js';
import { publicPage, el, errorMessage, formatDate } from '../ui.js';
import { createBallot } from '../ballot.js';
import { createSpeakerPanel } from '../speakers.js';

addMessages({
  nl: {
    'member.title': 'Algemene Ledenvergadering',
    'member.for': 'Aangemeld voor {name}',
    'member.when': '{date} om {time} uur · {location}',
    'member.connecting': 'Verbinden…',
    'member.live': 'Verbonden: deze pagina werkt zichzelf bij',
    'member.lost': 'Verbinding verbroken — opnieuw verbinden…',
    'member.inside': 'U bent ingecheckt',
    'member.inside_text': '{name} telt mee. Zodra de voorzitter een stemming opent, verschijnt die bovenaan dit scherm.',
    'member.represented': 'Uw organisatie wordt vertegenwoordigd',
    'member.represented_text': 'Een ander lid stemt met uw volmacht namens {name}.',
    'member.outside': 'U bent nog niet ingecheckt',
    'member.outside_text': 'Laat deze QR-code scannen bij de ingang. Daarna stemt u mee.',
    'member.qr': 'QR-code van uw toegangsbewijs',
    'member.present': 'Nu aanwezig: {count}',
    'member.agenda': 'Agenda',
    'member.read': 'Lees het voorstel',
    'member.current': 'nu aan de orde',
    'member.login_needed': 'Open de ticketlink uit uw e-mail en tik op “Aanmelden op deze telefoon”.',
    'member.closed': 'De vergadering is gesloten',
    'member.closed_text': 'Dank u wel voor uw deelname.',
    'member.remote_link': 'Niet in de zaal? Neem op afstand deel',
    'member.remote_now': 'U neemt op afstand deel',
    'member.remote_now_text': '{name} telt mee als aanwezig op afstand. Komt u toch naar de zaal, laat dan uw QR-code scannen: dan telt u in de zaal.',
    'member.remote_back': 'Naar de pagina voor deelname op afstand (met de uitzending)',
  },
  en: {
    'member.title': 'Members’ meeting',
    'member.for': 'Signed in for {name}',
    'member.when': '{date} at {time} · {location}',
    'member.connecting': 'Connecting…',
    'member.live': 'Connected: this page updates itself',
    'member.lost': 'Connection lost — reconnecting…',
    'member.inside': 'You are checked in',
    'member.inside_text': '{name} counts. When the chair opens a vote, it appears at the top of this screen.',
    'member.represented': 'Your organisation is represented',
    'member.represented_text': 'Another member votes for {name} with your proxy.',
    'member.outside': 'You are not checked in yet',
    'member.outside_text': 'Have this QR code scanned at the door. Then you vote.',
    'member.qr': 'QR code of your ticket',
    'member.present': 'Present now: {count}',
    'member.agenda': 'Agenda',
    'member.read': 'Read the proposal',
    'member.current': 'now under discussion',
    'member.login_needed': 'Open the ticket link from your e-mail and tap “Sign in on this phone”.',
    'member.closed': 'The meeting is closed',
    'member.closed_text': 'Thank you for taking part.',
    'member.remote_link': 'Not in the hall? Take part remotely',
    'member.remote_now': 'You take part remotely',
    'member.remote_now_text': '{name} counts as present remotely. If you come to the hall after all, have your QR code scanned: then you count in the hall.',
    'member.remote_back': 'To the page for remote participation (with the stream)',
  },
});

publicPage({ title: 'member.title' });

const presence = document.getElementById('member-presence');
const pollSection = document.getElementById('poll');
const speakersBox = document.getElementById('member-speakers');
const connection = document.getElementById('member-connection');
let session = null;
let meeting = null;

function setConnection(state) {
  connection.dataset.state = state;
  connection.textContent = t({ live: 'member.live', lost: 'member.lost', connecting: 'member.connecting' }[state]);
}

/* ---- where the member stands (when no vote asks for attention) ------------- */

function renderMeeting() {
  if (!meeting) return;
  const me = meeting.me;
  document.getElementById('member-title').textContent = meeting.title;
  document.getElementById('member-org').replaceChildren(
    el('span', {}, t('member.for', { name: me.name })), el('br'),
    el('span', {}, t('member.when', { date: formatDate(meeting.date), time: meeting.starts_at, location: meeting.location })), el('br'),
    el('span', { id: 'member-present-now' }, t('member.present', { count: meeting.attendance.eligible })));
  document.getElementById('agenda').replaceChildren(...meeting.agenda.map((item) => el('li', { class: ['agenda-item', item.position === meeting.current_item && 'agenda-item--current'] },
    el('span', { class: 'agenda-item__number', 'aria-hidden': 'true' }, String(item.position)),
    el('div', { class: 'agenda-item__body' },
      el('p', { class: 'agenda-item__title' }, el('span', { class: 'visually-hidden' }, `${item.position}. `), item.title,
        item.position === meeting.current_item ? el('span', { class: 'badge badge--info' }, t('member.current')) : null),
      item.kind === 'proposal' ? el('p', { class: 'small' }, el('a', { href: `/voorstel.html?meeting=${meeting.id}&item=${item.id}` }, t('member.read'))) : null))));
  renderStatus();
}

/* One message for one state. While a vote is on screen, the vote section says it all. */
function renderStatus() {
  if (!meeting) return;
  const currentPoll = ballot.poll;
  if (currentPoll && (currentPoll.state === 'open' || currentPoll.state === 'closed')) { presence.replaceChildren(); delete presence.dataset.shown; return; }
  const me = meeting.me;
  let kind = 'warning';
  let title = t('member.outside');
  let text = t('member.outside_text');
  let qr = null;
  if (meeting.state === 'closed') { kind = 'info'; title = t('member.closed'); text = t('member.closed_text'); }
  else if (me.inside) { kind = 'success'; title = t('member.inside'); text = t('member.inside_text', { name: me.name }); }
  else if (me.represented_by) { kind = 'success'; title = t('member.represented'); text = t('member.represented_text', { name: me.name }); }
  else {
    qr = el('img', {
      class: 'member-qr', id: 'member-qr', width: 240, height: 240, alt: t('member.qr'),
      src: `/api/meetings/${meeting.id}/tickets/${me.organisation_id}/qr.svg`,
    });
  }
  // Not in the hall (yet), and the statutes let members take part from afar: the way
  // there; present remotely already: the way back to that page.
  const remoteNow = me.inside && me.channel === 'remote';
  if (remoteNow) { title = t('member.remote_now'); text = t('member.remote_now_text', { name: me.name }); }
  const remote = meeting.electronic_participation && meeting.state !== 'closed' && (remoteNow || (!me.inside && !me.represented_by))
    ? el('p', { class: 'member-remote' }, el('a', { href: `/remote.html?meeting=${meeting.id}`, id: 'member-remote-link' },
      t(remoteNow ? 'member.remote_back' : 'member.remote_link'))) : null;
  // Redrawn only when what it says changes: the QR stays put while others check in.
  const key = [kind, title, text, Boolean(qr), Boolean(remote)].join('|');
  if (presence.dataset.shown === key && presence.firstChild) return;
  presence.dataset.shown = key;
  presence.replaceChildren(el('div', { class: `alert alert--${kind} member-status`, id: 'member-status', dataset: { inside: String(me.inside) } },
    el('strong', { class: 'alert__title' }, title), el('p', {}, text), qr, remote));
}

async function loadMeeting() {
  meeting = await api('GET', `/api/meetings/${session.meeting_id}`);
  renderMeeting();
  speakers.render();
}

const ballot = createBallot({
  section: pollSection, meetingId: () => session.meeting_id, getMeeting: () => meeting, onRender: () => renderStatus(),
});
const speakers = createSpeakerPanel({
  container: speakersBox, meetingId: () => session.meeting_id, getMeeting: () => meeting,
  canSpeak: () => Boolean(meeting?.me?.inside) && meeting.state === 'open',
});

async function start() {
  session = await getSession().catch(() => null);
  if (!session || session.kind !== 'member') {
    setConnection('connecting');
    connection.hidden = true;
    presence.replaceChildren(el('div', { class: 'alert alert--warning' }, t('member.login_needed')));
    return;
  }
  try {
    await loadMeeting();
  } catch (error) {
    presence.replaceChildren(el('div', { class: 'alert alert--error', role: 'alert' }, errorMessage(error)));
    return;
  }
  await Promise.all([ballot.refresh().catch(() => {}), speakers.refresh().catch(() => {})]);
  onLanguageChange(() => { setConnection(connection.dataset.state); renderMeeting(); if (ballot.poll) ballot.render(ballot.poll, true); speakers.render(); });
  // Live: attendance, agenda or meeting events reload the small state; a poll event
  // (opened, closed) reloads the vote. When the stream fails, the page says so and asks
  // every few seconds instead until it is back.
  const events = new EventSource(`/api/meetings/${session.meeting_id}/events`);
  let fallback = null;
  const poll = () => { loadMeeting().catch(() => {}); ballot.refresh().catch(() => {}); speakers.refresh().catch(() => {}); };
  // Whatever happened before the stream was connected (a scan at the door while the page
  // loaded) is read once when it opens; after a loss, everything is read again.
  let connectedOnce = false;
  events.addEventListener('open', () => {
    setConnection('live');
    if (fallback) { clearInterval(fallback); fallback = null; poll(); }
    else if (!connectedOnce) loadMeeting().then(() => ballot.render(ballot.poll, false)).catch(() => {});
    connectedOnce = true;
  });
  events.addEventListener('error', () => {
    setConnection('lost');
    if (!fallback) fallback = setInterval(poll, 4000);
  });
  for (const kind of ['attendance', 'agenda', 'meeting']) events.addEventListener(kind, () => loadMeeting().then(() => ballot.render(ballot.poll, false)).catch(() => {}));
  // Turnout events of the vote on screen change nothing on the phone.
  events.addEventListener('poll', (event) => ballot.onEvent(JSON.parse(event.data)));
  events.addEventListener('speakers', () => speakers.refresh().catch(() => {}));
}

start();
