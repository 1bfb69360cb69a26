// One proposal for the board: its changes as word diffs against the Code in force,
// the consolidated text, conflicts, revisions and their comparison, the editor (every
// save is a new version; "Vervangen" and "Schrappen" start from the article's current
// text with a live word diff) and "ready for the ALV".
import { api } from '../api.js';
import { t, addMessages, onLanguageChange } from '../i18n.js';
import { staffPage, el, param, setBusy, toast, errorMessage, formatDateTime, todayCivil } from '../ui.js';
import { handleSubmit, showErrors } from '../forms.js';
import { diffBlock, proposalBadge, replace, wordDiffNodes } from '../cycle-common.js';
import { plural } from '../words.js';

addMessages({
  nl: {
    'proposal.heading': 'Voorstel {id}: {title}',
    'proposal.save_new': 'Voorstel opslaan',
    'proposal.change_n': 'Wijziging {n}',
    'proposal.choose_article': 'Kies een artikel',
    'proposal.article_option': 'Artikel {id}: {title}',
    'proposal.number': 'Nummer van het nieuwe artikel',
    'proposal.number_hint': 'Een nummer met eventueel één letter, zoals 6e of 12.',
    'proposal.title_existing': 'Titel van het artikel',
    'proposal.title_new': 'Titel van het nieuwe artikel',
    'proposal.text_replace': 'Nieuwe tekst van het artikel',
    'proposal.text_replace_hint': 'Hier staat de tekst die nu geldt. Pas hem aan; hieronder ziet u meteen wat er verandert.',
    'proposal.text_insert': 'Tekst van het nieuwe artikel',
    'proposal.delete_note': 'Dit artikel vervalt. Hieronder staat de tekst die verdwijnt.',
    'proposal.preview': 'Wat er verandert',
    'proposal.preview_empty': 'Kies een artikel; dan ziet u hier wat er verandert.',
    'proposal.remove_change': 'Deze wijziging weghalen',
    'proposal.add_change': 'Nog een artikel wijzigen',
    'proposal.source': 'Komt uit de halfjaarrapportage van het meldpunt',
    'proposal.source_none': 'Nee',
    'proposal.half1': 'januari–juni {year}',
    'proposal.half2': 'juli–december {year}',
    'proposal.source_badge': 'Uit de halfjaarrapportage {period}',
    'proposal.based_on': 'Gebaseerd op versie {label} van de Code',
    'proposal.unreplied.one': '1 reactie heeft nog geen antwoord van het bestuur.',
    'proposal.unreplied.other': '{count} reacties hebben nog geen antwoord van het bestuur.',
    'proposal.conflicts': 'Wijzigt hetzelfde artikel als:',
    'proposal.conflict_link': 'voorstel {id}',
    'proposal.revision_line': 'Versie {n} · {when}',
    'proposal.revision_by': ' · {name}',
    'proposal.consulted_in.one': ' · voorgelegd in consultatieronde {rounds}',
    'proposal.consulted_in.other': ' · voorgelegd in consultatierondes {rounds}',
    'proposal.error_article': 'Kies het artikel dat deze wijziging verandert.',
    'proposal.error_number': 'Geef het nieuwe artikel een nummer met eventueel één letter, zoals 6e.',
    'proposal.error_exists': 'Artikel {id} bestaat al. Kies een ander nummer, of kies Vervangen.',
    'proposal.error_twice': 'Artikel {id} staat al in wijziging {n}. Zet alles over dat artikel in één wijziging.',
    'proposal.error_unchanged': 'De nieuwe tekst is gelijk aan de tekst die nu geldt. Pas de tekst aan of haal deze wijziging weg.',
    'proposal.error_no_change': 'Een voorstel wijzigt ten minste één artikel. Voeg een wijziging toe.',
    'proposal.required_title': 'Vul de titel van het voorstel in.',
    'proposal.required_rationale': 'Vul de toelichting in: waarom stelt het bestuur dit voor?',
    'proposal.required_text': 'Vul de tekst van het artikel in.',
    'proposal.required_new_title': 'Vul de titel van het nieuwe artikel in.',
  },
  en: {
    'proposal.heading': 'Proposal {id}: {title}',
    'proposal.save_new': 'Save proposal',
    'proposal.change_n': 'Change {n}',
    'proposal.choose_article': 'Choose an article',
    'proposal.article_option': 'Article {id}: {title}',
    'proposal.number': 'Number of the new article',
    'proposal.number_hint': 'A number with at most one letter, such as 6e or 12.',
    'proposal.title_existing': 'Title of the article',
    'proposal.title_new': 'Title of the new article',
    'proposal.text_replace': 'New text of the article',
    'proposal.text_replace_hint': 'This is the text in force now. Edit it; below you see at once what changes.',
    'proposal.text_insert': 'Text of the new article',
    'proposal.delete_note': 'This article is deleted. Below is the text that goes.',
    'proposal.preview': 'What changes',
    'proposal.preview_empty': 'Choose an article to see here what changes.',
    'proposal.remove_change': 'Remove this change',
    'proposal.add_change': 'Change another article',
    'proposal.source': 'Comes from the half-year report of the meldpunt',
    'proposal.source_none': 'No',
    'proposal.half1': 'January–June {year}',
    'proposal.half2': 'July–December {year}',
    'proposal.source_badge': 'From the half-year report {period}',
    'proposal.based_on': 'Based on version {label} of the Code',
    'proposal.unreplied.one': '1 comment has no reply from the board yet.',
    'proposal.unreplied.other': '{count} comments have no reply from the board yet.',
    'proposal.conflicts': 'Changes the same article as:',
    'proposal.conflict_link': 'proposal {id}',
    'proposal.revision_line': 'Version {n} · {when}',
    'proposal.revision_by': ' · {name}',
    'proposal.consulted_in.one': ' · put to consultation round {rounds}',
    'proposal.consulted_in.other': ' · put to consultation rounds {rounds}',
    'proposal.error_article': 'Choose the article this change alters.',
    'proposal.error_number': 'Give the new article a number with at most one letter, such as 6e.',
    'proposal.error_exists': 'Article {id} already exists. Choose another number, or choose Replace.',
    'proposal.error_twice': 'Article {id} is already in change {n}. Put everything about that article in one change.',
    'proposal.error_unchanged': 'The new text is the same as the text in force. Edit the text or remove this change.',
    'proposal.error_no_change': 'A proposal changes at least one article. Add a change.',
    'proposal.required_title': 'Enter the title of the proposal.',
    'proposal.required_rationale': 'Enter the rationale: why does the board propose this?',
    'proposal.required_text': 'Enter the text of the article.',
    'proposal.required_new_title': 'Enter the title of the new article.',
  },
});

