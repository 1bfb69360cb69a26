// The chair's console for one meeting: one card per agenda item in order, the current
// one marked and moved on from here; for each vote its state in words, open and close
// with a confirmation naming what is voted on, the turnout and who has not voted, paper
// votes (per member, or totals from the slips checked against P), the result in one
// sentence, a re-vote only right after the result, and the effective date of an
// adopted proposal (prefilled, its error at the field, shown as set after a reload).
import { api } from '../api.js';
import { addMessages, t, onLanguageChange } from '../i18n.js';
import { staffPage, el, param, setBusy, toast, errorMessage, formatDate } from '../ui.js';
import { showFieldErrors, clearFieldErrors } from '../forms.js';
import {
  CHOICES, turnoutBar, resultChart, thresholdText, ruleWords, ruleName, resultSentence, pollStateWords,
} from '../poll-common.js';
import { confirmDialog } from '../dialog.js';
import { plural } from '../words.js';
import { adviseSecondFactor } from '../second-factor.js';
import { createFloorPanel } from '../chair-floor.js';

addMessages({
  nl: {
    'chair.title': 'Voorzittersconsole', 'chair.agenda': 'Agenda', 'chair.of': 'Voorzittersconsole: {title}',
    'chair.when': '{date} om {time} uur · {location}',
    'chair.presence': 'Nu aanwezig: {eligible} {members}', 'chair.presence_detail': '({present} in de zaal, {represented} via volmacht)',
    'chair.presence_detail_remote': '({present_hall} in de zaal, {present_remote} op afstand, {represented} via volmacht)',
    'chair.member_one': 'lid', 'chair.member_many': 'leden',
    'chair.projector': 'Projector', 'chair.minutes': 'Notulen', 'chair.meeting': 'Presentielijst', 'chair.agenda_page': 'Agenda bewerken',
    'chair.live': 'Live bijgewerkt', 'chair.reconnecting': 'Verbinding verbroken — opnieuw verbinden…',
    'chair.planned': 'De vergadering is nog niet geopend. Stemmen kan pas als zij geopend is.',
    'chair.open_meeting': 'Vergadering openen', 'chair.closed_meeting': 'De vergadering is gesloten.',
    'chair.current': 'Nu aan de orde', 'chair.make_current': 'Dit punt behandelen',
    'chair.make_current_label': 'Punt {n} behandelen: {title}', 'chair.moved': 'Punt {n} is nu aan de orde: {title}.',
    'chair.kind.item': 'Agendapunt', 'chair.kind.proposal': 'Voorstel', 'chair.kind.decision': 'Besluit',
    'chair.vote_state': 'Stemming: {state}',
    'chair.open': 'Stemming openen', 'chair.open_title': 'Stemming openen over “{title}”?',
    'chair.open_p.one': 'Nu is 1 lid aanwezig. Dat aantal wordt P voor deze stemming: wie nu niet aanwezig is, stemt niet mee.',
    'chair.open_p.other': 'Nu zijn {count} leden aanwezig. Dat aantal wordt P voor deze stemming: wie nu niet aanwezig is, stemt niet mee.',
    'chair.open_rule': 'Aangenomen als {rule}.',
    'chair.open_kind': 'Soort stemming', 'chair.kind_named': 'Open stemming: stemmen worden met de naam van het lid vastgelegd',
    'chair.kind_secret': 'Geheime stemming: niemand kan zien wie wat stemde',
    'chair.draft_named': 'Een open stemming staat klaar.', 'chair.draft_secret': 'Een geheime stemming staat klaar.',
    'chair.opened': 'De stemming over “{title}” is geopend.',
    'chair.needs_open_meeting': 'Open eerst de vergadering.',
    'chair.close': 'Stemming sluiten', 'chair.close_title': 'Stemming over “{title}” sluiten?',
    'chair.close_body': 'Er zijn {cast} van {eligible} stemmen uitgebracht. Na het sluiten telt geen stem meer en verschijnt de uitslag op de projector.',
    'chair.p_line': 'P bij opening: {eligible}', 'chair.rule_line': 'Regel: {rule}.',
    'chair.not_voted': 'Nog niet gestemd ({count})', 'chair.not_voted_secret': 'Nog niet gestemd: {count} (geheime stemming: alleen het aantal)',
    'chair.via': 'stemt via {name}', 'chair.all_voted': 'Iedereen heeft gestemd.',
    'chair.paper': 'Papieren stemmen invoeren',
    'chair.paper_member': 'Lid dat op papier stemde', 'chair.paper_choose_member': 'Kies een lid', 'chair.paper_choice': 'Stem op het briefje',
    'chair.paper_add': 'Papieren stem vastleggen', 'chair.paper_done': 'Papieren stem van {name} vastgelegd: {choice}.',
    'chair.paper_need_member': 'Kies het lid dat op papier stemde.', 'chair.paper_need_choice': 'Kies wat er op het briefje staat.',
    'chair.paper_none_left': 'Alle leden hebben gestemd; er is geen papieren stem meer in te voeren.',
    'chair.paper_members': 'Leden die op papier stemden', 'chair.paper_totals': 'Getelde stembiljetten',
    'chair.paper_totals_hint': 'Tel de briefjes en vul de aantallen in; samen zijn ze evenveel als de aangevinkte leden.',
    'chair.paper_totals_add': 'Getelde briefjes vastleggen', 'chair.paper_totals_done.one': '1 papieren stem vastgelegd.', 'chair.paper_totals_done.other': '{count} papieren stemmen vastgelegd.',
    'chair.paper_need_members': 'Vink de leden aan die op papier stemden.',
    'chair.paper_mismatch': 'Er zijn {slips} briefjes geteld, maar {members} leden aangevinkt; dat moet gelijk zijn.',
    'chair.paper_over_p': 'Dat zijn te veel stemmen: P is {eligible} en er zijn er al {cast} uitgebracht, dus er kunnen nog {left} bij.',
    'chair.paper_bad_number': 'Vul een heel getal van 0 of meer in.',
    'chair.closed_p': 'P bij opening: {eligible} · {threshold}',
    'chair.fingerprint': 'Vingerafdruk van de trackers',
    'chair.chart': 'Uitslag als grafiek en de regel',
    'chair.revote': 'Herstemming houden', 'chair.revote_title': 'Herstemming over “{title}”?',
    'chair.revote_body': 'Wordt de uitslag direct na het uitspreken betwist, dan kan een nieuwe stemming worden gehouden (artikel 2:13 lid 4 BW). De nieuwe uitslag vervangt deze.',
    'chair.revote_done': 'Een herstemming staat klaar; open haar als de zaal zover is.',
    'chair.superseded': 'Deze uitslag is vervangen door een herstemming.',
    'chair.effective': 'Ingangsdatum', 'chair.effective_hint': 'Op zijn vroegst {date}: zes weken na het besluit van {decided}.',
    'chair.effective_set': 'Ingangsdatum vaststellen', 'chair.effective_other': 'Andere ingangsdatum kiezen',
    'chair.effective_done': 'In werking op {effective}. Een intrekking moet uiterlijk {deadline} binnen zijn.',
    'chair.effective_earliest': 'Dit is de vroegst mogelijke datum.',
    'chair.effective_too_early': 'Kies {earliest} of later: de ingangsdatum ligt ten minste zes weken na het besluit van {decided}.',
    'chair.effective_locked': 'De ingangsdatum kan niet meer worden gewijzigd: er zijn al intrekkingen die naar deze versie van de Code verwijzen.',
    'chair.effective_taken': 'Op deze datum gaat al een andere versie van de Code in; kies een andere datum.',
    'chair.effective_need': 'Vul de ingangsdatum in.',
    'chair.deadline_warning': 'Let op: de uiterste ontvangstdatum voor intrekkingen, {deadline}, valt {when}; de termijn schuift daardoor niet op.',
    'chair.deadline_weekend': 'in het weekend', 'chair.deadline_holiday': 'op een feestdag ({holiday})',
    'chair.deadline_advice': 'Advies aan wie de ondertekening wil intrekken: verstuur de brief uiterlijk {send_by}.',
    'chair.no_vote_item': 'Over dit punt wordt niet gestemd.',
  },
  en: {
    'chair.title': 'Chair’s console', 'chair.agenda': 'Agenda', 'chair.of': 'Chair’s console: {title}',
    'chair.when': '{date} at {time} · {location}',
    'chair.presence': 'Present now: {eligible} {members}', 'chair.presence_detail': '({present} in the hall, {represented} by proxy)',
    'chair.presence_detail_remote': '({present_hall} in the hall, {present_remote} remote, {represented} by proxy)',
    'chair.member_one': 'member', 'chair.member_many': 'members',
    'chair.projector': 'Projector', 'chair.minutes': 'Minutes', 'chair.meeting': 'Attendance', 'chair.agenda_page': 'Edit agenda',
    'chair.live': 'Updated live', 'chair.reconnecting': 'Connection lost — reconnecting…',
    'chair.planned': 'The meeting has not been opened. Votes can be held once it is open.',
    'chair.open_meeting': 'Open the meeting', 'chair.closed_meeting': 'The meeting is closed.',
    'chair.current': 'Under discussion', 'chair.make_current': 'Take this item',
    'chair.make_current_label': 'Take item {n}: {title}', 'chair.moved': 'Item {n} is now under discussion: {title}.',
    'chair.kind.item': 'Agenda item', 'chair.kind.proposal': 'Proposal', 'chair.kind.decision': 'Decision',
    'chair.vote_state': 'Vote: {state}',
    'chair.open': 'Open the vote', 'chair.open_title': 'Open the vote on “{title}”?',
    'chair.open_p.one': '1 member is present now. That number becomes P for this vote: whoever is not present now does not vote.',
    'chair.open_p.other': '{count} members are present now. That number becomes P for this vote: whoever is not present now does not vote.',
    'chair.open_rule': 'Adopted if {rule}.',
    'chair.open_kind': 'Kind of vote', 'chair.kind_named': 'Open vote: votes are recorded with the member’s name',
    'chair.kind_secret': 'Secret ballot: nobody can see who voted what',
    'chair.draft_named': 'An open vote is prepared.', 'chair.draft_secret': 'A secret ballot is prepared.',
    'chair.opened': 'The vote on “{title}” is open.',
    'chair.needs_open_meeting': 'Open the meeting first.',
    'chair.close': 'Close the vote', 'chair.close_title': 'Close the vote on “{title}”?',
    'chair.close_body': '{cast} of {eligible} votes have been cast. Once closed, no vote counts any more and the result appears on the projector.',
    'chair.p_line': 'P at opening: {eligible}', 'chair.rule_line': 'Rule: {rule}.',
    'chair.not_voted': 'Not voted yet ({count})', 'chair.not_voted_secret': 'Not voted yet: {count} (secret ballot: the number only)',
    'chair.via': 'votes through {name}', 'chair.all_voted': 'Everyone has voted.',
    'chair.paper': 'Record paper votes',
    'chair.paper_member': 'Member who voted on paper', 'chair.paper_choose_member': 'Choose a member', 'chair.paper_choice': 'Vote on the slip',
    'chair.paper_add': 'Record paper vote', 'chair.paper_done': 'Paper vote of {name} recorded: {choice}.',
    'chair.paper_need_member': 'Choose the member who voted on paper.', 'chair.paper_need_choice': 'Choose what the slip says.',
    'chair.paper_none_left': 'Every member has voted; there is no paper vote left to record.',
    'chair.paper_members': 'Members who voted on paper', 'chair.paper_totals': 'Counted ballot slips',
    'chair.paper_totals_hint': 'Count the slips and enter the numbers; together they equal the members ticked.',
    'chair.paper_totals_add': 'Record counted slips', 'chair.paper_totals_done.one': '1 paper vote recorded.', 'chair.paper_totals_done.other': '{count} paper votes recorded.',
    'chair.paper_need_members': 'Tick the members who voted on paper.',
    'chair.paper_mismatch': '{slips} slips were counted but {members} members ticked; these must be equal.',
    'chair.paper_over_p': 'That is too many votes: P is {eligible} and {cast} have been cast, so {left} more at most.',
    'chair.paper_bad_number': 'Enter a whole number of 0 or more.',
    'chair.closed_p': 'P at opening: {eligible} · {threshold}',
    'chair.fingerprint': 'Tracker fingerprint',
    'chair.chart': 'Result as a chart, and the rule',
    'chair.revote': 'Hold a re-vote', 'chair.revote_title': 'Re-vote on “{title}”?',
    'chair.revote_body': 'If the result is disputed right after it is announced, a new vote may be held (Dutch Civil Code 2:13(4)). The new result replaces this one.',
    'chair.revote_done': 'A re-vote is prepared; open it when the hall is ready.',
    'chair.superseded': 'This result was replaced by a re-vote.',
    'chair.effective': 'Effective date', 'chair.effective_hint': 'At the earliest {date}: six weeks after the decision of {decided}.',
    'chair.effective_set': 'Set effective date', 'chair.effective_other': 'Choose another effective date',
    'chair.effective_done': 'In force on {effective}. A withdrawal must be received by {deadline}.',
    'chair.effective_earliest': 'This is the earliest possible date.',
    'chair.effective_too_early': 'Choose {earliest} or later: the effective date is at least six weeks after the decision of {decided}.',
    'chair.effective_locked': 'The effective date can no longer change: withdrawals already refer to this version of the Code.',
    'chair.effective_taken': 'Another version of the Code takes effect on this date; choose another date.',
    'chair.effective_need': 'Enter the effective date.',
    'chair.deadline_warning': 'Note: the last day to receive withdrawals, {deadline}, falls {when}; the term does not move because of that.',
    'chair.deadline_weekend': 'in a weekend', 'chair.deadline_holiday': 'on a public holiday ({holiday})',
    'chair.deadline_advice': 'Advice for those who want to withdraw: send the letter by {send_by}.',
    'chair.no_vote_item': 'No vote on this item.',
  },
});

