// A proposal as a delegate reads it on the phone, before or during the vote: the
// rationale, each article change with the old and new text marked (struck through and
// underlined, not colour alone), and the articles as they read after the change.
import { api, getSession } from '../api.js';
import { addMessages, t, onLanguageChange } from '../i18n.js';
import { publicPage, el, param, errorMessage } from '../ui.js';
import { diffBlock } from '../cycle-common.js';

addMessages({
  nl: {
    'voorstel.title': 'Voorstel', 'voorstel.back': 'Terug naar de vergadering', 'voorstel.loading': 'Het voorstel wordt geladen…',
    'voorstel.rationale': 'Toelichting', 'voorstel.changes': 'Wat verandert er',
    'voorstel.changes_hint': 'Doorgehaalde tekst vervalt, onderstreepte tekst komt erbij.',
    'voorstel.article': 'Artikel {article}', 'voorstel.deleted': 'Dit artikel vervalt.', 'voorstel.inserted': 'Nieuw artikel.',
    'voorstel.after': 'De artikelen na de wijziging', 'voorstel.login': 'Open eerst de ticketlink uit uw e-mail en meld deze telefoon aan.',
  },
  en: {
    'voorstel.title': 'Proposal', 'voorstel.back': 'Back to the meeting', 'voorstel.loading': 'Loading the proposal…',
    'voorstel.rationale': 'Rationale', 'voorstel.changes': 'What changes',
    'voorstel.changes_hint': 'Struck-through text goes, underlined text is added.',
    'voorstel.article': 'Article {article}', 'voorstel.deleted': 'This article is removed.', 'voorstel.inserted': 'New article.',
    'voorstel.after': 'The articles after the change', 'voorstel.login': 'First open the ticket link from your e-mail and sign in on this phone.',
  },
});

publicPage({ title: 'voorstel.title' });
const box = document.getElementById('voorstel');
let proposal = null;

function render() {
  document.getElementById('voorstel-title').textContent = proposal.title;
  const changes = proposal.changes || [];
  const changed = (proposal.consolidated || []).filter((article) => article.changed);
  box.removeAttribute('aria-busy');
  box.replaceChildren(
    proposal.rationale ? el('section', {}, el('h2', {}, t('voorstel.rationale')), el('p', { class: 'prewrap' }, proposal.rationale)) : null,
    el('section', { id: 'voorstel-changes' }, el('h2', {}, t('voorstel.changes')), el('p', { class: 'small muted' }, t('voorstel.changes_hint')),
      changes.map((change) => el('article', { class: 'card' },
        el('h3', {}, `${t('voorstel.article', { article: change.article })}${change.title ? ` · ${change.title}` : ''}`),
        change.action === 'delete' ? el('p', {}, t('voorstel.deleted')) : [
          change.action === 'insert' ? el('p', { class: 'small muted' }, t('voorstel.inserted')) : null,
          diffBlock(change.diff)]))),
    changed.length ? el('section', {}, el('h2', {}, t('voorstel.after')),
      changed.map((article) => el('article', { class: 'card card--muted' },
        el('h3', {}, `${t('voorstel.article', { article: article.id })} · ${article.title}`), el('p', { class: 'prewrap' }, article.text)))) : null);
}

async function start() {
  const session = await getSession().catch(() => null);
  const poll = Number(param('poll'));
  const meeting = Number(param('meeting')) || session?.meeting_id;
  const item = Number(param('item'));
  if (!session) { box.replaceChildren(el('div', { class: 'alert alert--warning' }, t('voorstel.login'))); return; }
  if (session.kind !== 'member') document.querySelector('.back-link').href = meeting ? `/staff/chair.html?id=${meeting}` : '/staff/';
  try {
    proposal = await api('GET', poll ? `/api/polls/${poll}/proposal` : `/api/meetings/${meeting}/agenda/${item}/proposal`);
  } catch (error) {
    box.removeAttribute('aria-busy');
    box.replaceChildren(el('div', { class: 'alert alert--error', role: 'alert' }, errorMessage(error)));
    return;
  }
  render();
  onLanguageChange(render);
}

start();
