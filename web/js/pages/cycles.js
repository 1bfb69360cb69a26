// The board's cycle dashboard: the cycles, one cycle's timeline (SVG), its phase,
// dates, proposals (with conflicts and open comments) and consultation rounds.
import { api } from '../api.js';
import { t, onLanguageChange, addMessages } from '../i18n.js';
import { staffPage, el, param, setBusy, toast, errorMessage, showFieldErrors, clearFieldErrors, todayCivil } from '../ui.js';
import { timelineFigure, stateBadge, proposalBadge, phaseBadge, formatDate, formatDateTime, replace } from '../cycle-common.js';

const session = await staffPage({ title: 'cycle.title', active: 'cycles', roles: ['board', 'admin', 'secretariat', 'chair'] });
const isBoard = (session.user.roles || []).includes('board');
const content = document.getElementById('content');

addMessages({
  nl: {
    'cycle.suggestions': 'Suggesties van het meldpunt',
    'cycle.window_hint': 'Nederlandse tijd (Europe/Amsterdam), waar u ook bent: zo staat het venster in de uitnodiging.',
    'cycle.suggestions_lead': 'Wijzigingsvoorstellen uit de halfjaarrapportages van het meldpunt. Eén klik maakt er een conceptvoorstel van in deze cyclus, met de rapportage als bron.',
    'cycle.suggestion_article': 'Artikel {article}',
    'cycle.suggestion_no_article': 'Geen artikel genoemd',
    'cycle.suggestion_make': 'Maak er een voorstel van',
    'cycle.suggestion_made': 'Voorstel {id} gemaakt',
    'cycle.suggestion_article_prompt': 'Welk artikel wijzigt dit voorstel? (bijvoorbeeld 6a)',
  },
  en: {
    'cycle.window_hint': 'Dutch time (Europe/Amsterdam), wherever you are: the invitation states the window that way.',
    'cycle.suggestions': 'Suggestions from the meldpunt',
    'cycle.suggestions_lead': 'Amendment suggestions from the meldpunt half-year reports. One click turns one into a draft proposal of this cycle, with the report as its source.',
    'cycle.suggestion_article': 'Article {article}',
    'cycle.suggestion_no_article': 'No article named',
    'cycle.suggestion_make': 'Make it a proposal',
    'cycle.suggestion_made': 'Proposal {id} created',
    'cycle.suggestion_article_prompt': 'Which article does this proposal change? (for example 6a)',
  },
});

/** The half-years whose reports can feed this cycle: the year before and this year. */
function feedingPeriods(year) {
  return [`${year - 1}H1`, `${year - 1}H2`, `${year}H1`, `${year}H2`];
}

async function suggestionsSection(cycle) {
  const lists = await Promise.all(feedingPeriods(cycle.year).map((period) =>
    api('GET', `/api/meldpunt/half-year/${period}/suggestions`).then((r) => r.items).catch(() => [])));
  const items = lists.flat();
  if (!items.length) return null;
  const editable = isBoard && ['review', 'drafting', 'consultation'].includes(cycle.state);
  const rows = items.map((item) => el('li', { class: 'card' },
    el('p', {}, el('strong', {}, item.period), ' · ',
      item.article ? t('cycle.suggestion_article', { article: item.article }) : t('cycle.suggestion_no_article')),
    el('p', {}, item.text),
    item.proposal_id
      ? el('p', {}, el('a', { href: `/staff/proposal.html?id=${item.proposal_id}` }, t('cycle.suggestion_made', { id: item.proposal_id })))
      : editable ? el('button', { type: 'button', class: 'button button--secondary', onclick: async (event) => {
        const button = event.currentTarget;
        const body = { cycle_id: cycle.id };
        if (!item.article) {
          const article = window.prompt(t('cycle.suggestion_article_prompt'));
          if (!article) return;
          body.article = article.trim();
        }
        setBusy(button, true);
        try {
          const made = await api('POST', `/api/meldpunt/suggestions/${item.id}/proposal`, body);
          toast(t('cycle.suggestion_made', { id: made.id }), 'success');
          location.assign(`/staff/proposal.html?id=${made.id}`);
        } catch (error) {
          setBusy(button, false);
          toast(errorMessage(error), 'error');
        }
      } }, t('cycle.suggestion_make')) : null));
  return el('section', {}, el('h2', {}, t('cycle.suggestions')), el('p', { class: 'muted' }, t('cycle.suggestions_lead')),
    el('ul', { class: 'stack list-plain' }, rows));
}

function field(id, label, input) {
  return el('div', { class: 'field' }, el('label', { for: id }, label), input);
}

async function submit(event, button, work) {
  event.preventDefault();
  const form = event.currentTarget;
  clearFieldErrors(form);
  setBusy(button, true);
  try {
    await work(form);
  } catch (error) {
    if (error.field) showFieldErrors(form, error);
    else toast(errorMessage(error), 'error');
  } finally {
    setBusy(button, false);
  }
}

