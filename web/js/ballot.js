// The ballot of the remote member's page (remote.js), taken from the hall phone's
// (member.js) so both vote alike: when a poll opens it takes the top of the screen (three large buttons,
// focus on it), then a confirmation step and the receipt (tracker); the member's own
// ballot and one per proxy carried; after a secret poll closes, the published list is
// checked for the tracker. The ballot_id lives in sessionStorage, so a retry on a bad
// connection counts once — from the hall or from home, the same rules.
import { api } from './api.js';
import { addMessages, t } from './i18n.js';
import { el, errorMessage } from './ui.js';
import { CHOICES, resultSentence } from './poll-common.js';

addMessages({
  nl: {
    'vote.title': 'Stem over: {title}',
    'vote.about': 'Stemming over: {title}',
    'vote.read': 'Lees het voorstel: tekst en wijzigingen',
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
    'vote.title': 'Vote on: {title}',
    'vote.about': 'Vote on: {title}',
    'vote.read': 'Read the proposal: text and changes',
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

/**
 * createBallot({ section, meetingId: () => id, getMeeting: () => meeting, onRender,
 * words }) draws the vote into section (hidden while there is none) and returns
 * { render(poll, force), refresh(), poll (the poll on screen), onEvent(data) }.
 * onRender(poll) runs before each redraw (the page hides its status message while a
 * vote is on screen); words.not_present / words.now_inside name the messages for a
 * member who was not present at the opening.
 */
export function createBallot({ section, meetingId, getMeeting, onRender = () => {}, words = {} }) {
  const pollSection = section;
  words = { not_present: 'vote.not_present', now_inside: 'vote.not_present_now_inside', ...words };
  const steps = new Map(); // "<poll>:<organisation>" → {step, choice, error}
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

  function renderPoll(poll, force = false) {
    const key = poll ? `${poll.id}:${poll.state}:${JSON.stringify(poll.me)}:${getMeeting()?.me?.inside}` : 'none';
    if (!force && key === shownKey) return;
    const opened = poll?.state === 'open' && currentPoll?.id !== poll.id;
    const hadFocus = pollSection.contains(document.activeElement);
    shownKey = key;
    currentPoll = poll;
    onRender(poll);
    if (!poll || poll.state === 'draft') {
      pollSection.hidden = true;
      pollSection.replaceChildren();
      return;
    }
    const me = poll.me || {};
    const myName = getMeeting()?.me?.name || '';
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
      const reason = me.reason_code === 'represented' ? t('vote.by_proxy') : t(words.not_present);
      parts.push(el('div', { class: 'alert alert--warning', role: 'status', id: 'not-eligible' },
        el('strong', { class: 'alert__title' }, t('vote.not_eligible')), el('p', {}, reason),
        getMeeting()?.me?.inside ? el('p', {}, t(words.now_inside)) : null));
    }
    parts.push(el('p', { class: 'small muted' }, poll.secret ? t('vote.secret') : t('vote.named')), readLink(poll));
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

  async function refreshPoll() {
    const { items } = await api('GET', `/api/meetings/${meetingId()}/polls`);
    const open = items.filter((p) => p.state === 'open').pop();
    const shown = open || items.filter((p) => p.state === 'closed' && !p.superseded_by).pop();
    if (!shown) { renderPoll(null); return; }
    const poll = await api('GET', `/api/polls/${shown.id}`);
    if (poll.secret && poll.state === 'closed' && !published.has(poll.id)) {
      const answer = await api('GET', `/api/polls/${poll.id}/trackers`).catch(() => null);
      if (answer) published.set(poll.id, answer.trackers);
    }
    renderPoll(poll);
  }

  let pollEvent = null;
  /** An SSE poll event: turnout of the vote on screen changes nothing; else reload. */
  function onEvent(data) {
    if (currentPoll && data.poll_id === currentPoll.id && data.state === currentPoll.state) return;
    clearTimeout(pollEvent);
    pollEvent = setTimeout(() => refreshPoll().catch(() => {}), 100);
  }

  return { render: renderPoll, refresh: refreshPoll, onEvent, get poll() { return currentPoll; } };
}
