// Staff: the agenda of one meeting, built by the board and the secretariat. Plain items
// (Opening, Rondvraag…), ready proposals and other decisions with their own majority
// rule, in any order; add, remove and move, each change saved at once (PUT) and said so.
import { api } from '../api.js';
import { addMessages, t, onLanguageChange } from '../i18n.js';
import { staffPage, el, param, setBusy, errorMessage, formatDate } from '../ui.js';
import { showFieldErrors, clearFieldErrors, validateRequired } from '../forms.js';
import { RULES, ruleName, ruleWords, proposalStateWords } from '../poll-common.js';

addMessages({
  nl: {
    'agenda.title': 'Agenda', 'agenda.items': 'Agendapunten', 'agenda.empty': 'Er staat nog niets op de agenda.',
    'agenda.of': 'Agenda: {title}', 'agenda.when': '{date} om {time} uur · {location}',
    'agenda.kind.item': 'Agendapunt zonder stemming', 'agenda.kind.proposal': 'Voorstel', 'agenda.kind.decision': 'Besluit met stemming',
    'agenda.rule': 'Meerderheid: {rule}', 'agenda.meeting_rule': 'de regel van de vergadering ({rule})',
    'agenda.current': 'Nu aan de orde', 'agenda.polled': 'Hierover is een stemming klaargezet of gehouden; dit punt blijft op de agenda.',
    'agenda.up': 'Omhoog', 'agenda.down': 'Omlaag', 'agenda.remove': 'Verwijderen',
    'agenda.up_label': 'Punt {n} omhoog: {title}', 'agenda.down_label': 'Punt {n} omlaag: {title}', 'agenda.remove_label': 'Punt {n} verwijderen: {title}',
    'agenda.read': 'Voorstel lezen',
    'agenda.saved': 'Agenda opgeslagen.', 'agenda.saved_added': '“{title}” staat op de agenda als punt {n}.',
    'agenda.saved_removed': '“{title}” is van de agenda gehaald.', 'agenda.saved_moved': '“{title}” is nu punt {n}.',
    'agenda.closed': 'De vergadering is gesloten; de agenda ligt vast.',
    'agenda.readonly': 'U kunt de agenda lezen; het bestuur en het secretariaat stellen haar op.',
    'agenda.add_item': 'Agendapunt zonder stemming toevoegen', 'agenda.add_proposal': 'Voorstel toevoegen',
    'agenda.add_decision': 'Besluit met stemming toevoegen',
    'agenda.f_title': 'Titel', 'agenda.f_title_hint': 'Bijvoorbeeld: Opening, Mededelingen, Rondvraag of Sluiting.',
    'agenda.f_quick': 'Veelgebruikte punten', 'agenda.f_after': 'Plaats op de agenda',
    'agenda.f_start': 'Bovenaan, als punt 1', 'agenda.f_after_item': 'Na punt {n}: {title}', 'agenda.f_end': 'Onderaan, als punt {n}',
    'agenda.f_proposal': 'Voorstel', 'agenda.f_proposal_hint': 'Alleen voorstellen die gereed zijn gemeld voor de ALV.',
    'agenda.f_choose': 'Kies een voorstel', 'agenda.no_ready': 'Er is geen gereed voorstel dat nog niet op de agenda staat. Een voorstel wordt gereed als elke consultatiereactie is beantwoord.',
    'agenda.not_ready': 'Nog niet gereed: {list}.', 'agenda.to_cycles': 'Naar de cycli',
    'agenda.f_decision_title': 'Waarover wordt besloten', 'agenda.f_decision_hint': 'Bijvoorbeeld: Vaststelling van de notulen van de vorige ALV, of Decharge van het bestuur.',
    'agenda.f_rule': 'Meerderheid die nodig is', 'agenda.f_rule_meeting': 'De regel van de vergadering',
    'agenda.submit_item': 'Punt toevoegen', 'agenda.submit_proposal': 'Voorstel toevoegen', 'agenda.submit_decision': 'Besluit toevoegen',
    'agenda.need_title': 'Vul de titel in.', 'agenda.need_proposal': 'Kies een voorstel.',
    'agenda.chair': 'Naar de voorzittersconsole', 'agenda.meeting': 'Naar de vergadering',
    'agenda.error_title': 'De agenda is niet gewijzigd',
  },
  en: {
    'agenda.title': 'Agenda', 'agenda.items': 'Agenda items', 'agenda.empty': 'Nothing is on the agenda yet.',
    'agenda.of': 'Agenda: {title}', 'agenda.when': '{date} at {time} · {location}',
    'agenda.kind.item': 'Item without a vote', 'agenda.kind.proposal': 'Proposal', 'agenda.kind.decision': 'Decision with a vote',
    'agenda.rule': 'Majority: {rule}', 'agenda.meeting_rule': 'the meeting’s rule ({rule})',
    'agenda.current': 'Under discussion now', 'agenda.polled': 'A vote on this item was prepared or held; it stays on the agenda.',
    'agenda.up': 'Up', 'agenda.down': 'Down', 'agenda.remove': 'Remove',
    'agenda.up_label': 'Move item {n} up: {title}', 'agenda.down_label': 'Move item {n} down: {title}', 'agenda.remove_label': 'Remove item {n}: {title}',
    'agenda.read': 'Read the proposal',
    'agenda.saved': 'Agenda saved.', 'agenda.saved_added': '“{title}” is on the agenda as item {n}.',
    'agenda.saved_removed': '“{title}” was taken off the agenda.', 'agenda.saved_moved': '“{title}” is now item {n}.',
    'agenda.closed': 'The meeting is closed; its agenda is final.',
    'agenda.readonly': 'You can read the agenda; the board and the secretariat draw it up.',
    'agenda.add_item': 'Add an item without a vote', 'agenda.add_proposal': 'Add a proposal',
    'agenda.add_decision': 'Add a decision with a vote',
    'agenda.f_title': 'Title', 'agenda.f_title_hint': 'For example: Opening, Announcements, Any other business or Closing.',
    'agenda.f_quick': 'Common items', 'agenda.f_after': 'Place on the agenda',
    'agenda.f_start': 'At the top, as item 1', 'agenda.f_after_item': 'After item {n}: {title}', 'agenda.f_end': 'At the bottom, as item {n}',
    'agenda.f_proposal': 'Proposal', 'agenda.f_proposal_hint': 'Only proposals declared ready for the ALV.',
    'agenda.f_choose': 'Choose a proposal', 'agenda.no_ready': 'No ready proposal is left to add. A proposal becomes ready once every consultation comment has a reply.',
    'agenda.not_ready': 'Not ready yet: {list}.', 'agenda.to_cycles': 'To the cycles',
    'agenda.f_decision_title': 'What is decided', 'agenda.f_decision_hint': 'For example: Adoption of the minutes of the last ALV, or Discharge of the board.',
    'agenda.f_rule': 'Majority needed', 'agenda.f_rule_meeting': 'The meeting’s rule',
    'agenda.submit_item': 'Add item', 'agenda.submit_proposal': 'Add proposal', 'agenda.submit_decision': 'Add decision',
    'agenda.need_title': 'Enter the title.', 'agenda.need_proposal': 'Choose a proposal.',
    'agenda.chair': 'To the chair’s console', 'agenda.meeting': 'To the meeting',
    'agenda.error_title': 'The agenda was not changed',
  },
});

