// One proposal for the board: its changes as word diffs against the Code in force,
// the consolidated text, conflicts, revisions and their comparison, the editor
// (every save is a new revision) and "ready for the ALV".
import { api } from '../api.js';
import { t, onLanguageChange } from '../i18n.js';
import { staffPage, el, param, setBusy, toast, errorMessage, showFieldErrors, clearFieldErrors, formatDateTime } from '../ui.js';
import { diffBlock, proposalBadge, replace } from '../cycle-common.js';

const session = await staffPage({ title: 'cycle.proposal', active: 'cycles' });
const isBoard = (session.user.roles || []).includes('board');
const content = document.getElementById('content');
const title = document.getElementById('page-title');

function field(id, label, input) {
  return el('div', { class: 'field' }, el('label', { for: id }, label), input);
}

function changeRow(change = { article: '', action: 'replace', text: '', title: '' }) {
  const row = el('fieldset', { class: 'card change' },
    el('legend', {}, t('cycle.article')),
    el('div', { class: 'field' }, el('label', {}, t('cycle.article'),
      el('input', { name: 'article', value: change.article, required: true, maxlength: 15, inputmode: 'text', class: 'mono' }))),
    el('div', { class: 'field' }, el('label', {}, t('cycle.action'),
      el('select', { name: 'action' }, ['replace', 'insert', 'delete'].map((a) =>
        el('option', { value: a, selected: a === change.action }, t(`cycle.action.${a}`)))))),
    el('div', { class: 'field' }, el('label', {}, t('cycle.article_title'),
      el('input', { name: 'change_title', value: change.title || '' }))),
    el('div', { class: 'field' }, el('label', {}, t('cycle.text'),
      el('textarea', { name: 'text', rows: 8 }, change.text || ''))),
    el('button', { type: 'button', class: 'button button--link', onclick: () => row.remove() }, t('cycle.remove_change')));
  return row;
}

function editor(proposal, cycleId) {
  const changes = el('div', { class: 'stack' }, (proposal?.changes || [{}]).map((c) => changeRow({
    article: c.article || '', action: c.action || 'replace', text: c.text || '', title: c.action === 'insert' ? c.title : '',
  })));
  const button = el('button', { type: 'submit', class: 'button' }, t('cycle.save'));
  const form = el('form', { class: 'card', novalidate: true, onsubmit: async (event) => {
    event.preventDefault();
    clearFieldErrors(form);
    const body = {
      title: form.elements.title.value.trim(),
      rationale: form.elements.rationale.value.trim(),
      changes: [...changes.querySelectorAll('fieldset.change')].map((row) => {
        const change = { article: row.querySelector('[name=article]').value.trim(), action: row.querySelector('[name=action]').value };
        const text = row.querySelector('[name=text]').value.trim();
        const changeTitle = row.querySelector('[name=change_title]').value.trim();
        if (text && change.action !== 'delete') change.text = text;
        if (changeTitle && change.action !== 'delete') change.title = changeTitle;
        return change;
      }),
    };
    const source = form.elements.source_report.value.trim();
    if (source) body.source_report = source;
    setBusy(button, true);
    try {
      const saved = proposal
        ? await api('PUT', `/api/proposals/${proposal.id}`, body)
        : await api('POST', `/api/cycles/${cycleId}/proposals`, body);
      toast(t('cycle.saved_revision', { n: saved.revision }), 'success');
      location.assign(`/staff/proposal.html?id=${saved.id}`);
    } catch (error) {
      setBusy(button, false);
      if (error.field && error.field !== 'changes') showFieldErrors(form, error);
      else toast(errorMessage(error), 'error');
    }
  } },
  el('h2', {}, proposal ? t('cycle.edit') : t('cycle.new_proposal')),
  field('title', t('cycle.proposal_title'), el('input', { id: 'title', name: 'title', required: true, value: proposal?.title || '' })),
  field('rationale', t('cycle.rationale'), el('textarea', { id: 'rationale', name: 'rationale', rows: 4, required: true }, proposal?.rationale || '')),
  field('source_report', t('cycle.source_report'), el('input', { id: 'source_report', name: 'source_report', value: proposal?.source_report || '', pattern: '\\d{4}H[12]' })),
  el('h3', {}, t('cycle.changes')), changes,
  el('p', {}, el('button', { type: 'button', class: 'button button--secondary', onclick: () => changes.append(changeRow()) }, t('cycle.add_change'))),
  button);
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
      el('h4', {}, `${article.id}. ${article.title}`, article.changed ? el('span', { class: 'badge badge--info' }, '✎') : null),
      el('p', { class: 'diff' }, article.text))));
}

