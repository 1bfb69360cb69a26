// The board's cycle dashboard: the cycles, one cycle's timeline (SVG), its phase,
// dates, proposals (with conflicts and open comments) and consultation rounds.
import { api } from '../api.js';
import { t, onLanguageChange, addMessages } from '../i18n.js';
import { staffPage, el, param, setBusy, toast, errorMessage, todayCivil } from '../ui.js';
import { handleSubmit, formMessage } from '../forms.js';
import { plural, wordDates, amsterdamInstant, amsterdamParts, nextWorkingDay, addDays } from '../words.js';
import { timelineFigure, stateBadge, proposalBadge, phaseBadge, formatDate, formatDateTime, replace } from '../cycle-common.js';

const session = await staffPage({ title: 'cycle.title', active: 'cycles', roles: ['board', 'admin', 'secretariat', 'chair'] });
const isBoard = (session.user.roles || []).includes('board');
const content = document.getElementById('content');

addMessages({
  nl: {
    'cycle.suggestions': 'Suggesties van het meldpunt',
    'cycle.suggestions_lead': 'Wijzigingsvoorstellen uit de halfjaarrapportages van het meldpunt. Maak er een conceptvoorstel van in deze cyclus, met de rapportage als bron.',
    'cycle.suggestion_period': 'Halfjaarrapportage {period}',
    'cycle.suggestion_article': 'Artikel {article}',
    'cycle.suggestion_no_article': 'Geen artikel genoemd',
    'cycle.suggestion_make': 'Maak er een voorstel van',
    'cycle.suggestion_made': 'Voorstel {id} gemaakt',
    'cycle.suggestion_which': 'Welk artikel wijzigt dit voorstel?',
    'cycle.half1': 'januari–juni {year}',
    'cycle.half2': 'juli–december {year}',
    'cycle.no_proposals': 'Nog geen voorstellen in deze cyclus.',
    'cycle.no_rounds': 'Nog geen consultatierondes.',
    'cycle.window_hint': 'Nederlandse tijd. Standaard: de eerstvolgende werkdag 09:00 tot vier weken later 17:00.',
    'cycle.window_words': 'De ronde loopt van {from} tot {until} (Nederlandse tijd).',
    'cycle.error_no_proposals': 'Kies ten minste één voorstel voor deze ronde.',
    'cycle.error_window': 'De ronde moet sluiten na de opening.',
    'cycle.earliest_words': 'Vroegst mogelijke ingangsdatum: {date} (6 weken na de ALV).',
    'cycle.invited_without.one': '1 uitgenodigde organisatie heeft geen contactpersoon en krijgt geen e-mail.',
    'cycle.invited_without.other': '{count} uitgenodigde organisaties hebben geen contactpersoon en krijgen geen e-mail.',
    'cycle.round_opened.one': 'Ronde geopend: 1 organisatie uitgenodigd, {mails} e-mails klaargezet.',
    'cycle.round_opened.other': 'Ronde geopend: {count} organisaties uitgenodigd, {mails} e-mails klaargezet.',
    'cycle.unreplied.one': '1 zonder antwoord',
    'cycle.unreplied.other': '{count} zonder antwoord',
    'cycle.advice': 'Wie intrekt, verstuurt de brief het best uiterlijk {date}: een paar werkdagen vóór de uiterste ontvangstdatum.',
  },
  en: {
    'cycle.suggestions': 'Suggestions from the meldpunt',
    'cycle.suggestions_lead': 'Amendment suggestions from the meldpunt half-year reports. Turn one into a draft proposal of this cycle, with the report as its source.',
    'cycle.suggestion_period': 'Half-year report {period}',
    'cycle.suggestion_article': 'Article {article}',
    'cycle.suggestion_no_article': 'No article named',
    'cycle.suggestion_make': 'Make it a proposal',
    'cycle.suggestion_made': 'Proposal {id} created',
    'cycle.suggestion_which': 'Which article does this proposal change?',
    'cycle.half1': 'January–June {year}',
    'cycle.half2': 'July–December {year}',
    'cycle.no_proposals': 'No proposals in this cycle yet.',
    'cycle.no_rounds': 'No consultation rounds yet.',
    'cycle.window_hint': 'Dutch time. By default: the next working day 09:00 until four weeks later 17:00.',
    'cycle.window_words': 'The round runs from {from} to {until} (Dutch time).',
    'cycle.error_no_proposals': 'Choose at least one proposal for this round.',
    'cycle.error_window': 'The round must close after it opens.',
    'cycle.earliest_words': 'Earliest possible effective date: {date} (6 weeks after the ALV).',
    'cycle.invited_without.one': '1 invited organisation has no contact person and gets no e-mail.',
    'cycle.invited_without.other': '{count} invited organisations have no contact person and get no e-mail.',
    'cycle.round_opened.one': 'Round opened: 1 organisation invited, {mails} e-mails queued.',
    'cycle.round_opened.other': 'Round opened: {count} organisations invited, {mails} e-mails queued.',
    'cycle.unreplied.one': '1 without reply',
    'cycle.unreplied.other': '{count} without reply',
    'cycle.advice': 'A signatory that withdraws had best send the letter by {date}: a few working days before the last day of receipt.',
  },
});