/** The Amsterdam UTC offset at an instant (ms), in minutes: 60 (CET) or 120 (CEST). */
function amsterdamOffset(ms) {
  const parts = Object.fromEntries(new Intl.DateTimeFormat('en-GB', {
    timeZone: 'Europe/Amsterdam', hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit',
    hour: '2-digit', minute: '2-digit', second: '2-digit',
  }).formatToParts(new Date(ms)).map((p) => [p.type, p.value]));
  const wall = Date.UTC(+parts.year, +parts.month - 1, +parts.day, +parts.hour, +parts.minute, +parts.second);
  return Math.round((wall - Math.floor(ms / 1000) * 1000) / 60000);
}

/** A datetime-local value read as Amsterdam wall time, whatever the browser's time zone,
 * → RFC 3339 with the Amsterdam offset ("2027-03-02T09:00:00+01:00"). */
function instantOf(value) {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(value || '');
  if (!match) return value;
  const wall = Date.UTC(+match[1], +match[2] - 1, +match[3], +match[4], +match[5]);
  let offset = amsterdamOffset(wall - 60 * 60000);
  offset = amsterdamOffset(wall - offset * 60000);
  const sign = offset >= 0 ? '+' : '-';
  const pad = (n) => String(Math.abs(n)).padStart(2, '0');
  return `${match[1]}-${match[2]}-${match[3]}T${match[4]}:${match[5]}:00${sign}${pad(Math.trunc(offset / 60))}:${pad(offset % 60)}`;
}

/** The Amsterdam wall clock offsetDays from now, on the hour, as a datetime-local value. */
function localInput(offsetDays) {
  const parts = Object.fromEntries(new Intl.DateTimeFormat('en-GB', {
    timeZone: 'Europe/Amsterdam', hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit',
  }).formatToParts(new Date(Date.now() + offsetDays * 86400000)).map((p) => [p.type, p.value]));
  return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:00`;
}

function createForm() {
  const button = el('button', { type: 'submit', class: 'button' }, t('cycle.create'));
  const form = el('form', { class: 'card', novalidate: true, onsubmit: (event) => submit(event, button, async (f) => {
    const year = Number(f.elements.year.value);
    const made = await api('POST', '/api/cycles', { year });
    toast(t('cycle.created', { year: made.year }), 'success');
    location.assign(`/staff/cycles.html?id=${made.id}`);
  }) },
  el('h2', {}, t('cycle.new')),
  field('year', t('cycle.year'), el('input', { id: 'year', name: 'year', type: 'number', min: 2000, max: 2200, required: true, value: todayCivil().slice(0, 4) })),
  button);
  return form;
}

function datesForm(cycle) {
  const button = el('button', { type: 'submit', class: 'button button--secondary' }, t('cycle.save_dates'));
  const input = (name) => el('input', { id: name, name, type: 'date', value: cycle[name] || '' });
  return el('form', { class: 'card', novalidate: true, onsubmit: (event) => submit(event, button, async (f) => {
    const body = {};
    for (const name of ['review_from', 'alv_date', 'effective_date']) if (f.elements[name].value) body[name] = f.elements[name].value;
    await api('PATCH', `/api/cycles/${cycle.id}`, body);
    toast(t('cycle.saved'), 'success');
    await show(cycle.id);
  }) },
  el('h2', {}, t('cycle.dates')),
  field('review_from', t('cycle.review_from'), input('review_from')),
  field('alv_date', t('cycle.alv_date'), input('alv_date')),
  cycle.earliest_effective_date ? el('p', { class: 'hint' }, t('cycle.earliest', { date: formatDate(cycle.earliest_effective_date) })) : null,
  field('effective_date', t('cycle.effective_date'), input('effective_date')),
  cycle.withdrawal_deadline ? el('p', {}, `${t('cycle.withdrawal_deadline')}: `, el('strong', {}, formatDate(cycle.withdrawal_deadline))) : null,
  cycle.withdrawal_warning ? el('p', { class: 'alert alert--warning' }, cycle.withdrawal_warning) : null,
  isBoard ? button : null);
}

function proposalsTable(cycle) {
  const rows = cycle.proposals.map((p) => el('tr', {},
    el('td', { 'data-label': t('cycle.proposal') }, el('a', { href: `/staff/proposal.html?id=${p.id}` }, `#${p.id} ${p.title}`),
      el('span', { class: 'muted small' }, ` · ${t('cycle.revision', { n: p.revision })}`)),
    el('td', { 'data-label': t('cycle.state') }, proposalBadge(p.state)),
    el('td', { 'data-label': t('cycle.articles') }, p.articles.join(', ')),
    el('td', { 'data-label': t('cycle.conflicts') }, p.conflicts_with.length
      ? p.conflicts_with.map((id) => el('a', { class: 'badge badge--danger', href: `/staff/proposal.html?id=${id}` }, `#${id}`)) : '—'),
    el('td', { 'data-label': t('cycle.comments'), class: 'num' }, String(p.comments),
      p.unreplied ? el('span', { class: 'badge badge--warning' }, t('cycle.unreplied', { n: p.unreplied })) : null)));
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
      r.unreplied ? el('span', { class: 'badge badge--warning' }, t('cycle.unreplied', { n: r.unreplied })) : null),
    el('td', {}, el('a', { href: `/staff/reactienota.html?id=${r.id}` }, t('cycle.reactienota')))));
  return el('div', { class: 'table-wrap' }, el('table', { class: 'table table--stack' },
    el('thead', {}, el('tr', {}, ['cycle.rounds', 'cycle.window', 'cycle.state', 'cycle.invited', 'cycle.comments', 'cycle.reactienota']
      .map((key) => el('th', { scope: 'col' }, t(key))))),
    el('tbody', {}, rows)));
}

