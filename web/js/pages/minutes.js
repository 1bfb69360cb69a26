// The draft minutes (notulen) of a meeting, generated from the record: attendance,
// each poll with P, the rule in words, thresholds, counts, outcome, fingerprint,
// effective dates and withdrawal deadlines, and the signed decision list. Printable.
import { api } from '../api.js';
import { addMessages, t } from '../i18n.js';
import { staffPage, el, param, formatDate, errorMessage } from '../ui.js';
import { thresholdText, outcomeBadge } from '../poll-common.js';

addMessages({
  nl: {
    'minutes.title': 'Notulen (concept)', 'minutes.print': 'Afdrukken', 'minutes.markdown': 'Markdown downloaden',
    'minutes.attendance': 'Aanwezigheid', 'minutes.members': 'Stemgerechtigde leden', 'minutes.at_opening': 'Aanwezig bij de opening',
    'minutes.represented': 'Vertegenwoordigd bij de opening', 'minutes.was_present': 'Aanwezig geweest', 'minutes.list': 'Presentielijst (CSV)',
    'minutes.decisions': 'Besluiten', 'minutes.none': 'Er is niet gestemd.', 'minutes.poll': 'Stemming {id}: {title}',
    'minutes.eligible': 'Aanwezig bij opening (P)', 'minutes.rule': 'Regel', 'minutes.threshold': 'Drempel',
    'minutes.counts': 'Stemmen', 'minutes.outcome': 'Uitslag', 'minutes.effective': 'Ingangsdatum',
    'minutes.deadline': 'Uiterste datum opzegging', 'minutes.fingerprint': 'Vingerafdruk trackers', 'minutes.votes': 'Hoofdelijke stemmen',
    'minutes.signed': 'Ondertekende besluitenlijst (Ed25519)', 'minutes.key': 'Publieke sleutel', 'minutes.superseded': 'vervangen door herstemming {id}',
    'minutes.paper': 'papier', 'minutes.phone': 'telefoon', 'minutes.open': 'nog open',
  },
  en: {
    'minutes.title': 'Minutes (draft)', 'minutes.print': 'Print', 'minutes.markdown': 'Download Markdown',
    'minutes.attendance': 'Attendance', 'minutes.members': 'Voting members', 'minutes.at_opening': 'Present at the opening',
    'minutes.represented': 'Represented at the opening', 'minutes.was_present': 'Was present', 'minutes.list': 'Attendance list (CSV)',
    'minutes.decisions': 'Decisions', 'minutes.none': 'No votes were held.', 'minutes.poll': 'Vote {id}: {title}',
    'minutes.eligible': 'Present at opening (P)', 'minutes.rule': 'Rule', 'minutes.threshold': 'Threshold',
    'minutes.counts': 'Votes', 'minutes.outcome': 'Outcome', 'minutes.effective': 'Effective date',
    'minutes.deadline': 'Withdrawal deadline', 'minutes.fingerprint': 'Tracker fingerprint', 'minutes.votes': 'Named votes',
    'minutes.signed': 'Signed decision list (Ed25519)', 'minutes.key': 'Public key', 'minutes.superseded': 'superseded by re-vote {id}',
    'minutes.paper': 'paper', 'minutes.phone': 'phone', 'minutes.open': 'still open',
  },
});

const meetingId = Number(param('id'));

function row(term, ...value) { return [el('dt', {}, term), el('dd', {}, ...value)]; }

function pollSection(poll) {
  const section = el('section', { class: 'card' }, el('h3', {}, t('minutes.poll', { id: poll.id, title: poll.title })),
    el('p', { class: 'muted' }, t(poll.secret ? 'poll.secret' : 'poll.named')));
  if (poll.state !== 'closed') { section.append(el('p', {}, t('minutes.open'))); return section; }
  const list = el('dl', { class: 'dl' },
    row(t('minutes.eligible'), String(poll.eligible)),
    row(t('minutes.rule'), poll.rule_text),
    row(t('minutes.threshold'), thresholdText(poll)),
    row(t('minutes.counts'), t('poll.counts', poll)),
    row(t('minutes.outcome'), outcomeBadge(poll), ' ', poll.explanation,
      poll.superseded_by ? ` (${t('minutes.superseded', { id: poll.superseded_by })})` : ''));
  if (poll.fingerprint) list.append(...row(t('minutes.fingerprint'), el('span', { class: 'fingerprint' }, poll.fingerprint)));
  if (poll.adoption) {
    list.append(...row(t('minutes.effective'), formatDate(poll.adoption.effective_from)),
      ...row(t('minutes.deadline'), formatDate(poll.adoption.withdrawal_deadline), poll.adoption.warning ? el('p', { class: 'small' }, poll.adoption.warning) : null));
  }
  section.append(list);
  if (poll.votes?.length) {
    section.append(el('h4', {}, t('minutes.votes')), el('div', { class: 'table-wrap' }, el('table', { class: 'table' },
      el('tbody', {}, poll.votes.map((v) => el('tr', {}, el('td', {}, v.name), el('td', {}, t(`poll.${v.choice}`)),
        el('td', {}, t(v.channel === 'paper' ? 'minutes.paper' : 'minutes.phone'))))))));
  }
  return section;
}

async function start() {
  await staffPage({ title: 'minutes.title', active: 'meetings' });
  const box = document.getElementById('minutes');
  let minutes;
  try {
    minutes = await api('GET', `/api/meetings/${meetingId}/minutes`);
  } catch (error) {
    box.replaceChildren(el('div', { class: 'alert alert--error', role: 'alert' }, errorMessage(error)));
    return;
  }
  const m = minutes.meeting;
  const a = minutes.attendance;
  document.getElementById('minutes-title').textContent = `${t('minutes.title')}: ${m.title}`;
  document.getElementById('minutes-actions').replaceChildren(
    el('button', { type: 'button', class: 'button', onclick: () => window.print() }, t('minutes.print')),
    el('a', { class: 'button button--secondary', href: `/api/meetings/${meetingId}/minutes?format=markdown`, download: `notulen-${m.date}.md` }, t('minutes.markdown')));
  box.replaceChildren(
    el('p', { class: 'lead' }, `${formatDate(m.date)} · ${m.starts_at} · ${m.location}`),
    el('h2', {}, t('minutes.attendance')),
    el('dl', { class: 'dl' },
      row(t('minutes.members'), String(a.members_total)),
      row(t('minutes.at_opening'), String(a.present_at_opening)),
      row(t('minutes.represented'), String(a.represented_at_opening)),
      row(t('minutes.was_present'), String(a.was_present)),
      row(t('minutes.list'), el('a', { href: a.presentielijst_csv }, a.presentielijst_csv))),
    el('h2', {}, t('minutes.decisions')),
    minutes.polls.length ? minutes.polls.map(pollSection) : el('p', {}, t('minutes.none')),
    el('h2', {}, t('minutes.signed')),
    el('p', { class: 'small' }, `${t('minutes.key')}: `, el('span', { class: 'fingerprint' }, minutes.public_key)),
    el('ol', { class: 'small' }, minutes.decisions.map((d) => el('li', {},
      el('code', { class: 'fingerprint' }, d.canonical), el('br'), el('span', { class: 'fingerprint muted' }, d.signature)))));
}

start();