const periodWords = (period) => t(`cycle.half${period.slice(5)}`, { year: period.slice(0, 4) });

/** The half-years whose reports can feed this cycle: the year before and this year. */
function feedingPeriods(year) {
  return [`${year - 1}H1`, `${year - 1}H2`, `${year}H1`, `${year}H2`];
}

function field(id, labelKey, input, hintKey = null) {
  if (hintKey) input.setAttribute('aria-describedby', `${id}-hint`);
  return el('div', { class: 'field' }, el('label', { for: id, 'data-i18n': labelKey }, t(labelKey)),
    hintKey ? el('span', { class: 'hint', id: `${id}-hint`, 'data-i18n': hintKey }, t(hintKey)) : null, input);
}

/* ---- what the page knows; drawn again on a language switch without reloading ---- */
const state = { items: [], cycle: null, suggestions: [], articles: [], forms: {} };

function suggestionsSection(cycle) {
  const items = state.suggestions;
  if (!items.length) return null;
  const editable = isBoard && ['review', 'drafting', 'consultation'].includes(cycle.state);
  const rows = items.map((item) => {
    let action = null;
    if (item.proposal_id) {
      action = el('p', {}, el('a', { href: `/staff/proposal.html?id=${item.proposal_id}` }, t('cycle.suggestion_made', { id: item.proposal_id })));
    } else if (editable) {
      const form = el('form', { class: 'cluster' },
        item.article ? null : field(`suggestion-${item.id}`, 'cycle.suggestion_which',
          el('select', { id: `suggestion-${item.id}`, name: 'article', required: true },
            el('option', { value: '' }, '—'),
            state.articles.map((a) => el('option', { value: a.id }, `${t('cycle.article')} ${a.id}: ${a.title}`)))),
        el('button', { type: 'submit', class: 'button button--secondary' }, t('cycle.suggestion_make')));
      handleSubmit(form, {
        send: (data) => api('POST', `/api/meldpunt/suggestions/${item.id}/proposal`, { cycle_id: cycle.id, ...(data.article ? { article: data.article } : {}) }),
        success: (made) => { toast(t('cycle.suggestion_made', { id: made.id }), 'success'); location.assign(`/staff/proposal.html?id=${made.id}`); },
      });
      action = form;
    }
    return el('li', { class: 'card' },
      el('p', {}, el('strong', {}, t('cycle.suggestion_period', { period: periodWords(item.period) })), ' · ',
        item.article ? t('cycle.suggestion_article', { article: item.article }) : t('cycle.suggestion_no_article')),
      el('p', {}, item.text), action);
  });
  return el('section', {}, el('h2', {}, t('cycle.suggestions')), el('p', { class: 'muted' }, t('cycle.suggestions_lead')),
    el('ul', { class: 'stack list-plain' }, rows));
}

