// The delegate's phone during the ALV: the meeting, whether the member is checked in,
// the agenda, and the live poll: text and diff, three large buttons, a confirmation
// step, then the receipt (tracker). The ballot_id lives in sessionStorage, so a retry
// on a bad connection counts once.
import { api, getSession } from '../api.js';
import { addMessages, t, getLanguage, onLanguageChange } from '../i18n.js';
import { publicPage, el, errorMessage, formatDate } from '../ui.js';
import { CHOICES, outcomeBadge } from '../poll-common.js';

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
    'vote.title': 'Stem over: {title}',
    'vote.text': 'Tekst van het voorstel en de wijzigingen',
    'vote.consolidated': 'De artikelen na de wijziging',
    'vote.article': 'Artikel {article}',
    'vote.deleted': 'Dit artikel vervalt.',
    'vote.for_self': 'Uw stem',
    'vote.for_other': 'Stem namens {name} (volmacht)',
    'vote.choose': 'Kies uw stem:',
    'vote.confirm_title': 'Controleer uw keuze',
    'vote.you_choose': 'U stemt:',
    'vote.confirm': 'Bevestig: {choice}',
    'vote.change': 'Wijzig mijn keuze',
    'vote.sending': 'Uw stem wordt verstuurd…',
    'vote.in': 'Uw stem is binnen',
    'vote.tracker': 'Uw tracker (bewaar hem om na afloop te controleren dat uw stem is meegeteld):',
    'vote.your_choice': 'U stemde: {choice}',
    'vote.already': 'Voor deze organisatie is al gestemd. Een tweede stem telt niet.',
    'vote.not_eligible': 'U kunt bij deze stemming niet stemmen',
    'vote.closed': 'De stemming is gesloten.',
    'vote.closed_late': 'De stemming was al gesloten; uw stem is niet meegeteld.',
    'vote.retry': 'Opnieuw versturen',
    'vote.offline': 'Geen verbinding. Uw keuze is bewaard; probeer opnieuw. Uw stem telt hoe vaak u ook opnieuw verstuurt maar één keer.',
    'vote.secret': 'Geheime stemming: niemand kan zien wat u stemt.',
    'vote.named': 'Open stemming: uw stem wordt met de naam van uw organisatie vastgelegd.',
    'vote.result': 'Uitslag: {for} voor, {against} tegen, {abstain} onthouding.',
    'vote.check': 'Uw tracker staat in de gepubliceerde lijst.',
    'vote.check_missing': 'Uw tracker staat NIET in de gepubliceerde lijst. Meld dit bij de voorzitter.',
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
    'vote.title': 'Vote on: {title}',
    'vote.text': 'Text of the proposal and its changes',
    'vote.consolidated': 'The articles after the change',
    'vote.article': 'Article {article}',
    'vote.deleted': 'This article is removed.',
    'vote.for_self': 'Your vote',
    'vote.for_other': 'Vote for {name} (proxy)',
    'vote.choose': 'Choose your vote:',
    'vote.confirm_title': 'Check your choice',
    'vote.you_choose': 'You vote:',
    'vote.confirm': 'Confirm: {choice}',
    'vote.change': 'Change my choice',
    'vote.sending': 'Sending your vote…',
    'vote.in': 'Your vote is in',
    'vote.tracker': 'Your tracker (keep it to check afterwards that your vote was counted):',
    'vote.your_choice': 'You voted: {choice}',
    'vote.already': 'This organisation has already voted. A second vote does not count.',
    'vote.not_eligible': 'You cannot vote in this poll',
    'vote.closed': 'The vote is closed.',
    'vote.closed_late': 'The vote was already closed; your vote was not counted.',
    'vote.retry': 'Send again',
    'vote.offline': 'No connection. Your choice is kept; try again. However often you resend, your vote counts once.',
    'vote.secret': 'Secret ballot: nobody can see what you vote.',
    'vote.named': 'Open vote: your vote is recorded with your organisation’s name.',
    'vote.result': 'Result: {for} for, {against} against, {abstain} abstain.',
    'vote.check': 'Your tracker is in the published list.',
    'vote.check_missing': 'Your tracker is NOT in the published list. Tell the chair.',
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

/* ---- the live poll ------------------------------------------------------ */

