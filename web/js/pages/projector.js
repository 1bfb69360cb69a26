// The hall's projector (1920×1080 or 1280×720, read from the back row, never scrolls):
// the meeting and the item under discussion; while a vote is open its own P (the count
// at opening), what adoption needs and the turnout (never the choices); after the close
// the result as one large word with the counts and a chart, and for a secret ballot the
// tracker fingerprint. "Nu aanwezig" stays small and separate. Live over SSE.
import { api } from '../api.js';
import { addMessages, t, onLanguageChange } from '../i18n.js';
import { staffPage, param, formatDate, errorMessage, el } from '../ui.js';
import { turnoutBar, resultChart, ruleWords } from '../poll-common.js';
import { channelWord, queueOf } from '../speakers.js';

addMessages({
  nl: {
    'projector.title': 'Projector',
    'projector.now': 'Nu aanwezig: {count}',
    'projector.present': 'Aanwezig',
    'projector.present_detail': '{present} in de zaal · {represented} via volmacht · van {total} stemgerechtigde leden',
    'projector.present_detail_hall': 'van {total} stemgerechtigde leden',
    'projector.present_detail_remote': '{present_hall} in de zaal · {present_remote} op afstand · {represented} via volmacht · van {total} stemgerechtigde leden',
    'projector.now_remote': 'Nu aanwezig: {count} ({present_hall} in de zaal, {present_remote} op afstand)',
    'projector.floor': 'Het woord',
    'projector.next': 'Daarna',
    'projector.floor_waiting': 'Het woord is gevraagd door',
    'projector.item': 'Agendapunt',
    'projector.no_item': 'De vergadering begint zo.',
    'projector.agenda': 'Agenda',
    'projector.vote_open': 'Stemming open',
    'projector.vote_closed': 'Uitslag van de stemming',
    'projector.p': 'Aanwezige leden bij de opening',
    'projector.needed': 'Nodig voor aanname',
    'projector.needed_cast': 'meer voor dan tegen',
    'projector.cast': 'Uitgebracht',
    'projector.cast_of': '{cast} van {eligible}',
    'projector.kind_named': 'Open stemming',
    'projector.kind_secret': 'Geheime stemming',
    'projector.rule': 'Aangenomen als {rule}.',
    'projector.adopted': 'Aangenomen',
    'projector.rejected': 'Verworpen',
    'projector.for': 'Voor', 'projector.against': 'Tegen', 'projector.abstain': 'Onthouding', 'projector.not_voted': 'Niet gestemd',
    'projector.fingerprint': 'Vingerafdruk van de trackers (controleer op uw telefoon)',
    'projector.live': 'Live bijgewerkt',
    'projector.reconnecting': 'Verbinding verbroken — opnieuw verbinden…',
    'projector.closed': 'De vergadering is gesloten.',
  },
  en: {
    'projector.title': 'Projector',
    'projector.now': 'Present now: {count}',
    'projector.present': 'Present',
    'projector.present_detail': '{present} in the hall · {represented} by proxy · of {total} voting members',
    'projector.present_detail_hall': 'of {total} voting members',
    'projector.present_detail_remote': '{present_hall} in the hall · {present_remote} remote · {represented} by proxy · of {total} voting members',
    'projector.now_remote': 'Present now: {count} ({present_hall} in the hall, {present_remote} remote)',
    'projector.floor': 'Speaking',
    'projector.next': 'Next',
    'projector.floor_waiting': 'The floor was asked by',
    'projector.item': 'Agenda item',
    'projector.no_item': 'The meeting starts shortly.',
    'projector.agenda': 'Agenda',
    'projector.vote_open': 'Vote open',
    'projector.vote_closed': 'Result of the vote',
    'projector.p': 'Members present at the opening',
    'projector.needed': 'Needed to adopt',
    'projector.needed_cast': 'more for than against',
    'projector.cast': 'Cast',
    'projector.cast_of': '{cast} of {eligible}',
    'projector.kind_named': 'Open vote',
    'projector.kind_secret': 'Secret ballot',
    'projector.rule': 'Adopted if {rule}.',
    'projector.adopted': 'Adopted',
    'projector.rejected': 'Rejected',
    'projector.for': 'For', 'projector.against': 'Against', 'projector.abstain': 'Abstain', 'projector.not_voted': 'Did not vote',
    'projector.fingerprint': 'Tracker fingerprint (check it on your phone)',
    'projector.live': 'Updated live',
    'projector.reconnecting': 'Connection lost — reconnecting…',
    'projector.closed': 'The meeting is closed.',
  },
});

const meetingId = Number(param('meeting'));
const live = document.getElementById('projector-live');
const panel = document.getElementById('projector-panel');
let meeting = null;
let counts = null;
let shownPoll = null;

let speakers = [];
// Hall and remote apart once the meeting lets members take part remotely (or one did).
const hybrid = () => Boolean(meeting?.electronic_participation || counts?.present_remote);
const hall = () => counts.present_hall ?? counts.present - (counts.present_remote || 0);

