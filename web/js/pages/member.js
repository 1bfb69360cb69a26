// The delegate's phone during the ALV. When a vote opens, the ballot is the first thing
// on the screen (three large buttons, focus on it), the proposal one tap away; then a
// confirmation step and the receipt (tracker). Otherwise one message says where the
// member stands (not checked in: the QR for the door; checked in; represented), with
// the agenda below. The connection state is always visible; when the live stream fails
// the page asks every few seconds. Below the status: the speaker list (speakers.js) and,
// where the meeting allows it, the way to take part remotely. The ballot_id lives in sessionStorage, so a retry on
// a bad connection counts once. On slow hall Wi-Fi the ballot comes first: the meeting
// and its poll are asked for with the page itself (its Link header), the proposal text,
// the diff module and the speaker list after the ballot is drawn.
import { api, getSession } from '../api.js';
import { addMessages, t, getLanguage, onLanguageChange } from '../i18n.js';
import { publicPage, el, errorMessage, formatDate } from '../ui.js';
import { CHOICES, resultSentence } from '../poll-common.js';

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
    'vote.title': 'Stem over: {title}',
    'vote.about': 'Stemming over: {title}',
    'vote.read': 'Open het voorstel op een eigen pagina',
    'vote.text': 'Tekst van het voorstel en de wijzigingen',
    'vote.article': 'Artikel {article}',
    'vote.deleted': 'Dit artikel vervalt.',
    'vote.for_self': 'Uw stem voor {name}',
    'vote.for_other': 'Stem namens {name} (volmacht)',
    'vote.choose': 'Kies uw stem:',
    'vote.you_choose': 'U stemt:',
    'vote.confirm': 'Bevestig: {choice}',
    'vote.change': 'Wijzig mijn keuze',
    'vote.sending': 'Uw stem wordt verstuurd…',
    'vote.in': 'Uw stem is binnen',
    'vote.tracker': 'Uw tracker (bewaar hem om na afloop te controleren dat uw stem is meegeteld):',
    'vote.your_choice': 'U stemde: {choice}',
    'vote.already': 'Voor deze organisatie is al gestemd. Een tweede stem telt niet.',
    'vote.not_eligible': 'U stemt niet mee bij deze stemming',
    'vote.not_present': 'U was niet ingecheckt toen de voorzitter deze stemming opende. Alleen wie toen aanwezig was, stemt mee.',
    'vote.not_present_now_inside': 'U bent nu wel ingecheckt: bij de volgende stemming stemt u mee.',
    'vote.by_proxy': 'Bij de opening werd uw organisatie vertegenwoordigd door een gevolmachtigde; die brengt uw stem uit.',
    'vote.closed': 'De stemming is gesloten',
    'vote.closed_late': 'De stemming was al gesloten; uw stem is niet meegeteld.',
    'vote.retry': 'Opnieuw versturen',
    'vote.offline': 'Geen verbinding. Uw keuze is bewaard; probeer opnieuw. Uw stem telt hoe vaak u ook opnieuw verstuurt maar één keer.',
    'vote.secret': 'Geheime stemming: niemand kan zien wat u stemt.',
    'vote.named': 'Open stemming: uw stem wordt met de naam van uw organisatie vastgelegd.',
    'vote.check': 'Uw tracker staat in de gepubliceerde lijst: uw stem is meegeteld.',
    'vote.check_missing': 'Uw tracker staat NIET in de gepubliceerde lijst. Meld dit bij de voorzitter.',
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
    'vote.title': 'Vote on: {title}',
    'vote.about': 'Vote on: {title}',
    'vote.read': 'Open the proposal on its own page',
    'vote.text': 'Text of the proposal and its changes',
    'vote.article': 'Article {article}',
    'vote.deleted': 'This article is removed.',
    'vote.for_self': 'Your vote for {name}',
    'vote.for_other': 'Vote for {name} (proxy)',
    'vote.choose': 'Choose your vote:',
    'vote.you_choose': 'You vote:',
    'vote.confirm': 'Confirm: {choice}',
    'vote.change': 'Change my choice',
    'vote.sending': 'Sending your vote…',
    'vote.in': 'Your vote is in',
    'vote.tracker': 'Your tracker (keep it to check afterwards that your vote was counted):',
    'vote.your_choice': 'You voted: {choice}',
    'vote.already': 'This organisation has already voted. A second vote does not count.',
    'vote.not_eligible': 'You do not vote in this poll',
    'vote.not_present': 'You were not checked in when the chair opened this vote. Only those present then take part.',
    'vote.not_present_now_inside': 'You are checked in now: you take part in the next vote.',
    'vote.by_proxy': 'At the opening your organisation was represented by a proxy holder, who casts your vote.',
    'vote.closed': 'The vote is closed',
    'vote.closed_late': 'The vote was already closed; your vote was not counted.',
    'vote.retry': 'Send again',
    'vote.offline': 'No connection. Your choice is kept; try again. However often you resend, your vote counts once.',
    'vote.secret': 'Secret ballot: nobody can see what you vote.',
    'vote.named': 'Open vote: your vote is recorded with your organisation’s name.',
    'vote.check': 'Your tracker is in the published list: your vote was counted.',
    'vote.check_missing': 'Your tracker is NOT in the published list. Tell the chair.',
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

