// The draft minutes (notulen) of a meeting, generated from the record and readable as
// minutes: the attendance in sentences; per vote what was decided, P, what adoption
// needed, for / against / abstain / not voted, the result and the rule in words, the
// effective date and withdrawal deadline; then the signed decision list as a block that
// says how to verify it (short key fingerprint), with the raw records only as a download.
// Prints on A4; the Markdown download stays.
import { api } from '../api.js';
import { addMessages, t, onLanguageChange } from '../i18n.js';
import { staffPage, el, param, formatDate, formatDateTime, errorMessage } from '../ui.js';
import { ruleWords, resultSentence } from '../poll-common.js';
import { channelWord, speakingTime } from '../speakers.js';
import { plural } from '../words.js';

addMessages({
  nl: {
    'minutes.title': 'Notulen (concept)', 'minutes.of': 'Notulen (concept): {title}', 'minutes.loading': 'De notulen worden opgesteld…',
    'minutes.when': '{date}, aanvang {time} uur, {location}',
    'minutes.print': 'Afdrukken', 'minutes.markdown': 'Markdown downloaden', 'minutes.json': 'Besluitenlijst downloaden (JSON)',
    'minutes.attendance': 'Aanwezigheid',
    'minutes.members.one': 'De vereniging telt 1 stemgerechtigd lid.', 'minutes.members.other': 'De vereniging telt {count} stemgerechtigde leden.',
    'minutes.at_opening.one': 'Bij de opening was 1 lid aanwezig{represented_part}.', 'minutes.at_opening.other': 'Bij de opening waren {count} leden aanwezig{represented_part}.',
    'minutes.during.one': 'In de loop van de vergadering was 1 lid aanwezig{remote_part}.', 'minutes.during.other': 'In de loop van de vergadering waren {count} leden aanwezig{remote_part}.',
    'minutes.not_opened': 'De vergadering is nog niet geopend.',
    'minutes.was_remote_part': ', van wie {count} op afstand',
    'minutes.represented_part': ' en {count} via een volmacht vertegenwoordigd',
    'minutes.hall_remote_part': ' ({hall} in de zaal en {remote} op afstand)',
    'minutes.remote': 'Op afstand deelgenomen (art. 2:38a BW)',
    'minutes.remote_none': 'Niemand heeft op afstand deelgenomen.',
    'minutes.remote_row': '{name}: van {from} tot {until}',
    'minutes.remote_row_open': '{name}: vanaf {from}',
    'minutes.remote_auto': 'automatisch afgemeld na een verbroken verbinding',
    'minutes.remote_auto_many': '{count} keer automatisch afgemeld na een verbroken verbinding',
    'minutes.speakers': 'Sprekers',
    'minutes.speakers_none': 'Niemand heeft via de sprekerslijst het woord gevoerd.',
    'minutes.speaker_row': '{name} ({channel}), spreektijd {time}',
    'minutes.speaker_item': 'bij agendapunt {n}',
    'minutes.contributions': 'Schriftelijke bijdragen',
    'minutes.contributions_none': 'Er zijn geen schriftelijke bijdragen ontvangen.',
    'minutes.contribution_head': '{name} ({channel}), {when}',
    'minutes.contribution.read_out': 'voorgelezen', 'minutes.contribution.not_read_out': 'niet voorgelezen', 'minutes.contribution.new': 'niet behandeld',
    'minutes.list': 'Presentielijst downloaden (CSV)',
    'minutes.decisions': 'Besluiten', 'minutes.none': 'Er is niet gestemd.',
    'minutes.item': 'Agendapunt {n}: {title}', 'minutes.vote': 'Stemming: {title}',
    'minutes.revote': 'Herstemming', 'minutes.superseded': 'Deze uitslag is vervangen door een herstemming (artikel 2:13 lid 4 BW).',
    'minutes.open': 'Deze stemming is nog niet gesloten.', 'minutes.draft': 'Deze stemming is niet geopend.',
    'minutes.kind': 'Soort stemming', 'minutes.kind_named': 'Open (hoofdelijk)', 'minutes.kind_secret': 'Geheim',
    'minutes.eligible': 'Stemgerechtigd bij opening (P)', 'minutes.rule': 'Regel', 'minutes.needed': 'Nodig voor aanname',
    'minutes.needed_cast': 'meer stemmen voor dan tegen', 'minutes.literal': 'letterlijk “de helft plus één” zou {literal} zijn',
    'minutes.counts': 'Stemmen', 'minutes.for': 'Voor', 'minutes.against': 'Tegen', 'minutes.abstain': 'Onthouding', 'minutes.not_voted': 'Niet gestemd',
    'minutes.paper': 'waarvan op papier: {count}',
    'minutes.outcome': 'Uitslag', 'minutes.adopted': 'Aangenomen', 'minutes.rejected': 'Verworpen',
    'minutes.effective': 'Ingangsdatum', 'minutes.deadline': 'Uiterste ontvangstdatum intrekking',
    'minutes.effective_unset': 'Nog niet vastgesteld.',
    'minutes.fingerprint': 'Vingerafdruk van de trackers',
    'minutes.votes': 'Hoofdelijke stemmen', 'minutes.member': 'Lid', 'minutes.choice': 'Stem', 'minutes.channel': 'Via',
    'minutes.via_paper': 'papier', 'minutes.via_phone': 'telefoon',
    'minutes.signed': 'Ondertekende besluitenlijst',
    'minutes.signed_text': 'Elk besluit hierboven (uitslag en ingangsdatum) is bij het vaststellen digitaal ondertekend. {count} ondertekende besluiten horen bij deze vergadering.',
    'minutes.signed_none': 'Er zijn nog geen ondertekende besluiten.',
    'minutes.key': 'Sleutelvingerafdruk', 'minutes.key_hint': 'de eerste 16 tekens van de publieke sleutel (Ed25519); de volledige sleutel staat in de download',
    'minutes.how': 'Zo controleert u de besluitenlijst',
    'minutes.how_1': 'Download de besluitenlijst (JSON). Daarin staan per besluit de vastgelegde tekst, de handtekening en de publieke sleutel.',
    'minutes.how_2': 'Controleer of de publieke sleutel begint met de sleutelvingerafdruk hierboven.',
    'minutes.how_3': 'Controleer elke handtekening over de vastgelegde tekst met de publieke sleutel (Ed25519), met elk gangbaar programma. De beheerder kan ook alles in één keer laten controleren met het commando “alvd audit verify”.',
  },
  en: {
    'minutes.title': 'Minutes (draft)', 'minutes.of': 'Minutes (draft): {title}', 'minutes.loading': 'Drawing up the minutes…',
    'minutes.when': '{date}, starting {time}, {location}',
    'minutes.print': 'Print', 'minutes.markdown': 'Download Markdown', 'minutes.json': 'Download decision list (JSON)',
    'minutes.attendance': 'Attendance',
    'minutes.members.one': 'The association has 1 voting member.', 'minutes.members.other': 'The association has {count} voting members.',
    'minutes.at_opening.one': 'At the opening 1 member was present{represented_part}.', 'minutes.at_opening.other': 'At the opening {count} members were present{represented_part}.',
    'minutes.during.one': 'In the course of the meeting 1 member was present{remote_part}.', 'minutes.during.other': 'In the course of the meeting {count} members were present{remote_part}.',
    'minutes.not_opened': 'The meeting has not been opened.',
    'minutes.was_remote_part': ', {count} of them remotely',
    'minutes.represented_part': ' and {count} represented by proxy',
    'minutes.hall_remote_part': ' ({hall} in the hall and {remote} remotely)',
    'minutes.remote': 'Took part remotely (Dutch Civil Code 2:38a)',
    'minutes.remote_none': 'Nobody took part remotely.',
    'minutes.remote_row': '{name}: from {from} until {until}',
    'minutes.remote_row_open': '{name}: from {from}',
    'minutes.remote_auto': 'checked out automatically after a lost connection',
    'minutes.remote_auto_many': 'checked out automatically {count} times after a lost connection',
    'minutes.speakers': 'Speakers',
    'minutes.speakers_none': 'Nobody spoke through the speaker list.',
    'minutes.speaker_row': '{name} ({channel}), speaking time {time}',
    'minutes.speaker_item': 'on agenda item {n}',
    'minutes.contributions': 'Written contributions',
    'minutes.contributions_none': 'No written contributions were received.',
    'minutes.contribution_head': '{name} ({channel}), {when}',
    'minutes.contribution.read_out': 'read out', 'minutes.contribution.not_read_out': 'not read out', 'minutes.contribution.new': 'not dealt with',
    'minutes.list': 'Download attendance list (CSV)',
    'minutes.decisions': 'Decisions', 'minutes.none': 'No votes were held.',
    'minutes.item': 'Agenda item {n}: {title}', 'minutes.vote': 'Vote: {title}',
    'minutes.revote': 'Re-vote', 'minutes.superseded': 'This result was replaced by a re-vote (Dutch Civil Code 2:13(4)).',
    'minutes.open': 'This vote is not closed yet.', 'minutes.draft': 'This vote was not opened.',
    'minutes.kind': 'Kind of vote', 'minutes.kind_named': 'Open (named)', 'minutes.kind_secret': 'Secret',
    'minutes.eligible': 'Entitled to vote at opening (P)', 'minutes.rule': 'Rule', 'minutes.needed': 'Needed to adopt',
    'minutes.needed_cast': 'more votes for than against', 'minutes.literal': 'literally “half plus one” would be {literal}',
    'minutes.counts': 'Votes', 'minutes.for': 'For', 'minutes.against': 'Against', 'minutes.abstain': 'Abstain', 'minutes.not_voted': 'Did not vote',
    'minutes.paper': 'of which on paper: {count}',
    'minutes.outcome': 'Result', 'minutes.adopted': 'Adopted', 'minutes.rejected': 'Rejected',
    'minutes.effective': 'Effective date', 'minutes.deadline': 'Withdrawal deadline',
    'minutes.effective_unset': 'Not set yet.',
    'minutes.fingerprint': 'Tracker fingerprint',
    'minutes.votes': 'Named votes', 'minutes.member': 'Member', 'minutes.choice': 'Vote', 'minutes.channel': 'By',
    'minutes.via_paper': 'paper', 'minutes.via_phone': 'phone',
    'minutes.signed': 'Signed decision list',
    'minutes.signed_text': 'Every decision above (result and effective date) was signed digitally when it was made. {count} signed decisions belong to this meeting.',
    'minutes.signed_none': 'There are no signed decisions yet.',
    'minutes.key': 'Key fingerprint', 'minutes.key_hint': 'the first 16 characters of the public key (Ed25519); the full key is in the download',
    'minutes.how': 'How to verify the decision list',
    'minutes.how_1': 'Download the decision list (JSON). It holds, per decision, the recorded text, the signature and the public key.',
    'minutes.how_2': 'Check that the public key starts with the key fingerprint above.',
    'minutes.how_3': 'Check each signature over the recorded text with the public key (Ed25519), with any common tool. The administrator can also check everything at once with the command “alvd audit verify”.',
  },
});