const itemOf = (poll) => meeting.agenda.find((item) => (poll.proposal_id ? item.proposal_id === poll.proposal_id : item.id === poll.agenda_item_id));

function figure(label, value, id, extra = '', inWords = false) {
  // A figure in words ("meer voor dan tegen") is set smaller than a number, or it breaks
  // over four lines and pushes the rest of the screen down.
  return el('div', { class: `projector-figure ${extra}` }, el('span', { class: 'projector-figure__label' }, label),
    el('span', { class: `projector-figure__value${inWords ? ' projector-figure__value--words' : ''}`, id }, value));
}

function renderHead() {
  document.getElementById('projector-title').textContent = meeting.title;
  document.getElementById('projector-when').textContent = meeting.state === 'closed'
    ? t('projector.closed') : `${formatDate(meeting.date)} · ${meeting.starts_at} · ${meeting.location}`;
  const item = meeting.agenda.find((a) => a.position === meeting.current_item);
  document.getElementById('projector-item').textContent = item ? `${item.position}. ${item.title}` : t('projector.no_item');
  document.getElementById('projector-now').replaceChildren(el('span', { id: 'projector-present-now', dataset: { count: String(counts.eligible) } },
    hybrid() ? t('projector.now_remote', { count: counts.eligible, present_hall: hall(), present_remote: counts.present_remote || 0 })
      : t('projector.now', { count: counts.eligible })));
}

/* No vote to show: how many are present, large, and the agenda with the current item. */
function renderAgenda(force = false) {
  // Redrawn only when what it shows changes: no flicker on the hall's screen.
  const shown = [counts.eligible, counts.present, counts.present_hall, counts.present_remote, counts.represented];
  const key = JSON.stringify([shown, meeting.agenda.map((item) => item.title), meeting.current_item, meeting.members_total, hybrid()]);
  if (!force && panel.dataset.view === 'agenda' && panel.dataset.key === key) return;
  panel.dataset.key = key;
  panel.dataset.view = 'agenda';
  document.getElementById('projector-now').hidden = true;
  panel.replaceChildren(el('div', { class: 'projector-overview' },
    el('div', { class: 'projector-presence' },
      el('h2', { class: 'projector-label' }, t('projector.present')),
      el('p', { class: 'projector-big', id: 'projector-present' }, String(counts.eligible)),
      el('p', { class: 'muted', id: 'projector-present-detail' }, t(hybrid() ? 'projector.present_detail_remote' : counts.represented ? 'projector.present_detail' : 'projector.present_detail_hall', {
        present: counts.present, present_hall: hall(), present_remote: counts.present_remote || 0, represented: counts.represented, total: meeting.members_total,
      }))),
    el('div', { class: 'projector-agenda' },
      el('h2', { class: 'projector-label' }, t('projector.agenda')),
      el('ol', {}, meeting.agenda.map((item) => el('li', { class: item.position === meeting.current_item ? 'is-current' : null }, item.title))))));
}

function renderTurnout(cast) {
  const box = document.getElementById('projector-turnout');
  if (!box || !shownPoll) return;
  shownPoll.cast = cast;
  document.getElementById('projector-cast').textContent = t('projector.cast_of', { cast, eligible: shownPoll.eligible });
  box.replaceChildren(turnoutBar(cast, shownPoll.eligible));
}

function renderPoll(poll) {
  shownPoll = poll;
  document.getElementById('projector-now').hidden = false;
  const item = itemOf(poll);
  const title = item ? `${item.position}. ${item.title}` : poll.title;
  const kind = t(poll.secret ? 'projector.kind_secret' : 'projector.kind_named');
  const needed = poll.rule === 'majority_of_votes_cast' ? t('projector.needed_cast') : String(poll.threshold);
  panel.dataset.view = poll.state;
  if (poll.state === 'open') {
    panel.replaceChildren(
      el('h2', { class: 'projector-poll-title', id: 'projector-poll', 'aria-label': `${t('projector.vote_open')}: ${title}` }, t('projector.vote_open')),
      el('div', { class: 'projector-figures' },
        figure(t('projector.p'), String(poll.eligible), 'projector-p'),
        figure(t('projector.needed'), needed, 'projector-threshold', '', poll.rule === 'majority_of_votes_cast'),
        figure(t('projector.cast'), t('projector.cast_of', { cast: poll.cast, eligible: poll.eligible }), 'projector-cast', 'projector-figure--wide')),
      el('div', { id: 'projector-turnout', class: 'projector-turnout' }),
      el('p', { class: 'muted projector-rule' }, `${kind} · ${t('projector.rule', { rule: ruleWords(poll.rule) })}`));
    renderTurnout(poll.cast);
    return;
  }
  panel.replaceChildren(...[
    el('h2', { class: 'projector-poll-title', id: 'projector-poll', 'aria-label': `${t('projector.vote_closed')}: ${title}` }, t('projector.vote_closed')),
    el('div', { class: 'projector-result' },
      el('div', { class: 'projector-result__words' },
        el('p', { class: `projector-outcome projector-outcome--${poll.adopted ? 'adopted' : 'rejected'}`, id: 'projector-outcome' },
          t(poll.adopted ? 'projector.adopted' : 'projector.rejected')),
        el('dl', { class: 'projector-counts', id: 'projector-counts' },
          ['for', 'against', 'abstain', 'not_voted'].map((key) => [el('dt', {}, t(`projector.${key}`)), el('dd', {}, String(poll[key]))])),
        el('p', { class: 'projector-needed' }, `${t('projector.needed')}: ${needed} · ${t('projector.p')}: ${poll.eligible}`)),
      el('div', { class: 'projector-result__chart' }, resultChart(poll))),
    el('p', { class: 'muted projector-rule' }, `${kind} · ${t('projector.rule', { rule: ruleWords(poll.rule) })}`),
    poll.fingerprint ? el('p', { class: 'projector-fingerprint' }, el('span', { class: 'muted' }, `${t('projector.fingerprint')}: `),
      el('span', { class: 'fingerprint', id: 'projector-fingerprint' }, poll.fingerprint.replace(/(.{8})(?=.)/g, '$1 '))) : null].filter(Boolean));
}