const meetingId = Number(param('id'));
let session;
let meeting;
let polls = [];
let attendance = null;
let shownCurrent;
let floor = null;
const details = new Map(); // poll id → GET /api/polls/{id} of closed polls (adoption, earliest date)
const voters = new Map(); // poll id → GET /api/polls/{id}/voters of open polls
const editingDate = new Set(); // polls whose set effective date is being changed
const can = (...roles) => roles.some((role) => session.user.roles.includes(role));
const members = (n) => t(n === 1 ? 'chair.member_one' : 'chair.member_many');

function pollsOf(item) {
  return polls.filter((p) => (item.kind === 'proposal' ? p.proposal_id === item.proposal_id : p.agenda_item_id === item.id));
}

/* ---- actions --------------------------------------------------------------- */

async function run(button, work) {
  setBusy(button, true);
  try {
    await work();
    await refresh();
  } catch (error) {
    toast(errorMessage(error), 'error');
  } finally {
    if (button.isConnected) setBusy(button, false);
  }
}

async function makeCurrent(item, button) {
  await run(button, async () => {
    await api('POST', `/api/meetings/${meetingId}/agenda/current`, { position: item.position });
    toast(t('chair.moved', { n: item.position, title: item.title }), 'success');
  });
  document.querySelector(`#item-${item.position} h2`)?.focus();
}

