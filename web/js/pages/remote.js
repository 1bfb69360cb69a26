// The member who takes part from afar (BW 2:38a): joins with a one-time code mailed to
// the organisation's registered address, then counts as present exactly as in the hall.
// On a laptop the stream fills the left, what the member does sits on the right; on a
// phone the ballot comes first. The page shows the stream (alvd does not carry video),
// the item under discussion with the proposal's text, the same ballot, confirmation and
// receipt as the hall phone (ballot.js), the speaker list and a written contribution to
// the chair. It keeps the member's presence alive while it is open.
import { api, getSession } from '../api.js';
import { addMessages, t, onLanguageChange } from '../i18n.js';
import { publicPage, el, param, errorMessage, formatDate, setBusy } from '../ui.js';
import { handleSubmit, formMessage } from '../forms.js';
import { confirmDialog } from '../dialog.js';
import { diffBlock } from '../cycle-common.js';
import { createBallot } from '../ballot.js';
import { createSpeakerPanel } from '../speakers.js';

addMessages({
  nl: {
    'remote.help': 'Zo werkt deelnemen op afstand',
    'remote.help1': 'Vraag een code aan. Die komt binnen een minuut op het e-mailadres waarop uw organisatie de stukken voor de ALV ontvangt, en is tien minuten geldig.',
    'remote.help2': 'Vul de code in. Vanaf dat moment telt u mee als aanwezig, net als in de zaal.',
    'remote.help3': 'Opent de voorzitter een stemming, dan verschijnt het stembiljet bovenaan deze pagina. U stemt zoals in de zaal: kiezen, bevestigen, en u krijgt een ontvangstbewijs.',
    'remote.help4': 'Wilt u iets zeggen, vraag dan het woord. U kunt de voorzitter ook een schriftelijke bijdrage sturen.',
    'remote.help5': 'Houd deze pagina open. Is de verbinding langer dan een paar minuten weg, dan wordt u afgemeld; zodra de pagina weer verbinding heeft, telt u weer mee.',
    'remote.title': 'Algemene Ledenvergadering op afstand',
    'remote.page_title': 'ALV op afstand',
    'member.connecting': 'Verbinden…',
    'remote.live': 'Verbonden: deze pagina werkt zichzelf bij',
    'remote.lost': 'Verbinding verbroken — opnieuw verbinden…',
    'remote.for': 'Aangemeld voor {name}',
    'remote.when': '{date} om {time} uur · {location}',
    'remote.login_needed': 'Open de ticketlink uit de oproeping en klik op “Aanmelden”. Daarna komt u op deze pagina.',
    'remote.stream': 'Uitzending van de vergadering',
    'remote.stream_open': 'Uitzending openen in een nieuw venster',
    'remote.stream_hint': 'Ziet u hierboven geen beeld? Open de uitzending in een nieuw venster en houd deze pagina open om te stemmen.',
    'remote.no_stream': 'Het secretariaat heeft nog geen uitzending ingesteld. Zodra die er is, verschijnt zij hier.',
    'remote.now': 'Nu aan de orde',
    'remote.no_item': 'De vergadering is nog niet begonnen.',
    'remote.text': 'Tekst van het voorstel en de wijzigingen',
    'remote.text_loading': 'De tekst wordt geladen…',
    'remote.rationale': 'Toelichting',
    'remote.article': 'Artikel {article}',
    'remote.deleted': 'Dit artikel vervalt.',
    'remote.changes_hint': 'Doorgehaalde tekst vervalt, onderstreepte tekst komt erbij.',
    'remote.agenda': 'De hele agenda',
    'remote.join_title': 'Deelnemen op afstand',
    'remote.join_text': 'Om mee te tellen en te stemmen moet vaststaan dat u het bent. Wij sturen een code van zes cijfers naar het e-mailadres waarop {name} de stukken voor de ALV ontvangt.',
    'remote.send_code': 'Code aanvragen',
    'remote.sending': 'De code wordt verstuurd…',
    'remote.code_sent': 'De code is verstuurd naar {address}. Hij is tien minuten geldig en werkt één keer.',
    'remote.code_sent_plain': 'De code is verstuurd naar het e-mailadres van uw organisatie. Hij is tien minuten geldig en werkt één keer.',
    'remote.code': 'Code uit de e-mail',
    'remote.code_hint': 'Zes cijfers, bijvoorbeeld 482913.',
    'remote.code_required': 'Vul de code van zes cijfers uit de e-mail in.',
    'remote.code_pattern': 'De code bestaat uit zes cijfers, zonder spaties.',
    'remote.bad_code': 'Deze code klopt niet, is verlopen of is al gebruikt. Vraag een nieuwe code aan.',
    'remote.too_many': 'U heeft te vaak een code gevraagd of ingevuld. Wacht een paar minuten en probeer het dan opnieuw.',
    'remote.join': 'Deelnemen',
    'remote.new_code': 'Nieuwe code aanvragen',
    'remote.off': 'Bij deze vergadering kunt u niet op afstand deelnemen',
    'remote.off_text': 'De statuten of het bestuur staan dat voor deze vergadering niet toe. Kom naar de zaal, of geef een ander lid een schriftelijke volmacht.',
    'remote.in_hall': 'U bent nu in de zaal ingecheckt. Neemt u op afstand deel, dan wordt u in de zaal uitgecheckt: u telt maar één keer.',
    'remote.joined': 'U neemt op afstand deel',
    'remote.joined_text': '{name} telt mee als aanwezig. Zodra de voorzitter een stemming opent, verschijnt die bovenaan deze pagina.',
    'remote.keep_open': 'Houd deze pagina open. Is de verbinding langer dan {minutes} minuten weg, dan wordt u afgemeld.',
    'remote.keep_open_seconds': 'Houd deze pagina open. Is de verbinding langer dan {seconds} seconden weg, dan wordt u afgemeld.',
    'remote.leave': 'Deelname beëindigen',
    'remote.leave_title': 'Deelname op afstand beëindigen?',
    'remote.leave_body': 'Vanaf nu telt {name} niet meer mee als aanwezig en kunt u niet meer stemmen. U kunt later met een nieuwe code weer deelnemen.',
    'remote.left': 'U neemt niet meer deel. Met een nieuwe code kunt u weer deelnemen.',
    'remote.dropped': 'U bent afgemeld omdat de verbinding te lang weg was. Vraag een nieuwe code aan om weer mee te tellen.',
    'remote.ended_hall': 'U bent in de zaal uitgecheckt en neemt nu op afstand deel.',
    'remote.represented': 'Uw organisatie wordt vertegenwoordigd door een gevolmachtigde; die stemt namens u.',
    'remote.closed': 'De vergadering is gesloten',
    'remote.closed_text': 'Dank u wel voor uw deelname.',
    'remote.vote_not_present': 'U nam nog niet deel toen de voorzitter deze stemming opende. Alleen wie toen aanwezig was, stemt mee.',
    'remote.vote_now_inside': 'U neemt nu deel: bij de volgende stemming stemt u mee.',
    'remote.contribution_title': 'Schriftelijke bijdrage aan de voorzitter',
    'remote.contribution': 'Uw bijdrage',
    'remote.contribution_hint': 'De voorzitter beslist of uw bijdrage wordt voorgelezen. Alle bijdragen komen in de notulen. Hoogstens 2000 tekens.',
    'remote.contribution_send': 'Bijdrage versturen',
    'remote.contribution_sent': 'Uw bijdrage is verstuurd naar de voorzitter.',
    'remote.contribution_required': 'Schrijf uw bijdrage voordat u haar verstuurt.',
    'remote.yours': 'Uw bijdragen',
    'remote.state.new': 'Nog niet behandeld', 'remote.state.read_out': 'Voorgelezen', 'remote.state.not_read_out': 'Niet voorgelezen',
  },
  en: {
    'remote.help': 'How remote participation works',
    'remote.help1': 'Ask for a code. It arrives within a minute at the e-mail address where your organisation receives the meeting papers, and is valid for ten minutes.',
    'remote.help2': 'Enter the code. From then on you count as present, just as in the hall.',
    'remote.help3': 'When the chair opens a vote, the ballot appears at the top of this page. You vote as in the hall: choose, confirm, and you get a receipt.',
    'remote.help4': 'To say something, ask for the floor. You can also send the chair a written contribution.',
    'remote.help5': 'Keep this page open. If the connection is gone for more than a few minutes, you are checked out; as soon as the page is connected again, you count again.',
    'remote.title': 'Members’ meeting, remote',
    'remote.page_title': 'Meeting, remote',
    'member.connecting': 'Connecting…',
    'remote.live': 'Connected: this page updates itself',
    'remote.lost': 'Connection lost — reconnecting…',
    'remote.for': 'Signed in for {name}',
    'remote.when': '{date} at {time} · {location}',
    'remote.login_needed': 'Open the ticket link from the convocation and click “Sign in”. You then come to this page.',
    'remote.stream': 'Stream of the meeting',
    'remote.stream_open': 'Open the stream in a new window',
    'remote.stream_hint': 'No picture above? Open the stream in a new window and keep this page open to vote.',
    'remote.no_stream': 'The secretariat has not set up a stream yet. It appears here once it has.',
    'remote.now': 'Under discussion',
    'remote.no_item': 'The meeting has not started yet.',
    'remote.text': 'Text of the proposal and its changes',
    'remote.text_loading': 'Loading the text…',
    'remote.rationale': 'Rationale',
    'remote.article': 'Article {article}',
    'remote.deleted': 'This article is removed.',
    'remote.changes_hint': 'Struck-through text goes, underlined text is added.',
    'remote.agenda': 'The whole agenda',
    'remote.join_title': 'Take part remotely',
    'remote.join_text': 'To count and vote, it must be certain that it is you. We send a six-digit code to the e-mail address where {name} receives the meeting papers.',
    'remote.send_code': 'Ask for a code',
    'remote.sending': 'Sending the code…',
    'remote.code_sent': 'The code was sent to {address}. It is valid for ten minutes and works once.',
    'remote.code_sent_plain': 'The code was sent to your organisation’s e-mail address. It is valid for ten minutes and works once.',
    'remote.code': 'Code from the e-mail',
    'remote.code_hint': 'Six digits, for example 482913.',
    'remote.code_required': 'Enter the six-digit code from the e-mail.',
    'remote.code_pattern': 'The code is six digits, without spaces.',
    'remote.bad_code': 'This code is wrong, has expired or was already used. Ask for a new code.',
    'remote.too_many': 'You asked for or entered a code too often. Wait a few minutes and try again.',
    'remote.join': 'Take part',
    'remote.new_code': 'Ask for a new code',
    'remote.off': 'You cannot take part remotely in this meeting',
    'remote.off_text': 'The statutes or the board do not allow it for this meeting. Come to the hall, or give another member a written proxy.',
    'remote.in_hall': 'You are checked in in the hall now. If you take part remotely, you are checked out in the hall: you count once.',
    'remote.joined': 'You take part remotely',
    'remote.joined_text': '{name} counts as present. When the chair opens a vote, it appears at the top of this page.',
    'remote.keep_open': 'Keep this page open. If the connection is lost for longer than {minutes} minutes, you are checked out.',
    'remote.keep_open_seconds': 'Keep this page open. If the connection is lost for longer than {seconds} seconds, you are checked out.',
    'remote.leave': 'Stop taking part',
    'remote.leave_title': 'Stop taking part remotely?',
    'remote.leave_body': 'From now on {name} no longer counts as present and you cannot vote. You can take part again later with a new code.',
    'remote.left': 'You no longer take part. With a new code you can take part again.',
    'remote.dropped': 'You were checked out because the connection was lost for too long. Ask for a new code to count again.',
    'remote.ended_hall': 'You were checked out in the hall and now take part remotely.',
    'remote.represented': 'Your organisation is represented by a proxy holder, who votes for you.',
    'remote.closed': 'The meeting is closed',
    'remote.closed_text': 'Thank you for taking part.',
    'remote.vote_not_present': 'You were not taking part yet when the chair opened this vote. Only those present then vote.',
    'remote.vote_now_inside': 'You take part now: you vote in the next vote.',
    'remote.contribution_title': 'Written contribution to the chair',
    'remote.contribution': 'Your contribution',
    'remote.contribution_hint': 'The chair decides whether your contribution is read out. All contributions go into the minutes. At most 2000 characters.',
    'remote.contribution_send': 'Send contribution',
    'remote.contribution_sent': 'Your contribution was sent to the chair.',
    'remote.contribution_required': 'Write your contribution before you send it.',
    'remote.yours': 'Your contributions',
    'remote.state.new': 'Not dealt with yet', 'remote.state.read_out': 'Read out', 'remote.state.not_read_out': 'Not read out',
  },
});

