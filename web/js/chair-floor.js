// The chair's side of the floor (issue 18): the speaker list in queue order with hall
// and remote marked, give the floor, end the turn, the speaking time running; and the
// written contributions of remote members, each to be read out or not. Used by the
// chair's console next to the agenda cards.
import { api } from './api.js';
import { addMessages, t } from './i18n.js';
import { el, setBusy, toast, errorMessage, formatDateTime } from './ui.js';
import { channelWord, speakingTime, queueOf } from './speakers.js';

addMessages({
  nl: {
    'floor.speakers': 'Sprekerslijst',
    'floor.speaking': 'Aan het woord',
    'floor.nobody': 'Niemand heeft het woord.',
    'floor.time': 'Spreektijd {time}',
    'floor.finish': 'Beurt beëindigen',
    'floor.finish_label': 'Beurt van {name} beëindigen',
    'floor.finished': 'De beurt van {name} is beëindigd.',
    'floor.waiting': 'Wachtend ({count})',
    'floor.empty': 'Niemand heeft het woord gevraagd.',
    'floor.give': 'Het woord geven',
    'floor.give_label': 'Het woord geven aan {name}',
    'floor.given': '{name} heeft het woord.',
    'floor.remove': 'Van de lijst halen',
    'floor.remove_label': '{name} van de sprekerslijst halen',
    'floor.removed': '{name} staat niet meer op de sprekerslijst.',
    'floor.done': 'Gesproken ({count})',
    'floor.done_item': '{name} ({channel}) · {time}',
    'floor.contributions': 'Schriftelijke bijdragen',
    'floor.contributions_none': 'Er zijn geen schriftelijke bijdragen binnengekomen.',
    'floor.contribution_from': '{name} ({channel}) · {when} uur',
    'floor.read_out': 'Als voorgelezen vastleggen',
    'floor.not_read_out': 'Niet voorlezen',
    'floor.read_out_label': 'Bijdrage van {name} is voorgelezen',
    'floor.not_read_out_label': 'Bijdrage van {name} niet voorlezen',
    'floor.marked_read': 'Bijdrage van {name}: voorgelezen.',
    'floor.marked_not_read': 'Bijdrage van {name}: niet voorgelezen.',
    'floor.handled': 'Behandeld ({count})',
    'floor.state.read_out': 'voorgelezen', 'floor.state.not_read_out': 'niet voorgelezen',
    'floor.new_count': '{count} nieuw',
  },
  en: {
    'floor.speakers': 'Speaker list',
    'floor.speaking': 'Speaking',
    'floor.nobody': 'Nobody has the floor.',
    'floor.time': 'Speaking time {time}',
    'floor.finish': 'End turn',
    'floor.finish_label': 'End the turn of {name}',
    'floor.finished': 'The turn of {name} has ended.',
    'floor.waiting': 'Waiting ({count})',
    'floor.empty': 'Nobody has asked for the floor.',
    'floor.give': 'Give the floor',
    'floor.give_label': 'Give the floor to {name}',
    'floor.given': '{name} has the floor.',
    'floor.remove': 'Take off the list',
    'floor.remove_label': 'Take {name} off the speaker list',
    'floor.removed': '{name} is no longer on the speaker list.',
    'floor.done': 'Have spoken ({count})',
    'floor.done_item': '{name} ({channel}) · {time}',
    'floor.contributions': 'Written contributions',
    'floor.contributions_none': 'No written contributions have come in.',
    'floor.contribution_from': '{name} ({channel}) · {when}',
    'floor.read_out': 'Record as read out',
    'floor.not_read_out': 'Do not read out',
    'floor.read_out_label': 'Contribution of {name} was read out',
    'floor.not_read_out_label': 'Do not read out the contribution of {name}',
    'floor.marked_read': 'Contribution of {name}: read out.',
    'floor.marked_not_read': 'Contribution of {name}: not read out.',
    'floor.handled': 'Dealt with ({count})',
    'floor.state.read_out': 'read out', 'floor.state.not_read_out': 'not read out',
    'floor.new_count': '{count} new',
  },
});