async function openVote(item, draft, button) {
  const eligible = attendance?.eligible ?? meeting.attendance.eligible;
  const rule = item.kind === 'decision' && item.majority_rule ? item.majority_rule : meeting.majority_rule;
  const body = [
    el('p', {}, plural('chair.open_p', eligible)),
    el('p', {}, t('chair.open_rule', { rule: ruleWords(rule) })),
  ];
  if (draft) body.push(el('p', {}, t(draft.secret ? 'chair.draft_secret' : 'chair.draft_named')));
  else {
    body.push(el('fieldset', { class: 'field' }, el('legend', {}, t('chair.open_kind')),
      el('label', { class: 'choice' }, el('input', { type: 'radio', name: 'secret', value: 'no', checked: true }), t('chair.kind_named')),
      el('label', { class: 'choice' }, el('input', { type: 'radio', name: 'secret', value: 'yes' }), t('chair.kind_secret'))));
  }
  const answer = await confirmDialog({ title: t('chair.open_title', { title: item.title }), body, confirm: t('chair.open') });
  if (!answer) return;
  await run(button, async () => {
    // The vote is about this item: the projector and the phones follow it there.
    if (meeting.current_item !== item.position) await api('POST', `/api/meetings/${meetingId}/agenda/current`, { position: item.position });
    let poll = draft;
    if (!poll) {
      const target = item.kind === 'proposal' ? { proposal_id: item.proposal_id } : { agenda_item_id: item.id };
      poll = await api('POST', `/api/meetings/${meetingId}/polls`, { ...target, secret: answer.get('secret') === 'yes' });
    }
    await api('POST', `/api/polls/${poll.id}/open`);
    toast(t('chair.opened', { title: item.title }), 'success');
  });
}