const session = await staffPage({ title: 'cycle.proposal', active: 'cycles' });
const isBoard = (session.user.roles || []).includes('board');
const content = document.getElementById('content');
const heading = document.getElementById('page-title');
const ACTIONS = ['replace', 'insert', 'delete'];
let rowCounter = 0;

function field(id, labelKey, input, hintKey = null) {
  const hintId = hintKey ? `${id}-hint` : null;
  if (hintId) input.setAttribute('aria-describedby', hintId);
  return el('div', { class: 'field' }, el('label', { for: id, 'data-i18n': labelKey }, t(labelKey)),
    hintKey ? el('span', { class: 'hint', id: hintId, 'data-i18n': hintKey }, t(hintKey)) : null, input);
}

/** The half-years a proposal can come from: this year and the two before. */
function periodChoices(current) {
  const year = Number(todayCivil().slice(0, 4));
  const periods = [];
  for (let y = year; y >= year - 2; y--) periods.push(`${y}H2`, `${y}H1`);
  if (current && !periods.includes(current)) periods.unshift(current);
  return periods;
}

const periodWords = (period) => t(`proposal.half${period.slice(5)}`, { year: period.slice(0, 4) });

/**
 * One change of the editor: what happens (Vervangen / Nieuw artikel / Schrappen), to
 * which article, the new text starting from the current one, and the live diff.
 */
