// A consultation round for the board: window and phase, invitees, the proposals as
// consulted (with the diff against the previous round), every comment with a reply
// form once the round has closed; close early and send a reminder.
import { api } from '../api.js';
import { t, addMessages, onLanguageChange } from '../i18n.js';
import { staffPage, el, param, setBusy, toast, errorMessage, formatDateTime } from '../ui.js';
import { handleSubmit, formMessage } from '../forms.js';
import { plural } from '../words.js';
import { diffBlock, phaseBadge, replace } from '../cycle-common.js';

addMessages({
  nl: {
    'round.invitees.one': 'Uitgenodigde organisatie (1)',
    'round.invitees.other': 'Uitgenodigde organisaties ({count})',
    'round.invitee_comments.one': '{name}: 1 reactie',
    'round.invitee_comments.other': '{name}: {count} reacties',
    'round.invitee_none': '{name}: geen reactie',
    'round.comment_by': '{organisation} ({contact}) · {when}',
    'round.on_article': ' · over artikel {article}',
    'round.on_proposal': ' · over het hele voorstel',
    'round.reply_hint': 'Het antwoord komt in de reactienota. U kunt het later nog aanpassen.',
    'round.change_hint': 'Bijvoorbeeld: "In 6d geldt de ondergrens naar rato van de arbeidsduur."',
    'round.required_reply': 'Schrijf het antwoord van het bestuur.',
    'round.reply_after_close': 'U kunt antwoorden zodra de ronde gesloten is.',
    'round.reminded.one': '1 herinnering klaargezet.',
    'round.reminded.other': '{count} herinneringen klaargezet.',
  },
  en: {
    'round.invitees.one': 'Invited organisation (1)',
    'round.invitees.other': 'Invited organisations ({count})',
    'round.invitee_comments.one': '{name}: 1 comment',
    'round.invitee_comments.other': '{name}: {count} comments',
    'round.invitee_none': '{name}: no comment',
    'round.comment_by': '{organisation} ({contact}) · {when}',
    'round.on_article': ' · on article {article}',
    'round.on_proposal': ' · on the whole proposal',
    'round.reply_hint': 'The reply goes into the consultation report. You can change it later.',
    'round.change_hint': 'For example: "In 6d the minimum applies pro rata to working hours."',
    'round.required_reply': 'Write the reply of the board.',
    'round.reply_after_close': 'You can reply once the round has closed.',
    'round.reminded.one': '1 reminder queued.',
    'round.reminded.other': '{count} reminders queued.',
  },
});

const session = await staffPage({ title: 'consult.title', active: 'cycles' });
const isBoard = (session.user.roles || []).includes('board');
const content = document.getElementById('content');
const id = Number(param('id'));
let round = null;
const replyForms = new Map();

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

/** The reply form of a comment; kept through redraws so typed text is not lost. */
function replyForm(comment) {
  if (replyForms.has(comment.id)) return replyForms.get(comment.id);
  const textId = `reply-${comment.id}`;
  const changeId = `change-${comment.id}`;
  const form = el('form', { class: 'stack' },
    el('div', { class: 'field' }, el('label', { for: textId, 'data-i18n': 'consult.reply' }, t('consult.reply')),
      el('span', { class: 'hint', id: `${textId}-hint`, 'data-i18n': 'round.reply_hint' }, t('round.reply_hint')),
      el('textarea', { id: textId, name: 'text', rows: 4, required: true, maxlength: 10000, 'aria-describedby': `${textId}-hint`, 'data-error-required': 'round.required_reply' }, comment.reply?.text || '')),
    el('div', { class: 'field' }, el('label', { for: changeId, 'data-i18n': 'consult.led_to_change_label' }, t('consult.led_to_change_label')),
      el('span', { class: 'hint', id: `${changeId}-hint`, 'data-i18n': 'round.change_hint' }, t('round.change_hint')),
      el('input', { id: changeId, name: 'led_to_change', type: 'text', maxlength: 2000, 'aria-describedby': `${changeId}-hint`, value: comment.reply?.led_to_change || '' })),
    el('button', { type: 'submit', class: 'button', 'data-i18n': 'consult.reply_save' }, t('consult.reply_save')));
  handleSubmit(form, {
    send: (data) => api('POST', `/api/comments/${comment.id}/reply`, { text: data.text, ...(data.led_to_change ? { led_to_change: data.led_to_change } : {}) }),
    success: async () => {
      await load();
      // The saved answer replaces any earlier error; the form stays open to show it.
      const again = replyForms.get(comment.id);
      again?.closest('details')?.setAttribute('open', '');
      if (again) formMessage(again, 'success', { key: 'consult.replied' }).focus();
    },
  });
  replyForms.set(comment.id, form);
  return form;
}