async function closeVote(item, poll, button) {
  // The count the chair confirms is the server's now, not the one the card was drawn
  // with (live events update the card's line, not this poll object).
  const now = await api('GET', `/api/polls/${poll.id}`).catch(() => poll);
  const answer = await confirmDialog({
    title: t('chair.close_title', { title: item.title }),
    body: [el('p', {}, t('chair.close_body', { cast: now.cast, eligible: now.eligible }))],
    confirm: t('chair.close'), danger: true,
  });
  if (answer) await run(button, () => api('POST', `/api/polls/${poll.id}/close`));
}

async function revote(item, poll, button) {
  const answer = await confirmDialog({
    title: t('chair.revote_title', { title: item.title }), body: [el('p', {}, t('chair.revote_body'))], confirm: t('chair.revote'),
  });
  if (answer) await run(button, async () => { await api('POST', `/api/polls/${poll.id}/revote`, {}); toast(t('chair.revote_done'), 'success'); });
}

/* ---- paper votes ------------------------------------------------------------ */

function paperNamed(poll, list) {
  const idBase = `paper-${poll.id}`;
  if (!list || list.not_voted.length === 0) return el('p', { class: 'muted' }, t('chair.paper_none_left'));
  const form = el('form', { class: 'paper-form', novalidate: true },
    el('div', { class: 'field' }, el('label', { for: `${idBase}-org` }, t('chair.paper_member')),
      el('select', { id: `${idBase}-org`, name: 'organisation_id', required: true },
        el('option', { value: '', selected: true }, t('chair.paper_choose_member')),
        list.not_voted.map((m) => el('option', { value: String(m.organisation_id) }, m.name)))),
    el('fieldset', { class: 'field' }, el('legend', {}, t('chair.paper_choice')),
      el('div', { class: 'cluster' }, CHOICES.map((choice) => el('label', { class: 'choice' },
        el('input', { type: 'radio', name: 'choice', value: choice }), t(`poll.${choice}`))))),
    el('button', { type: 'submit', class: 'button' }, t('chair.paper_add')));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearFieldErrors(form);
    const organisationId = Number(form.elements.organisation_id.value);
    const choice = form.querySelector('input[name="choice"]:checked')?.value;
    const errors = [];
    if (!organisationId) errors.push({ field: 'organisation_id', message: t('chair.paper_need_member') });
    if (!choice) errors.push({ field: 'choice', message: t('chair.paper_need_choice') });
    if (errors.length) { showFieldErrors(form, errors); return; }
    const name = list.not_voted.find((m) => m.organisation_id === organisationId)?.name || '';
    const button = form.querySelector('button[type="submit"]');
    setBusy(button, true);
    try {
      await api('POST', `/api/polls/${poll.id}/paper`, { votes: [{ organisation_id: organisationId, choice }] });
      toast(t('chair.paper_done', { name, choice: t(`poll.${choice}`).toLowerCase() }), 'success');
      document.activeElement?.blur();
      await refresh();
    } catch (error) {
      setBusy(button, false);
      showFieldErrors(form, error);
    }
  });
  return form;
}

