// Shared by the cycle pages (board and contact): texts under cycle./consult., word
// diffs rendered without innerHTML, state badges and the SVG timeline of a cycle.
import { addMessages, t } from './i18n.js';
import { el, formatDate, formatDateTime } from './ui.js';

addMessages({
  nl: {
    'cycle.title': 'Wijzigingscycli',
    'cycle.lead': 'Eén cyclus per jaar: beoordelen, voorstellen opstellen, consulteren, ALV (Code art. 7).',
    'cycle.new': 'Nieuwe cyclus',
    'cycle.year': 'Jaar',
    'cycle.create': 'Cyclus openen',
    'cycle.created': 'Cyclus {year} geopend.',
    'cycle.none': 'Er is nog geen cyclus.',
    'cycle.state': 'Fase',
    'cycle.state.review': 'Beoordeling',
    'cycle.state.drafting': 'Voorstellen opstellen',
    'cycle.state.consultation': 'Consultatie',
    'cycle.state.alv': 'ALV',
    'cycle.state.closed': 'Afgesloten',
    'cycle.move_to': 'Naar fase: {state}',
    'cycle.moved': 'De cyclus is nu in de fase {state}.',
    'cycle.timeline': 'Tijdlijn',
    'cycle.timeline_alt': 'Tijdlijn van de cyclus',
    'cycle.today': 'vandaag',
    'cycle.review': 'Beoordeling',
    'cycle.round': 'Ronde {n}',
    'cycle.alv_date': 'Datum ALV',
    'cycle.effective_date': 'Ingangsdatum',
    'cycle.withdrawal_deadline': 'Uiterste ontvangstdatum voor intrekkingen',
    'cycle.review_from': 'Start beoordeling',
    'cycle.dates': 'Datums',
    'cycle.save_dates': 'Datums opslaan',
    'cycle.saved': 'Opgeslagen.',
    'cycle.earliest': 'Vroegst mogelijke ingangsdatum: {date} (6 weken na de ALV).',
    'cycle.proposals': 'Voorstellen',
    'cycle.new_proposal': 'Nieuw voorstel',
    'cycle.articles': 'Artikelen',
    'cycle.conflicts': 'Botst met',
    'cycle.comments': 'Reacties',
    'cycle.unreplied': '{n} zonder antwoord',
    'cycle.rounds': 'Consultatierondes',
    'cycle.open_round': 'Consultatieronde openen',
    'cycle.opens_at': 'Opent op',
    'cycle.closes_at': 'Sluit op',
    'cycle.round_proposals': 'Voorstellen in deze ronde',
    'cycle.round_opened': 'Ronde geopend: {invited} organisaties uitgenodigd, {mails} mails klaargezet.',
    'cycle.window': 'Venster',
    'cycle.invited': 'Uitgenodigd',
    'cycle.open': 'Openen',
    'cycle.reactienota': 'Reactienota',
    'cycle.proposal.state.draft': 'Concept',
    'cycle.proposal.state.ready': 'Gereed voor ALV',
    'cycle.proposal.state.adopted': 'Aangenomen',
    'cycle.proposal.state.rejected': 'Verworpen',
    'cycle.proposal.state.lapsed': 'Vervallen',
    'cycle.proposal.state.withdrawn': 'Ingetrokken',
    'cycle.proposal': 'Voorstel',
    'cycle.proposal_title': 'Titel van het voorstel',
    'cycle.rationale': 'Toelichting',
        'cycle.changes': 'Wijzigingen',
    'cycle.article': 'Artikel',
    'cycle.action': 'Soort wijziging',
    'cycle.action.replace': 'Vervangen',
    'cycle.action.insert': 'Nieuw artikel',
    'cycle.action.delete': 'Schrappen',
        'cycle.text': 'Nieuwe tekst',
    'cycle.add_change': 'Artikel toevoegen',
    'cycle.remove_change': 'Verwijderen',
    'cycle.save': 'Opslaan als nieuwe versie',
    'cycle.saved_revision': 'Opgeslagen als versie {n}.',
    'cycle.diff': 'Wijziging ten opzichte van de Code',
    'cycle.consolidated': 'Doorlopende tekst na deze wijziging',
    'cycle.revisions': 'Versies',
    'cycle.revision': 'Versie {n}',
    'cycle.compare': 'Vergelijken',
    'cycle.compare_from': 'Van versie',
    'cycle.compare_to': 'Naar versie',
    'cycle.mark_ready': 'Gereed melden voor de ALV',
    'cycle.marked_ready': 'Het voorstel is gereed voor de ALV.',
    'cycle.edit': 'Bewerken',
    'cycle.source': 'Bron',
    'cycle.base_version': 'Gebaseerd op Code-versie',
    'cycle.deleted': 'Dit artikel vervalt.',
    'cycle.back': 'Terug naar de cyclus',
    'consult.title': 'Consultatie',
    'consult.round_title': 'Consultatieronde {n} ({year})',
    'consult.phase.upcoming': 'Nog niet open',
    'consult.phase.open': 'Open',
    'consult.phase.closed': 'Gesloten',
    'consult.window': 'Open van {from} tot {until}',
    'consult.close_now': 'Ronde nu sluiten',
    'consult.closed_now': 'De ronde is gesloten.',
    'consult.remind': 'Herinnering sturen',
    'consult.reminded': '{mails} herinneringen klaargezet.',
    'consult.invitees': 'Uitgenodigde organisaties',
    'consult.comments': 'Reacties',
    'consult.no_comments': 'Nog geen reacties.',
    'consult.reply': 'Antwoord van het bestuur',
    'consult.reply_save': 'Antwoord opslaan',
    'consult.replied': 'Antwoord opgeslagen.',
    'consult.led_to_change': 'Leidde tot wijziging',
    'consult.led_to_change_label': 'Tot welke wijziging leidde de reactie? (niet verplicht)',
    'consult.no_reply': 'Nog geen antwoord',
    'consult.since_previous': 'Gewijzigd sinds ronde {n} (versie {revision})',
    'consult.whole_proposal': 'Het hele voorstel',
    'consult.your_comment': 'Uw reactie',
    'consult.send': 'Reactie versturen',
    'consult.sent': 'Uw reactie is ontvangen. U kunt haar aanpassen tot de ronde sluit.',
    'consult.update': 'Reactie aanpassen',
    'consult.updated': 'Uw reactie is aangepast.',
    'consult.your_comments': 'Reacties van uw organisatie',
    'consult.none': 'U bent (nog) niet uitgenodigd voor een consultatie.',
    'consult.login_needed': 'Log in met de link uit uw uitnodiging om te reageren.',
    'consult.lead': 'KSF legt voorgestelde wijzigingen van de Code aan u voor. Reageer per voorstel of per artikel.',
    'consult.print': 'Afdrukken',
    'consult.csv': 'CSV downloaden',
    'consult.report_lead': 'Alle reacties uit deze ronde met het antwoord van het bestuur en de wijziging waartoe zij leidden.',
    'consult.counts': '{comments} reacties van {organisations} organisaties; {replied} beantwoord, {changed} leidden tot een wijziging.',
    'consult.organisation': 'Organisatie',
    'outbox.title': 'Uitgaande mail',
    'outbox.lead': 'Alle mail die alvd verstuurt. Zonder SMTP-relay staat elke mail als .eml-bestand in de datamap.',
    'outbox.state.pending': 'Wacht',
    'outbox.state.sent': 'Verstuurd',
    'outbox.state.failed': 'Mislukt',
    'outbox.all': 'Alle',
    'outbox.to': 'Aan',
    'outbox.subject': 'Onderwerp',
    'outbox.state': 'Status',
    'outbox.attempts': 'Pogingen',
    'outbox.created': 'Aangemaakt',
    'outbox.error': 'Laatste fout',
    'outbox.retry': 'Opnieuw versturen',
    'outbox.retried': 'De mail staat weer in de wachtrij.',
    'outbox.empty': 'Geen mail.',
    'outbox.open': 'Bekijken',
  },
  en: {
    'cycle.title': 'Amendment cycles',
    'cycle.lead': 'One cycle a year: review, draft proposals, consult, ALV (Code art. 7).',
    'cycle.new': 'New cycle', 'cycle.year': 'Year', 'cycle.create': 'Open cycle', 'cycle.created': 'Cycle {year} opened.',
    'cycle.none': 'There is no cycle yet.', 'cycle.state': 'Phase',
    'cycle.state.review': 'Review', 'cycle.state.drafting': 'Drafting proposals', 'cycle.state.consultation': 'Consultation',
    'cycle.state.alv': 'ALV', 'cycle.state.closed': 'Closed',
    'cycle.move_to': 'Move to: {state}', 'cycle.moved': 'The cycle is now in phase {state}.',
    'cycle.timeline': 'Timeline', 'cycle.timeline_alt': 'Timeline of the cycle', 'cycle.today': 'today',
    'cycle.review': 'Review', 'cycle.round': 'Round {n}', 'cycle.alv_date': 'ALV date', 'cycle.effective_date': 'Effective date',
    'cycle.withdrawal_deadline': 'Last day to receive withdrawals', 'cycle.review_from': 'Review starts', 'cycle.dates': 'Dates',
    'cycle.save_dates': 'Save dates', 'cycle.saved': 'Saved.', 'cycle.earliest': 'Earliest possible effective date: {date} (6 weeks after the ALV).',
    'cycle.proposals': 'Proposals', 'cycle.new_proposal': 'New proposal', 'cycle.articles': 'Articles', 'cycle.conflicts': 'Conflicts with',
    'cycle.comments': 'Comments', 'cycle.unreplied': '{n} without reply', 'cycle.rounds': 'Consultation rounds',
    'cycle.open_round': 'Open a consultation round', 'cycle.opens_at': 'Opens at', 'cycle.closes_at': 'Closes at',
    'cycle.round_proposals': 'Proposals in this round', 'cycle.round_opened': 'Round opened: {invited} organisations invited, {mails} mails queued.',
    'cycle.window': 'Window', 'cycle.invited': 'Invited', 'cycle.open': 'Open', 'cycle.reactienota': 'Consultation report',
    'cycle.proposal.state.draft': 'Draft', 'cycle.proposal.state.ready': 'Ready for the ALV', 'cycle.proposal.state.adopted': 'Adopted',
    'cycle.proposal.state.rejected': 'Rejected', 'cycle.proposal.state.lapsed': 'Lapsed', 'cycle.proposal.state.withdrawn': 'Withdrawn',
    'cycle.proposal': 'Proposal', 'cycle.proposal_title': 'Title of the proposal', 'cycle.rationale': 'Rationale',
    'cycle.source_report': 'Source: meldpunt half-year report (e.g. 2026H1)', 'cycle.changes': 'Changes', 'cycle.article': 'Article',
    'cycle.action': 'Kind of change', 'cycle.action.replace': 'Replace', 'cycle.action.insert': 'New article', 'cycle.action.delete': 'Delete',
    'cycle.article_title': 'Article title (optional)', 'cycle.text': 'New text', 'cycle.add_change': 'Add article', 'cycle.remove_change': 'Remove',
    'cycle.save': 'Save as new revision', 'cycle.saved_revision': 'Saved as revision {n}.', 'cycle.diff': 'Change against the Code',
    'cycle.consolidated': 'Consolidated text after this change', 'cycle.revisions': 'Revisions', 'cycle.revision': 'Revision {n}',
    'cycle.compare': 'Compare', 'cycle.compare_from': 'From revision', 'cycle.compare_to': 'To revision',
    'cycle.mark_ready': 'Mark ready for the ALV', 'cycle.marked_ready': 'The proposal is ready for the ALV.', 'cycle.edit': 'Edit',
    'cycle.source': 'Source', 'cycle.base_version': 'Based on Code version', 'cycle.deleted': 'This article is deleted.', 'cycle.back': 'Back to the cycle',
    'consult.title': 'Consultation', 'consult.round_title': 'Consultation round {n} ({year})',
    'consult.phase.upcoming': 'Not open yet', 'consult.phase.open': 'Open', 'consult.phase.closed': 'Closed',
    'consult.window': 'Open from {from} to {until}', 'consult.close_now': 'Close the round now', 'consult.closed_now': 'The round is closed.',
    'consult.remind': 'Send a reminder', 'consult.reminded': '{mails} reminders queued.', 'consult.invitees': 'Invited organisations',
    'consult.comments': 'Comments', 'consult.no_comments': 'No comments yet.', 'consult.reply': 'Reply of the board',
    'consult.reply_save': 'Save reply', 'consult.replied': 'Reply saved.', 'consult.led_to_change': 'Led to a change', 'consult.led_to_change_label': 'Which change did the comment lead to? (optional)',
    'consult.no_reply': 'No reply yet', 'consult.since_previous': 'Changed since round {n} (revision {revision})',
    'consult.whole_proposal': 'The whole proposal', 'consult.your_comment': 'Your comment', 'consult.send': 'Send comment',
    'consult.sent': 'Your comment was received. You can edit it until the round closes.', 'consult.update': 'Update comment',
    'consult.updated': 'Your comment was updated.', 'consult.your_comments': 'Comments of your organisation',
    'consult.none': 'You have not been invited to a consultation (yet).', 'consult.login_needed': 'Log in with the link in your invitation to comment.',
    'consult.lead': 'KSF asks your view on proposed changes to the Code. Comment per proposal or per article.',
    'consult.print': 'Print', 'consult.csv': 'Download CSV',
    'consult.report_lead': 'Every comment of this round with the board’s reply and the change it led to.',
    'consult.counts': '{comments} comments from {organisations} organisations; {replied} replied, {changed} led to a change.',
    'consult.organisation': 'Organisation',
    'outbox.title': 'Outgoing mail', 'outbox.lead': 'Every mail alvd sends. Without an SMTP relay each mail is an .eml file in the data directory.',
    'outbox.state.pending': 'Waiting', 'outbox.state.sent': 'Sent', 'outbox.state.failed': 'Failed', 'outbox.all': 'All',
    'outbox.to': 'To', 'outbox.subject': 'Subject', 'outbox.state': 'State', 'outbox.attempts': 'Attempts', 'outbox.created': 'Created',
    'outbox.error': 'Last error', 'outbox.retry': 'Send again', 'outbox.retried': 'The mail is queued again.', 'outbox.empty': 'No mail.',
    'outbox.open': 'View',
  },
});

