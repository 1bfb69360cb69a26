// The Code in force (public): every article with an anchor (#art-6a), a table of
// contents, and the text on another date (?date=YYYY-MM-DD). Reads well on a phone.
import { api } from '../api.js';
import { t, onLanguageChange } from '../i18n.js';
import { publicPage, el, param, errorMessage, formatDate, todayCivil } from '../ui.js';

publicPage({ title: 'code.title', active: 'code' });
const root = document.getElementById('code');
const lead = document.getElementById('code-lead');
const date = /^\d{4}-\d{2}-\d{2}$/.test(param('date') || '') ? param('date') : null;
let version = null;
let failure = null;

/* Paragraphs split on blank lines; lines starting with "- " become a list. */
function articleBody(text) {
  const blocks = [];
  for (const paragraph of text.split(/\n{2,}/)) {
    const lines = paragraph.split('\n');
    if (lines.every((line) => /^\s*[-*] /.test(line))) {
      blocks.push(el('ul', {}, lines.map((line) => el('li', {}, line.replace(/^\s*[-*] /, '')))));
    } else {
      const parts = [];
      lines.forEach((line, i) => { if (i) parts.push(el('br')); parts.push(line); });
      blocks.push(el('p', {}, parts));
    }
  }
  return blocks;
}

function dateForm() {
  const input = el('input', { type: 'date', id: 'on-date', name: 'date', value: date || todayCivil() });
  return el('form', { class: 'cluster no-print', method: 'get', action: '/code.html' },
    el('div', { class: 'field' }, el('label', { for: 'on-date' }, t('code.on_date')), input),
    el('button', { type: 'submit', class: 'button button--secondary' }, t('code.show')),
    el('a', { href: '/code-history.html' }, t('code.history')));
}

function render() {
  root.removeAttribute('aria-busy');
  lead.textContent = t('code.lead', { date: formatDate(date || todayCivil()) });
  if (failure) {
    root.replaceChildren(el('div', { class: failure.status === 404 ? 'alert alert--warning' : 'alert alert--error', role: 'alert' },
      failure.status === 404 ? t('code.none') : errorMessage(failure)), dateForm());
    return;
  }
  const articles = version.articles;
  const toc = el('nav', { class: 'card code-toc', 'aria-labelledby': 'toc-h' },
    el('h2', { id: 'toc-h' }, t('code.contents')),
    el('ol', {}, articles.filter((a) => !/[a-z]$/.test(a.id)).map((article) => el('li', { value: Number.parseInt(article.id, 10) || null },
      el('a', { href: `#art-${article.id}` }, article.title),
      articles.some((n) => n.id.startsWith(article.id) && n.id !== article.id && /^\d+[a-z]$/.test(n.id))
        ? el('ul', {}, articles.filter((n) => /^\d+[a-z]$/.test(n.id) && n.id.replace(/[a-z]$/, '') === article.id)
          .map((norm) => el('li', {}, el('a', { href: `#art-${norm.id}` }, `${norm.id}. ${norm.title}`))))
        : null))));
  const body = el('div', { class: 'code-text' }, articles.map((article) => {
    const norm = /[a-z]$/.test(article.id);
    return el('article', { 'aria-labelledby': `art-${article.id}` },
      el(norm ? 'h3' : 'h2', { id: `art-${article.id}`, tabindex: '-1' },
        el('span', { class: 'code-text__number' }, norm ? `${article.id}.` : t('code.article', { id: article.id })), article.title),
      articleBody(article.text));
  }));
  root.replaceChildren(
    el('p', { class: 'muted' }, t('code.version', { label: version.label, date: formatDate(version.effective_from) })),
    dateForm(), toc, body);
  if (location.hash) document.getElementById(decodeURIComponent(location.hash.slice(1)))?.scrollIntoView();
}

try {
  version = await api('GET', `/api/code/in-force${date ? `?date=${date}` : ''}`);
} catch (error) {
  failure = error;
}
render();
onLanguageChange(render);