function createForm() {
  const form = el('form', { class: 'card', id: 'create-cycle' },
    el('h2', { 'data-i18n': 'cycle.new' }, t('cycle.new')),
    field('year', 'cycle.year', el('input', { id: 'year', name: 'year', type: 'number', min: 2000, max: 2200, required: true, value: todayCivil().slice(0, 4), class: 'input--short' })),
    el('button', { type: 'submit', class: 'button', 'data-i18n': 'cycle.create' }, t('cycle.create')));
  return handleSubmit(form, {
    send: (data) => api('POST', '/api/cycles', { year: data.year }),
    success: (made) => { toast(t('cycle.created', { year: made.year }), 'success'); location.assign(`/staff/cycles.html?id=${made.id}`); },
  });
}

function datesForm(cycle) {
  const input = (name) => el('input', { id: name, name, type: 'date', value: cycle[name] || '' });
  const form = el('form', { class: 'card', id: 'cycle-dates' },
    el('h2', {}, t('cycle.dates')),
    field('review_from', 'cycle.review_from', input('review_from')),
    field('alv_date', 'cycle.alv_date', input('alv_date')),
    cycle.earliest_effective_date ? el('p', { class: 'hint' }, t('cycle.earliest_words', { date: formatDate(cycle.earliest_effective_date) })) : null,
    field('effective_date', 'cycle.effective_date', input('effective_date')),
    cycle.withdrawal_deadline ? el('p', {}, `${t('cycle.withdrawal_deadline')}: `, el('strong', {}, formatDate(cycle.withdrawal_deadline))) : null,
    cycle.withdrawal_warning ? el('p', { class: 'alert alert--warning' }, wordDates(cycle.withdrawal_warning)) : null,
    cycle.withdrawal_send_by ? el('p', { class: 'muted' }, t('cycle.advice', { date: formatDate(cycle.withdrawal_send_by) }))
      : cycle.withdrawal_advice ? el('p', { class: 'muted' }, wordDates(cycle.withdrawal_advice)) : null,
    isBoard ? el('button', { type: 'submit', class: 'button button--secondary' }, t('cycle.save_dates')) : null);
  if (!isBoard) form.querySelectorAll('input').forEach((control) => { control.readOnly = true; });
  return handleSubmit(form, {
    send: (data) => api('PATCH', `/api/cycles/${cycle.id}`, Object.fromEntries(['review_from', 'alv_date', 'effective_date'].filter((n) => data[n]).map((n) => [n, data[n]]))),
    success: async () => { await show(cycle.id); formMessage(document.getElementById('cycle-dates'), 'success', { key: 'cycle.saved' }); },
  });
}

function proposalsTable(cycle) {
  const rows = cycle.proposals.map((p) => el('tr', {},
    el('td', { 'data-label': t('cycle.proposal') }, el('a', { href: `/staff/proposal.html?id=${p.id}` }, p.title),
      el('span', { class: 'muted small' }, ` · ${t('cycle.revision', { n: p.revision })}`)),
    el('td', { 'data-label': t('cycle.state') }, proposalBadge(p.state)),
    el('td', { 'data-label': t('cycle.articles') }, p.articles.join(', ')),
    el('td', { 'data-label': t('cycle.conflicts') }, p.conflicts_with.length
      ? p.conflicts_with.map((id) => el('a', { class: 'badge badge--danger', href: `/staff/proposal.html?id=${id}` }, `${t('cycle.proposal')} ${id}`))
      : el('span', { class: 'muted' }, t('common.no'))),
    el('td', { 'data-label': t('cycle.comments'), class: 'num' }, String(p.comments),
      p.unreplied ? [' ', el('span', { class: 'badge badge--warning' }, plural('cycle.unreplied', p.unreplied))] : null)));
  return el('div', { class: 'table-wrap' }, el('table', { class: 'table table--stack' },
    el('thead', {}, el('tr', {}, ['cycle.proposal', 'cycle.state', 'cycle.articles', 'cycle.conflicts', 'cycle.comments']
      .map((key) => el('th', { scope: 'col' }, t(key))))),
    el('tbody', {}, rows)));
}