/** Nodes of a server-rendered word diff: only text, <ins> and <del> survive. */
export function diffNodes(html) {
  const parsed = new DOMParser().parseFromString(`<div>${html || ''}</div>`, 'text/html');
  const nodes = [];
  for (const node of parsed.body.firstChild.childNodes) {
    if (node.nodeType === Node.TEXT_NODE) nodes.push(document.createTextNode(node.textContent));
    else if (node.nodeName === 'INS' || node.nodeName === 'DEL') nodes.push(el(node.nodeName.toLowerCase(), {}, node.textContent));
  }
  return nodes;
}

export function diffBlock(html) {
  return el('p', { class: 'diff' }, diffNodes(html));
}

/* Words, runs of white space and single other characters: the tokens of the server's
 * word diff (server/rules/diff.c), so the live preview reads like the saved one. */
function diffTokens(text) {
  return String(text || '').match(/[\p{L}\p{N}_]+|\s+|[^\p{L}\p{N}_\s]/gu) || [];
}

/**
 * The word diff of two texts as nodes (<del> for removed, <ins> for added words), made
 * in the page while the board types. Common start and end are skipped; the middle is a
 * longest common subsequence of tokens.
 */
export function wordDiffNodes(before, after) {
  const a = diffTokens(before);
  const b = diffTokens(after);
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) { endA--; endB--; }
  const x = a.slice(start, endA);
  const y = b.slice(start, endB);
  // Long rewrites: show the middle as removed and added in one piece instead.
  const parts = [];
  if (x.length * y.length > 4_000_000) {
    parts.push(['del', x.join('')], ['ins', y.join('')]);
  } else {
    const width = y.length + 1;
    const lengths = new Uint32Array((x.length + 1) * width);
    for (let i = x.length - 1; i >= 0; i--) {
      for (let j = y.length - 1; j >= 0; j--) {
        lengths[i * width + j] = x[i] === y[j] ? lengths[(i + 1) * width + j + 1] + 1
          : Math.max(lengths[(i + 1) * width + j], lengths[i * width + j + 1]);
      }
    }
    let i = 0;
    let j = 0;
    const push = (kind, text) => {
      const last = parts[parts.length - 1];
      if (last && last[0] === kind) last[1] += text; else parts.push([kind, text]);
    };
    while (i < x.length || j < y.length) {
      if (i < x.length && j < y.length && x[i] === y[j]) { push('same', x[i]); i++; j++; } else if (j < y.length && (i === x.length || lengths[i * width + j + 1] >= lengths[(i + 1) * width + j])) { push('ins', y[j]); j++; } else { push('del', x[i]); i++; }
    }
  }
  const nodes = [];
  if (start) nodes.push(document.createTextNode(a.slice(0, start).join('')));
  for (const [kind, text] of parts) {
    if (!text) continue;
    nodes.push(kind === 'same' ? document.createTextNode(text) : el(kind, {}, text));
  }
  if (endA < a.length) nodes.push(document.createTextNode(a.slice(endA).join('')));
  return nodes;
}