/* A closed vote stays on top while its item is under discussion; once the chair has
   moved on, the phone follows the meeting (the result stays on the projector and in the minutes). */
function movedOn(poll) {
  if (!poll || poll.state !== 'closed' || !meeting?.current_item) return false;
  const item = meeting.agenda.find((a) => (poll.proposal_id ? a.proposal_id === poll.proposal_id : a.id === poll.agenda_item_id));
  return Boolean(item) && item.position !== meeting.current_item;
}

/* One message for one state. While a vote is on screen, the vote section says it all. */
function renderStatus() {
  if (!meeting) return;
  if (currentPoll && (currentPoll.state === 'open' || currentPoll.state === 'closed') && !movedOn(currentPoll)) { presence.replaceChildren(); delete presence.dataset.shown; return; }
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
  speakers().then((panel) => panel.render()).catch(() => {});
}

/* The speaker list (speakers.js): ask for the floor once at a time, withdraw. Its module
   is loaded on first use, after the ballot: on hall Wi-Fi it is not on the way to the buttons. */
let speakerPanel = null;
function speakers() {
  speakerPanel ||= import('../speakers.js').then(({ createSpeakerPanel }) => createSpeakerPanel({
    container: speakersBox, meetingId: () => session.meeting_id, getMeeting: () => meeting,
    canSpeak: () => Boolean(meeting?.me?.inside) && meeting.state === 'open',
  }), (error) => { speakerPanel = null; throw error; });
  return speakerPanel;
}

/* ---- the vote ------------------------------------------------------------------ */

const steps = new Map(); // "<poll>:<organisation>" → {step, choice, error}
const published = new Map(); // poll id → published trackers (secret polls, after close)
const proposals = new Map(); // poll id → proposal text (fetched once, after the ballot is drawn)
let diffBlock = null; // from cycle-common.js, loaded with the first proposal text
let shownKey = '';
let currentPoll = null;

function ballotKey(pollId, organisationId) { return `alvd.ballot.${pollId}.${organisationId}`; }
function stored(pollId, organisationId) {
  try { return JSON.parse(sessionStorage.getItem(ballotKey(pollId, organisationId)) || 'null'); } catch { return null; }
}
function store(pollId, organisationId, value) {
  sessionStorage.setItem(ballotKey(pollId, organisationId), JSON.stringify(value));
}
const choiceWord = (choice) => t(`poll.${choice}`);

async function send(poll, organisationId, self) {
  const key = `${poll.id}:${organisationId}`;
  const ballot = stored(poll.id, organisationId);
  steps.set(key, { step: 'sending', choice: ballot.choice });
  renderPoll(poll, true);
  try {
    const body = { choice: ballot.choice, ballot_id: ballot.ballot_id };
    if (!self) body.on_behalf_of = organisationId;
    const answer = await api('POST', `/api/polls/${poll.id}/votes`, body);
    store(poll.id, organisationId, { ...ballot, tracker: answer.tracker });
    steps.set(key, { step: 'done', choice: ballot.choice });
  } catch (error) {
    if (error.status === 409 && error.code === 'poll_closed') steps.set(key, { step: 'late' });
    else if (error.status === 409 && error.code === 'already_voted') steps.set(key, { step: 'already' });
    else if (error.status === 403 || error.status === 409) steps.set(key, { step: 'refused', error: errorMessage(error) });
    else steps.set(key, { step: 'offline', choice: ballot.choice, error: error.status ? errorMessage(error) : null });
  }
  renderPoll(poll, true);
}