const meetingId = Number(param('id'));
const QUICK = { nl: ['Opening', 'Mededelingen', 'Rondvraag', 'Sluiting'], en: ['Opening', 'Announcements', 'Any other business', 'Closing'] };
let session;
let meeting;
let proposals = []; // every proposal of the recent cycles: {id, title, state}
let editable = false;

const status = document.getElementById('agenda-status');

function say(kind, text, title) {
  status.replaceChildren(el('div', { class: `alert alert--${kind}`, role: kind === 'error' ? 'alert' : null },
    title ? el('strong', { class: 'alert__title' }, title) : null, el('p', {}, text)));
}

/* The body of a PUT for a list of items as the page holds them. */
function toBody(items) {
  return {
    items: items.map((item) => {
      if (item.kind === 'proposal') return { kind: 'proposal', proposal_id: item.proposal_id, ...(item.id ? { id: item.id } : {}) };
      const out = { kind: item.kind, title: item.title, ...(item.id ? { id: item.id } : {}) };
      if (item.kind === 'decision' && item.majority_rule) out.majority_rule = item.majority_rule;
      return out;
    }),
  };
}

/** Save the list; on success redraw and say what changed, on refusal keep the old agenda. */
async function save(items, button, done) {
  setBusy(button, true);
  try {
    const answer = await api('PUT', `/api/meetings/${meetingId}/agenda`, toBody(items));
    meeting.agenda = answer.items;
    meeting.current_item = answer.current_item;
    render();
    say('success', done(answer.items));
    return true;
  } catch (error) {
    say('error', errorMessage(error), t('agenda.error_title'));
    return false;
  } finally {
    if (button.isConnected) setBusy(button, false);
  }
}

