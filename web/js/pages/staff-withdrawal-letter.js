// The printable confirmation letter of one withdrawal (?id=): received date, version,
// deadline, verdict and the consequence (R5), as the organisation receives it by mail.
import { api } from '../api.js';
import { t, onLanguageChange } from '../i18n.js';
import { staffPage, el, errorMessage, formatDate, param, todayCivil } from '../ui.js';
import './withdrawals-i18n.js';

await staffPage({ title: 'letter.title', active: 'withdrawals', roles: ['secretariat', 'admin', 'board', 'chair', 'meldpunt'] });
const letter = document.getElementById('letter');
document.getElementById('print').addEventListener('click', () => window.print());
let entry = null;

function render() {
  letter.removeAttribute('aria-busy');
  const form = t(`wd.form.${entry.form}`).toLowerCase() + (entry.tracking_code ? `, track & trace ${entry.tracking_code}` : '');
  letter.replaceChildren(
    entry.superseded_by ? el('p', { class: 'alert alert--warning no-print' }, t('letter.superseded', { id: entry.superseded_by })) : null,
    el('p', {}, 'Klantenservice Federatie (KSF)', el('br'), t('letter.sender')),
    el('p', {}, entry.organisation_name, el('br'), `KvK ${entry.kvk}`),
    el('p', {}, formatDate(todayCivil())),
    el('p', {}, el('strong', {}, t('letter.subject')), el('br'), t('letter.reference', { id: entry.id })),
    el('p', {}, t('letter.dear')),
    entry.corrects_id ? el('p', {}, t('letter.replaces', { id: entry.corrects_id })) : null,
    el('p', {}, t('letter.body', { name: entry.organisation_name, received: formatDate(entry.received_on), form })),
    el('p', {}, entry.version_id
      ? t('letter.version', { label: entry.version_label, effective: formatDate(entry.effective_from), deadline: formatDate(entry.deadline),
        verdict: t(entry.timely ? 'wd.timely' : 'wd.late').toLowerCase() })
      : t('letter.no_version')),
    el('p', {}, t('letter.effect', { effect: entry.effect })),
    el('p', {}, t('letter.close'), el('br'), t('letter.sender')));
}

try {
  entry = await api('GET', `/api/withdrawals/${encodeURIComponent(param('id') || '')}`);
  render();
  onLanguageChange(render);
} catch (error) {
  letter.removeAttribute('aria-busy');
  letter.replaceChildren(el('div', { class: 'alert alert--error', role: 'alert' }, errorMessage(error)));
}