function ballotCard(poll, organisationId, name, self, voted) {
  const key = `${poll.id}:${organisationId}`;
  const ballot = stored(poll.id, organisationId);
  let state = steps.get(key) || { step: 'choose' };
  // A receipt wins; a stored ballot without receipt is retried with the same ballot_id
  // (the server then answers with the same tracker); only then "already voted".
  if (ballot?.tracker) state = { step: 'done', choice: ballot.choice };
  else if (ballot && state.step === 'choose') state = { step: 'offline', choice: ballot.choice };
  else if (voted && state.step === 'choose') state = { step: 'already' };
  if (poll.state === 'closed' && state.step !== 'done') state = { step: state.step === 'late' ? 'late' : 'closed' };
  const heading = el('h3', { tabindex: '-1', class: 'ballot__heading' }, self ? t('vote.for_self', { name }) : t('vote.for_other', { name }));
  const card = el('section', { class: 'ballot', dataset: { step: state.step, organisation: String(organisationId) } }, heading);
  if (state.step === 'choose') {
    card.append(el('p', { id: `choose-${key}`, class: 'visually-hidden' }, t('vote.choose')),
      el('div', { class: 'vote-buttons', role: 'group', 'aria-labelledby': `choose-${key}` }, CHOICES.map((choice) => el('button', {
        type: 'button', class: `vote-button vote-button--${choice}`,
        onclick: () => { steps.set(key, { step: 'confirm', choice }); renderPoll(poll, true); },
      }, choiceWord(choice)))));
  } else if (state.step === 'confirm') {
    card.append(el('p', { class: 'vote-you' }, t('vote.you_choose'), ' ', el('strong', { class: 'vote-choice' }, choiceWord(state.choice))),
      el('div', { class: 'vote-buttons' },
        el('button', {
          type: 'button', class: `vote-button vote-button--${state.choice}`,
          onclick: () => {
            // The ballot_id is made once, before the first send, and kept for retries.
            if (!stored(poll.id, organisationId)) store(poll.id, organisationId, { ballot_id: crypto.randomUUID(), choice: state.choice });
            send(poll, organisationId, self);
          },
        }, t('vote.confirm', { choice: choiceWord(state.choice) })),
        el('button', { type: 'button', class: 'vote-button', onclick: () => { steps.set(key, { step: 'choose' }); renderPoll(poll, true); } }, t('vote.change'))));
  } else if (state.step === 'sending') {
    card.append(el('p', { role: 'status' }, el('span', { class: 'spinner', 'aria-hidden': 'true' }), ' ', t('vote.sending')));
  } else if (state.step === 'offline') {
    card.append(el('div', { class: 'alert alert--warning', role: 'alert' }, state.error || t('vote.offline')),
      el('p', {}, t('vote.you_choose'), ' ', el('strong', {}, choiceWord(state.choice))),
      el('button', { type: 'button', class: 'button button--block', onclick: () => send(poll, organisationId, self) }, t('vote.retry')));
  } else if (state.step === 'done') {
    const receipt = stored(poll.id, organisationId);
    card.append(el('div', { class: 'result result--success result--compact', role: 'status', id: `receipt-${organisationId}` },
      el('p', { class: 'result__title' }, t('vote.in')),
      el('p', { class: 'result__detail' }, t('vote.your_choice', { choice: choiceWord(receipt.choice) }))),
    el('p', { class: 'small' }, t('vote.tracker')), el('p', { class: 'tracker', dataset: { tracker: receipt.tracker } }, receipt.tracker));
    const list = published.get(poll.id);
    if (list) {
      const found = list.includes(receipt.tracker);
      card.append(el('div', { class: `alert alert--${found ? 'success' : 'error'}`, role: 'status', id: `check-${organisationId}` },
        t(found ? 'vote.check' : 'vote.check_missing')));
    }
  } else if (state.step === 'already') {
    card.append(el('div', { class: 'alert alert--warning', role: 'status' }, t('vote.already')));
  } else if (state.step === 'late') {
    card.append(el('div', { class: 'alert alert--error', role: 'alert' }, t('vote.closed_late')));
  } else if (state.step === 'refused') {
    card.append(el('div', { class: 'alert alert--error', role: 'alert' }, state.error));
  } else {
    return null; // closed without a vote from this phone: the result above says it all
  }
  return card;
}

function readLink(poll) {
  if (poll.kind === 'decision' || !poll.proposal_id) return null;
  return el('p', { class: 'member-read' }, el('a', { href: `/voorstel.html?poll=${poll.id}`, id: 'poll-proposal-link' }, t('vote.read')));
}