function changeRow(base, change = {}) {
  const n = ++rowCounter;
  const action = el('select', { id: `action-${n}`, name: `action-${n}` },
    ACTIONS.map((a) => el('option', { value: a, selected: a === (change.action || 'replace'), 'data-i18n': `cycle.action.${a}` }, t(`cycle.action.${a}`))));
  const article = el('select', { id: `article-${n}`, name: `article-${n}`, required: true, 'data-error-required': 'proposal.error_article' },
    el('option', { value: '', 'data-i18n': 'proposal.choose_article' }, t('proposal.choose_article')),
    [...base.values()].map((a) => el('option', { value: a.id, selected: a.id === change.article }, t('proposal.article_option', { id: a.id, title: a.title }))));
  const number = el('input', {
    id: `number-${n}`, name: `number-${n}`, type: 'text', required: true, maxlength: 4, autocomplete: 'off', class: 'input--short',
    pattern: '[1-9][0-9]{0,2}[a-z]?', 'data-error-pattern': 'proposal.error_number', 'data-error-required': 'proposal.error_number',
    value: change.action === 'insert' ? change.article : '',
  });
  const title = el('input', { id: `title-${n}`, name: `title-${n}`, type: 'text', maxlength: 200, value: change.title || '' });
  const text = el('textarea', { id: `text-${n}`, name: `text-${n}`, rows: 10, required: true, 'data-error-required': 'proposal.required_text' }, change.text || '');
  const preview = el('div', { class: 'diff change__preview', 'aria-live': 'polite' });
  const articleField = field(`article-${n}`, 'cycle.article', article);
  const numberField = field(`number-${n}`, 'proposal.number', number, 'proposal.number_hint');
  const titleLabel = el('label', { for: `title-${n}` });
  const titleField = el('div', { class: 'field' }, titleLabel, title);
  const textLabel = el('label', { for: `text-${n}` });
  const textHint = el('span', { class: 'hint', id: `text-${n}-hint`, 'data-i18n': 'proposal.text_replace_hint' }, t('proposal.text_replace_hint'));
  text.setAttribute('aria-describedby', `text-${n}-hint`);
  const textField = el('div', { class: 'field' }, textLabel, textHint, text);
  const deleteNote = el('p', { class: 'alert alert--warning', 'data-i18n': 'proposal.delete_note' }, t('proposal.delete_note'));
  // What was filled in from the Code, so a switch of article refills only untouched text.
  let filledText = change.action === 'replace' ? (base.get(change.article)?.text ?? null) : null;
  let filledTitle = change.action === 'replace' ? (base.get(change.article)?.title ?? null) : null;

  const row = el('fieldset', { class: 'card change', dataset: { row: String(n) } },
    el('legend', {}, t('proposal.change_n', { n: 0 })),
    field(`action-${n}`, 'cycle.action', action), articleField, numberField, titleField, deleteNote, textField,
    el('h4', { 'data-i18n': 'proposal.preview' }, t('proposal.preview')), preview,
    el('button', { type: 'button', class: 'button button--link', 'data-i18n': 'proposal.remove_change', onclick: () => { row.remove(); renumber(); } }, t('proposal.remove_change')));

  const draw = () => {
    const kind = action.value;
    const current = base.get(article.value);
    articleField.hidden = kind === 'insert';
    numberField.hidden = kind !== 'insert';
    titleField.hidden = kind === 'delete';
    textField.hidden = kind === 'delete';
    deleteNote.hidden = kind !== 'delete';
    titleLabel.textContent = t(kind === 'insert' ? 'proposal.title_new' : 'proposal.title_existing');
    title.required = kind === 'insert';
    title.dataset.errorRequired = 'proposal.required_new_title';
    textLabel.textContent = t(kind === 'insert' ? 'proposal.text_insert' : 'proposal.text_replace');
    textHint.hidden = kind !== 'replace';
    if (kind === 'insert') preview.replaceChildren(...(text.value ? [el('ins', {}, text.value)] : [el('span', { class: 'muted' }, t('proposal.preview_empty'))]));
    else if (!current) preview.replaceChildren(el('span', { class: 'muted' }, t('proposal.preview_empty')));
    else if (kind === 'delete') preview.replaceChildren(el('del', {}, current.text));
    else preview.replaceChildren(...wordDiffNodes(current.text, text.value));
  };
  const refill = () => {
    const current = base.get(article.value);
    if (action.value === 'replace' && current) {
      // Start from the article's current text, unless the board already wrote its own.
      if (!text.value.trim() || text.value === filledText) { text.value = current.text; filledText = current.text; }
      if (!title.value.trim() || title.value === filledTitle) { title.value = current.title; filledTitle = current.title; }
    } else if (action.value === 'insert') {
      if (text.value === filledText) { text.value = ''; filledText = null; }
      if (title.value === filledTitle) { title.value = ''; filledTitle = null; }
    }
    draw();
  };
  action.addEventListener('change', refill);
  article.addEventListener('change', refill);
  let timer = null;
  text.addEventListener('input', () => { clearTimeout(timer); timer = setTimeout(draw, 120); });
  row.read = () => {
    const kind = action.value;
    const id = kind === 'insert' ? number.value.trim() : article.value;
    const out = { article: id, action: kind };
    if (kind !== 'delete') {
      out.text = text.value.trim();
      const current = base.get(id);
      const newTitle = title.value.trim();
      if (newTitle && (kind === 'insert' || newTitle !== current?.title)) out.title = newTitle;
    }
    return out;
  };
  row.controls = { action, article, number, text };
  row.redraw = () => {
    row.querySelector('legend').textContent = t('proposal.change_n', { n: [...row.parentElement.children].indexOf(row) + 1 });
    [...article.options].slice(1).forEach((option) => {
      option.textContent = t('proposal.article_option', { id: option.value, title: base.get(option.value).title });
    });
    draw();
  };
  refill();
  return row;
}