export function stateBadge(state) {
  const kind = { review: 'neutral', drafting: 'info', consultation: 'warning', alv: 'success', closed: 'neutral' }[state] || 'neutral';
  return el('span', { class: `badge badge--${kind}` }, t(`cycle.state.${state}`));
}

export function proposalBadge(state) {
  const kind = { draft: 'info', ready: 'success', adopted: 'success', rejected: 'danger', lapsed: 'neutral', withdrawn: 'neutral' }[state] || 'neutral';
  return el('span', { class: `badge badge--${kind}` }, t(`cycle.proposal.state.${state}`));
}

export function phaseBadge(phase) {
  const kind = { upcoming: 'neutral', open: 'success', closed: 'info' }[phase] || 'neutral';
  return el('span', { class: `badge badge--${kind}` }, t(`consult.phase.${phase}`));
}

const DAY = 86400000;
const dayOf = (text) => Date.parse(`${String(text).slice(0, 10)}T00:00:00Z`);

/**
 * The cycle at a glance: review, each consultation window as a bar, the ALV, the
 * withdrawal deadline and the effective date as markers, and today as a line.
 * Returns a figure with the SVG and a list that says the same in words.
 */
export function timelineFigure(cycle, today) {
  const bars = [];
  const marks = [];
  const firstRound = (cycle.consultations || [])[0];
  if (cycle.review_from) {
    const end = firstRound ? firstRound.opens_at : cycle.alv_date || cycle.review_from;
    bars.push({ label: t('cycle.review'), from: cycle.review_from, to: end, colour: '#6b7480' });
  }
  for (const round of cycle.consultations || []) {
    bars.push({ label: t('cycle.round', { n: round.round }), from: round.opens_at, to: round.closes_at, colour: '#15396b' });
  }
  if (cycle.alv_date) marks.push({ label: t('cycle.alv_date'), at: cycle.alv_date, colour: '#1d6b35' });
  if (cycle.withdrawal_deadline) marks.push({ label: t('cycle.withdrawal_deadline'), at: cycle.withdrawal_deadline, colour: '#b0221b' });
  if (cycle.effective_date) marks.push({ label: t('cycle.effective_date'), at: cycle.effective_date, colour: '#7a4d00' });
  const points = [...bars.flatMap((b) => [b.from, b.to]), ...marks.map((m) => m.at), today].map(dayOf).filter(Number.isFinite);
  const start = Math.min(...points) - 7 * DAY;
  const end = Math.max(...points) + 7 * DAY;
  const width = 900;
  const left = 190;
  const right = 110; // room for the date written beside the last marker
  const rowHeight = 30;
  const rows = bars.length + marks.length;
  const height = 40 + rows * rowHeight + 30;
  const x = (text) => left + ((dayOf(text) - start) / (end - start)) * (width - left - right);
  const svg = el('svg:svg', { viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-labelledby': 'timeline-title', class: 'timeline-chart' },
    el('svg:title', { id: 'timeline-title' }, t('cycle.timeline_alt')));
  // Month ticks along the top.
  const tick = new Date(start);
  tick.setUTCDate(1);
  for (let m = new Date(Date.UTC(tick.getUTCFullYear(), tick.getUTCMonth() + 1, 1)); m.getTime() < end; m = new Date(Date.UTC(m.getUTCFullYear(), m.getUTCMonth() + 1, 1))) {
    const tx = x(m.toISOString());
    svg.append(el('svg:line', { x1: tx, x2: tx, y1: 24, y2: height - 24, stroke: '#eceef1' }),
      el('svg:text', { x: tx + 3, y: 16, 'font-size': 12, fill: '#4d5560' },
        // "nov 2026", not "nov 26", which reads as a day.
        new Intl.DateTimeFormat(document.documentElement.lang || 'nl', { month: 'short', year: 'numeric', timeZone: 'UTC' }).format(m)));
  }
  let row = 0;
  for (const bar of bars) {
    const y = 40 + row * rowHeight;
    const x1 = x(bar.from);
    const x2 = Math.max(x(bar.to), x1 + 3);
    svg.append(el('svg:text', { x: 8, y: y + 15, 'font-size': 14, fill: '#1b1f24' }, bar.label),
      el('svg:rect', { x: x1, y: y + 3, width: x2 - x1, height: 16, rx: 4, fill: bar.colour },
        el('svg:title', {}, `${bar.label}: ${formatDate(bar.from.slice(0, 10), 'medium')} – ${formatDate(bar.to.slice(0, 10), 'medium')}`)));
    row++;
  }
  for (const mark of marks) {
    const y = 40 + row * rowHeight;
    const mx = x(mark.at);
    svg.append(el('svg:text', { x: 8, y: y + 15, 'font-size': 14, fill: '#1b1f24' }, mark.label),
      el('svg:path', { d: `M ${mx} ${y + 1} l 9 10 l -9 10 l -9 -10 z`, fill: mark.colour },
        el('svg:title', {}, `${mark.label}: ${formatDate(mark.at, 'long')}`)),
      el('svg:text', { x: mx + 12, y: y + 15, 'font-size': 12, fill: '#4d5560' }, formatDate(mark.at, 'medium')));
    row++;
  }
  const tx = x(today);
  svg.append(el('svg:line', { x1: tx, x2: tx, y1: 24, y2: height - 20, stroke: '#b0221b', 'stroke-width': 2, 'stroke-dasharray': '4 3' }),
    el('svg:text', { x: tx + 4, y: height - 8, 'font-size': 12, fill: '#b0221b' }, t('cycle.today')));
  const words = el('ol', { class: 'timeline' },
    bars.map((bar) => el('li', {}, el('time', {}, `${formatDate(bar.from.slice(0, 10), 'medium')} – ${formatDate(bar.to.slice(0, 10), 'medium')}`), bar.label)),
    marks.map((mark) => el('li', {}, el('time', { datetime: mark.at }, formatDate(mark.at, 'long')), mark.label)));
  // On a phone the drawing is small: the same dates in words are open there.
  const narrow = window.matchMedia('(max-width: 599px)').matches;
  return el('figure', { class: 'card' }, svg, el('details', { open: narrow ? true : null }, el('summary', {}, t('cycle.timeline')), words));
}

export { formatDate, formatDateTime };

/** container.replaceChildren with el()'s rules: arrays flattened, null/false skipped. */
export function replace(container, ...children) {
  container.replaceChildren(...el('div', {}, ...children).childNodes);
}