/* Who speaks and the next three, beside the item under discussion. */
function renderFloor() {
  const box = document.getElementById('projector-floor');
  const { speaking, waiting } = queueOf(speakers);
  // With the floor beside the item everything is a little smaller, so the result still fits.
  document.body.classList.toggle('has-floor', Boolean(speaking || waiting.length));
  if (!speaking && waiting.length === 0) { box.hidden = true; box.replaceChildren(); return; }
  const who = (item) => [item.name, ' ', el('span', { class: 'projector-floor__channel' }, `(${channelWord(item.channel)})`)];
  const next = waiting.slice(0, 3);
  box.replaceChildren(...[
    el('h2', { id: 'floor-label', class: 'projector-label' }, t(speaking ? 'projector.floor' : 'projector.floor_waiting')),
    speaking ? el('p', { class: 'projector-floor__speaker', id: 'projector-speaker' }, who(speaking)) : null,
    // The next three on at most two lines, so the box is never taller than the item beside it.
    next.length ? el('p', { class: 'projector-floor__next' },
      speaking ? el('span', { class: 'projector-label' }, `${t('projector.next')}: `) : null,
      el('span', { id: 'projector-next' }, next.map((item, index) => [index ? ' · ' : '', el('span', { class: 'projector-floor__who' }, who(item))]))) : null,
  ].filter(Boolean));
  box.hidden = false;
}

async function loadSpeakers() {
  speakers = (await api('GET', `/api/meetings/${meetingId}/speakers`)).items || [];
  renderFloor();
}

async function loadMeeting() {
  meeting = await api('GET', `/api/meetings/${meetingId}`);
  counts = meeting.attendance;
  renderHead();
}

/* The vote to show: an open one; else the result of the item under discussion. */
async function loadPoll() {
  const { items } = await api('GET', `/api/meetings/${meetingId}/polls`);
  let poll = items.filter((p) => p.state === 'open').pop();
  if (!poll) {
    const closed = items.filter((p) => p.state === 'closed' && !p.superseded_by);
    poll = meeting.current_item
      ? closed.filter((p) => itemOf(p)?.position === meeting.current_item).pop()
      : closed.pop();
  }
  if (poll) renderPoll(poll);
  else { shownPoll = null; renderAgenda(); }
}

async function reload() {
  await loadMeeting();
  await loadPoll();
}

async function start() {
  await staffPage({ title: 'projector.title', roles: ['chair', 'secretariat', 'board', 'admin'] });
  try {
    await reload();
  } catch (error) {
    live.textContent = errorMessage(error);
    return;
  }
  await loadSpeakers().catch(() => {});
  onLanguageChange(() => { renderHead(); renderFloor(); if (shownPoll) renderPoll(shownPoll); else renderAgenda(true); });
  const events = new EventSource(`/api/meetings/${meetingId}/events`);
  events.addEventListener('speakers', () => loadSpeakers().catch(() => {}));
  events.addEventListener('open', () => { live.textContent = t('projector.live'); live.dataset.state = 'live'; });
  events.addEventListener('error', () => { live.textContent = t('projector.reconnecting'); live.dataset.state = 'lost'; });
  // Attendance events carry the counts: no round trip for the busiest event.
  events.addEventListener('attendance', (event) => {
    counts = JSON.parse(event.data);
    renderHead();
    if (!shownPoll) renderAgenda();
  });
  for (const kind of ['agenda', 'meeting']) events.addEventListener(kind, () => reload().catch(() => {}));
  // Turnout events carry the count; opening and closing reload the poll.
  events.addEventListener('poll', (event) => {
    const data = JSON.parse(event.data);
    if (shownPoll && data.poll_id === shownPoll.id && data.state === 'open' && shownPoll.state === 'open') renderTurnout(data.cast);
    else loadPoll().catch(() => {});
  });
}

start();