function roundForm(cycle) {
  const open = cycle.proposals.filter((p) => p.state === 'draft' || p.state === 'ready');
  const button = el('button', { type: 'submit', class: 'button' }, t('cycle.open_round'));
  return el('form', { class: 'card', novalidate: true, onsubmit: (event) => submit(event, button, async (f) => {
    const ids = [...f.querySelectorAll('input[name=proposal_ids]:checked')].map((box) => Number(box.value));
    const made = await api('POST', `/api/cycles/${cycle.id}/consultations`, {
      opens_at: instantOf(f.elements.opens_at.value), closes_at: instantOf(f.elements.closes_at.value), proposal_ids: ids,
    });
    toast(t('cycle.round_opened', { invited: made.invited, mails: made.mails }), 'success');
    await show(cycle.id);
  }) },
  el('h2', {}, t('cycle.open_round')),
  el('p', { class: 'hint', id: 'window-hint' }, t('cycle.window_hint')),
  field('opens_at', t('cycle.opens_at'), el('input', { id: 'opens_at', name: 'opens_at', type: 'datetime-local', required: true, value: localInput(0), 'aria-describedby': 'window-hint' })),
  field('closes_at', t('cycle.closes_at'), el('input', { id: 'closes_at', name: 'closes_at', type: 'datetime-local', required: true, value: localInput(28), 'aria-describedby': 'window-hint' })),
  el('fieldset', { class: 'field' }, el('legend', {}, t('cycle.round_proposals')),
    open.map((p) => el('label', { class: 'choice' },
      el('input', { type: 'checkbox', name: 'proposal_ids', value: p.id, checked: true }), ` #${p.id} ${p.title}`))),
  button);
}

async function show(id) {
  const cycle = await api('GET', `/api/cycles/${id}`);
  document.getElementById('page-title').textContent = `${t('cycle.title')} ${cycle.year}`;
  const stateButtons = isBoard ? cycle.next_states.map((state) => el('button', {
    type: 'button', class: 'button button--secondary',
    onclick: async (event) => {
      const button = event.currentTarget;
      setBusy(button, true);
      try {
        await api('PATCH', `/api/cycles/${id}`, { state });
        toast(t('cycle.moved', { state: t(`cycle.state.${state}`) }), 'success');
        await show(id);
      } catch (error) {
        setBusy(button, false);
        toast(errorMessage(error), 'error');
      }
    },
  }, t('cycle.move_to', { state: t(`cycle.state.${state}`) }))) : [];
  replace(content, 
    el('div', { class: 'cluster' }, el('span', {}, `${t('cycle.state')}:`), stateBadge(cycle.state), ...stateButtons),
    el('h2', {}, t('cycle.timeline')),
    timelineFigure(cycle, todayCivil()),
    el('h2', {}, t('cycle.proposals')),
    cycle.proposals.length ? proposalsTable(cycle) : el('p', { class: 'muted' }, '—'),
    isBoard && ['review', 'drafting', 'consultation'].includes(cycle.state)
      ? el('p', {}, el('a', { class: 'button', href: `/staff/proposal.html?cycle=${id}` }, t('cycle.new_proposal'))) : null,
    el('h2', {}, t('cycle.rounds')),
    cycle.consultations.length ? roundsTable(cycle) : el('p', { class: 'muted' }, '—'),
    isBoard && ['review', 'drafting', 'consultation'].includes(cycle.state) && cycle.proposals.length ? roundForm(cycle) : null,
    await suggestionsSection(cycle),
    datesForm(cycle));
  content.removeAttribute('aria-busy');
}

async function start() {
  try {
    const { items } = await api('GET', '/api/cycles');
    const id = Number(param('id')) || items[0]?.id;
    const nav = el('nav', { class: 'cluster', 'aria-label': t('cycle.title') },
      items.map((c) => el('a', { href: `/staff/cycles.html?id=${c.id}`, class: 'badge badge--neutral', 'aria-current': c.id === id ? 'page' : null }, String(c.year))));
    document.getElementById('page-title').after(nav);
    if (id) await show(id);
    else replace(content, el('p', { class: 'muted' }, t('cycle.none')));
    content.removeAttribute('aria-busy');
    if (isBoard) content.append(createForm());
  } catch (error) {
    replace(content, el('div', { class: 'alert alert--error', role: 'alert' }, errorMessage(error)));
  }
}

await start();
onLanguageChange(() => location.reload());
