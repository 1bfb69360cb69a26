// The chair's console for one meeting: per agenda proposal create a poll (open or
// secret), open it, follow the turnout and who has not voted (or how many), record
// paper votes, close it, hold a re-vote, and set the effective date of an adopted
// proposal with the earliest date prefilled and the R3/R4/R7 messages shown.
import { api } from '../api.js';
import { addMessages, t } from '../i18n.js';
import { staffPage, el, param, setBusy, toast, errorMessage, formatDate } from '../ui.js';
import { adviseSecondFactor } from '../second-factor.js';
import { CHOICES, turnoutBar, resultChart, thresholdText, outcomeBadge } from '../poll-common.js';

addMessages({
  nl: {
    'chair.title': 'Stemmingen', 'chair.agenda': 'Voorstellen op de agenda',
    'chair.presence': 'Nu aanwezig (P): {eligible} · in de zaal {present} · via volmacht {represented}',
    'chair.projector': 'Projector', 'chair.minutes': 'Notulen', 'chair.meeting': 'Vergadering',
    'chair.create_open': 'Open stemming klaarzetten', 'chair.create_secret': 'Geheime stemming klaarzetten',
    'chair.open': 'Stemming openen', 'chair.close': 'Stemming sluiten',
    'chair.close_confirm': 'De stemming sluiten? Daarna telt geen stem meer.',
    'chair.revote': 'Herstemming (BW 2:13 lid 4)', 'chair.revote_confirm': 'Een nieuwe stemming over hetzelfde voorstel klaarzetten?',
    'chair.no_poll': 'Nog geen stemming.', 'chair.not_voted': 'Nog niet gestemd ({count})',
    'chair.not_voted_secret': 'Nog niet gestemd: {count} (geheime stemming: alleen het aantal)',
    'chair.via': 'stemt via {name}', 'chair.all_voted': 'Iedereen heeft gestemd.',
    'chair.paper': 'Papieren stemmen invoeren', 'chair.paper_member': 'Lid', 'chair.paper_choice': 'Stem',
    'chair.paper_add': 'Papieren stem vastleggen', 'chair.paper_done': 'Papieren stem(men) vastgelegd.',
    'chair.paper_members': 'Leden die op papier stemden', 'chair.paper_totals': 'Totalen van hun stembiljetten',
    'chair.effective': 'Ingangsdatum (R3)', 'chair.effective_hint': 'Op zijn vroegst {date} (besluitdatum + 6 weken).',
    'chair.effective_set': 'Ingangsdatum vaststellen', 'chair.effective_done': 'In werking op {effective}; opzeggen uiterlijk {deadline}.',
    'chair.advice': 'Advies', 'chair.version': 'Geplande versie van de Code: nummer {id}',
    'chair.lapsed': 'Vervallen door deze aanneming: voorstel(len) {ids}.',
  },
  en: {
    'chair.title': 'Votes', 'chair.agenda': 'Proposals on the agenda',
    'chair.presence': 'Present now (P): {eligible} · in the hall {present} · by proxy {represented}',
    'chair.projector': 'Projector', 'chair.minutes': 'Minutes', 'chair.meeting': 'Meeting',
    'chair.create_open': 'Prepare open vote', 'chair.create_secret': 'Prepare secret ballot',
    'chair.open': 'Open the vote', 'chair.close': 'Close the vote',
    'chair.close_confirm': 'Close the vote? No vote counts after that.',
    'chair.revote': 'Re-vote (BW 2:13(4))', 'chair.revote_confirm': 'Prepare a new vote on the same proposal?',
    'chair.no_poll': 'No vote yet.', 'chair.not_voted': 'Not voted yet ({count})',
    'chair.not_voted_secret': 'Not voted yet: {count} (secret ballot: the number only)',
    'chair.via': 'votes through {name}', 'chair.all_voted': 'Everyone has voted.',
    'chair.paper': 'Record paper votes', 'chair.paper_member': 'Member', 'chair.paper_choice': 'Vote',
    'chair.paper_add': 'Record paper vote', 'chair.paper_done': 'Paper vote(s) recorded.',
    'chair.paper_members': 'Members who voted on paper', 'chair.paper_totals': 'Totals of their ballots',
    'chair.effective': 'Effective date (R3)', 'chair.effective_hint': 'At the earliest {date} (decision date + 6 weeks).',
    'chair.effective_set': 'Set effective date', 'chair.effective_done': 'In force on {effective}; withdraw by {deadline}.',
    'chair.advice': 'Advice', 'chair.version': 'Scheduled Code version: number {id}',
    'chair.lapsed': 'Lapsed by this adoption: proposal(s) {ids}.',
  },
});