function paperTotals(poll) {
  const idBase = `paper-${poll.id}`;
  const inside = (attendance?.members || []).filter((m) => m.inside);
  const form = el('form', { class: 'paper-form', novalidate: true },
    el('fieldset', { class: 'field' }, el('legend', {}, t('chair.paper_members')),
      inside.map((m) => el('label', { class: 'choice' },
        el('input', { type: 'checkbox', name: 'organisation_ids', value: String(m.organisation_id), 'data-multiple': '' }), m.name))),
    el('fieldset', { class: 'field' }, el('legend', {}, t('chair.paper_totals')),
      el('span', { class: 'hint' }, t('chair.paper_totals_hint')),
      el('div', { class: 'paper-totals' }, CHOICES.map((choice) => el('div', { class: 'field' },
        el('label', { for: `${idBase}-${choice}` }, t(`poll.${choice}`)),
        el('input', { id: `${idBase}-${choice}`, name: choice, type: 'number', min: 0, step: 1, inputmode: 'numeric' }))))),
    el('button', { type: 'submit', class: 'button' }, t('chair.paper_totals_add')));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearFieldErrors(form);
    const ids = [...form.querySelectorAll('input[name="organisation_ids"]:checked')].map((box) => Number(box.value));
    const totals = {};
    const errors = [];
    for (const choice of CHOICES) {
      const text = form.elements[choice].value.trim();
      const value = text === '' ? 0 : Number(text);
      if (!Number.isInteger(value) || value < 0) errors.push({ field: choice, message: t('chair.paper_bad_number') });
      totals[choice] = value;
    }
    const slips = totals.for + totals.against + totals.abstain;
    const left = poll.eligible - poll.cast;
    if (!errors.length) {
      if (ids.length === 0) errors.push({ field: 'organisation_ids', message: t('chair.paper_need_members') });
      else if (slips !== ids.length) errors.push({ field: 'for', message: t('chair.paper_mismatch', { slips, members: ids.length }) });
      else if (slips > left) errors.push({ field: 'for', message: t('chair.paper_over_p', { eligible: poll.eligible, cast: poll.cast, left }) });
    }
    if (errors.length) { showFieldErrors(form, errors); return; }
    const button = form.querySelector('button[type="submit"]');
    setBusy(button, true);
    try {
      await api('POST', `/api/polls/${poll.id}/paper`, { organisation_ids: ids, ...totals });
      toast(plural('chair.paper_totals_done', slips), 'success');
      document.activeElement?.blur();
      await refresh();
    } catch (error) {
      setBusy(button, false);
      showFieldErrors(form, error);
    }
  });
  return form;
}

/* ---- the effective date ----------------------------------------------------- */