publicPage({ title: 'remote.page_title' });

const connection = document.getElementById('remote-connection');
const presence = document.getElementById('remote-presence');
const streamBox = document.getElementById('remote-stream');
const itemBox = document.getElementById('remote-item');
const contributionBox = document.getElementById('remote-contribution');
let session = null;
let meeting = null;
let joinStep = 'start'; // start → code (a code was sent) ; joined is read from the meeting
let sentTo = null;
let note = null; // { kind, key } a sentence about the last thing that happened
let wasJoined = false;
let contributions = [];
const proposals = new Map(); // agenda item id → proposal (or an error sentence)

const meetingId = () => meeting?.id || Number(param('meeting')) || session?.meeting_id;
const joined = () => Boolean(meeting?.me?.inside) && meeting.me.channel === 'remote';
const deliberation = () => meeting?.remote_deliberation !== false;

function setConnection(state) {
  connection.dataset.state = state;
  connection.textContent = t({ live: 'remote.live', lost: 'remote.lost', connecting: 'member.connecting' }[state]);
}

/* ---- the stream: drawn once per address, never reloaded by an update ---------- */

function renderStream() {
  const url = meeting.stream_url || '';
  if (streamBox.dataset.url === url && streamBox.childElementCount > 1) return;
  streamBox.dataset.url = url;
  const heading = streamBox.querySelector('h2');
  let safe = null;
  try { safe = /^https?:$/.test(new URL(url).protocol) ? url : null; } catch { safe = null; }
  if (!safe) {
    streamBox.replaceChildren(heading, el('div', { class: 'stream-frame stream-frame--empty' }, el('p', {}, t('remote.no_stream'))));
    return;
  }
  streamBox.replaceChildren(heading,
    el('div', { class: 'stream-frame' }, el('iframe', {
      src: safe, title: t('remote.stream'), id: 'stream-frame', allow: 'autoplay; fullscreen; picture-in-picture',
      allowfullscreen: true, referrerpolicy: 'strict-origin-when-cross-origin', loading: 'eager',
    })),
    el('p', { class: 'small remote-stream__open' }, t('remote.stream_hint'), ' ',
      el('a', { href: safe, target: '_blank', rel: 'noopener noreferrer', id: 'stream-open' }, t('remote.stream_open'))));
}