let changeList = null;
function renumber() {
  changeList?.querySelectorAll('fieldset.change').forEach((row) => row.redraw());
}

/** Rules of the editor beyond each field: an article once, a new number unused, a real change. */
function checkChanges(base) {
  const errors = [];
  const rows = [...changeList.querySelectorAll('fieldset.change')];
  if (!rows.length) errors.push({ field: 'changes', key: 'proposal.error_no_change', params: {} });
  const seen = new Map();
  rows.forEach((row, index) => {
    const change = row.read();
    const { action, article, number, text } = row.controls;
    if (!change.article) return;
    const control = action.value === 'insert' ? number : article;
    if (action.value === 'insert' && base.has(change.article)) {
      errors.push({ field: control.name, control, key: 'proposal.error_exists', params: { id: change.article } });
    } else if (seen.has(change.article)) {
      errors.push({ field: control.name, control, key: 'proposal.error_twice', params: { id: change.article, n: seen.get(change.article) } });
    } else if (action.value === 'replace' && change.text && change.text === base.get(change.article)?.text.trim() && !change.title) {
      errors.push({ field: text.name, control: text, key: 'proposal.error_unchanged', params: {} });
    }
    seen.set(change.article, index + 1);
  });
  return errors;
}

function editor(proposal, cycleId, base) {
  rowCounter = 0;
  const starting = proposal?.changes?.length ? proposal.changes : [{}];
  changeList = el('div', { class: 'stack', id: 'changes', tabindex: '-1', 'data-field': 'changes' },
    starting.map((change) => changeRow(base, change)));
  const source = el('select', { id: 'source_report', name: 'source_report' },
    el('option', { value: '', 'data-i18n': 'proposal.source_none' }, t('proposal.source_none')),
    periodChoices(proposal?.source_report).map((period) => el('option', { value: period, selected: period === proposal?.source_report, dataset: { period } }, periodWords(period))));
  const form = el('form', { class: 'card', id: 'proposal-form' },
    field('title', 'cycle.proposal_title', el('input', { id: 'title', name: 'title', type: 'text', required: true, maxlength: 300, value: proposal?.title || '', 'data-error-required': 'proposal.required_title' })),
    field('rationale', 'cycle.rationale', el('textarea', { id: 'rationale', name: 'rationale', rows: 5, required: true, 'data-error-required': 'proposal.required_rationale' }, proposal?.rationale || '')),
    field('source_report', 'proposal.source', source),
    el('h3', { 'data-i18n': 'cycle.changes' }, t('cycle.changes')), changeList,
    el('p', {}, el('button', { type: 'button', class: 'button button--secondary', 'data-i18n': 'proposal.add_change', onclick: () => {
      const row = changeRow(base);
      changeList.append(row);
      renumber();
      row.querySelector('select').focus();
    } }, t('proposal.add_change'))),
    el('div', { class: 'button-row' }, el('button', { type: 'submit', class: 'button', 'data-i18n': proposal ? 'cycle.save' : 'proposal.save_new' }, t(proposal ? 'cycle.save' : 'proposal.save_new'))));
  renumber();
  handleSubmit(form, {
    validate: () => checkChanges(base),
    fields: { changes: 'changes' },
    send: async (data) => {
      const body = {
        title: data.title,
        rationale: data.rationale,
        changes: [...changeList.querySelectorAll('fieldset.change')].map((row) => row.read()),
      };
      if (data.source_report) body.source_report = data.source_report;
      return proposal ? api('PUT', `/api/proposals/${proposal.id}`, body) : api('POST', `/api/cycles/${cycleId}/proposals`, body);
    },
    success: (saved) => {
      toast(t('cycle.saved_revision', { n: saved.revision }), 'success');
      location.assign(`/staff/proposal.html?id=${saved.id}`);
    },
  });
  return form;
}