/* The changes, folded below the ballot; null until the text has arrived. Kept across
   re-renders of the same poll (an unfolded text stays unfolded while the member votes). */
function proposalText(poll) {
  const proposal = proposals.get(poll.id);
  if (!proposal) return null;
  const kept = document.getElementById('poll-text');
  if (kept && kept.dataset.poll === String(poll.id) && kept.lang === getLanguage()) return kept;
  return el('div', { class: 'card card--muted', id: 'poll-text', lang: getLanguage(), dataset: { poll: String(poll.id) } }, el('details', {},
    el('summary', {}, t('vote.text')),
    (proposal.changes || []).map((change) => el('section', {},
      el('h3', {}, `${t('vote.article', { article: change.article })}${change.title ? ` · ${change.title}` : ''}`),
      change.action === 'delete' ? el('p', {}, t('vote.deleted')) : diffBlock(change.diff)))));
}

function renderPoll(poll, force = false) {
  const key = poll ? `${poll.id}:${poll.state}:${JSON.stringify(poll.me)}:${meeting?.me?.inside}:${movedOn(poll)}` : 'none';
  if (!force && key === shownKey) return;
  const opened = poll?.state === 'open' && currentPoll?.id !== poll.id;
  const hadFocus = pollSection.contains(document.activeElement);
  shownKey = key;
  currentPoll = poll;
  renderStatus();
  if (!poll || poll.state === 'draft' || movedOn(poll)) {
    pollSection.hidden = true;
    pollSection.replaceChildren();
    return;
  }
  const me = poll.me || {};
  const myName = meeting?.me?.name || '';
  const asked = poll.state === 'open' && (me.eligible || (me.represents || []).length > 0);
  const parts = [el('h2', { id: 'poll-title', tabindex: '-1', class: 'member-poll__title' }, t(asked ? 'vote.title' : 'vote.about', { title: poll.title }))];
  if (poll.state === 'closed') {
    parts.push(el('div', { class: `alert alert--${poll.adopted ? 'success' : 'warning'}`, role: 'status', id: 'poll-result' },
      el('strong', { class: 'alert__title' }, t('vote.closed')), el('p', {}, resultSentence(poll))));
  }
  const ballots = [];
  if (me.eligible) ballots.push(ballotCard(poll, me.organisation_id, myName, true, me.voted));
  for (const other of me.represents || []) ballots.push(ballotCard(poll, other.organisation_id, other.name, false, other.voted));
  parts.push(...ballots.filter(Boolean));
  if (!me.eligible && poll.state === 'open') {
    const reason = me.reason_code === 'represented' ? t('vote.by_proxy') : t('vote.not_present');
    parts.push(el('div', { class: 'alert alert--warning', role: 'status', id: 'not-eligible' },
      el('strong', { class: 'alert__title' }, t('vote.not_eligible')), el('p', {}, reason),
      meeting?.me?.inside ? el('p', {}, t('vote.not_present_now_inside')) : null));
  }
  // Below the ballot: the text arrives later and must not push the buttons down.
  parts.push(el('p', { class: 'small muted' }, poll.secret ? t('vote.secret') : t('vote.named')), proposalText(poll), readLink(poll));
  pollSection.replaceChildren(...parts.filter(Boolean));
  pollSection.hidden = false;
  // A vote that just opened takes the screen and the focus; later steps keep the focus
  // on the ballot (one-handed: the next button is where the thumb is).
  if (opened) {
    window.scrollTo({ top: 0 });
    (pollSection.querySelector('.ballot__heading') || pollSection.querySelector('#poll-title')).focus({ preventScroll: true });
  } else if (hadFocus || force) {
    (pollSection.querySelector('.ballot__heading') || pollSection.querySelector('#poll-title'))?.focus({ preventScroll: true });
  }
}

/* The poll a phone shows, in one request (null when there is none). */
async function fetchPoll(meetingId) {
  const poll = await api('GET', `/api/meetings/${meetingId}/polls/current`, undefined, { preloadable: true });
  if (poll?.secret && poll.state === 'closed' && !published.has(poll.id)) {
    const answer = await api('GET', `/api/polls/${poll.id}/trackers`).catch(() => null);
    if (answer) published.set(poll.id, answer.trackers);
  }
  return poll;
}

/* The ballot is drawn first; the proposal text (the largest answer) and the module that
   draws diffs follow and land below it, so on slow Wi-Fi the buttons do not wait. */
