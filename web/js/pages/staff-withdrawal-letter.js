// The printable confirmation letter of one withdrawal: a heading, sender and addressee,
// the date and every other date in words, what the withdrawal does, and nothing empty.
import { api } from '../api.js';
import { t, onLanguageChange } from '../i18n.js';
import { staffPage, el, errorMessage, formatDate, param, todayCivil } from '../ui.js';
import { effectSentence } from './withdrawals-i18n.js';

await staffPage({ title: 'letter.title', active: 'withdrawals', roles: ['secretariat', 'admin', 'board', 'chair', 'meldpunt'] });
const letter = document.getElementById('letter');
document.getElementById('print').addEventListener('click', () => window.print());
let entry = null;

/** Paragraph lines with a <br> between them; empty lines are left out. */
function lines(...parts) {
  const kept = parts.filter((part) => part !== null && part !== undefined && part !== '');
  return el('p', {}, kept.flatMap((part, i) => (i ? [el('br'), part] : [part])));
}

function render() {
  letter.removeAttribute('aria-busy');
  const form = t(`wd.form.${entry.form}`).toLowerCase() + (entry.tracking_code ? `, track & trace ${entry.tracking_code}` : '');
  const verdict = t(entry.timely ? 'wd.timely' : 'wd.late').toLowerCase();
  letter.replaceChildren(...[
    entry.superseded_by ? el('p', { class: 'alert alert--warning no-print' }, t('letter.superseded', { id: entry.superseded_by })) : null,
    el('h1', { class: 'letter__title' }, t('letter.title')),
    lines('Klantenservice Federatie (KSF)', t('letter.sender')),
    lines(entry.organisation_name, entry.kvk ? `KvK ${entry.kvk}` : null),
    el('p', {}, formatDate(todayCivil())),
    lines(el('strong', {}, t('letter.subject')), t('letter.reference', { id: entry.id })),
    el('p', {}, t('letter.dear')),
    entry.corrects_id ? el('p', {}, t('letter.replaces', { id: entry.corrects_id })) : null,
    el('p', {}, t('letter.body', { name: entry.organisation_name, received: formatDate(entry.received_on), form })),
    el('p', {}, entry.version_id
      ? t('letter.version', { label: entry.version_label, effective: formatDate(entry.effective_from), deadline: formatDate(entry.deadline), verdict })
      : t('letter.no_version')),
    el('p', {}, t('letter.effect', { effect: effectSentence(entry) })),
    lines(t('letter.close'), t('letter.sender')),
  ].filter(Boolean));
  document.title = `${t('letter.title')} · ${entry.organisation_name} · ${t('shell.product')}`;
}

try {
  entry = await api('GET', `/api/withdrawals/${encodeURIComponent(param('id') || '')}`);
  render();
  onLanguageChange(render);
} catch (error) {
  letter.removeAttribute('aria-busy');
  letter.replaceChildren(el('div', { class: 'alert alert--error', role: 'alert' }, errorMessage(error)));
}