function changesView(proposal) {
  return proposal.changes.map((change) => el('section', { class: 'card' },
    el('h3', {}, `${t('cycle.article')} ${change.article} · ${t(`cycle.action.${change.action}`)}`,
      change.title ? ` — ${change.title}` : ''),
    el('p', { class: 'small muted' }, t('cycle.diff')),
    change.action === 'delete' ? el('p', { class: 'alert alert--warning' }, t('cycle.deleted')) : null,
    diffBlock(change.diff)));
}

function consolidatedView(proposal) {
  return el('details', { class: 'card' }, el('summary', {}, t('cycle.consolidated')),
    proposal.consolidated.map((article) => el('section', {},
      el('h4', {}, `${t('cycle.article')} ${article.id}: ${article.title}`,
        article.changed ? [' ', el('span', { class: 'badge badge--info' }, t('code.diff.changed'))] : null),
      el('p', { class: 'diff' }, article.text))));
}

/** Compare two versions of the proposal (the list is loaded once, drawn in any language). */
function revisionsView(proposal, items) {
  const output = el('div', { class: 'stack', 'aria-live': 'polite' });
  const select = (name, selected) => el('select', { name, id: name }, items.map((r) =>
    el('option', { value: r.number, selected: r.number === selected }, t('cycle.revision', { n: r.number }))));
  const from = select('from', Math.max(1, proposal.revision - 1));
  const to = select('to', proposal.revision);
  const button = el('button', { type: 'submit', class: 'button button--secondary' }, t('cycle.compare'));
  const form = el('form', { class: 'cluster', onsubmit: async (event) => {
    event.preventDefault();
    setBusy(button, true);
    try {
      const result = await api('GET', `/api/proposals/${proposal.id}/compare?from=${from.value}&to=${to.value}`);
      output.replaceChildren(el('h4', {}, t('cycle.rationale')), diffBlock(result.rationale_diff),
        ...result.articles.map((a) => el('section', {}, el('h4', {}, `${t('cycle.article')} ${a.article}`), diffBlock(a.diff))));
    } catch (error) {
      output.replaceChildren(el('div', { class: 'alert alert--error', role: 'alert' }, errorMessage(error)));
    } finally {
      setBusy(button, false);
    }
  } }, el('div', { class: 'field' }, el('label', { for: 'from' }, t('cycle.compare_from')), from),
  el('div', { class: 'field' }, el('label', { for: 'to' }, t('cycle.compare_to')), to), button);
  return el('section', { class: 'card' }, el('h2', {}, t('cycle.revisions')),
    el('ul', {}, items.map((r) => el('li', {}, t('proposal.revision_line', { n: r.number, when: formatDateTime(r.created_at) }),
      r.created_by ? t('proposal.revision_by', { name: r.created_by }) : '',
      r.consulted_in.length ? plural('proposal.consulted_in', r.consulted_in.length, { rounds: r.consulted_in.join(', ') }) : ''))),
    items.length > 1 ? form : null, output);
}

