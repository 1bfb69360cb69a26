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
    'poll.needed': 'Nodig voor aanname: {threshold}',
    'poll.needed_cast': 'Nodig voor aanname: meer stemmen voor dan tegen',
    'poll.p_snapshot': 'Stemgerechtigd bij opening (P): {eligible}',
    'poll.rule.more_than_half': 'meer dan de helft van de aanwezige leden stemt voor',
    'poll.rule.literal_half_plus_one': 'de helft van de aanwezige leden plus één, naar boven afgerond, stemt voor',
    'poll.rule.two_thirds': 'ten minste twee derde van de aanwezige leden stemt voor',
    'poll.rule.majority_of_votes_cast': 'meer stemmen voor dan tegen; onthoudingen tellen niet mee',
    'poll.rule_name.more_than_half': 'Meer dan de helft van de aanwezige leden',
    'poll.rule_name.literal_half_plus_one': 'De helft plus één (letterlijk)',
    'poll.rule_name.two_thirds': 'Twee derde van de aanwezige leden',
    'poll.rule_name.majority_of_votes_cast': 'Meerderheid van de uitgebrachte stemmen',
    'poll.result_sentence': '{outcome}: {for} voor, {against} tegen, {abstain} {abstain_word}{not_voted_part}.',
    'poll.abstain_one': 'onthouding', 'poll.abstain_many': 'onthoudingen',
    'poll.not_voted_part': ', {count} niet gestemd',
    'poll.state.none': 'Nog niet geopend', 'poll.state.draft': 'Nog niet geopend',
    'poll.state.open': 'Stemming open', 'poll.state.closed': 'Gesloten',
    'proposal.state.draft': 'Concept', 'proposal.state.consultation': 'In consultatie', 'proposal.state.ready': 'Gereed voor de ALV',
    'proposal.state.adopted': 'Aangenomen', 'proposal.state.rejected': 'Verworpen', 'proposal.state.lapsed': 'Vervallen',
    'proposal.state.withdrawn': 'Ingetrokken',
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
    'poll.needed': 'Needed to adopt: {threshold}',
    'poll.needed_cast': 'Needed to adopt: more votes for than against',
    'poll.p_snapshot': 'Entitled to vote at opening (P): {eligible}',
    'poll.rule.more_than_half': 'more than half of the members present vote for',
    'poll.rule.literal_half_plus_one': 'half of the members present plus one, rounded up, vote for',
    'poll.rule.two_thirds': 'at least two thirds of the members present vote for',
    'poll.rule.majority_of_votes_cast': 'more votes for than against; abstentions do not count',
    'poll.rule_name.more_than_half': 'More than half of the members present',
    'poll.rule_name.literal_half_plus_one': 'Half plus one (literally)',
    'poll.rule_name.two_thirds': 'Two thirds of the members present',
    'poll.rule_name.majority_of_votes_cast': 'Majority of the votes cast',
    'poll.result_sentence': '{outcome}: {for} for, {against} against, {abstain} {abstain_word}{not_voted_part}.',
    'poll.abstain_one': 'abstention', 'poll.abstain_many': 'abstentions',
    'poll.not_voted_part': ', {count} did not vote',
    'poll.state.none': 'Not opened yet', 'poll.state.draft': 'Not opened yet',
    'poll.state.open': 'Vote open', 'poll.state.closed': 'Closed',
    'proposal.state.draft': 'Draft', 'proposal.state.consultation': 'In consultation', 'proposal.state.ready': 'Ready for the ALV',
    'proposal.state.adopted': 'Adopted', 'proposal.state.rejected': 'Rejected', 'proposal.state.lapsed': 'Lapsed',
    'proposal.state.withdrawn': 'Withdrawn',
  },
});

export const CHOICES = ['for', 'against', 'abstain'];

/** A horizontal bar: cast of eligible, with the count written beside it. */
export function turnoutBar(cast, eligible) {
  const width = 1000;
  const filled = eligible > 0 ? Math.round((Math.min(cast, eligible) / eligible) * width) : 0;
  return el('svg:svg', { class: 'poll-bar', viewBox: `0 0 ${width} 60`, preserveAspectRatio: 'none', role: 'img', 'aria-label': t('poll.turnout_chart', { cast, eligible }) },
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
    el('svg:text', { x: width - 20, y: y(poll.threshold) - 8, 'text-anchor': 'end' }, t('poll.needed', { threshold: poll.threshold })));
  return el('svg:svg', {
    class: 'poll-chart', viewBox: `0 0 ${width} ${height}`, role: 'img',
    'aria-label': t('poll.chart', { for: poll.for, against: poll.against, abstain: poll.abstain, threshold: poll.threshold }),
  }, el('svg:line', { class: 'poll-chart__axis', x1: 60, x2: width - 20, y1: base, y2: base }), bars, line);
}

/** The majority rules a meeting or decision can use, in the order offered. */
export const RULES = ['more_than_half', 'literal_half_plus_one', 'two_thirds', 'majority_of_votes_cast'];

/** The rule as a sentence ("meer dan de helft van de aanwezige leden stemt voor"). */
export function ruleWords(rule) {
  return RULES.includes(rule) ? t(`poll.rule.${rule}`) : '';
}

/** The rule's short name for a choice list ("Meerderheid van de uitgebrachte stemmen"). */
export function ruleName(rule) {
  return RULES.includes(rule) ? t(`poll.rule_name.${rule}`) : '';
}

/** A proposal's state in words ("Gereed voor de ALV"); unknown states say nothing. */
export function proposalStateWords(state) {
  const key = `proposal.state.${state}`;
  return state && t(key) !== key ? t(key) : '';
}

/** "Nodig voor aanname: 4" plus the literal threshold when it differs. */
export function thresholdText(poll) {
  const parts = [poll.rule === 'majority_of_votes_cast' ? t('poll.needed_cast') : t('poll.needed', { threshold: poll.threshold })];
  if (poll.literal_threshold) parts.push(t('poll.literal', { literal: poll.literal_threshold }));
  return parts.join(' · ');
}

/** "Aangenomen: 4 voor, 1 tegen, 2 onthoudingen, 1 niet gestemd." for a closed poll. */
export function resultSentence(poll) {
  return t('poll.result_sentence', {
    outcome: t(poll.adopted ? 'poll.adopted' : 'poll.rejected'),
    for: poll.for, against: poll.against, abstain: poll.abstain,
    abstain_word: t(poll.abstain === 1 ? 'poll.abstain_one' : 'poll.abstain_many'),
    not_voted_part: poll.not_voted ? t('poll.not_voted_part', { count: poll.not_voted }) : '',
  });
}

/** The state of an item's poll in words: Nog niet geopend / Stemming open / Gesloten. */
export function pollStateWords(poll) {
  return t(`poll.state.${poll ? poll.state : 'none'}`);
}

export function outcomeBadge(poll) {
  return el('span', { class: `badge badge--${poll.adopted ? 'success' : 'danger'}` }, t(poll.adopted ? 'poll.adopted' : 'poll.rejected'));
}