function kindLine(item) {
  if (item.kind === 'proposal') {
    const state = proposalStateWords(item.proposal_state);
    return `${t('agenda.kind.proposal')}${state ? ` · ${state}` : ''}`;
  }
  if (item.kind === 'decision') {
    const rule = item.majority_rule ? ruleName(item.majority_rule) : t('agenda.meeting_rule', { rule: ruleName(meeting.majority_rule).toLowerCase() });
    return `${t('agenda.kind.decision')} · ${t('agenda.rule', { rule })}`;
  }
  return t('agenda.kind.item');
}

function move(index, by, button) {
  const items = [...meeting.agenda];
  const [item] = items.splice(index, 1);
  items.splice(index + by, 0, item);
  const direction = by < 0 ? 'up' : 'down';
  save(items, button, () => t('agenda.saved_moved', { title: item.title, n: index + by + 1 })).then((saved) => {
    if (!saved) return;
    // Keep the keyboard where it was: on the moved item's button (or its other one at an edge).
    const row = document.querySelector(`[data-item-id="${item.id}"]`);
    (row?.querySelector(`[data-move="${direction}"]:not([disabled])`) || row?.querySelector('[data-move]:not([disabled])'))?.focus();
  });
}

function remove(index, button) {
  const items = [...meeting.agenda];
  const [item] = items.splice(index, 1);
  save(items, button, () => t('agenda.saved_removed', { title: item.title })).then((saved) => {
    if (saved) document.getElementById('agenda-list-heading').focus();
  });
}

function renderList() {
  const list = document.getElementById('agenda-items');
  if (meeting.agenda.length === 0) {
    list.replaceChildren(el('li', { class: 'agenda-item agenda-item--empty muted' }, t('agenda.empty')));
    return;
  }
  const last = meeting.agenda.length - 1;
  // A redraw (after a save, or when someone else changed the agenda) keeps the keyboard
  // on the same button of the same item.
  const focused = list.contains(document.activeElement) ? document.activeElement : null;
  const keep = focused ? { id: focused.closest('[data-item-id]')?.dataset.itemId, move: focused.dataset.move } : null;
  list.replaceChildren(...meeting.agenda.map((item, index) => {
    const n = index + 1;
    const current = meeting.current_item === item.position;
    const controls = editable ? el('div', { class: 'agenda-item__controls' },
      el('button', { type: 'button', class: 'button button--secondary', 'data-move': 'up', disabled: index === 0,
        'aria-label': t('agenda.up_label', { n, title: item.title }), onclick: (e) => move(index, -1, e.currentTarget) }, '↑ ', t('agenda.up')),
      el('button', { type: 'button', class: 'button button--secondary', 'data-move': 'down', disabled: index === last,
        'aria-label': t('agenda.down_label', { n, title: item.title }), onclick: (e) => move(index, 1, e.currentTarget) }, '↓ ', t('agenda.down')),
      item.has_poll ? null : el('button', { type: 'button', class: 'button button--secondary button--danger-text',
        'aria-label': t('agenda.remove_label', { n, title: item.title }), onclick: (e) => remove(index, e.currentTarget) }, t('agenda.remove'))) : null;
    return el('li', { class: ['agenda-item', current && 'agenda-item--current'], dataset: { itemId: String(item.id), kind: item.kind } },
      el('span', { class: 'agenda-item__number', 'aria-hidden': 'true' }, String(n)),
      el('div', { class: 'agenda-item__body' },
        el('p', { class: 'agenda-item__title' }, el('span', { class: 'visually-hidden' }, `${n}. `), item.title,
          current ? el('span', { class: 'badge badge--info' }, t('agenda.current')) : null),
        el('p', { class: 'agenda-item__kind muted' }, kindLine(item)),
        item.kind === 'proposal' ? el('p', { class: 'small' }, el('a', { href: `/staff/proposal.html?id=${item.proposal_id}` }, t('agenda.read'))) : null,
        item.has_poll && editable ? el('p', { class: 'small muted' }, t('agenda.polled')) : null),
      controls);
  }));
  if (keep?.id) {
    const row = list.querySelector(`[data-item-id="${keep.id}"]`);
    (row?.querySelector(`[data-move="${keep.move}"]:not([disabled])`) || row?.querySelector('[data-move]:not([disabled])'))?.focus();
  }
}