const pollSection = document.getElementById('poll');
const steps = new Map(); // "<poll>:<organisation>" → {step, choice, error}
const proposals = new Map(); // poll id → proposal text (fetched once, after the ballot is drawn)
let diffBlock = null; // from cycle-common.js, loaded with the first proposal text
const published = new Map(); // poll id → published trackers (secret polls, after close)
let shownKey = '';
let currentPoll = null;

function ballotKey(pollId, organisationId) { return `alvd.ballot.${pollId}.${organisationId}`; }
function stored(pollId, organisationId) {
  try { return JSON.parse(sessionStorage.getItem(ballotKey(pollId, organisationId)) || 'null'); } catch { return null; }
}
function store(pollId, organisationId, value) {
  sessionStorage.setItem(ballotKey(pollId, organisationId), JSON.stringify(value));
}

function choiceWord(choice) { return t(`poll.${choice}`); }

function proposalText(proposal) {
  if (!proposal) return null;
  return [
    el('details', { class: 'card card--muted' }, el('summary', {}, t('vote.text')),
      (proposal.changes || []).map((change) => el('section', {},
        el('h4', {}, `${t('vote.article', { article: change.article })}${change.title ? ` · ${change.title}` : ''}`),
        change.action === 'delete' ? el('p', {}, t('vote.deleted')) : diffBlock(change.diff)))),
    el('details', { class: 'card card--muted' }, el('summary', {}, t('vote.consolidated')),
      (proposal.consolidated || []).filter((a) => a.changed).map((article) => el('section', {},
        el('h4', {}, `${t('vote.article', { article: article.id })} · ${article.title}`), el('p', { class: 'diff' }, article.text)))),
  ];
}

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
    else if (error.status === 403) steps.set(key, { step: 'refused', error: errorMessage(error) });
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
  const heading = el('h3', { tabindex: '-1', class: 'ballot__heading' }, self ? t('vote.for_self') : t('vote.for_other', { name }));
  const card = el('section', { class: 'card ballot', dataset: { step: state.step, organisation: String(organisationId) } }, heading);
  if (state.step === 'choose') {
    card.append(el('p', { id: `choose-${key}` }, t('vote.choose')),
      el('div', { class: 'vote-buttons', role: 'group', 'aria-labelledby': `choose-${key}` }, CHOICES.map((choice) => el('button', {
        type: 'button', class: `vote-button vote-button--${choice}`,
        onclick: () => { steps.set(key, { step: 'confirm', choice }); renderPoll(poll, true); },
      }, choiceWord(choice)))));
  } else if (state.step === 'confirm') {
    card.append(el('p', {}, t('vote.you_choose')), el('p', { class: 'vote-choice' }, choiceWord(state.choice)),
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
    card.append(el('div', { class: 'result result--success', role: 'status', id: `receipt-${organisationId}` },
      el('p', { class: 'result__title' }, t('vote.in')),
      el('p', { class: 'result__detail' }, t('vote.your_choice', { choice: choiceWord(receipt.choice) }))),
    el('p', {}, t('vote.tracker')), el('p', { class: 'tracker', dataset: { tracker: receipt.tracker } }, receipt.tracker));
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
    card.append(el('p', { class: 'muted' }, t('vote.closed')));
  }
  return card;
}

function renderPoll(poll, force = false) {
  const key = `${poll ? `${poll.id}:${poll.state}:${JSON.stringify(poll.me)}` : 'none'}:${getLanguage()}`;
  if (!force && key === shownKey) return;
  const hadFocus = pollSection.contains(document.activeElement);
  shownKey = key;
  currentPoll = poll;
  if (!poll) {
    pollSection.replaceChildren(el('h2', { id: 'poll-title' }, t('member.poll')), el('p', { class: 'muted', id: 'poll-body' }, t('member.no_poll')));
    return;
  }
  const me = poll.me || {};
  const parts = [el('h2', { id: 'poll-title' }, t('vote.title', { title: poll.title })),
    el('p', { class: 'small muted' }, poll.secret ? t('vote.secret') : t('vote.named'))];
  if (poll.state === 'closed') {
    parts.push(el('div', { class: `alert alert--${poll.adopted ? 'success' : 'warning'}`, role: 'status' },
      el('strong', { class: 'alert__title' }, t('vote.closed'), ' ', outcomeBadge(poll)),
      el('p', {}, t('vote.result', poll))));
  }
  if (me.eligible) parts.push(ballotCard(poll, me.organisation_id, null, true, me.voted));
  for (const other of me.represents || []) parts.push(ballotCard(poll, other.organisation_id, other.name, false, other.voted));
  if (!me.eligible && poll.state === 'open') {
    parts.push(el('div', { class: 'alert alert--error', role: 'alert', id: 'not-eligible' },
      el('strong', { class: 'alert__title' }, t('vote.not_eligible')), el('p', {}, me.reason || '')));
  }
  // Below the ballot: the text arrives later and must not push the buttons down.
  if (poll.state === 'open' || poll.state === 'closed') parts.push(el('div', { class: 'stack', id: 'poll-text' }, proposalText(proposals.get(poll.id))));
  pollSection.replaceChildren(...parts);
  // Keep the one-handed flow: after each step, focus lands on the ballot's heading.
  if (hadFocus || force) pollSection.querySelector('.ballot__heading, h2')?.focus();
}