async function showPoll(poll) {
  renderPoll(poll);
  if (!poll || poll.kind === 'decision' || !poll.proposal_id || proposals.has(poll.id)) return;
  proposals.set(poll.id, null);
  const [proposal, common] = await Promise.all([
    api('GET', `/api/polls/${poll.id}/proposal`).catch(() => null),
    import('../cycle-common.js').catch(() => null),
  ]);
  if (!proposal || !common) { proposals.delete(poll.id); return; }
  diffBlock = common.diffBlock;
  proposals.set(poll.id, proposal);
  // Put in place without redrawing the ballot: the buttons and the focus stay where they are.
  if (currentPoll?.id === poll.id && !document.getElementById('poll-text')) pollSection.querySelector('.member-read')?.before(proposalText(currentPoll));
}

async function refreshPoll() {
  await showPoll(await fetchPoll(session.meeting_id));
}

async function start() {
  // The ticket page puts the meeting in the URL: then the session, the meeting and its
  // poll are asked for at once (one round trip on hall Wi-Fi); otherwise after the session.
  const hinted = Number(new URLSearchParams(location.search).get('meeting')) || 0;
  const fetchBoth = (id) => Promise.all([
    api('GET', `/api/meetings/${id}`, undefined, { preloadable: true }).then((answer) => ({ answer }), (error) => ({ error })),
    fetchPoll(id).then((poll) => ({ poll }), () => null),
  ]);
  const early = hinted ? fetchBoth(hinted) : null;
  session = await getSession().catch(() => null);
  if (!session || session.kind !== 'member') {
    setConnection('connecting');
    connection.hidden = true;
    presence.replaceChildren(el('div', { class: 'alert alert--warning' }, t('member.login_needed')));
    return;
  }
  const [loaded, current] = await (session.meeting_id === hinted ? early : fetchBoth(session.meeting_id));
  if (session.meeting_id !== hinted) history.replaceState(history.state, '', `${location.pathname}?meeting=${session.meeting_id}`);
  if (loaded.error) {
    presence.replaceChildren(el('div', { class: 'alert alert--error', role: 'alert' }, errorMessage(loaded.error)));
    return;
  }
  meeting = loaded.answer;
  renderMeeting();
  if (current) showPoll(current.poll).catch(() => {});
  speakers().then((panel) => panel.refresh()).catch(() => {});
  onLanguageChange(() => { setConnection(connection.dataset.state); renderMeeting(); if (currentPoll) renderPoll(currentPoll, true); speakers().then((panel) => panel.render()).catch(() => {}); });
  // Live: attendance, agenda or meeting events reload the small state; a poll event
  // (opened, closed) reloads the vote. When the stream fails, the page says so and asks
  // every few seconds instead until it is back.
  // A dropped stream is retried by the browser itself; a refused one (an error answer,
  // e.g. while alvd restarts behind the proxy) is not, so the page opens a new one.
  let fallback = null;
  let reopen = null;
  let pollEvent = null;
  const poll = () => { loadMeeting().catch(() => {}); refreshPoll().catch(() => {}); speakers().then((panel) => panel.refresh()).catch(() => {}); };
  // Whatever happened before the stream was connected (a scan at the door while the page
  // loaded) is read once when it first opens.
  let connectedOnce = false;
  const listen = () => {
    const events = new EventSource(`/api/meetings/${session.meeting_id}/events`);
    events.addEventListener('open', () => {
      setConnection('live');
      if (fallback) { clearInterval(fallback); fallback = null; poll(); }
      else if (!connectedOnce) loadMeeting().then(() => renderPoll(currentPoll, false)).catch(() => {});
      connectedOnce = true;
    });
    events.addEventListener('error', () => {
      setConnection('lost');
      if (!fallback) fallback = setInterval(poll, 4000);
      if (events.readyState === EventSource.CLOSED && !reopen) reopen = setTimeout(() => { reopen = null; listen(); }, 5000);
    });
    for (const kind of ['attendance', 'agenda', 'meeting']) events.addEventListener(kind, () => loadMeeting().then(() => renderPoll(currentPoll, false)).catch(() => {}));
    events.addEventListener('speakers', () => speakers().then((panel) => panel.refresh()).catch(() => {}));
    events.addEventListener('poll', (event) => {
      const data = JSON.parse(event.data);
      // Turnout events of the vote on screen change nothing on the phone.
      if (currentPoll && data.poll_id === currentPoll.id && data.state === currentPoll.state) return;
      clearTimeout(pollEvent);
      pollEvent = setTimeout(() => refreshPoll().catch(() => {}), 100);
    });
  };
  listen();
}

start();