/* ---- the item under discussion, with the proposal's text ------------------------ */

function proposalText(item) {
  const proposal = proposals.get(item.id);
  if (!proposal) return el('p', { class: 'muted' }, t('remote.text_loading'));
  if (proposal.error) return el('div', { class: 'alert alert--error' }, proposal.error);
  return [
    proposal.rationale ? [el('h4', {}, t('remote.rationale')), el('p', { class: 'prewrap' }, proposal.rationale)] : null,
    el('p', { class: 'small muted' }, t('remote.changes_hint')),
    (proposal.changes || []).map((change) => el('article', { class: 'remote-change' },
      el('h4', {}, `${t('remote.article', { article: change.article })}${change.title ? ` · ${change.title}` : ''}`),
      change.action === 'delete' ? el('p', {}, t('remote.deleted')) : diffBlock(change.diff))),
  ];
}

function renderItem() {
  const item = meeting.agenda.find((a) => a.position === meeting.current_item);
  // Open beside the stream on a laptop; on a phone one tap away (it is long).
  const wasOpen = itemBox.querySelector('details.remote-text')?.open ?? window.matchMedia('(min-width: 900px)').matches;
  const parts = [el('h2', { id: 'item-title', class: 'remote-item__label' }, t('remote.now')),
    el('p', { class: 'remote-item__title', id: 'remote-item-title' }, item ? `${item.position}. ${item.title}` : t('remote.no_item'))];
  if (item?.kind === 'proposal') {
    if (!proposals.has(item.id)) {
      api('GET', `/api/meetings/${meetingId()}/agenda/${item.id}/proposal`)
        .then((proposal) => { proposals.set(item.id, proposal); renderItem(); })
        .catch((error) => { proposals.set(item.id, { error: errorMessage(error) }); renderItem(); });
    }
    parts.push(el('details', { class: 'remote-text', id: 'remote-text', open: wasOpen },
      el('summary', {}, t('remote.text')), proposalText(item)));
  }
  parts.push(el('details', { class: 'remote-agenda' }, el('summary', {}, t('remote.agenda')),
    el('ol', {}, meeting.agenda.map((a) => el('li', { class: a.position === meeting.current_item ? 'is-current' : null }, a.title)))));
  itemBox.replaceChildren(...parts);
}

