// The contact person's consultation page (after logging in by e-mailed link): the
// rounds their organisation is invited to, each proposal with its diff, a comment
// form per proposal (optionally per article), and their own comments with replies.
import { api, getSession } from '../api.js';
import { t, onLanguageChange } from '../i18n.js';
import { publicPage, el, param, setBusy, toast, errorMessage, showFieldErrors, clearFieldErrors, formatDateTime } from '../ui.js';
import { diffBlock, phaseBadge, replace } from '../cycle-common.js';

publicPage({ title: 'consult.title' });
const content = document.getElementById('content');

function commentForm(round, proposal, existing, after) {
  const button = el('button', { type: 'submit', class: 'button' }, existing ? t('consult.update') : t('consult.send'));
  const idSuffix = existing ? `c${existing.id}` : `p${proposal.id}`;
  const form = el('form', { class: 'stack', novalidate: true, onsubmit: async (event) => {
    event.preventDefault();
    clearFieldErrors(form);
    setBusy(button, true);
    try {
      const text = form.elements.text.value.trim();
      if (existing) {
        await api('PUT', `/api/comments/${existing.id}`, { text });
        toast(t('consult.updated'), 'success');
      } else {
        const body = { proposal_id: proposal.id, text };
        if (form.elements.article.value) body.article = form.elements.article.value;
        await api('POST', `/api/consultations/${round.id}/comments`, body);
        toast(t('consult.sent'), 'success');
      }
      await after();
    } catch (error) {
      setBusy(button, false);
      if (error.field) showFieldErrors(form, error);
      else toast(errorMessage(error), 'error');
    }
  } },
  existing ? null : el('div', { class: 'field' }, el('label', { for: `article-${idSuffix}` }, t('cycle.article')),
    el('select', { id: `article-${idSuffix}`, name: 'article' }, el('option', { value: '' }, t('consult.whole_proposal')),
      proposal.changes.map((c) => el('option', { value: c.article }, `${t('cycle.article')} ${c.article}`)))),
  el('div', { class: 'field' }, el('label', { for: `text-${idSuffix}` }, t('consult.your_comment')),
    el('textarea', { id: `text-${idSuffix}`, name: 'text', rows: 5, required: true, maxlength: 10000 }, existing?.text || '')),
  button);
  return form;
}

async function showRound(id) {
  const round = await api('GET', `/api/consultations/${id}`);
  const reload = () => showRound(id);
  document.getElementById('page-title').textContent = t('consult.round_title', { n: round.round, year: round.year });
  replace(content, 
    el('p', { class: 'lead' }, t('consult.lead')),
    el('div', { class: 'cluster' }, phaseBadge(round.phase), el('span', {}, t('consult.window', { from: round.window, until: round.window_closes }))),
    ...round.proposals.map((p) => {
      const mine = round.comments.filter((c) => c.proposal_id === p.id);
      return el('section', { class: 'stack' },
        el('h2', {}, p.title),
        el('p', { class: 'diff' }, p.rationale),
        p.since_previous_round ? el('details', { class: 'card' }, el('summary', {}, t('consult.since_previous', { n: p.since_previous_round.round, revision: p.since_previous_round.revision })),
          p.since_previous_round.articles.map((a) => el('section', {}, el('h4', {}, `${t('cycle.article')} ${a.article}`), diffBlock(a.diff)))) : null,
        p.changes.map((c) => el('article', { class: 'card' },
          el('h3', {}, `${t('cycle.article')} ${c.article} · ${t(`cycle.action.${c.action}`)}`, c.title ? ` — ${c.title}` : ''),
          diffBlock(c.diff))),
        mine.length ? el('h3', {}, t('consult.your_comments')) : null,
        mine.map((c) => el('article', { class: 'card' },
          el('p', { class: 'small muted' }, `${formatDateTime(c.updated_at)} · ${c.contact}`, c.article ? ` · ${t('cycle.article')} ${c.article}` : ''),
          round.phase === 'open' ? commentForm(round, p, c, reload) : el('p', { class: 'diff' }, c.text),
          c.reply ? el('div', { class: 'alert alert--success' }, el('strong', { class: 'alert__title' }, t('consult.reply')), el('p', {}, c.reply.text),
            c.reply.led_to_change ? el('p', {}, `${t('consult.led_to_change')}: ${c.reply.led_to_change}`) : null) : null)),
        round.phase === 'open' ? el('div', { class: 'card' }, commentForm(round, p, null, reload)) : null);
    }));
  content.removeAttribute('aria-busy');
}

try {
  const session = await getSession();
  if (!session || session.kind !== 'contact') {
    replace(content, el('p', { class: 'alert alert--warning' }, t('consult.login_needed')),
      el('p', {}, el('a', { href: '/login.html' }, t('shell.login'))));
  } else if (param('id')) {
    await showRound(Number(param('id')));
  } else {
    const { items } = await api('GET', '/api/consultations');
    const current = items.find((r) => r.phase === 'open') || items[0];
    if (!current) replace(content, el('p', { class: 'muted' }, t('consult.none')));
    else {
      await showRound(current.id);
      if (items.length > 1) content.append(el('h2', {}, t('cycle.rounds')), el('ul', {}, items.map((r) =>
        el('li', {}, el('a', { href: `?id=${r.id}` }, t('consult.round_title', { n: r.round, year: r.year })), ' ', phaseBadge(r.phase)))));
    }
  }
  content.removeAttribute('aria-busy');
} catch (error) {
  replace(content, el('div', { class: 'alert alert--error', role: 'alert' }, errorMessage(error)));
}
onLanguageChange(() => location.reload());
