// The hall's projector (1920×1080, read from the back row): meeting, current agenda
// item and P (present + represented), live over SSE; the poll: live turnout while
// open, after close the result chart against the threshold, the rule in words, the
// outcome and, for a secret poll, the tracker fingerprint.
import { api } from '../api.js';
import { addMessages, t } from '../i18n.js';
import { staffPage, param, formatDate, errorMessage, el } from '../ui.js';
import { turnoutBar, resultChart, thresholdText } from '../poll-common.js';

addMessages({
  nl: {
    'projector.title': 'Projector',
    'projector.present': 'Aanwezig (P)',
    'projector.detail': '{present} in de zaal · {represented} via volmacht · {total} stemgerechtigde leden',
    'projector.item': 'Agendapunt',
    'projector.poll': 'Stemming',
    'projector.live': 'Live bijgewerkt',
    'projector.reconnecting': 'Verbinding herstellen…',
    'projector.closed': 'De vergadering is gesloten.',
  },
  en: {
    'projector.title': 'Projector',
    'projector.present': 'Present (P)',
    'projector.detail': '{present} in the hall · {represented} by proxy · {total} voting members',
    'projector.item': 'Agenda item',
    'projector.poll': 'Vote',
    'projector.live': 'Updated live',
    'projector.reconnecting': 'Reconnecting…',
    'projector.closed': 'The meeting is closed.',
  },
});

const meetingId = Number(param('meeting'));
const live = document.getElementById('projector-live');

function showCounts(counts, total) {
  document.getElementById('projector-eligible').textContent = String(counts.eligible);
  document.getElementById('projector-detail').textContent =
    t('projector.detail', { present: counts.present, represented: counts.represented, total });
}

let total = 0;
async function load() {
  const meeting = await api('GET', `/api/meetings/${meetingId}`);
  total = meeting.members_total;
  document.getElementById('projector-title').textContent = meeting.title;
  document.getElementById('projector-when').textContent =
    meeting.state === 'closed' ? t('projector.closed') : `${formatDate(meeting.date)} · ${meeting.starts_at} · ${meeting.location}`;
  const item = meeting.agenda.find((a) => a.position === meeting.current_item);
  document.getElementById('projector-item').textContent = item ? `${item.position}. ${item.title}` : '–';
  showCounts(meeting.attendance, total);
}

const pollSection = document.getElementById('projector-poll');
let shownPoll = null;

function renderTurnout(cast) {
  const box = document.getElementById('projector-turnout');
  if (!box || !shownPoll) return;
  box.replaceChildren(turnoutBar(cast, shownPoll.eligible),
    el('p', { class: 'agenda-item', id: 'projector-cast', 'aria-live': 'polite' }, t('poll.turnout', { cast, eligible: shownPoll.eligible })));
}

function renderPoll(poll) {
  shownPoll = poll;
  if (!poll) { pollSection.hidden = true; return; }
  pollSection.hidden = false;
  const kind = el('p', { class: 'muted' }, `${t(poll.secret ? 'poll.secret' : 'poll.named')} · ${t('poll.rule', { rule: poll.rule_text })}`);
  if (poll.state === 'open') {
    pollSection.replaceChildren(el('h2', { id: 'poll-label' }, `${t('poll.open')}: ${poll.title}`), kind,
      el('div', { id: 'projector-turnout' }), el('p', {}, `P = ${poll.eligible} · ${thresholdText(poll)}`));
    renderTurnout(poll.cast);
    return;
  }
  const parts = [el('h2', { id: 'poll-label' }, `${t('poll.closed')}: ${poll.title}`),
    el('p', { class: 'poll-outcome', id: 'projector-outcome' }, t(poll.adopted ? 'poll.adopted' : 'poll.rejected')),
    resultChart(poll),
    el('p', {}, t('poll.counts', poll)), kind,
    el('p', {}, `P = ${poll.eligible} · ${thresholdText(poll)}`),
    el('p', {}, poll.explanation)];
  if (poll.fingerprint) parts.push(el('p', { class: 'muted' }, t('poll.fingerprint')), el('p', { class: 'fingerprint', id: 'projector-fingerprint' }, poll.fingerprint));
  pollSection.replaceChildren(...parts);
}

async function loadPoll() {
  const list = await api('GET', `/api/meetings/${meetingId}/polls`);
  const items = list.items || [];
  const open = items.filter((p) => p.state === 'open').pop();
  renderPoll(open || items.filter((p) => p.state === 'closed' && !p.superseded_by).pop() || null);
}

async function start() {
  await staffPage({ title: 'projector.title', roles: ['chair', 'secretariat', 'board', 'admin'] });
  try {
    await load();
  } catch (error) {
    live.textContent = errorMessage(error);
    return;
  }
  const events = new EventSource(`/api/meetings/${meetingId}/events`);
  events.addEventListener('open', () => { live.textContent = t('projector.live'); });
  events.addEventListener('error', () => { live.textContent = t('projector.reconnecting'); });
  // Attendance events carry the counts: no round trip for the busiest event.
  events.addEventListener('attendance', (event) => showCounts(JSON.parse(event.data), total));
  events.addEventListener('agenda', () => load().catch(() => {}));
  events.addEventListener('meeting', () => load().catch(() => {}));
  // Turnout events carry the count; opening and closing reload the poll.
  events.addEventListener('poll', (event) => {
    const data = JSON.parse(event.data);
    if (shownPoll && data.poll_id === shownPoll.id && data.state === 'open' && shownPoll.state === 'open') renderTurnout(data.cast);
    else loadPoll().catch(() => {});
  });
  await loadPoll().catch((error) => { live.textContent = errorMessage(error); });
}

start();