/* The automatic check-out's delay in words: "3 minuten" (or seconds when under one). */
function keepOpenText() {
  const seconds = meeting.remote_disconnect_seconds || 180;
  return seconds >= 60 && seconds % 60 === 0
    ? t('remote.keep_open', { minutes: seconds / 60 }) : t('remote.keep_open_seconds', { seconds });
}

/* ---- joining, being present, leaving -------------------------------------------- */

async function sendCode(button) {
  setBusy(button, true, t('remote.sending'));
  note = null;
  try {
    const answer = await api('POST', `/api/meetings/${meetingId()}/remote/code`);
    sentTo = answer?.sent_to || null;
    joinStep = 'code';
  } catch (error) {
    note = { kind: 'error', text: error.status === 429 ? t('remote.too_many') : error.code === 'electronic_participation_off' ? t('remote.off') : errorMessage(error) };
  }
  renderPresence(true);
  presence.querySelector('input[name="code"]')?.focus();
}

function codeForm() {
  const form = el('form', { class: 'remote-code', id: 'remote-code-form', novalidate: true },
    el('div', { class: 'field' },
      el('label', { for: 'remote-code' }, t('remote.code')),
      el('span', { class: 'hint', id: 'remote-code-hint' }, t('remote.code_hint')),
      el('input', {
        id: 'remote-code', name: 'code', type: 'text', inputmode: 'numeric', autocomplete: 'one-time-code', required: true,
        pattern: '[0-9]{6}', maxlength: 6, class: 'input--short remote-code__input', 'aria-describedby': 'remote-code-hint',
        'data-error-required': 'remote.code_required', 'data-error-pattern': 'remote.code_pattern',
      })),
    el('button', { type: 'submit', class: 'button button--block', id: 'remote-join' }, t('remote.join')));
  handleSubmit(form, {
    prepare: (f) => { f.elements.code.value = f.elements.code.value.replace(/\s+/g, ''); },
    // The server's refusals in the page's own words, at the field.
    send: (data) => api('POST', `/api/meetings/${meetingId()}/remote/join`, { code: data.code }).catch((error) => {
      const key = error.status === 429 ? 'remote.too_many' : joinErrors[error.code];
      if (key) Object.assign(error, { message: t(key), field: 'code' });
      throw error;
    }),
    success: async (answer) => {
      joinStep = 'start';
      note = answer?.ended_hall ? { kind: 'info', text: t('remote.ended_hall') } : null;
      if (answer?.heartbeat_seconds) heartbeatEvery = answer.heartbeat_seconds;
      await loadMeeting();
      // Joined: back to the top, where the stream and the confirmation are.
      window.scrollTo({ top: 0 });
      presence.querySelector('#remote-status')?.focus({ preventScroll: true });
      await Promise.all([ballot.refresh(), speakers.refresh(), loadContributions()].map((p) => p.catch(() => {})));
    },
  });
  return form;
}

