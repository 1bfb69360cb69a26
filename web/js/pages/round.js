// A consultation round for the board: window and phase, invitees, the proposals as
// consulted (with the diff against the previous round), every comment with a reply
// form once the round has closed; close early and send a reminder.
import { api } from '../api.js';
import { t, onLanguageChange } from '../i18n.js';
import { staffPage, el, param, setBusy, toast, errorMessage, formatDateTime } from '../ui.js';
import { diffBlock, phaseBadge, replace } from '../cycle-common.js';

const session = await staffPage({ title: 'consult.title', active: 'cycles' });
const isBoard = (session.user.roles || []).includes('board');
const content = document.getElementById('content');
const id = Number(param('id'));

function action(label, work) {
  return el('button', { type: 'button', class: 'button button--secondary', onclick: async (event) => {
    const button = event.currentTarget;
    setBusy(button, true);
    try {
      await work();
    } catch (error) {
      toast(errorMessage(error), 'error');
    } finally {
      setBusy(button, false);
    }
  } }, label);
}

function replyForm(comment) {
  const button = el('button', { type: 'submit', class: 'button' }, t('consult.reply_save'));
  const form = el('form', { class: 'stack', novalidate: true, onsubmit: async (event) => {
    event.preventDefault();
    setBusy(button, true);
    try {
      const body = { text: form.elements.text.value.trim() };
      const change = form.elements.led_to_change.value.trim();
      if (change) body.led_to_change = change;
      await api('POST', `/api/comments/${comment.id}/reply`, body);
      toast(t('consult.replied'), 'success');
      await show();
    } catch (error) {
      setBusy(button, false);
      toast(errorMessage(error), 'error');
    }
  } },
  el('label', { for: `reply-${comment.id}` }, t('consult.reply')),
  el('textarea', { id: `reply-${comment.id}`, name: 'text', rows: 3, required: true }, comment.reply?.text || ''),
  el('label', { for: `change-${comment.id}` }, t('consult.led_to_change')),
  el('input', { id: `change-${comment.id}`, name: 'led_to_change', value: comment.reply?.led_to_change || '' }),
  button);
  return form;
}

function commentCard(comment, phase) {
  return el('article', { class: 'card' },
    el('p', { class: 'small muted' }, `#${comment.id} · ${comment.organisation} (${comment.contact}) · ${formatDateTime(comment.updated_at)}`,
      comment.article ? ` · ${t('cycle.article')} ${comment.article}` : ''),
    el('p', { class: 'diff' }, comment.text),
    comment.reply ? el('div', { class: 'alert alert--success' }, el('strong', { class: 'alert__title' }, t('consult.reply')),
      el('p', {}, comment.reply.text), comment.reply.led_to_change ? el('p', {}, `${t('consult.led_to_change')}: ${comment.reply.led_to_change}`) : null)
      : el('span', { class: 'badge badge--warning' }, t('consult.no_reply')),
    isBoard && phase === 'closed' ? el('details', {}, el('summary', {}, t('consult.reply')), replyForm(comment)) : null);
}

async function show() {
  const round = await api('GET', `/api/consultations/${id}`);
  document.getElementById('page-title').textContent = t('consult.round_title', { n: round.round, year: round.year });
  const buttons = [];
  if (isBoard && round.phase === 'open') {
    buttons.push(action(t('consult.close_now'), async () => { await api('POST', `/api/consultations/${id}/close`); toast(t('consult.closed_now'), 'success'); await show(); }));
    buttons.push(action(t('consult.remind'), async () => { const r = await api('POST', `/api/consultations/${id}/reminders`); toast(t('consult.reminded', { mails: r.mails }), 'success'); }));
  }
  replace(content, 
    el('p', {}, el('a', { href: `/staff/cycles.html?id=${round.cycle_id}` }, `← ${t('cycle.back')}`)),
    el('div', { class: 'cluster' }, phaseBadge(round.phase), el('span', {}, t('consult.window', { from: round.window, until: round.window_closes })),
      el('a', { href: `/staff/reactienota.html?id=${id}` }, t('cycle.reactienota')), ...buttons),
    el('details', { class: 'card' }, el('summary', {}, `${t('consult.invitees')} (${round.invited})`),
      el('ul', {}, round.invitees.map((i) => el('li', {}, `${i.name} · ${t('cycle.comments')}: ${i.comments}`)))),
    ...round.proposals.map((p) => el('section', { class: 'stack' },
      el('h2', {}, el('a', { href: `/staff/proposal.html?id=${p.id}` }, `#${p.id} ${p.title}`), ` · ${t('cycle.revision', { n: p.revision })}`),
      p.since_previous_round ? el('details', { class: 'card' }, el('summary', {}, t('consult.since_previous', { n: p.since_previous_round.round, revision: p.since_previous_round.revision })),
        p.since_previous_round.articles.map((a) => el('section', {}, el('h4', {}, `${t('cycle.article')} ${a.article}`), diffBlock(a.diff)))) : null,
      p.changes.map((c) => el('details', { class: 'card' }, el('summary', {}, `${t('cycle.article')} ${c.article} · ${t(`cycle.action.${c.action}`)}`), diffBlock(c.diff))),
      el('h3', {}, t('consult.comments')),
      round.comments.filter((c) => c.proposal_id === p.id).map((c) => commentCard(c, round.phase)),
      round.comments.some((c) => c.proposal_id === p.id) ? null : el('p', { class: 'muted' }, t('consult.no_comments')))));
  content.removeAttribute('aria-busy');
}

try { await show(); } catch (error) {
  replace(content, el('div', { class: 'alert alert--error', role: 'alert' }, errorMessage(error)));
}
onLanguageChange(() => location.reload());