const meetingId = Number(param('id'));
let session;
let meeting;
let attendance = null;
const can = (...roles) => roles.some((role) => session.user.roles.includes(role));

async function act(button, method, path, body, done) {
  setBusy(button, true);
  try {
    const answer = await api(method, path, body);
    if (done) done(answer);
    await render();
  } catch (error) {
    toast(errorMessage(error), 'error');
  } finally {
    setBusy(button, false);
  }
}

function voterList(poll, voters) {
  if (!voters) return null;
  if (poll.secret) return el('p', { id: `voters-${poll.id}` }, t('chair.not_voted_secret', { count: voters.not_voted_count }));
  if (voters.not_voted.length === 0) return el('p', { id: `voters-${poll.id}` }, t('chair.all_voted'));
  return el('details', { id: `voters-${poll.id}` }, el('summary', {}, t('chair.not_voted', { count: voters.not_voted.length })),
    el('ul', {}, voters.not_voted.map((m) => el('li', {}, m.name, m.voter_id !== m.organisation_id ? ` (${t('chair.via', { name: m.voter_name })})` : ''))));
}

function paperForm(poll, voters) {
  const members = poll.secret ? (attendance?.members || []) : (voters?.not_voted || []);
  const idBase = `paper-${poll.id}`;
  if (!poll.secret) {
    const form = el('form', { class: 'card card--muted', novalidate: true },
      el('h4', {}, t('chair.paper')),
      el('div', { class: 'field' }, el('label', { for: `${idBase}-org` }, t('chair.paper_member')),
        el('select', { id: `${idBase}-org`, name: 'organisation_id', required: true },
          members.map((m) => el('option', { value: m.organisation_id }, m.name)))),
      el('fieldset', { class: 'field' }, el('legend', {}, t('chair.paper_choice')),
        CHOICES.map((choice, i) => el('label', { class: 'choice' },
          el('input', { type: 'radio', name: 'choice', value: choice, checked: i === 0 }), t(`poll.${choice}`)))),
      el('button', { type: 'submit', class: 'button' }, t('chair.paper_add')));
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      const data = new FormData(form);
      act(form.querySelector('button'), 'POST', `/api/polls/${poll.id}/paper`,
        { votes: [{ organisation_id: Number(data.get('organisation_id')), choice: data.get('choice') }] },
        () => toast(t('chair.paper_done'), 'success'));
    });
    return members.length ? form : null;
  }
  const form = el('form', { class: 'card card--muted', novalidate: true },
    el('h4', {}, t('chair.paper')),
    el('fieldset', { class: 'field' }, el('legend', {}, t('chair.paper_members')),
      members.filter((m) => m.inside).map((m) => el('label', { class: 'choice' },
        el('input', { type: 'checkbox', name: 'organisation_ids', value: m.organisation_id }), m.name))),
    el('fieldset', { class: 'field' }, el('legend', {}, t('chair.paper_totals')),
      CHOICES.map((choice) => el('div', { class: 'field' }, el('label', { for: `${idBase}-${choice}` }, t(`poll.${choice}`)),
        el('input', { id: `${idBase}-${choice}`, name: choice, type: 'number', min: 0, value: 0, inputmode: 'numeric' })))),
    el('button', { type: 'submit', class: 'button' }, t('chair.paper_add')));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const data = new FormData(form);
    act(form.querySelector('button'), 'POST', `/api/polls/${poll.id}/paper`, {
      organisation_ids: data.getAll('organisation_ids').map(Number),
      for: Number(data.get('for')), against: Number(data.get('against')), abstain: Number(data.get('abstain')),
    }, () => toast(t('chair.paper_done'), 'success'));
  });
  return form;
}