function dateMessages(answer) {
  const lines = [el('strong', { class: 'alert__title' },
    t('chair.effective_done', { effective: formatDate(answer.effective_from), deadline: formatDate(answer.withdrawal_deadline) }))];
  if (answer.is_earliest) lines.push(el('p', {}, t('chair.effective_earliest')));
  if (answer.warnings?.length) {
    const when = answer.holiday ? t('chair.deadline_holiday', { holiday: answer.holiday }) : t('chair.deadline_weekend');
    lines.push(el('p', {}, t('chair.deadline_warning', { deadline: formatDate(answer.withdrawal_deadline), when })));
  }
  if (answer.send_by && answer.warnings?.length) lines.push(el('p', {}, t('chair.deadline_advice', { send_by: formatDate(answer.send_by) })));
  return el('div', { class: `alert alert--${answer.warnings?.length ? 'warning' : 'success'}`, id: `effective-result-${answer.proposal_id}` }, lines);
}

function effectiveBlock(poll, full) {
  if (!full.adopted || full.superseded_by || !full.proposal_id || !can('chair', 'board') || !full.earliest_effective_date) return null;
  const box = el('div', { class: 'effective', id: `effective-${poll.id}` });
  if (full.adoption && !editingDate.has(poll.id)) {
    box.append(dateMessages({ ...full.adoption, proposal_id: full.proposal_id }));
    if (meeting.state !== 'closed') box.append(el('button', {
        type: 'button', class: 'button button--secondary',
        onclick: () => { editingDate.add(poll.id); render(); document.getElementById(`effective-date-${poll.id}`)?.focus(); },
      }, t('chair.effective_other')));
    return box;
  }
  const inputId = `effective-date-${poll.id}`;
  const hintId = `${inputId}-hint`;
  const form = el('form', { class: 'effective-form', novalidate: true },
    el('div', { class: 'field' }, el('label', { for: inputId }, t('chair.effective')),
      el('span', { class: 'hint', id: hintId }, t('chair.effective_hint', { date: formatDate(full.earliest_effective_date), decided: formatDate(full.decided_on) })),
      el('input', {
        id: inputId, name: 'date', type: 'date', required: true, 'aria-describedby': hintId,
        value: full.adoption?.effective_from || full.earliest_effective_date, min: full.earliest_effective_date,
      })),
    el('button', { type: 'submit', class: 'button' }, t('chair.effective_set')));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearFieldErrors(form);
    const date = form.elements.date.value;
    if (!date) { showFieldErrors(form, [{ field: 'date', message: t('chair.effective_need') }]); return; }
    const button = form.querySelector('button[type="submit"]');
    setBusy(button, true);
    try {
      const answer = await api('POST', `/api/proposals/${full.proposal_id}/effective-date`, { date });
      editingDate.delete(poll.id);
      details.set(poll.id, { ...full, adoption: answer });
      render();
      document.getElementById(`effective-result-${full.proposal_id}`)?.setAttribute('tabindex', '-1');
      document.getElementById(`effective-result-${full.proposal_id}`)?.focus();
    } catch (error) {
      setBusy(button, false);
      // The sentence at the field, in date words, whatever the server's wording is.
      const sentences = {
        effective_date_too_early: t('chair.effective_too_early', { earliest: formatDate(full.earliest_effective_date), decided: formatDate(full.decided_on) }),
        withdrawals_on_version: t('chair.effective_locked'),
        effective_date_taken: t('chair.effective_taken'),
      };
      showFieldErrors(form, [{ field: 'date', message: sentences[error.code] || errorMessage(error) }]);
    }
  });
  box.append(form);
  return box;
}

/* ---- one card per agenda item ----------------------------------------------- */