const seconds = (from, to) => (Date.parse(to) - Date.parse(from)) / 1000;

/**
 * createFloorPanel({ speakersBox, contributionsBox, meetingId, canChair: () => bool,
 * isOpen: () => bool }) → { refresh(), refreshSpeakers(), refreshContributions(), render() }.
 */
export function createFloorPanel({ speakersBox, contributionsBox, meetingId, canChair, isOpen }) {
  let speakers = null;
  let contributions = null;
  let fetchedAt = 0; // this laptop's clock when the list came: speaking_seconds counts from there
  let ticker = null;

  async function act(button, work, done) {
    setBusy(button, true);
    try {
      await work();
      if (done) toast(done, 'success');
    } catch (error) {
      toast(errorMessage(error), 'error');
    }
    await refreshSpeakers().catch(() => {});
    await refreshContributions().catch(() => {});
  }

  function tick() {
    // The server's count (its own clock) plus what passed here since: no laptop clock skew.
    const clock = speakersBox.querySelector('[data-seconds]');
    if (!clock) { clearInterval(ticker); ticker = null; return; }
    const elapsed = Number(clock.dataset.seconds) + (Date.now() - fetchedAt) / 1000;
    clock.textContent = t('floor.time', { time: speakingTime(elapsed) });
  }

  function renderSpeakers() {
    if (!speakers) return;
    const chair = canChair() && isOpen();
    const { speaking, waiting } = queueOf(speakers);
    const done = speakers.filter((s) => s.state === 'done');
    const badge = (item) => el('span', { class: `badge badge--${item.channel === 'remote' ? 'info' : 'neutral'} floor-channel` }, channelWord(item.channel));
    const parts = [el('h2', { id: 'floor-speakers-title' }, t('floor.speakers'))];
    if (speaking) {
      parts.push(el('div', { class: 'floor-speaking', id: 'floor-speaking' },
        el('p', { class: 'floor-speaking__label' }, t('floor.speaking')),
        el('p', { class: 'floor-speaking__name' }, speaking.name, ' ', badge(speaking)),
        el('p', { class: 'floor-speaking__time', id: 'floor-time', dataset: { seconds: String(speaking.speaking_seconds ?? 0) } }, ''),
        chair ? el('button', {
          type: 'button', class: 'button button--secondary', 'data-action': 'finish', 'aria-label': t('floor.finish_label', { name: speaking.name }),
          onclick: (event) => act(event.currentTarget, () => api('POST', `/api/speakers/${speaking.id}/finish`), t('floor.finished', { name: speaking.name })),
        }, t('floor.finish')) : null));
    } else {
      parts.push(el('p', { class: 'muted', id: 'floor-speaking' }, t('floor.nobody')));
    }
    parts.push(el('h3', {}, t('floor.waiting', { count: waiting.length })));
    if (waiting.length === 0) parts.push(el('p', { class: 'muted' }, t('floor.empty')));
    else {
      parts.push(el('ol', { class: 'floor-queue', id: 'floor-queue' }, waiting.map((item, index) => el('li', { class: 'floor-queue__item', dataset: { speaker: String(item.id) } },
        el('p', { class: 'floor-queue__name' }, item.name, ' ', badge(item)),
        chair ? el('div', { class: 'cluster' },
          el('button', {
            type: 'button', class: `button${index === 0 ? '' : ' button--secondary'}`, 'data-action': 'give',
            'aria-label': t('floor.give_label', { name: item.name }),
            // The floor passes: the server finishes whoever speaks now first.
            onclick: (event) => act(event.currentTarget, () => api('POST', `/api/speakers/${item.id}/start`), t('floor.given', { name: item.name })),
          }, t('floor.give')),
          el('button', {
            type: 'button', class: 'button button--link', 'data-action': 'remove', 'aria-label': t('floor.remove_label', { name: item.name }),
            onclick: (event) => act(event.currentTarget, () => api('DELETE', `/api/speakers/${item.id}`), t('floor.removed', { name: item.name })),
          }, t('floor.remove'))) : null))));
    }
    if (done.length) {
      parts.push(el('details', { class: 'floor-done' }, el('summary', {}, t('floor.done', { count: done.length })),
        el('ol', {}, done.map((item) => el('li', {}, t('floor.done_item', {
          name: item.name, channel: channelWord(item.channel),
          time: speakingTime(item.speaking_seconds ?? (item.started_at && item.finished_at ? seconds(item.started_at, item.finished_at) : 0)),
        }))))));
    }
    const focused = document.activeElement && speakersBox.contains(document.activeElement) ? document.activeElement.dataset.action : null;
    speakersBox.replaceChildren(...parts);
    speakersBox.hidden = false;
    if (focused) speakersBox.querySelector(`[data-action="${focused}"]`)?.focus();
    if (speaking) { tick(); if (!ticker) ticker = setInterval(tick, 1000); }
  }

  function renderContributions() {
    if (!contributions) return;
    const chair = canChair();
    const fresh = contributions.filter((c) => c.state === 'new');
    const handled = contributions.filter((c) => c.state !== 'new');
    const head = (c) => el('p', { class: 'small muted' }, t('floor.contribution_from', {
      name: c.name, channel: channelWord(c.channel || 'remote'), when: formatDateTime(c.created_at).split(' ').pop(),
    }));
    const parts = [el('h2', { id: 'floor-contributions-title' }, t('floor.contributions'),
      fresh.length ? el('span', { class: 'badge badge--warning floor-new' }, t('floor.new_count', { count: fresh.length })) : null)];
    if (contributions.length === 0) parts.push(el('p', { class: 'muted' }, t('floor.contributions_none')));
    parts.push(el('ul', { class: 'floor-contributions', id: 'floor-contributions' }, fresh.map((c) => el('li', { class: 'floor-contribution', dataset: { contribution: String(c.id) } },
      head(c), el('p', { class: 'prewrap floor-contribution__text' }, c.text),
      chair ? el('div', { class: 'cluster' },
        el('button', {
          type: 'button', class: 'button', 'data-action': 'read-out', 'aria-label': t('floor.read_out_label', { name: c.name }),
          onclick: (event) => act(event.currentTarget, () => api('POST', `/api/contributions/${c.id}/moderate`, { decision: 'read_out' }),
            t('floor.marked_read', { name: c.name })),
        }, t('floor.read_out')),
        el('button', {
          type: 'button', class: 'button button--secondary', 'data-action': 'not-read-out', 'aria-label': t('floor.not_read_out_label', { name: c.name }),
          onclick: (event) => act(event.currentTarget, () => api('POST', `/api/contributions/${c.id}/moderate`, { decision: 'not_read_out' }),
            t('floor.marked_not_read', { name: c.name })),
        }, t('floor.not_read_out'))) : null))));
    if (handled.length) {
      parts.push(el('details', { class: 'floor-done' }, el('summary', {}, t('floor.handled', { count: handled.length })),
        el('ul', { class: 'floor-contributions' }, handled.map((c) => el('li', {}, head(c), el('p', { class: 'prewrap' }, c.text),
          el('span', { class: `badge badge--${c.state === 'read_out' ? 'success' : 'neutral'}` }, t(`floor.state.${c.state === 'read_out' ? 'read_out' : 'not_read_out'}`)))))));
    }
    contributionsBox.replaceChildren(...parts);
    contributionsBox.hidden = false;
  }

  async function refreshSpeakers() {
    const answer = await api('GET', `/api/meetings/${meetingId}/speakers`);
    fetchedAt = Date.now();
    speakers = answer.items || [];
    renderSpeakers();
  }

  async function refreshContributions() {
    const answer = await api('GET', `/api/meetings/${meetingId}/contributions`);
    contributions = answer.items || [];
    renderContributions();
  }

  return {
    refreshSpeakers,
    refreshContributions,
    refresh: () => Promise.all([refreshSpeakers().catch(() => {}), refreshContributions().catch(() => {})]),
    render: () => { renderSpeakers(); renderContributions(); },
  };
}