function commentCard(comment) {
  const answered = Boolean(comment.reply);
  return el('article', { class: 'card', id: `comment-${comment.id}` },
    el('p', { class: 'small muted' }, t('round.comment_by', { organisation: comment.organisation, contact: comment.contact, when: formatDateTime(comment.updated_at) }),
      comment.article ? t('round.on_article', { article: comment.article }) : t('round.on_proposal')),
    el('p', { class: 'diff' }, comment.text),
    answered ? el('div', { class: 'alert alert--success' }, el('strong', { class: 'alert__title' }, t('consult.reply')),
      el('p', {}, comment.reply.text), comment.reply.led_to_change ? el('p', {}, `${t('consult.led_to_change')}: ${comment.reply.led_to_change}`) : null)
      : el('p', {}, el('span', { class: 'badge badge--warning' }, t('consult.no_reply'))),
    isBoard && round.phase === 'closed'
      ? el('details', { open: !answered || replyForms.get(comment.id)?.closest('details')?.open ? true : null },
        el('summary', {}, answered ? t('cycle.edit') : t('consult.reply')), replyForm(comment))
      : null);
}

function render() {
  document.getElementById('page-title').textContent = t('consult.round_title', { n: round.round, year: round.year });
  document.title = `${document.getElementById('page-title').textContent} · ${t('shell.product')}`;
  const buttons = [];
  if (isBoard && round.phase === 'open') {
    buttons.push(action(t('consult.close_now'), async () => { await api('POST', `/api/consultations/${id}/close`); toast(t('consult.closed_now'), 'success'); await load(); }));
    buttons.push(action(t('consult.remind'), async () => { const r = await api('POST', `/api/consultations/${id}/reminders`); toast(plural('round.reminded', r.mails), 'success'); }));
  }
  replace(content,
    el('p', {}, el('a', { href: `/staff/cycles.html?id=${round.cycle_id}` }, `← ${t('cycle.back')}`)),
    el('div', { class: 'cluster' }, phaseBadge(round.phase),
      el('span', {}, t('consult.window', { from: formatDateTime(round.opens_at), until: formatDateTime(round.closes_at) })),
      el('a', { href: `/staff/reactienota.html?id=${id}` }, t('cycle.reactienota')), ...buttons),
    isBoard && round.phase !== 'closed' && round.comments.length ? el('p', { class: 'muted' }, t('round.reply_after_close')) : null,
    el('details', { class: 'card' }, el('summary', {}, plural('round.invitees', round.invited)),
      el('ul', {}, round.invitees.map((i) => el('li', {}, i.comments
        ? plural('round.invitee_comments', i.comments, { name: i.name }) : t('round.invitee_none', { name: i.name }))))),
    ...round.proposals.map((p) => el('section', { class: 'stack' },
      el('h2', {}, el('a', { href: `/staff/proposal.html?id=${p.id}` }, p.title), el('span', { class: 'muted' }, ` · ${t('cycle.revision', { n: p.revision })}`)),
      p.since_previous_round ? el('details', { class: 'card' }, el('summary', {}, t('consult.since_previous', { n: p.since_previous_round.round, revision: p.since_previous_round.revision })),
        p.since_previous_round.articles.map((a) => el('section', {}, el('h4', {}, `${t('cycle.article')} ${a.article}`), diffBlock(a.diff)))) : null,
      p.changes.map((c) => el('details', { class: 'card' }, el('summary', {}, `${t('cycle.article')} ${c.article} · ${t(`cycle.action.${c.action}`)}`), diffBlock(c.diff))),
      el('h3', {}, t('consult.comments')),
      round.comments.filter((c) => c.proposal_id === p.id).map(commentCard),
      round.comments.some((c) => c.proposal_id === p.id) ? null : el('p', { class: 'muted' }, t('consult.no_comments')))));
  content.removeAttribute('aria-busy');
}

async function load() {
  round = await api('GET', `/api/consultations/${id}`);
  // A form whose comment got a new reply is made again with the saved text.
  for (const comment of round.comments) {
    const form = replyForms.get(comment.id);
    if (form && comment.reply && form.elements.text.value.trim() === comment.reply.text) replyForms.delete(comment.id);
  }
  render();
}

try { await load(); } catch (error) {
  replace(content, el('div', { class: 'alert alert--error', role: 'alert' }, errorMessage(error)));
}
onLanguageChange(() => { if (round) render(); });