/* "Plaats op de agenda": at the top, after each item, or at the bottom (the default). */
function placeField(id) {
  const items = meeting.agenda;
  return el('div', { class: 'field' }, el('label', { for: id }, t('agenda.f_after')),
    el('select', { id, name: 'after' },
      items.length ? el('option', { value: '0' }, t('agenda.f_start')) : null,
      items.slice(0, -1).map((item, index) => el('option', { value: String(index + 1) }, t('agenda.f_after_item', { n: index + 1, title: item.title }))),
      el('option', { value: String(items.length), selected: true }, t('agenda.f_end', { n: items.length + 1 }))));
}

function insertAt(form, item) {
  const items = [...meeting.agenda];
  const at = Math.min(Number(form.elements.after.value), items.length);
  items.splice(at, 0, item);
  return { items, n: at + 1 };
}

function addForm({ id, heading, fields, submit, build }) {
  const form = el('form', { class: 'card', id, novalidate: true },
    el('h2', {}, heading), ...fields, placeField(`${id}-after`),
    el('button', { type: 'submit', class: 'button' }, submit));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearFieldErrors(form);
    const built = build(form);
    if (built.errors) { showFieldErrors(form, built.errors); return; }
    const { items, n } = insertAt(form, built.item);
    const saved = await save(items, form.querySelector('button[type="submit"]'), () => t('agenda.saved_added', { title: built.title, n }));
    if (saved) document.getElementById(id)?.reset();
  });
  return form;
}

function renderForms() {
  const box = document.getElementById('agenda-forms');
  if (!editable) {
    box.replaceChildren(el('p', { class: 'muted' }, t(meeting.state === 'closed' ? 'agenda.closed' : 'agenda.readonly')));
    return;
  }
  const onAgenda = new Set(meeting.agenda.filter((a) => a.proposal_id).map((a) => a.proposal_id));
  const ready = proposals.filter((p) => p.state === 'ready' && !onAgenda.has(p.id));
  const waiting = proposals.filter((p) => p.state === 'draft' && !onAgenda.has(p.id));

  const itemForm = addForm({
    id: 'add-item', heading: t('agenda.add_item'), submit: t('agenda.submit_item'),
    fields: [
      el('div', { class: 'field' }, el('label', { for: 'item-title' }, t('agenda.f_title')),
        el('span', { class: 'hint', id: 'item-title-hint' }, t('agenda.f_title_hint')),
        el('input', { id: 'item-title', name: 'title', type: 'text', maxlength: 300, required: true, 'aria-describedby': 'item-title-hint', autocomplete: 'off' })),
      el('div', { class: 'field' }, el('p', { class: 'label', id: 'quick-label' }, t('agenda.f_quick')),
        el('div', { class: 'cluster', role: 'group', 'aria-labelledby': 'quick-label' },
          (QUICK[document.documentElement.lang] || QUICK.nl).map((title) => el('button', {
            type: 'button', class: 'button button--secondary',
            onclick: () => { document.getElementById('item-title').value = title; document.getElementById('item-title').focus(); },
          }, title)))),
    ],
    build: (form) => {
      const title = form.elements.title.value.trim();
      if (!title) return { errors: [{ field: 'title', message: t('agenda.need_title') }] };
      return { title, item: { kind: 'item', title } };
    },
  });

  const proposalFields = ready.length
    ? [el('div', { class: 'field' }, el('label', { for: 'proposal-id' }, t('agenda.f_proposal')),
      el('span', { class: 'hint', id: 'proposal-hint' }, t('agenda.f_proposal_hint')),
      el('select', { id: 'proposal-id', name: 'proposal_id', required: true, 'aria-describedby': 'proposal-hint' },
        el('option', { value: '' }, t('agenda.f_choose')),
        ready.map((p) => el('option', { value: String(p.id) }, p.title))))]
    : [el('p', {}, t('agenda.no_ready'))];
  if (waiting.length) proposalFields.push(el('p', { class: 'small muted' }, t('agenda.not_ready', { list: waiting.map((p) => `“${p.title}”`).join(', ') })));
  const proposalForm = ready.length ? addForm({
    id: 'add-proposal', heading: t('agenda.add_proposal'), submit: t('agenda.submit_proposal'), fields: proposalFields,
    build: (form) => {
      const chosen = proposals.find((p) => p.id === Number(form.elements.proposal_id.value));
      if (!chosen) return { errors: [{ field: 'proposal_id', message: t('agenda.need_proposal') }] };
      return { title: chosen.title, item: { kind: 'proposal', proposal_id: chosen.id, title: chosen.title } };
    },
  }) : el('section', { class: 'card', id: 'add-proposal' }, el('h2', {}, t('agenda.add_proposal')), ...proposalFields,
    el('p', {}, el('a', { href: '/staff/cycles.html' }, t('agenda.to_cycles'))));

  const decisionForm = addForm({
    id: 'add-decision', heading: t('agenda.add_decision'), submit: t('agenda.submit_decision'),
    fields: [
      el('div', { class: 'field' }, el('label', { for: 'decision-title' }, t('agenda.f_decision_title')),
        el('span', { class: 'hint', id: 'decision-title-hint' }, t('agenda.f_decision_hint')),
        el('input', { id: 'decision-title', name: 'title', type: 'text', maxlength: 300, required: true, 'aria-describedby': 'decision-title-hint', autocomplete: 'off' })),
      el('div', { class: 'field' }, el('label', { for: 'decision-rule' }, t('agenda.f_rule')),
        el('span', { class: 'hint', id: 'decision-rule-hint' }, ''),
        el('select', { id: 'decision-rule', name: 'majority_rule' },
          el('option', { value: '' }, t('agenda.f_rule_meeting')),
          RULES.map((rule) => el('option', { value: rule }, ruleName(rule))))),
    ],
    build: (form) => {
      const title = form.elements.title.value.trim();
      if (!title) return { errors: [{ field: 'title', message: t('agenda.need_title') }] };
      return { title, item: { kind: 'decision', title, majority_rule: form.elements.majority_rule.value || null } };
    },
  });
  box.replaceChildren(itemForm, proposalForm, decisionForm);
  // The rule in words under the choice, so nobody has to guess what a name means.
  const ruleSelect = document.getElementById('decision-rule');
  const ruleHint = document.getElementById('decision-rule-hint');
  const explain = () => { ruleHint.textContent = ruleWords(ruleSelect.value || meeting.majority_rule); };
  ruleSelect.setAttribute('aria-describedby', 'decision-rule-hint');
  ruleSelect.addEventListener('change', explain);
  explain();
}