async function leave(button) {
  const ok = await confirmDialog({
    title: t('remote.leave_title'), body: [el('p', {}, t('remote.leave_body', { name: meeting.me.name }))], confirm: t('remote.leave'), danger: true,
  });
  if (!ok) return;
  setBusy(button, true);
  try {
    await api('POST', `/api/meetings/${meetingId()}/remote/leave`);
    note = { kind: 'info', text: t('remote.left') };
    wasJoined = false;
    await loadMeeting();
  } catch (error) {
    setBusy(button, false);
    note = { kind: 'error', text: errorMessage(error) };
    renderPresence(true);
  }
}

function renderPresence(force = false) {
  if (!meeting) return;
  const me = meeting.me;
  const state = meeting.state === 'closed' ? 'closed' : !meeting.electronic_participation ? 'off' : joined() ? 'joined'
    : me.represented_by ? 'represented' : joinStep;
  // While a vote is on screen the ballot says it all: the status shrinks to one line.
  const voting = ['open', 'closed'].includes(ballot.poll?.state);
  const key = [state, note?.text, sentTo, me.channel, voting].join('|');
  if (!force && presence.dataset.shown === key) return;
  presence.dataset.shown = key;
  const parts = [];
  if (note) parts.push(el('div', { class: `alert alert--${note.kind}`, role: note.kind === 'error' ? 'alert' : 'status', id: 'remote-note' }, note.text));
  if (state === 'closed') {
    parts.push(el('div', { class: 'alert alert--info', id: 'remote-status' },
      el('strong', { class: 'alert__title' }, t('remote.closed')), el('p', {}, t('remote.closed_text'))));
  } else if (state === 'off') {
    parts.push(el('div', { class: 'alert alert--warning', id: 'remote-status' },
      el('strong', { class: 'alert__title' }, t('remote.off')), el('p', {}, t('remote.off_text'))));
  } else if (state === 'joined') {
    parts.push(el('div', { class: 'alert alert--success', id: 'remote-status', tabindex: '-1', dataset: { joined: 'true' } },
      el('strong', { class: 'alert__title' }, t('remote.joined')),
      voting ? null : el('p', {}, t('remote.joined_text', { name: me.name })),
      voting ? null : el('p', { class: 'small' }, keepOpenText())),
    el('button', { type: 'button', class: 'button button--secondary', id: 'remote-leave', onclick: (event) => leave(event.currentTarget) }, t('remote.leave')));
  } else if (state === 'represented') {
    parts.push(el('div', { class: 'alert alert--info', id: 'remote-status' }, el('p', {}, t('remote.represented'))));
  } else {
    const card = el('div', { class: 'card remote-join', id: 'remote-status', tabindex: '-1' },
      el('h2', {}, t('remote.join_title')),
      me.inside && me.channel === 'hall' ? el('div', { class: 'alert alert--warning' }, t('remote.in_hall')) : null);
    if (state === 'code') {
      card.append(el('p', { role: 'status', id: 'remote-code-sent' }, sentTo ? t('remote.code_sent', { address: sentTo }) : t('remote.code_sent_plain')),
        codeForm(),
        el('button', { type: 'button', class: 'button button--link', id: 'remote-new-code', onclick: (event) => sendCode(event.currentTarget) }, t('remote.new_code')));
    } else {
      card.append(el('p', {}, t('remote.join_text', { name: me.name })),
        el('button', { type: 'button', class: 'button button--block', id: 'remote-send-code', onclick: (event) => sendCode(event.currentTarget) }, t('remote.send_code')));
    }
    parts.push(card);
  }
  presence.replaceChildren(...parts);
}

