// The contact person's consultation page (after logging in by e-mailed link): the
// rounds their organisation is invited to, each proposal with its diff, a comment
// form per proposal (optionally per article), and their own comments with replies.
import { api, getSession } from '../api.js';
import { t, addMessages, onLanguageChange } from '../i18n.js';
import { publicPage, el, param, toast, errorMessage, formatDateTime } from '../ui.js';
import { handleSubmit } from '../forms.js';
import { diffBlock, phaseBadge, replace } from '../cycle-common.js';

addMessages({
  nl: {
    'consult.required_comment': 'Schrijf uw reactie.',
    'consult.on_article': 'Over artikel {article}',
    'consult.on_whole': 'Over het hele voorstel',
    'consult.change_title': 'Artikel {article} · {action}',
  },
  en: {
    'consult.required_comment': 'Write your comment.',
    'consult.on_article': 'On article {article}',
    'consult.on_whole': 'On the whole proposal',
    'consult.change_title': 'Article {article} · {action}',
  },
});

publicPage({ title: 'consult.title' });
const content = document.getElementById('content');
const state = { round: null, rounds: [], loggedIn: null, forms: new Map() };

/** A comment form, kept through redraws so typed text stays (key: proposal or comment). */
function commentForm(round, proposal, existing) {
  const key = existing ? `c${existing.id}` : `p${proposal.id}`;
  if (state.forms.has(key)) return state.forms.get(key);
  const form = el('form', { class: 'stack' },
    existing ? null : el('div', { class: 'field' }, el('label', { for: `article-${key}`, 'data-i18n': 'cycle.article' }, t('cycle.article')),
      el('select', { id: `article-${key}`, name: 'article' }, el('option', { value: '', 'data-i18n': 'consult.whole_proposal' }, t('consult.whole_proposal')),
        proposal.changes.map((c) => el('option', { value: c.article }, `${t('cycle.article')} ${c.article}`)))),
    el('div', { class: 'field' }, el('label', { for: `text-${key}`, 'data-i18n': 'consult.your_comment' }, t('consult.your_comment')),
      el('textarea', { id: `text-${key}`, name: 'text', rows: 5, required: true, maxlength: 10000, 'data-error-required': 'consult.required_comment' }, existing?.text || '')),
    el('button', { type: 'submit', class: 'button', 'data-i18n': existing ? 'consult.update' : 'consult.send' }, existing ? t('consult.update') : t('consult.send')));
  handleSubmit(form, {
    send: (data) => (existing
      ? api('PUT', `/api/comments/${existing.id}`, { text: data.text })
      : api('POST', `/api/consultations/${round.id}/comments`, { proposal_id: proposal.id, text: data.text, ...(data.article ? { article: data.article } : {}) })),
    success: async () => {
      toast(t(existing ? 'consult.updated' : 'consult.sent'), 'success');
      state.forms.delete(key);
      await showRound(round.id);
    },
  });
  state.forms.set(key, form);
  return form;
}

function render() {
  const round = state.round;
  if (!state.loggedIn) {
    replace(content, el('p', { class: 'alert alert--warning' }, t('consult.login_needed')),
      el('p', {}, el('a', { href: '/login.html' }, t('shell.login'))));
    return;
  }
  if (!round) { replace(content, el('p', { class: 'muted' }, t('consult.none'))); return; }
  document.getElementById('page-title').textContent = t('consult.round_title', { n: round.round, year: round.year });
  replace(content,
    el('p', { class: 'lead' }, t('consult.lead')),
    el('div', { class: 'cluster' }, phaseBadge(round.phase),
      el('span', {}, t('consult.window', { from: formatDateTime(round.opens_at), until: formatDateTime(round.closes_at) }))),
    ...round.proposals.map((p) => {
      const mine = round.comments.filter((c) => c.proposal_id === p.id);
      return el('section', { class: 'stack' },
        el('h2', {}, p.title),
        el('p', { class: 'diff' }, p.rationale),
        p.since_previous_round ? el('details', { class: 'card' }, el('summary', {}, t('consult.since_previous', { n: p.since_previous_round.round, revision: p.since_previous_round.revision })),
          p.since_previous_round.articles.map((a) => el('section', {}, el('h4', {}, `${t('cycle.article')} ${a.article}`), diffBlock(a.diff)))) : null,
        p.changes.map((c) => el('article', { class: 'card' },
          el('h3', {}, t('consult.change_title', { article: c.article, action: t(`cycle.action.${c.action}`) }), c.title ? ` — ${c.title}` : ''),
          diffBlock(c.diff))),
        mine.length ? el('h3', {}, t('consult.your_comments')) : null,
        mine.map((c) => el('article', { class: 'card' },
          el('p', { class: 'small muted' }, `${formatDateTime(c.updated_at)} · ${c.contact} · `,
            c.article ? t('consult.on_article', { article: c.article }) : t('consult.on_whole')),
          round.phase === 'open' ? commentForm(round, p, c) : el('p', { class: 'diff' }, c.text),
          c.reply ? el('div', { class: 'alert alert--success' }, el('strong', { class: 'alert__title' }, t('consult.reply')), el('p', {}, c.reply.text),
            c.reply.led_to_change ? el('p', {}, `${t('consult.led_to_change')}: ${c.reply.led_to_change}`) : null) : null)),
        round.phase === 'open' ? el('div', { class: 'card' }, commentForm(round, p, null)) : null);
    }),
    state.rounds.length > 1 ? [el('h2', {}, t('cycle.rounds')), el('ul', {}, state.rounds.map((r) =>
      el('li', {}, el('a', { href: `?id=${r.id}` }, t('consult.round_title', { n: r.round, year: r.year })), ' ', phaseBadge(r.phase))))] : null);
  content.removeAttribute('aria-busy');
}

async function showRound(id) {
  state.round = await api('GET', `/api/consultations/${id}`);
  render();
}

try {
  const session = await getSession();
  state.loggedIn = Boolean(session && session.kind === 'contact');
  if (!state.loggedIn) render();
  else {
    state.rounds = (await api('GET', '/api/consultations')).items;
    const chosen = param('id') ? Number(param('id')) : (state.rounds.find((r) => r.phase === 'open') || state.rounds[0])?.id;
    if (chosen) await showRound(chosen);
    else render();
  }
  content.removeAttribute('aria-busy');
} catch (error) {
  replace(content, el('div', { class: 'alert alert--error', role: 'alert' }, errorMessage(error)));
}
onLanguageChange(() => { if (state.loggedIn !== null) render(); });
