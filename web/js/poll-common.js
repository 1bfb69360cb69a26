// Shared by the phone, the projector and the chair's console: poll texts, the turnout
// bar and the result chart (for/against/abstain against the threshold line), as SVG.
import { addMessages, t } from './i18n.js';
import { el } from './ui.js';

addMessages({
  nl: {
    'poll.for': 'Voor', 'poll.against': 'Tegen', 'poll.abstain': 'Onthouding',
    'poll.adopted': 'Aangenomen', 'poll.rejected': 'Verworpen',
    'poll.open': 'Stemming open', 'poll.closed': 'Stemming gesloten', 'poll.draft': 'Nog niet geopend',
    'poll.secret': 'Geheime stemming', 'poll.named': 'Open (hoofdelijke) stemming',
    'poll.turnout': '{cast} van {eligible} stemmen uitgebracht',
    'poll.threshold': 'Aangenomen bij {threshold} stemmen voor',
    'poll.threshold_cast': 'Aangenomen bij meer stemmen voor dan tegen (onthoudingen tellen niet mee)',
    'poll.literal': 'Letterlijk “de helft plus één” zou {literal} zijn',
    'poll.rule': 'Regel: {rule}',
    'poll.counts': 'Voor {for} · tegen {against} · onthouding {abstain} · niet gestemd {not_voted}',
    'poll.fingerprint': 'Vingerafdruk van de trackers (SHA-256)',
    'poll.chart': 'Uitslag: {for} voor, {against} tegen, {abstain} onthouding; nodig {threshold} voor',
    'poll.turnout_chart': 'Opkomst: {cast} van {eligible}',
  },
  en: {
    'poll.for': 'For', 'poll.against': 'Against', 'poll.abstain': 'Abstain',
    'poll.adopted': 'Adopted', 'poll.rejected': 'Rejected',
    'poll.open': 'Vote open', 'poll.closed': 'Vote closed', 'poll.draft': 'Not opened yet',
    'poll.secret': 'Secret ballot', 'poll.named': 'Open (named) vote',
    'poll.turnout': '{cast} of {eligible} votes cast',
    'poll.threshold': 'Adopted with {threshold} votes for',
    'poll.threshold_cast': 'Adopted with more votes for than against (abstentions do not count)',
    'poll.literal': 'Literally “half plus one” would be {literal}',
    'poll.rule': 'Rule: {rule}',
    'poll.counts': 'For {for} · against {against} · abstain {abstain} · not voted {not_voted}',
    'poll.fingerprint': 'Tracker fingerprint (SHA-256)',
    'poll.chart': 'Result: {for} for, {against} against, {abstain} abstain; {threshold} for needed',
    'poll.turnout_chart': 'Turnout: {cast} of {eligible}',
  },
});

export const CHOICES = ['for', 'against', 'abstain'];

/** A horizontal bar: cast of eligible, with the count written beside it. */
export function turnoutBar(cast, eligible) {
  const width = 1000;
  const filled = eligible > 0 ? Math.round((Math.min(cast, eligible) / eligible) * width) : 0;
  return el('svg:svg', { class: 'poll-bar', viewBox: `0 0 ${width} 60`, role: 'img', 'aria-label': t('poll.turnout_chart', { cast, eligible }) },
    el('svg:rect', { class: 'poll-bar__track', x: 0, y: 0, width, height: 60, rx: 8 }),
    el('svg:rect', { class: 'poll-bar__fill', x: 0, y: 0, width: filled, height: 60, rx: 8 }));
}

/** Three vertical bars (for / against / abstain) and a dashed line at the threshold. */
export function resultChart(poll) {
  const width = 900;
  const height = 420;
  const top = 30;
  const base = height - 60;
  const scale = Math.max(poll.eligible || 0, poll.for, poll.against, poll.abstain, poll.threshold || 0, 1);
  const y = (value) => base - Math.round(((base - top) * value) / scale);
  const bars = CHOICES.map((choice, index) => {
    const value = poll[choice];
    const x = 90 + index * 270;
    return el('svg:g', { class: `poll-chart__bar poll-chart__bar--${choice}` },
      el('svg:rect', { x, y: y(value), width: 180, height: Math.max(base - y(value), 0) }),
      el('svg:text', { x: x + 90, y: y(value) - 10, 'text-anchor': 'middle', class: 'poll-chart__value' }, String(value)),
      el('svg:text', { x: x + 90, y: base + 40, 'text-anchor': 'middle', class: 'poll-chart__label' }, t(`poll.${choice}`)));
  });
  const line = poll.rule === 'majority_of_votes_cast' ? null : el('svg:g', { class: 'poll-chart__threshold' },
    el('svg:line', { x1: 60, x2: width - 20, y1: y(poll.threshold), y2: y(poll.threshold) }),
    el('svg:text', { x: width - 20, y: y(poll.threshold) - 8, 'text-anchor': 'end' }, `${t('poll.threshold', { threshold: poll.threshold })}`));
  return el('svg:svg', {
    class: 'poll-chart', viewBox: `0 0 ${width} ${height}`, role: 'img',
    'aria-label': t('poll.chart', { for: poll.for, against: poll.against, abstain: poll.abstain, threshold: poll.threshold }),
  }, el('svg:line', { class: 'poll-chart__axis', x1: 60, x2: width - 20, y1: base, y2: base }), bars, line);
}

/** "Aangenomen bij 4 stemmen voor" plus the literal threshold when it differs. */
export function thresholdText(poll) {
  // Under "majority of votes cast" the number needed depends on the votes against, so
  // while the poll is open it is said in words, never as "1" (issue 13).
  if (poll.rule === 'majority_of_votes_cast') return t('poll.threshold_cast');
  const parts = [t('poll.threshold', { threshold: poll.threshold })];
  if (poll.literal_threshold) parts.push(t('poll.literal', { literal: poll.literal_threshold }));
  return parts.join(' · ');
}

export function outcomeBadge(poll) {
  return el('span', { class: `badge badge--${poll.adopted ? 'success' : 'danger'}` }, t(poll.adopted ? 'poll.adopted' : 'poll.rejected'));
}