const joinErrors = { bad_code: 'remote.bad_code', electronic_participation_off: 'remote.off' };

/* ---- the written contribution ------------------------------------------------------ */

function renderContribution() {
  if (!meeting || !joined() || !deliberation() || meeting.state !== 'open') {
    contributionBox.hidden = true;
    return;
  }
  if (!contributionBox.querySelector('form')) {
    const form = el('form', { id: 'contribution-form', novalidate: true },
      el('div', { class: 'field' },
        el('label', { for: 'contribution-text' }, t('remote.contribution')),
        el('span', { class: 'hint', id: 'contribution-hint' }, t('remote.contribution_hint')),
        el('textarea', {
          id: 'contribution-text', name: 'text', rows: 4, maxlength: 2000, required: true, 'aria-describedby': 'contribution-hint',
          'data-error-required': 'remote.contribution_required',
        })),
      el('button', { type: 'submit', class: 'button button--block', id: 'contribution-send' }, t('remote.contribution_send')));
    handleSubmit(form, {
      send: (data) => api('POST', `/api/meetings/${meetingId()}/contributions`, { text: data.text }),
      success: async (answer, f) => {
        f.reset();
        formMessage(f, 'success', { key: 'remote.contribution_sent' }).focus();
        await loadContributions().catch(() => {});
      },
    });
    contributionBox.replaceChildren(el('h2', { id: 'contribution-title' }, t('remote.contribution_title')), form,
      el('div', { id: 'contribution-list' }));
  }
  const list = contributionBox.querySelector('#contribution-list');
  list.replaceChildren(...(contributions.length ? [el('h3', {}, t('remote.yours')), el('ul', { class: 'contribution-list' },
    contributions.map((c) => el('li', {}, el('p', { class: 'prewrap' }, c.text),
      el('span', { class: `badge badge--${c.state === 'read_out' ? 'success' : c.state === 'not_read_out' ? 'neutral' : 'info'}` },
        t(`remote.state.${['new', 'read_out', 'not_read_out'].includes(c.state) ? c.state : 'new'}`)))))] : []));
  contributionBox.hidden = false;
}

