// The deadlines overview: per scheduled Code version E, W (never moved), days left, R7
// warnings, the send-by advice, withdrawals and the signatories still to be bound; and
// the staff user's secret calendar link (iCalendar feed).
import { api } from '../api.js';
import { t, onLanguageChange } from '../i18n.js';
import { staffPage, el, toast, errorMessage, setBusy, formatDate } from '../ui.js';
import { addMessages } from '../i18n.js';
import { plural, wordDates } from '../words.js';
import './withdrawals-i18n.js';

addMessages({
  nl: {
    'dl.days_left.one': 'nog 1 dag', 'dl.days_left.other': 'nog {count} dagen',
    'dl.days_passed.one': 'verstreken (1 dag geleden)', 'dl.days_passed.other': 'verstreken ({count} dagen geleden)',
    'dl.advice': 'Verstuur een brief uiterlijk {date}: een paar werkdagen vóór de uiterste ontvangstdatum, zodat hij op tijd binnen is.',
    'dl.warning_weekend': 'De uiterste ontvangstdatum valt in een weekend. Hij schuift niet op: een brief moet dan al vóór het weekend binnen zijn.',
    'dl.warning_holiday': 'De uiterste ontvangstdatum valt op een feestdag ({holiday}). Hij schuift niet op: een brief moet dan al eerder binnen zijn.',
  },
  en: {
    'dl.days_left.one': '1 day left', 'dl.days_left.other': '{count} days left',
    'dl.days_passed.one': 'passed (1 day ago)', 'dl.days_passed.other': 'passed ({count} days ago)',
    'dl.advice': 'Send a letter by {date} at the latest: a few working days before the last day of receipt, so it arrives in time.',
    'dl.warning_weekend': 'The last day of receipt is in a weekend. It does not move: a letter must arrive before the weekend.',
    'dl.warning_holiday': 'The last day of receipt is a public holiday ({holiday}). It does not move: a letter must arrive earlier.',
  },
});

await staffPage({ title: 'dl.title', active: 'withdrawals', roles: ['secretariat', 'admin', 'board', 'chair', 'meldpunt'] });
const versions = document.getElementById('versions');
let overview = null;

function daysText(days) {
  if (days > 0) return plural('dl.days_left', days);
  if (days === 0) return t('dl.days_today');
  return plural('dl.days_passed', -days);
}

function versionCard(item) {
  const bound = item.to_be_bound.items;
  return el('article', { class: 'card', 'aria-labelledby': `version-${item.version_id}` },
    el('h2', { id: `version-${item.version_id}` }, item.label),
    el('dl', { class: 'dl' },
      el('dt', {}, t('dl.effective')), el('dd', {}, formatDate(item.effective_from)),
      el('dt', {}, t('dl.deadline')), el('dd', {}, formatDate(item.deadline), ' ',
        el('span', { class: `badge ${item.deadline_passed ? 'badge--neutral' : item.days_left <= 14 ? 'badge--warning' : 'badge--info'}` }, daysText(item.days_left))),
      el('dt', {}, t('dl.send_by')), el('dd', {}, item.send_by ? t('dl.advice', { date: formatDate(item.send_by) }) : wordDates(item.advice))),
    item.holiday_name || item.on_weekend ? el('p', { class: 'alert alert--warning', role: 'note' },
      item.holiday_name ? t('dl.warning_holiday', { holiday: item.holiday_name }) : t('dl.warning_weekend'))
      : item.warning ? el('p', { class: 'alert alert--warning', role: 'note' }, wordDates(item.warning)) : null,
    el('p', {}, el('a', { href: `/staff/withdrawals.html` }, t('dl.withdrawals', { timely: item.withdrawals.timely, late: item.withdrawals.late }))),
    item.withdrawals.taking_effect.length ? el('p', {}, t('dl.taking_effect', { count: item.withdrawals.taking_effect.length })) : null,
    el('details', {},
      el('summary', {}, t('dl.to_be_bound', { effective: formatDate(item.effective_from, 'medium'), count: item.to_be_bound.count })),
      el('ul', {}, bound.map((org) => el('li', {},
        el('a', { href: `/staff/organisation.html?id=${org.organisation_id}` }, org.name),
        org.late_withdrawal ? [' ', el('span', { class: 'badge badge--warning' }, t('dl.late_mark'))] : null)))));
}

function render() {
  versions.removeAttribute('aria-busy');
  versions.replaceChildren(...(overview.items.length ? overview.items.map(versionCard) : [el('p', { class: 'muted' }, t('dl.none'))]));
  const pending = document.getElementById('pending');
  document.getElementById('pending-section').hidden = overview.pending.length === 0;
  pending.replaceChildren(...overview.pending.map((p) => el('li', {},
    el('a', { href: `/staff/withdrawal-letter.html?id=${p.id}` }, p.organisation_name), ` · ${formatDate(p.received_on, 'medium')}`)));
  document.getElementById('feed-status').textContent = overview.feed.active ? t('dl.feed_active', { since: formatDate(overview.feed.since, 'medium') }) : '';
}

async function load() {
  try {
    overview = await api('GET', '/api/deadlines');
    render();
  } catch (error) {
    versions.removeAttribute('aria-busy');
    versions.replaceChildren(el('div', { class: 'alert alert--error', role: 'alert' }, errorMessage(error)));
  }
}

document.getElementById('feed-make').addEventListener('click', async (event) => {
  const button = event.currentTarget;
  setBusy(button, true, t('common.busy'));
  try {
    const answer = await api('POST', '/api/deadlines/feed-token', {});
    document.getElementById('feed-url-field').hidden = false;
    const input = document.getElementById('feed-url');
    input.value = answer.url;
    input.focus();
    input.select();
    toast(t('dl.feed_made'), 'success');
  } catch (error) {
    toast(errorMessage(error), 'error');
  } finally {
    setBusy(button, false);
  }
});
document.getElementById('feed-copy').addEventListener('click', async () => {
  try {
    await navigator.clipboard.writeText(document.getElementById('feed-url').value);
    toast(t('dl.copied'), 'success');
  } catch (error) {
    toast(errorMessage(error), 'error');
  }
});
onLanguageChange(() => overview && render());
await load();