async function revisionsView(proposal) {
  const { items } = await api('GET', `/api/proposals/${proposal.id}/revisions`);
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
      toast(errorMessage(error), 'error');
    } finally {
      setBusy(button, false);
    }
  } }, el('label', { for: 'from' }, t('cycle.compare_from')), from, el('label', { for: 'to' }, t('cycle.compare_to')), to, button);
  return el('section', { class: 'card' }, el('h2', {}, t('cycle.revisions')),
    el('ul', {}, items.map((r) => el('li', {}, `${t('cycle.revision', { n: r.number })} · ${formatDateTime(r.created_at)}`,
      r.created_by ? ` · ${r.created_by}` : '', r.consulted_in.length ? ` · ${t('consult.title')}: ${r.consulted_in.join(', ')}` : ''))),
    items.length > 1 ? form : null, output);
}

async function show(id) {
  const proposal = await api('GET', `/api/proposals/${id}`);
  title.textContent = `#${proposal.id} ${proposal.title}`;
  const ready = el('button', { type: 'button', class: 'button', onclick: async (event) => {
    const button = event.currentTarget;
    setBusy(button, true);
    try {
      await api('POST', `/api/proposals/${id}/ready`);
      toast(t('cycle.marked_ready'), 'success');
      await show(id);
    } catch (error) {
      setBusy(button, false);
      toast(errorMessage(error), 'error');
    }
  } }, t('cycle.mark_ready'));
  replace(content, 
    el('p', {}, el('a', { href: `/staff/cycles.html?id=${proposal.cycle_id}` }, `← ${t('cycle.back')}`)),
    el('div', { class: 'cluster' }, proposalBadge(proposal.state), el('span', {}, t('cycle.revision', { n: proposal.revision })),
      el('span', { class: 'muted' }, `${t('cycle.base_version')} ${proposal.base_version_label}`),
      proposal.source ? el('span', { class: 'badge badge--info' }, `${t('cycle.source')}: meldpunt ${proposal.source.report}`) : null),
    proposal.conflicts_with.length ? el('div', { class: 'alert alert--warning' }, `${t('cycle.conflicts')}: `,
      proposal.conflicts_with.map((other) => el('a', { href: `/staff/proposal.html?id=${other}` }, ` #${other}`))) : null,
    proposal.comments?.unreplied ? el('p', { class: 'alert alert--warning' }, t('cycle.unreplied', { n: proposal.comments.unreplied })) : null,
    el('h2', {}, t('cycle.rationale')), el('p', { class: 'diff' }, proposal.rationale),
    el('h2', {}, t('cycle.changes')), changesView(proposal),
    consolidatedView(proposal),
    isBoard && proposal.state === 'draft' ? el('div', { class: 'button-row' }, ready) : null,
    await revisionsView(proposal),
    isBoard && ['draft', 'ready'].includes(proposal.state) ? el('details', {}, el('summary', {}, t('cycle.edit')), editor(proposal)) : null);
  content.removeAttribute('aria-busy');
}

try {
  if (param('id')) await show(Number(param('id')));
  else {
    title.textContent = t('cycle.new_proposal');
    replace(content, editor(null, Number(param('cycle'))));
    content.removeAttribute('aria-busy');
  }
} catch (error) {
  replace(content, el('div', { class: 'alert alert--error', role: 'alert' }, errorMessage(error)));
}
onLanguageChange(() => location.reload());