function voteArea(item, list) {
  const poll = list[list.length - 1];
  const parts = [el('p', { class: 'chair-item__state' }, el('span', { class: `badge badge--${!poll || poll.state === 'draft' ? 'neutral' : poll.state === 'open' ? 'warning' : 'info'}` },
    pollStateWords(poll)))];
  const chair = can('chair');
  if (!poll || poll.state === 'draft') {
    if (chair && meeting.state === 'open') {
      parts.push(el('button', { type: 'button', class: 'button', 'data-action': 'open', onclick: (e) => openVote(item, poll, e.currentTarget) }, `${t('chair.open')}…`));
    } else if (chair && meeting.state === 'planned') {
      parts.push(el('p', { class: 'muted' }, t('chair.needs_open_meeting')));
    }
    return parts;
  }
  if (poll.state === 'open') {
    const who = voters.get(poll.id);
    // The turnout and the close button first: what the chair watches and does next.
    parts.push(el('div', { class: 'chair-item__live' },
      el('p', { class: 'chair-item__turnout', id: `cast-${poll.id}` }, t('poll.turnout', { cast: poll.cast, eligible: poll.eligible })),
      chair ? el('button', { type: 'button', class: 'button button--danger', 'data-action': 'close', onclick: (e) => closeVote(item, poll, e.currentTarget) }, `${t('chair.close')}…`) : null),
    turnoutBar(poll.cast, poll.eligible),
    el('p', {}, `${t('chair.p_line', { eligible: poll.eligible })} · ${thresholdText(poll)}`),
    el('p', { class: 'small muted' }, t('chair.rule_line', { rule: ruleWords(poll.rule) })));
    if (who && poll.secret) parts.push(el('p', {}, t('chair.not_voted_secret', { count: who.not_voted_count })));
    else if (who && who.not_voted.length === 0) parts.push(el('p', {}, t('chair.all_voted')));
    else if (who) {
      parts.push(el('details', { class: 'chair-item__voters' }, el('summary', {}, t('chair.not_voted', { count: who.not_voted.length })),
        el('ul', {}, who.not_voted.map((m) => el('li', {}, m.name, m.voter_id !== m.organisation_id ? ` (${t('chair.via', { name: m.voter_name })})` : '')))));
    }
    if (can('chair', 'secretariat')) {
      parts.push(el('details', { class: 'chair-item__paper' }, el('summary', {}, t('chair.paper')),
        poll.secret ? paperTotals(poll) : paperNamed(poll, who)));
    }
    return parts;
  }
  const full = details.get(poll.id) || poll;
  parts.push(el('p', { class: `chair-item__result chair-item__result--${full.adopted ? 'adopted' : 'rejected'}`, id: `result-${poll.id}` }, resultSentence(full)),
    el('p', {}, t('chair.closed_p', { eligible: full.eligible, threshold: thresholdText(full) })));
  if (full.superseded_by) parts.push(el('p', { class: 'muted' }, t('chair.superseded')));
  // BW 2:13 lid 4: a re-vote when the result is disputed at once — so only while this
  // item is still the one under discussion, and never once its date is fixed.
  const current = meeting.current_item === item.position;
  if (chair && current && meeting.state === 'open' && !full.superseded_by && !full.adoption) {
    parts.push(el('button', { type: 'button', class: 'button button--secondary', 'data-action': 'revote', onclick: (e) => revote(item, poll, e.currentTarget) }, `${t('chair.revote')}…`));
  }
  // What the chair does next (the date) before what the chair may glance at (the chart).
  parts.push(effectiveBlock(poll, full),
    el('details', { class: 'chair-item__chart' }, el('summary', {}, t('chair.chart')),
      resultChart(full), el('p', { class: 'small muted' }, t('chair.rule_line', { rule: ruleWords(full.rule) }))));
  if (full.fingerprint) parts.push(el('p', { class: 'small' }, `${t('chair.fingerprint')}: `, el('span', { class: 'fingerprint' }, full.fingerprint)));
  return parts;
}

function itemCard(item) {
  const current = meeting.current_item === item.position;
  const list = pollsOf(item);
  const kind = t(`chair.kind.${item.kind}`);
  const card = el('li', { class: ['card', 'chair-item', current && 'chair-item--current'], id: `item-${item.position}`, dataset: { kind: item.kind } },
    el('div', { class: 'chair-item__head' },
      el('h2', { tabindex: '-1' }, `${item.position}. ${item.title}`),
      current ? el('span', { class: 'badge badge--info chair-item__now' }, t('chair.current')) : null),
    el('p', { class: 'small muted chair-item__kind' }, item.kind === 'item' ? kind
      : `${kind} · ${ruleName(item.kind === 'decision' && item.majority_rule ? item.majority_rule : meeting.majority_rule)}`));
  if (!current && can('chair', 'secretariat') && meeting.state !== 'closed') {
    card.append(el('button', {
      type: 'button', class: 'button button--secondary chair-item__take', 'data-action': 'take',
      'aria-label': t('chair.make_current_label', { n: item.position, title: item.title }), onclick: (e) => makeCurrent(item, e.currentTarget),
    }, t('chair.make_current')));
  }
  if (item.kind !== 'item') card.append(el('div', { class: 'chair-item__vote' }, voteArea(item, list)));
  return card;
}