async function loadContributions() {
  if (!joined()) return;
  const answer = await api('GET', `/api/meetings/${meetingId()}/contributions`);
  const me = meeting.me;
  contributions = (answer.items || []).filter((c) => c.organisation_id === undefined || c.organisation_id === me.organisation_id);
  renderContribution();
}

/* ---- the whole page ------------------------------------------------------------------ */

function renderMeeting() {
  const me = meeting.me;
  document.getElementById('remote-title').textContent = meeting.title;
  document.getElementById('remote-org').replaceChildren(
    el('span', {}, t('remote.for', { name: me.name })), el('br'),
    el('span', {}, t('remote.when', { date: formatDate(meeting.date), time: meeting.starts_at, location: meeting.location })));
  // Checked out while the page looked away (the automatic check-out): say so once.
  if (wasJoined && !joined() && !note && meeting.state !== 'closed') note = { kind: 'warning', text: t('remote.dropped') };
  wasJoined = joined();
  renderStream();
  renderItem();
  renderPresence();
  renderContribution();
  speakers.render();
}

async function loadMeeting() {
  meeting = await api('GET', `/api/meetings/${meetingId()}`);
  renderMeeting();
}

const ballot = createBallot({
  section: document.getElementById('poll'), meetingId, getMeeting: () => meeting,
  words: { not_present: 'remote.vote_not_present', now_inside: 'remote.vote_now_inside' },
  onRender: () => renderPresence(),
});
const speakers = createSpeakerPanel({
  container: document.getElementById('remote-speakers'), meetingId, getMeeting: () => meeting,
  canSpeak: () => joined() && meeting.state === 'open',
  blocked: () => (meeting && !deliberation() ? 'speakers.not_remote' : null),
});