/** The articles of the Code the proposal changes, by id: the base version's text. */
async function baseArticles(proposal) {
  const version = proposal ? await api('GET', `/api/code/versions/${proposal.base_version_id}`) : await api('GET', '/api/code/in-force');
  return new Map(version.articles.map((article) => [article.id, article]));
}

/* What the page shows; the editor node is made once and kept through a language switch. */
const state = { proposal: null, revisions: [], editor: null, base: null };

function renderProposal() {
  const { proposal } = state;
  const id = proposal.id;
  heading.textContent = t('proposal.heading', { id, title: proposal.title });
  document.title = `${heading.textContent} · ${t('shell.product')}`;
  const ready = el('button', { type: 'button', class: 'button', onclick: async (event) => {
    const button = event.currentTarget;
    setBusy(button, true);
    try {
      await api('POST', `/api/proposals/${id}/ready`);
      toast(t('cycle.marked_ready'), 'success');
      await load(id);
    } catch (error) {
      setBusy(button, false);
      toast(errorMessage(error), 'error');
    }
  } }, t('cycle.mark_ready'));
  replace(content,
    el('p', {}, el('a', { href: `/staff/cycles.html?id=${proposal.cycle_id}` }, `← ${t('cycle.back')}`)),
    el('div', { class: 'cluster' }, proposalBadge(proposal.state), el('span', {}, t('cycle.revision', { n: proposal.revision })),
      el('span', { class: 'muted' }, t('proposal.based_on', { label: proposal.base_version_label })),
      proposal.source ? el('span', { class: 'badge badge--info' }, t('proposal.source_badge', { period: periodWords(proposal.source.report) })) : null),
    proposal.conflicts_with.length ? el('div', { class: 'alert alert--warning' }, `${t('proposal.conflicts')} `,
      proposal.conflicts_with.map((other, i) => [i ? ', ' : '', el('a', { href: `/staff/proposal.html?id=${other}` }, t('proposal.conflict_link', { id: other }))])) : null,
    proposal.comments?.unreplied ? el('p', { class: 'alert alert--warning' }, plural('proposal.unreplied', proposal.comments.unreplied)) : null,
    el('h2', {}, t('cycle.rationale')), el('p', { class: 'diff' }, proposal.rationale),
    el('h2', {}, t('cycle.changes')), changesView(proposal),
    consolidatedView(proposal),
    isBoard && proposal.state === 'draft' ? el('div', { class: 'button-row' }, ready) : null,
    revisionsView(proposal, state.revisions),
    state.editor);
  content.removeAttribute('aria-busy');
}

async function load(id) {
  state.proposal = await api('GET', `/api/proposals/${id}`);
  state.revisions = (await api('GET', `/api/proposals/${id}/revisions`)).items;
  const editable = isBoard && ['draft', 'ready', 'lapsed'].includes(state.proposal.state);
  state.editor = editable
    ? el('details', { class: 'editor' }, el('summary', { 'data-i18n': 'cycle.edit' }, t('cycle.edit')),
      editor(state.proposal, state.proposal.cycle_id, await baseArticles(state.proposal)))
    : null;
  renderProposal();
}

function renderNew() {
  heading.textContent = t('cycle.new_proposal');
  document.title = `${heading.textContent} · ${t('shell.product')}`;
  replace(content, el('p', {}, el('a', { href: `/staff/cycles.html?id=${Number(param('cycle'))}` }, `← ${t('cycle.back')}`)), state.editor);
  content.removeAttribute('aria-busy');
}

try {
  if (param('id')) await load(Number(param('id')));
  else {
    state.editor = editor(null, Number(param('cycle')), await baseArticles(null));
    renderNew();
  }
} catch (error) {
  replace(content, el('div', { class: 'alert alert--error', role: 'alert' }, errorMessage(error)));
}

// A language switch redraws every text; the editor stays as it is, with what was typed
// (its fixed texts carry data-i18n, the rest is redrawn here).
onLanguageChange(() => {
  if (state.proposal) renderProposal();
  else if (state.editor) renderNew();
  renumber();
  document.querySelectorAll('#source_report option[data-period]').forEach((option) => {
    option.textContent = periodWords(option.dataset.period);
  });
});