const meetingId = Number(param('id'));
const box = document.getElementById('minutes');
let minutes = null;
let agenda = [];
let downloadUrl = null;

const row = (term, ...value) => [el('dt', {}, term), el('dd', {}, ...value)];
const grouped = (hex) => hex.slice(0, 16).replace(/(.{4})(?=.)/g, '$1 ');

function heading(poll) {
  const item = agenda.find((a) => (poll.proposal_id ? a.proposal_id === poll.proposal_id : a.id === poll.agenda_item_id));
  return item ? t('minutes.item', { n: item.position, title: poll.title }) : t('minutes.vote', { title: poll.title });
}

function pollSection(poll) {
  const section = el('section', { class: 'card minutes-decision', id: `decision-${poll.id}`, dataset: { poll: String(poll.id) } },
    el('h3', {}, heading(poll), poll.revote_of ? el('span', { class: 'badge badge--neutral' }, t('minutes.revote')) : null));
  if (poll.state !== 'closed') {
    section.append(el('p', {}, t(poll.state === 'open' ? 'minutes.open' : 'minutes.draft')));
    return section;
  }
  section.append(el('p', { class: `minutes-result minutes-result--${poll.adopted ? 'adopted' : 'rejected'}` }, resultSentence(poll)));
  if (poll.superseded_by) section.append(el('p', { class: 'muted' }, t('minutes.superseded')));
  const needed = poll.rule === 'majority_of_votes_cast' ? t('minutes.needed_cast')
    : [String(poll.threshold), poll.literal_threshold ? ` (${t('minutes.literal', { literal: poll.literal_threshold })})` : ''].join('');
  const paper = (poll.paper?.for || 0) + (poll.paper?.against || 0) + (poll.paper?.abstain || 0);
  const list = el('dl', { class: 'dl' },
    row(t('minutes.kind'), t(poll.secret ? 'minutes.kind_secret' : 'minutes.kind_named')),
    row(t('minutes.eligible'), String(poll.eligible)),
    row(t('minutes.rule'), ruleWords(poll.rule)),
    row(t('minutes.needed'), needed),
    row(t('minutes.counts'), el('table', { class: 'minutes-counts' },
      el('tbody', {}, ['for', 'against', 'abstain', 'not_voted'].map((key) => el('tr', {}, el('th', { scope: 'row' }, t(`minutes.${key}`)), el('td', { class: 'num' }, String(poll[key])))))),
    paper ? el('span', { class: 'small muted' }, t('minutes.paper', { count: paper })) : null),
    row(t('minutes.outcome'), el('strong', {}, t(poll.adopted ? 'minutes.adopted' : 'minutes.rejected'))));
  if (poll.adopted && poll.proposal_id && !poll.superseded_by) {
    if (poll.adoption) {
      list.append(...row(t('minutes.effective'), formatDate(poll.adoption.effective_from)),
        ...row(t('minutes.deadline'), formatDate(poll.adoption.withdrawal_deadline)));
    } else {
      list.append(...row(t('minutes.effective'), t('minutes.effective_unset')));
    }
  }
  if (poll.fingerprint) list.append(...row(t('minutes.fingerprint'), el('span', { class: 'fingerprint' }, poll.fingerprint)));
  section.append(list);
  if (poll.votes?.length) {
    section.append(el('h4', {}, t('minutes.votes')), el('table', { class: 'table minutes-votes' },
      el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, t('minutes.member')), el('th', { scope: 'col' }, t('minutes.choice')), el('th', { scope: 'col' }, t('minutes.channel')))),
      el('tbody', {}, poll.votes.map((v) => el('tr', {}, el('td', {}, v.name), el('td', {}, t(`poll.${v.choice}`)),
        el('td', {}, t(v.channel === 'paper' ? 'minutes.via_paper' : 'minutes.via_phone')))))));
  }
  return section;
}