function render() {
  document.getElementById('agenda-title').textContent = t('agenda.of', { title: meeting.title });
  document.getElementById('agenda-when').textContent = t('agenda.when', { date: formatDate(meeting.date), time: meeting.starts_at, location: meeting.location });
  document.getElementById('agenda-links').replaceChildren(
    el('a', { class: 'button button--secondary', href: `/staff/chair.html?id=${meetingId}` }, t('agenda.chair')),
    el('a', { class: 'button button--secondary', href: `/staff/meeting.html?id=${meetingId}` }, t('agenda.meeting')));
  renderList();
  if (!document.activeElement || !document.getElementById('agenda-forms').contains(document.activeElement)) renderForms();
}

async function loadProposals() {
  const { items: cycles } = await api('GET', '/api/cycles');
  const lists = await Promise.all(cycles.slice(0, 3).map((cycle) => api('GET', `/api/cycles/${cycle.id}/proposals`).then((r) => r.items)));
  proposals = lists.flat();
}

async function start() {
  session = await staffPage({ title: 'agenda.title', active: 'meetings', roles: ['board', 'secretariat', 'chair', 'admin'] });
  const roles = session.user.roles;
  try {
    meeting = await api('GET', `/api/meetings/${meetingId}`);
    editable = meeting.state !== 'closed' && (roles.includes('board') || roles.includes('secretariat'));
    if (editable) await loadProposals();
  } catch (error) {
    say('error', errorMessage(error));
    return;
  }
  render();
  onLanguageChange(() => { render(); renderForms(); });
  // Someone else changed the agenda, or the chair moved on: show it.
  const events = new EventSource(`/api/meetings/${meetingId}/events`);
  events.addEventListener('agenda', async () => {
    try {
      meeting = await api('GET', `/api/meetings/${meetingId}`);
      render();
    } catch { /* the next event or a reload shows it */ }
  });
}

start();