function effectiveForm(poll) {
  if (!poll.adopted || poll.superseded_by || !can('chair', 'board')) return null;
  const inputId = `effective-${poll.id}`;
  const output = el('div', { id: `effective-result-${poll.id}`, 'aria-live': 'polite' });
  const show = (answer) => output.replaceChildren(el('div', { class: `alert alert--${answer.warnings.length ? 'warning' : 'success'}` },
    el('strong', { class: 'alert__title' }, t('chair.effective_done', { effective: formatDate(answer.effective_from), deadline: formatDate(answer.withdrawal_deadline) })),
    answer.note ? el('p', {}, answer.note) : null,
    answer.warnings.map((w) => el('p', {}, w)),
    answer.advice ? el('p', {}, `${t('chair.advice')}: ${answer.advice}`) : null,
    el('p', { class: 'small' }, t('chair.version', { id: answer.version_id }))));
  const form = el('form', { class: 'card card--muted', novalidate: true },
    el('div', { class: 'field' }, el('label', { for: inputId }, t('chair.effective')),
      el('span', { class: 'hint', id: `${inputId}-hint` }, t('chair.effective_hint', { date: formatDate(poll.earliest_effective_date) })),
      el('input', { id: inputId, name: 'date', type: 'date', required: true, 'aria-describedby': `${inputId}-hint`,
        value: poll.adoption?.effective_from || poll.earliest_effective_date, min: poll.earliest_effective_date })),
    el('button', { type: 'submit', class: 'button' }, t('chair.effective_set')), output);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const button = form.querySelector('button');
    setBusy(button, true);
    try {
      show(await api('POST', `/api/proposals/${poll.proposal_id}/effective-date`, { date: form.elements.date.value }));
    } catch (error) {
      output.replaceChildren(el('div', { class: 'alert alert--error', role: 'alert' }, errorMessage(error)));
    } finally {
      setBusy(button, false);
    }
  });
  return form;
}

async function pollCard(item, polls) {
  const mine = polls.filter((p) => p.proposal_id === item.proposal_id);
  const poll = mine[mine.length - 1];
  const card = el('section', { class: 'card', id: `item-${item.proposal_id}`, 'aria-labelledby': `item-title-${item.proposal_id}` },
    el('h3', { id: `item-title-${item.proposal_id}` }, `${item.position}. ${item.title}`));
  if (!poll) {
    card.append(el('p', { class: 'muted' }, t('chair.no_poll')));
    if (can('chair')) {
      card.append(el('div', { class: 'button-row' },
        el('button', { type: 'button', class: 'button', onclick: (e) => act(e.currentTarget, 'POST', `/api/meetings/${meetingId}/polls`, { proposal_id: item.proposal_id, secret: false }) }, t('chair.create_open')),
        el('button', { type: 'button', class: 'button button--secondary', onclick: (e) => act(e.currentTarget, 'POST', `/api/meetings/${meetingId}/polls`, { proposal_id: item.proposal_id, secret: true }) }, t('chair.create_secret'))));
    }
    return card;
  }
  card.append(el('p', { class: 'muted' }, `${t(poll.secret ? 'poll.secret' : 'poll.named')} · ${t(`poll.${poll.state}`)}`));
  if (poll.state === 'draft' && can('chair')) {
    card.append(el('button', { type: 'button', class: 'button', onclick: (e) => act(e.currentTarget, 'POST', `/api/polls/${poll.id}/open`) }, t('chair.open')));
  } else if (poll.state === 'open') {
    const voters = can('chair', 'secretariat') ? await api('GET', `/api/polls/${poll.id}/voters`).catch(() => null) : null;
    card.append(turnoutBar(poll.cast, poll.eligible),
      el('p', { class: 'lead', id: `cast-${poll.id}` }, t('poll.turnout', { cast: poll.cast, eligible: poll.eligible })),
      el('p', {}, `P = ${poll.eligible} · ${thresholdText(poll)} · ${t('poll.rule', { rule: poll.rule_text })}`),
      voterList(poll, voters));
    if (can('chair')) {
      card.append(el('button', { type: 'button', class: 'button button--danger', onclick: (e) => { if (confirm(t('chair.close_confirm'))) act(e.currentTarget, 'POST', `/api/polls/${poll.id}/close`); } }, t('chair.close')));
    }
    if (can('chair', 'secretariat')) card.append(paperForm(poll, voters));
  } else if (poll.state === 'closed') {
    const full = await api('GET', `/api/polls/${poll.id}`);
    card.append(el('p', { class: 'lead' }, outcomeBadge(full), ' ', full.explanation),
      resultChart(full), el('p', {}, t('poll.counts', full)),
      el('p', {}, `P = ${full.eligible} · ${thresholdText(full)} · ${t('poll.rule', { rule: full.rule_text })}`),
      full.fingerprint ? el('p', { class: 'small' }, `${t('poll.fingerprint')}: `, el('span', { class: 'fingerprint' }, full.fingerprint)) : null);
    if (can('chair') && !full.superseded_by) {
      card.append(el('button', { type: 'button', class: 'button button--secondary', onclick: (e) => { if (confirm(t('chair.revote_confirm'))) act(e.currentTarget, 'POST', `/api/polls/${poll.id}/revote`, {}); } }, t('chair.revote')));
    }
    card.append(effectiveForm(full));
  }
  return card;
}