/* The signed records as a file: what a verifier needs, and nothing on the page. */
function decisionFile() {
  if (downloadUrl) URL.revokeObjectURL(downloadUrl);
  const body = {
    meeting: { id: minutes.meeting.id, title: minutes.meeting.title, date: minutes.meeting.date },
    algorithm: 'Ed25519', public_key: minutes.public_key,
    decisions: minutes.decisions.map((d) => ({ id: d.id, kind: d.kind, poll_id: d.poll_id, canonical: d.canonical, signature: d.signature })),
  };
  downloadUrl = URL.createObjectURL(new Blob([`${JSON.stringify(body, null, 2)}\n`], { type: 'application/json' }));
  return downloadUrl;
}

/* " (5 in de zaal en 2 op afstand)" when anyone was present remotely at the opening. */
function hallRemotePart(a) {
  const remote = a.present_remote_at_opening;
  if (!remote) return '';
  return t('minutes.hall_remote_part', { hall: a.present_hall_at_opening ?? a.present_at_opening - remote, remote });
}

const clock = (instant) => (instant ? formatDateTime(instant).split(' ').pop() : '');

/* Who took part remotely, who spoke, and the written contributions (issue 18). */
function hybridSections() {
  const parts = [];
  const remote = minutes.remote_participants || minutes.attendance.remote_participants;
  if (Array.isArray(remote) && (remote.length || minutes.meeting.electronic_participation)) {
    parts.push(el('h2', {}, t('minutes.remote')), remote.length
      ? el('ul', { id: 'minutes-remote' }, remote.map((r) => el('li', {},
        t(r.last_exit ? 'minutes.remote_row' : 'minutes.remote_row_open', { name: r.name, from: clock(r.first_entry), until: clock(r.last_exit) }),
        r.disconnects > 1 ? ` (${t('minutes.remote_auto_many', { count: r.disconnects })})`
          : r.disconnects === 1 || r.auto_checkout ? ` (${t('minutes.remote_auto')})` : '')))
      : el('p', {}, t('minutes.remote_none')));
  }
  if (Array.isArray(minutes.speakers)) {
    const spoken = minutes.speakers.filter((s) => s.started_at);
    parts.push(el('h2', {}, t('minutes.speakers')), spoken.length
      ? el('ol', { id: 'minutes-speakers' }, spoken.map((s) => el('li', {},
        t('minutes.speaker_row', {
          name: s.name, channel: channelWord(s.channel),
          time: speakingTime(s.speaking_seconds ?? (s.finished_at ? (Date.parse(s.finished_at) - Date.parse(s.started_at)) / 1000 : 0)),
        }), s.agenda_position ? `, ${t('minutes.speaker_item', { n: s.agenda_position })}` : '')))
      : el('p', {}, t('minutes.speakers_none')));
  }
  if (Array.isArray(minutes.contributions)) {
    parts.push(el('h2', {}, t('minutes.contributions')), minutes.contributions.length
      ? el('div', { id: 'minutes-contributions' }, minutes.contributions.map((c) => el('blockquote', { class: 'minutes-contribution' },
        el('p', { class: 'small muted' }, t('minutes.contribution_head', { name: c.name, channel: channelWord(c.channel || 'remote'), when: clock(c.created_at) }),
          ' · ', t(`minutes.contribution.${['read_out', 'not_read_out'].includes(c.state) ? c.state : 'new'}`)),
        el('p', { class: 'prewrap' }, c.text))))
      : el('p', {}, t('minutes.contributions_none')));
  }
  return parts;
}