function roundsTable(cycle) {
  const rows = cycle.consultations.map((r) => el('tr', {},
    el('td', { 'data-label': t('cycle.rounds') }, el('a', { href: `/staff/round.html?id=${r.id}` }, t('cycle.round', { n: r.round }))),
    el('td', { 'data-label': t('cycle.window') }, `${formatDateTime(r.opens_at)} – ${formatDateTime(r.closes_at)}`),
    el('td', { 'data-label': t('cycle.state') }, phaseBadge(r.phase)),
    el('td', { 'data-label': t('cycle.invited'), class: 'num' }, String(r.invited)),
    el('td', { 'data-label': t('cycle.comments'), class: 'num' }, String(r.comments),
      r.unreplied ? [' ', el('span', { class: 'badge badge--warning' }, plural('cycle.unreplied', r.unreplied))] : null),
    el('td', { 'data-label': t('cycle.reactienota') }, el('a', { href: `/staff/reactienota.html?id=${r.id}` }, t('cycle.reactienota')))));
  return el('div', { class: 'table-wrap' }, el('table', { class: 'table table--stack' },
    el('thead', {}, el('tr', {}, ['cycle.rounds', 'cycle.window', 'cycle.state', 'cycle.invited', 'cycle.comments', 'cycle.reactienota']
      .map((key) => el('th', { scope: 'col' }, t(key))))),
    el('tbody', {}, rows)));
}

/** The default window: the next working day 09:00 until four weeks later 17:00 (Amsterdam). */
function defaultWindow() {
  const opens = nextWorkingDay(amsterdamParts(Date.now()).date);
  return { opens: `${opens}T09:00`, closes: `${addDays(opens, 28)}T17:00` };
}

function roundForm(cycle) {
  const open = cycle.proposals.filter((p) => p.state === 'draft' || p.state === 'ready');
  const window = defaultWindow();
  const opens = el('input', { id: 'opens_at', name: 'opens_at', type: 'datetime-local', required: true, value: window.opens });
  const closes = el('input', { id: 'closes_at', name: 'closes_at', type: 'datetime-local', required: true, value: window.closes });
  const words = el('p', { class: 'muted', 'aria-live': 'polite' });
  const say = () => {
    // In a sentence a date carries its weekday: "dinsdag 8 december 2026 09:00".
    const inWords = (value) => `${formatDate(value.slice(0, 10))} ${value.slice(11, 16)}`;
    words.textContent = amsterdamInstant(opens.value) && amsterdamInstant(closes.value)
      ? t('cycle.window_words', { from: inWords(opens.value), until: inWords(closes.value) }) : '';
  };
  opens.addEventListener('input', say);
  closes.addEventListener('input', say);
  say();
  const form = el('form', { class: 'card', id: 'round-form' },
    el('h2', { 'data-i18n': 'cycle.open_round' }, t('cycle.open_round')),
    field('opens_at', 'cycle.opens_at', opens, 'cycle.window_hint'),
    field('closes_at', 'cycle.closes_at', closes),
    words,
    el('fieldset', { class: 'field', 'data-required': '', 'data-error-choose': 'cycle.error_no_proposals' },
      el('legend', { 'data-i18n': 'cycle.round_proposals' }, t('cycle.round_proposals')),
      open.map((p) => el('label', { class: 'choice' },
        el('input', { type: 'checkbox', name: 'proposal_ids', value: p.id, checked: true, dataset: { multiple: '' } }), p.title))),
    el('button', { type: 'submit', class: 'button', 'data-i18n': 'cycle.open_round' }, t('cycle.open_round')));
  form.say = say;
  return handleSubmit(form, {
    validate: () => (amsterdamInstant(opens.value) && amsterdamInstant(closes.value) && closes.value <= opens.value
      ? [{ field: 'closes_at', control: closes, key: 'cycle.error_window', params: {} }] : []),
    send: (data) => api('POST', `/api/cycles/${cycle.id}/consultations`, {
      opens_at: amsterdamInstant(data.opens_at), closes_at: amsterdamInstant(data.closes_at), proposal_ids: data.proposal_ids.map(Number),
    }),
    success: async (made) => {
      toast(plural('cycle.round_opened', made.invited, { mails: made.mails }), 'success');
      if (made.invited_without_contact) toast(plural('cycle.invited_without', made.invited_without_contact), 'info');
      await show(cycle.id);
    },
  });
}