function render() {
  document.getElementById('chair-title').textContent = t('chair.of', { title: meeting.title });
  document.getElementById('chair-when').textContent = t('chair.when', { date: formatDate(meeting.date), time: meeting.starts_at, location: meeting.location });
  const counts = attendance || meeting.attendance;
  document.getElementById('chair-presence').replaceChildren(
    el('strong', {}, t('chair.presence', { eligible: counts.eligible, members: members(counts.eligible) })), ' ',
    el('span', { class: 'muted', id: 'chair-presence-detail' },
      t(meeting.electronic_participation || counts.present_remote ? 'chair.presence_detail_remote' : 'chair.presence_detail', counts)));
  const state = document.getElementById('chair-meeting-state');
  if (meeting.state === 'planned') {
    state.replaceChildren(el('div', { class: 'alert alert--warning' }, el('p', {}, t('chair.planned')),
      can('chair', 'secretariat') ? el('button', {
        type: 'button', class: 'button', onclick: (e) => run(e.currentTarget, () => api('POST', `/api/meetings/${meetingId}/open`)),
      }, t('chair.open_meeting')) : null));
  } else if (meeting.state === 'closed') {
    state.replaceChildren(el('div', { class: 'alert' }, el('p', {}, t('chair.closed_meeting'))));
  } else {
    state.replaceChildren();
  }
  document.getElementById('chair-links').replaceChildren(...[
    el('a', { class: 'button button--secondary', href: `/projector.html?meeting=${meetingId}` }, t('chair.projector')),
    can('board', 'secretariat') ? el('a', { class: 'button button--secondary', href: `/staff/agenda.html?id=${meetingId}` }, t('chair.agenda_page')) : null,
    el('a', { class: 'button button--secondary', href: `/staff/meeting.html?id=${meetingId}` }, t('chair.meeting')),
    el('a', { class: 'button button--secondary', href: `/staff/minutes.html?id=${meetingId}` }, t('chair.minutes'))].filter(Boolean));
  document.getElementById('chair-items').replaceChildren(...meeting.agenda.map(itemCard));
  floor?.render();
  // The item under discussion in view (its open and close buttons), when it changes.
  if (shownCurrent !== meeting.current_item) {
    shownCurrent = meeting.current_item;
    document.getElementById(`item-${meeting.current_item}`)?.scrollIntoView({ block: 'start' });
  }
}

async function refresh() {
  const [loaded, list] = await Promise.all([api('GET', `/api/meetings/${meetingId}`), api('GET', `/api/meetings/${meetingId}/polls`)]);
  meeting = loaded;
  polls = list.items;
  attendance = can('chair', 'secretariat', 'board') ? await api('GET', `/api/meetings/${meetingId}/attendance`).catch(() => null) : null;
  const latest = new Map();
  for (const poll of polls) latest.set(poll.proposal_id ? `p${poll.proposal_id}` : `i${poll.agenda_item_id}`, poll);
  await Promise.all([...latest.values()].map(async (poll) => {
    if (poll.state === 'closed') details.set(poll.id, await api('GET', `/api/polls/${poll.id}`));
    if (poll.state === 'open' && can('chair', 'secretariat')) voters.set(poll.id, await api('GET', `/api/polls/${poll.id}/voters`).catch(() => null));
  }));
  render();
}

async function start() {
  session = await staffPage({ title: 'chair.title', active: 'meetings', roles: ['chair', 'secretariat', 'board'] });
  adviseSecondFactor(session, document.getElementById('chair-title'));
  const live = document.getElementById('chair-live');
  try {
    await refresh();
  } catch (error) {
    document.getElementById('chair-items').replaceChildren(el('li', { class: 'alert alert--error', role: 'alert' }, errorMessage(error)));
    return;
  }
  floor = createFloorPanel({
    speakersBox: document.getElementById('floor-speakers'), contributionsBox: document.getElementById('floor-contributions'),
    meetingId, canChair: () => can('chair'), isOpen: () => meeting.state === 'open',
  });
  floor.refresh(); // beside the cards; the live stream below does not wait for it
  onLanguageChange(() => { render(); floor.render(); });
  // Live: a poll event updates the turnout line at once and redraws after a pause;
  // attendance changes P. Nothing is redrawn under a form being filled in or a dialog.
  let timer = null;
  const later = () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      const busy = document.querySelector('dialog[open]') || (document.activeElement && document.activeElement.closest('form'));
      if (busy) { later(); return; }
      refresh().catch(() => {});
    }, 400);
  };
  const events = new EventSource(`/api/meetings/${meetingId}/events`);
  events.addEventListener('open', () => { live.textContent = t('chair.live'); live.dataset.state = 'live'; });
  events.addEventListener('error', () => { live.textContent = t('chair.reconnecting'); live.dataset.state = 'lost'; });
  events.addEventListener('poll', (event) => {
    const data = JSON.parse(event.data);
    const line = document.getElementById(`cast-${data.poll_id}`);
    if (line && data.state === 'open') line.textContent = t('poll.turnout', { cast: data.cast, eligible: data.eligible });
    later();
  });
  for (const kind of ['attendance', 'agenda', 'meeting']) events.addEventListener(kind, later);
  events.addEventListener('speakers', () => floor.refreshSpeakers().catch(() => {}));
  events.addEventListener('contributions', () => floor.refreshContributions().catch(() => {}));
}

start();
