// The hall's projector (1920×1080, read from the back row): meeting, current agenda
// item and P (present + represented), live over SSE. Polls (next issue) add a section.
import { api } from '../api.js';
import { addMessages, t } from '../i18n.js';
import { staffPage, param, formatDate, errorMessage } from '../ui.js';

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
}

start();