// The ballot is drawn from one answer; the proposal text (the largest one) and the
// module that draws diffs follow, so on slow Wi-Fi the buttons do not wait for them.
async function refreshPoll(meetingId) {
  const poll = await api('GET', `/api/meetings/${meetingId}/polls/current`);
  if (!poll) { renderPoll(null); return; }
  if (poll.secret && poll.state === 'closed' && !published.has(poll.id)) {
    const answer = await api('GET', `/api/polls/${poll.id}/trackers`).catch(() => null);
    if (answer) published.set(poll.id, answer.trackers);
  }
  renderPoll(poll);
  if (proposals.has(poll.id)) return;
  proposals.set(poll.id, null);
  const [proposal, common] = await Promise.all([
    api('GET', `/api/polls/${poll.id}/proposal`).catch(() => null),
    import('../cycle-common.js').catch(() => null),
  ]);
  if (!proposal || !common) { proposals.delete(poll.id); return; }
  diffBlock = common.diffBlock;
  proposals.set(poll.id, proposal);
  if (currentPoll?.id === poll.id) document.getElementById('poll-text')?.replaceChildren(...proposalText(proposal));
}

async function start() {
  // The ticket page puts the meeting in the URL: then the session, the meeting and its
  // poll are asked for at once (one round trip on hall Wi-Fi); otherwise after the session.
  const hinted = Number(new URLSearchParams(location.search).get('meeting')) || 0;
  const fetchAll = (id) => Promise.all([load(id).then(() => null, (error) => error), refreshPoll(id).catch(() => {})]);
  const early = hinted ? fetchAll(hinted) : null;
  const session = await getSession().catch(() => null);
  if (!session || session.kind !== 'member') {
    presence.replaceChildren(el('div', { class: 'alert alert--warning' }, t('member.login_needed')));
    return;
  }
  const meetingId = session.meeting_id;
  const [failed] = await (meetingId === hinted ? early : fetchAll(meetingId));
  if (meetingId !== hinted) history.replaceState(history.state, '', `${location.pathname}?meeting=${meetingId}`);
  if (failed) {
    presence.replaceChildren(el('div', { class: 'alert alert--error', role: 'alert' }, errorMessage(failed)));
    return;
  }
  onLanguageChange(() => { load(meetingId).catch(() => {}); renderPoll(currentPoll); });
  // Live: every attendance, agenda or meeting event reloads the small state; a poll
  // event (opened, turnout, closed) reloads the poll. When the stream fails, the page
  // asks every few seconds instead.
  const events = new EventSource(`/api/meetings/${meetingId}/events`);
  for (const kind of ['attendance', 'agenda', 'meeting']) {
    events.addEventListener(kind, () => load(meetingId).catch(() => {}));
  }
  let pollEvent = null;
  events.addEventListener('poll', (event) => {
    const data = JSON.parse(event.data);
    // Turnout events of the poll on screen change nothing on the phone.
    if (currentPoll && data.poll_id === currentPoll.id && data.state === currentPoll.state) return;
    clearTimeout(pollEvent);
    pollEvent = setTimeout(() => refreshPoll(meetingId).catch(() => {}), 100);
  });
  let fallback = null;
  events.addEventListener('error', () => {
    if (!fallback) fallback = setInterval(() => refreshPoll(meetingId).catch(() => {}), 4000);
  });
  events.addEventListener('open', () => { clearInterval(fallback); fallback = null; });
}

start();
