// Versions of the Code (public) and a readable diff between two of them: per
// article added / removed / changed, words marked with <ins> and <del>.
import { api } from '../api.js';
import { t, onLanguageChange } from '../i18n.js';
import { publicPage, el, param, errorMessage, formatDate, setBusy } from '../ui.js';

publicPage({ title: 'code.history.title', active: 'code' });
const versionsRoot = document.getElementById('versions');
const compareSection = document.getElementById('compare-section');
const form = document.getElementById('compare');
const diffRoot = document.getElementById('diff');
const showUnchanged = document.getElementById('show-unchanged');
const STATUS_BADGE = { in_force: 'badge--success', scheduled: 'badge--info', superseded: 'badge--neutral' };
const DIFF_BADGE = { added: 'badge--success', removed: 'badge--danger', changed: 'badge--warning', unchanged: 'badge--neutral' };
let versions = [];
let diff = null;

function renderVersions() {
  versionsRoot.removeAttribute('aria-busy');
  versionsRoot.replaceChildren(el('ol', { class: 'timeline' }, versions.map((version) => el('li', { class: version.status === 'in_force' ? 'is-done' : '' },
    el('time', { datetime: version.effective_from }, formatDate(version.effective_from)),
    el('span', { class: 'cluster' }, el('strong', {}, version.label),
      el('span', { class: `badge ${STATUS_BADGE[version.status]}` }, t(`code.status.${version.status}`)),
      el('a', { href: `/code.html?date=${version.effective_from}` }, t('code.history.read')))))));
  compareSection.hidden = false;
  if (versions.length < 2) {
    form.hidden = true;
    diffRoot.replaceChildren(el('p', { class: 'muted' }, t('code.history.need_two')));
    return;
  }
  for (const select of [form.elements.from, form.elements.to]) {
    const chosen = select.value;
    select.replaceChildren(...versions.map((v) => el('option', { value: v.id }, `${v.label} (${formatDate(v.effective_from, 'medium')})`)));
    if (chosen) select.value = chosen;
  }
}

function segmentsNode(segments) {
  return el('p', { class: 'diff' }, segments.map((segment) => segment.op === 'insert' ? el('ins', {}, segment.text)
    : segment.op === 'delete' ? el('del', {}, segment.text) : segment.text));
}

function renderDiff() {
  if (!diff) return;
  const shown = diff.articles.filter((article) => showUnchanged.checked || article.status !== 'unchanged');
  diffRoot.replaceChildren(
    el('h2', { tabindex: '-1', id: 'diff-h' }, `${diff.from.label} → ${diff.to.label}`),
    el('p', {}, t('code.diff.summary', diff.counts)),
    el('p', { class: 'muted small' }, t('code.diff.legend')),
    ...shown.map((article) => el('article', { class: 'card' },
      el('h3', { id: `diff-${article.article}` }, `${article.article}. ${article.title} `,
        el('span', { class: `badge ${DIFF_BADGE[article.status]}` }, t(`code.diff.${article.status}`))),
      article.title_from ? el('p', { class: 'small muted' }, t('code.diff.title_was', { title: article.title_from })) : null,
      segmentsNode(article.segments))));
}

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  const button = form.querySelector('button[type=submit]');
  setBusy(button, true);
  try {
    diff = await api('GET', `/api/code/diff?from=${form.elements.from.value}&to=${form.elements.to.value}`);
    history.replaceState(null, '', `?from=${diff.from.id}&to=${diff.to.id}`);
    renderDiff();
    document.getElementById('diff-h').focus();
  } catch (error) {
    diffRoot.replaceChildren(el('div', { class: 'alert alert--error', role: 'alert' }, errorMessage(error)));
  } finally {
    setBusy(button, false);
  }
});
showUnchanged.addEventListener('change', renderDiff);

try {
  versions = (await api('GET', '/api/code/versions')).items;
  renderVersions();
  if (versions.length >= 2) {
    form.elements.from.value = param('from') || versions.at(-2).id;
    form.elements.to.value = param('to') || versions.at(-1).id;
    form.requestSubmit();
  }
  onLanguageChange(() => { renderVersions(); renderDiff(); });
} catch (error) {
  versionsRoot.removeAttribute('aria-busy');
  versionsRoot.replaceChildren(el('div', { class: 'alert alert--error', role: 'alert' }, errorMessage(error)));
}