function stateButtons(cycle) {
  if (!isBoard) return [];
  return cycle.next_states.map((next) => el('button', {
    type: 'button', class: 'button button--secondary',
    onclick: async (event) => {
      const button = event.currentTarget;
      setBusy(button, true);
      try {
        await api('PATCH', `/api/cycles/${cycle.id}`, { state: next });
        toast(t('cycle.moved', { state: t(`cycle.state.${next}`) }), 'success');
        await show(cycle.id);
      } catch (error) {
        setBusy(button, false);
        toast(errorMessage(error), 'error');
      }
    },
  }, t('cycle.move_to', { state: t(`cycle.state.${next}`) })));
}

/* Forms keep their node through a language switch (what was typed stays). */
function keptForm(name, make) {
  if (!state.forms[name]) state.forms[name] = make();
  return state.forms[name];
}

function render() {
  const nav = document.getElementById('cycle-nav');
  nav?.replaceChildren(...state.items.map((c) => el('a', {
    href: `/staff/cycles.html?id=${c.id}`, class: 'badge badge--neutral', 'aria-current': c.id === state.cycle?.id ? 'page' : null,
  }, String(c.year))));
  nav?.setAttribute('aria-label', t('cycle.title'));
  const cycle = state.cycle;
  if (!cycle) {
    replace(content, el('p', { class: 'muted' }, t('cycle.none')), isBoard ? keptForm('create', createForm) : null);
    content.removeAttribute('aria-busy');
    return;
  }
  document.getElementById('page-title').textContent = `${t('cycle.title')} ${cycle.year}`;
  // Dates typed but not saved survive a language switch.
  const typed = [...content.querySelectorAll('#cycle-dates input[id]')].map((input) => [input.id, input.value]);
  const drafting = isBoard && ['review', 'drafting', 'consultation'].includes(cycle.state);
  replace(content,
    el('div', { class: 'cluster' }, el('span', {}, `${t('cycle.state')}:`), stateBadge(cycle.state), ...stateButtons(cycle)),
    el('h2', {}, t('cycle.timeline')),
    timelineFigure(cycle, todayCivil()),
    el('h2', {}, t('cycle.proposals')),
    cycle.proposals.length ? proposalsTable(cycle) : el('p', { class: 'muted' }, t('cycle.no_proposals')),
    drafting ? el('p', {}, el('a', { class: 'button', href: `/staff/proposal.html?cycle=${cycle.id}` }, t('cycle.new_proposal'))) : null,
    el('h2', {}, t('cycle.rounds')),
    cycle.consultations.length ? roundsTable(cycle) : el('p', { class: 'muted' }, t('cycle.no_rounds')),
    drafting && cycle.proposals.some((p) => p.state === 'draft' || p.state === 'ready') ? keptForm('round', () => roundForm(cycle)) : null,
    suggestionsSection(cycle),
    datesForm(cycle),
    isBoard ? keptForm('create', createForm) : null);
  state.forms.round?.say();
  for (const [id, value] of typed) {
    const input = document.getElementById(id);
    if (input) input.value = value;
  }
  content.removeAttribute('aria-busy');
}

async function show(id) {
  state.cycle = await api('GET', `/api/cycles/${id}`);
  const lists = await Promise.all(feedingPeriods(state.cycle.year).map((period) =>
    api('GET', `/api/meldpunt/half-year/${period}/suggestions`).then((r) => r.items).catch(() => [])));
  state.suggestions = lists.flat();
  if (state.suggestions.some((item) => !item.article && !item.proposal_id)) {
    state.articles = (await api('GET', '/api/code/in-force').catch(() => ({ articles: [] }))).articles;
  }
  delete state.forms.round;
  render();
}

async function start() {
  try {
    state.items = (await api('GET', '/api/cycles')).items;
    document.getElementById('page-title').after(el('nav', { class: 'cluster', id: 'cycle-nav' }));
    const id = Number(param('id')) || state.items[0]?.id;
    if (id) await show(id);
    else render();
  } catch (error) {
    replace(content, el('div', { class: 'alert alert--error', role: 'alert' }, errorMessage(error)));
  }
}

await start();
onLanguageChange(() => render());