async function render() {
  meeting = await api('GET', `/api/meetings/${meetingId}`);
  const { items } = await api('GET', `/api/meetings/${meetingId}/polls`);
  attendance = can('chair', 'secretariat', 'board') ? await api('GET', `/api/meetings/${meetingId}/attendance`).catch(() => null) : null;
  document.getElementById('chair-title').textContent = `${t('chair.title')}: ${meeting.title}`;
  document.getElementById('chair-when').textContent = `${formatDate(meeting.date)} · ${meeting.starts_at} · ${meeting.location}`;
  document.getElementById('chair-presence').textContent = t('chair.presence', meeting.attendance);
  const cards = [];
  for (const item of meeting.agenda.filter((a) => a.proposal_id)) cards.push(await pollCard(item, items));
  document.getElementById('chair-items').replaceChildren(...cards);
}

async function start() {
  session = await staffPage({ title: 'chair.title', active: 'meetings', roles: ['chair', 'secretariat', 'board'] });
  adviseSecondFactor(session, document.getElementById('chair-title'));
  document.getElementById('chair-links').replaceChildren(
    el('a', { class: 'button button--secondary', href: `/projector.html?meeting=${meetingId}` }, t('chair.projector')),
    el('a', { class: 'button button--secondary', href: `/staff/minutes.html?id=${meetingId}` }, t('chair.minutes')),
    el('a', { class: 'button button--secondary', href: `/staff/meeting.html?id=${meetingId}` }, t('chair.meeting')));
  try {
    await render();
  } catch (error) {
    document.getElementById('chair-items').replaceChildren(el('div', { class: 'alert alert--error', role: 'alert' }, errorMessage(error)));
    return;
  }
  // Live: a poll event updates the turnout line at once and redraws after a pause;
  // attendance changes P. Forms being filled in are not redrawn under the user.
  let timer = null;
  const later = () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      if (document.activeElement && document.activeElement.closest('form')) return;
      render().catch(() => {});
    }, 400);
  };
  const events = new EventSource(`/api/meetings/${meetingId}/events`);
  events.addEventListener('poll', (event) => {
    const data = JSON.parse(event.data);
    const line = document.getElementById(`cast-${data.poll_id}`);
    if (line && data.state === 'open') line.textContent = t('poll.turnout', { cast: data.cast, eligible: data.eligible });
    later();
  });
  events.addEventListener('attendance', later);
}

start();