/* The page's sign of life: at once (a page opened again after an automatic check-out
 * counts again), every heartbeat_seconds, and when the laptop wakes up. The server
 * only counts the session that joined; for anyone else it just says where they are. */
let heartbeatEvery = 30;
let heartbeat = null;
async function beat() {
  try {
    const answer = await api('POST', `/api/meetings/${meetingId()}/remote/heartbeat`);
    if (answer?.heartbeat_seconds && answer.heartbeat_seconds !== heartbeatEvery) {
      heartbeatEvery = answer.heartbeat_seconds;
      clearInterval(heartbeat);
      heartbeat = setInterval(beat, heartbeatEvery * 1000);
    }
    if (answer && (answer.reconnected || (answer.channel === 'remote') !== joined())) await loadMeeting();
  } catch (error) {
    if (error.status === 404 || error.status === 405) { clearInterval(heartbeat); heartbeat = null; }
  }
}
function keepAlive() {
  if (heartbeat) return;
  heartbeat = setInterval(beat, heartbeatEvery * 1000);
  document.addEventListener('visibilitychange', () => { if (document.visibilityState === 'visible') beat(); });
}

async function start() {
  session = await getSession().catch(() => null);
  if (!session || session.kind !== 'member') {
    connection.hidden = true;
    presence.replaceChildren(el('div', { class: 'alert alert--warning', id: 'remote-status' }, t('remote.login_needed')));
    streamBox.hidden = true;
    return;
  }
  try {
    await loadMeeting();
  } catch (error) {
    presence.replaceChildren(el('div', { class: 'alert alert--error', role: 'alert' }, errorMessage(error)));
    return;
  }
  await beat();
  wasJoined = joined();
  await Promise.all([ballot.refresh(), speakers.refresh(), loadContributions()].map((p) => p.catch(() => {})));
  keepAlive();
  onLanguageChange(() => {
    setConnection(connection.dataset.state);
    streamBox.dataset.url = '\u0000';
    renderMeeting();
    renderPresence(true);
    contributionBox.replaceChildren();
    renderContribution();
    if (ballot.poll) ballot.render(ballot.poll, true);
  });
  const events = new EventSource(`/api/meetings/${meetingId()}/events`);
  let fallback = null;
  const reload = () => { loadMeeting().catch(() => {}); ballot.refresh().catch(() => {}); speakers.refresh().catch(() => {}); };
  // What happened while the page loaded is read once when the stream opens.
  let connectedOnce = false;
  events.addEventListener('open', () => {
    setConnection('live');
    if (fallback || !connectedOnce) { clearInterval(fallback); fallback = null; reload(); }
    connectedOnce = true;
  });
  events.addEventListener('error', () => {
    setConnection('lost');
    if (!fallback) fallback = setInterval(reload, 4000);
  });
  for (const kind of ['attendance', 'agenda', 'meeting']) {
    events.addEventListener(kind, () => loadMeeting().then(() => ballot.render(ballot.poll, false)).catch(() => {}));
  }
  events.addEventListener('poll', (event) => ballot.onEvent(JSON.parse(event.data)));
  events.addEventListener('speakers', () => speakers.refresh().catch(() => {}));
  events.addEventListener('contributions', () => loadContributions().catch(() => {}));
}

start();