function render() {
  const m = minutes.meeting;
  const a = minutes.attendance;
  document.getElementById('minutes-title').textContent = t('minutes.of', { title: m.title });
  document.getElementById('minutes-actions').replaceChildren(
    el('button', { type: 'button', class: 'button', onclick: () => window.print() }, t('minutes.print')),
    el('a', { class: 'button button--secondary', href: `/api/meetings/${meetingId}/minutes?format=markdown`, download: `notulen-${m.date}.md` }, t('minutes.markdown')),
    el('a', { class: 'button button--secondary', id: 'decisions-json', href: decisionFile(), download: `besluitenlijst-${m.date}.json` }, t('minutes.json')));
  const members = plural('minutes.members', a.members_total);
  const attendanceText = m.opened_at
    ? [members, plural('minutes.at_opening', a.present_at_opening, {
      represented_part: `${hallRemotePart(a)}${a.represented_at_opening ? t('minutes.represented_part', { count: a.represented_at_opening }) : ''}`,
    }), plural('minutes.during', a.was_present, {
      remote_part: a.remote_participants?.length ? t('minutes.was_remote_part', { count: a.remote_participants.length }) : '',
    })].join(' ')
    : `${t('minutes.not_opened')} ${members}`;
  box.removeAttribute('aria-busy');
  box.replaceChildren(
    el('p', { class: 'lead' }, t('minutes.when', { date: formatDate(m.date), time: m.starts_at, location: m.location })),
    el('h2', {}, t('minutes.attendance')),
    el('p', { id: 'minutes-attendance' }, attendanceText),
    el('p', { class: 'no-print' }, el('a', { href: a.presentielijst_csv, download: `presentielijst-${m.date}.csv` }, t('minutes.list'))),
    ...hybridSections(),
    el('h2', {}, t('minutes.decisions')),
    minutes.polls.length ? el('div', { id: 'minutes-decisions' }, minutes.polls.map(pollSection)) : el('p', {}, t('minutes.none')),
    el('section', { class: 'card card--muted minutes-verify', id: 'minutes-verify', 'aria-labelledby': 'verify-heading' },
      el('h2', { id: 'verify-heading' }, t('minutes.signed')),
      el('p', {}, minutes.decisions.length ? t('minutes.signed_text', { count: minutes.decisions.length }) : t('minutes.signed_none')),
      el('p', {}, el('strong', {}, `${t('minutes.key')}: `), el('span', { class: 'fingerprint', id: 'key-fingerprint' }, grouped(minutes.public_key)),
        el('br'), el('span', { class: 'small muted' }, t('minutes.key_hint'))),
      el('h3', {}, t('minutes.how')),
      el('ol', {}, el('li', {}, t('minutes.how_1')), el('li', {}, t('minutes.how_2')), el('li', {}, t('minutes.how_3')))));
}

async function start() {
  await staffPage({ title: 'minutes.title', active: 'meetings' });
  try {
    [minutes, { agenda }] = await Promise.all([api('GET', `/api/meetings/${meetingId}/minutes`), api('GET', `/api/meetings/${meetingId}`)]);
  } catch (error) {
    box.removeAttribute('aria-busy');
    box.replaceChildren(el('div', { class: 'alert alert--error', role: 'alert' }, errorMessage(error)));
    return;
  }
  render();
  onLanguageChange(render);
}

start();
