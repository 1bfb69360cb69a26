// The speaker list as members see it (hall phone and remote page alike): ask for the
// floor once at a time, see your place in the queue, withdraw; who speaks now and who
// is next. Also the words every page shares for it (in de zaal / op afstand) and the
// speaking time as "2:05", for the chair's console and the projector.
import { api } from './api.js';
import { addMessages, t } from './i18n.js';
import { el, setBusy, errorMessage } from './ui.js';

addMessages({
  nl: {
    'speakers.title': 'Het woord',
    'speakers.channel.hall': 'in de zaal', 'speakers.channel.remote': 'op afstand',
    'speakers.ask': 'Het woord vragen',
    'speakers.asked': 'U staat op de sprekerslijst',
    'speakers.place': 'U bent nummer {n} op de lijst. De voorzitter geeft u het woord.',
    'speakers.place_next': 'U bent de volgende. De voorzitter geeft u zo het woord.',
    'speakers.withdraw': 'Verzoek intrekken',
    'speakers.withdrawn': 'Uw verzoek om het woord is ingetrokken.',
    'speakers.speaking': 'U heeft het woord',
    'speakers.speaking_hall': 'Spreek in de microfoon in de zaal.',
    'speakers.speaking_remote': 'Zet uw microfoon aan in de videovergadering en spreek. De voorzitter sluit uw beurt af.',
    'speakers.not_present': 'Het woord vragen kan zodra u aanwezig bent.',
    'speakers.not_open': 'Het woord vragen kan zodra de voorzitter de vergadering heeft geopend.',
    'speakers.not_remote': 'Bij deze vergadering kunnen leden op afstand volgen en stemmen, maar niet het woord voeren. Wilt u iets inbrengen, kom dan naar de zaal.',
    'speakers.now': 'Nu aan het woord: {name} ({channel}).',
    'speakers.nobody': 'Niemand heeft nu het woord.',
    'speakers.waiting_one': 'Er wacht 1 spreker.', 'speakers.waiting_many': 'Er wachten {count} sprekers.',
    'speakers.waiting_none': 'Er wacht niemand.',
    'speakers.you': 'u',
  },
  en: {
    'speakers.title': 'The floor',
    'speakers.channel.hall': 'in the hall', 'speakers.channel.remote': 'remote',
    'speakers.ask': 'Ask for the floor',
    'speakers.asked': 'You are on the speaker list',
    'speakers.place': 'You are number {n} on the list. The chair gives you the floor.',
    'speakers.place_next': 'You are next. The chair will give you the floor shortly.',
    'speakers.withdraw': 'Withdraw request',
    'speakers.withdrawn': 'Your request for the floor is withdrawn.',
    'speakers.speaking': 'You have the floor',
    'speakers.speaking_hall': 'Speak into the microphone in the hall.',
    'speakers.speaking_remote': 'Switch on your microphone in the video meeting and speak. The chair ends your turn.',
    'speakers.not_present': 'You can ask for the floor once you are present.',
    'speakers.not_open': 'You can ask for the floor once the chair has opened the meeting.',
    'speakers.not_remote': 'At this meeting members taking part remotely can follow and vote, but not speak. To raise something, come to the hall.',
    'speakers.now': 'Speaking now: {name} ({channel}).',
    'speakers.nobody': 'Nobody has the floor now.',
    'speakers.waiting_one': '1 speaker is waiting.', 'speakers.waiting_many': '{count} speakers are waiting.',
    'speakers.waiting_none': 'Nobody is waiting.',
    'speakers.you': 'you',
  },
});

/** "in de zaal" / "op afstand" (nothing for an unknown channel). */
export function channelWord(channel) {
  return channel === 'hall' || channel === 'remote' ? t(`speakers.channel.${channel}`) : '';
}

/** Seconds as "2:05" (or "1:02:05" past the hour). */
export function speakingTime(seconds) {
  const whole = Math.max(0, Math.floor(seconds));
  const hours = Math.floor(whole / 3600);
  const minutes = Math.floor((whole % 3600) / 60);
  const rest = String(whole % 60).padStart(2, '0');
  return hours ? `${hours}:${String(minutes).padStart(2, '0')}:${rest}` : `${minutes}:${rest}`;
}

/** The speaker now (or null) and those waiting, in queue order. */
export function queueOf(items) {
  return {
    speaking: items.find((item) => item.state === 'speaking') || null,
    waiting: items.filter((item) => item.state === 'waiting'),
  };
}

/**
 * The member's block: createSpeakerPanel({ container, meetingId: () => id,
 * getMeeting: () => meeting, canSpeak: () => bool,
 * blocked: () => i18n key | null }) → { refresh(), render() }.
 * canSpeak says whether this member is present now; blocked names a sentence when the
 * meeting does not let this channel speak at all.
 */
export function createSpeakerPanel({ container, meetingId, getMeeting, canSpeak, blocked = () => null }) {
  let items = null;
  let notice = null; // { kind, text } after an action of this page

  const mineOf = () => {
    const me = getMeeting()?.me;
    return me && items ? items.find((item) => item.organisation_id === me.organisation_id && item.state !== 'done') : null;
  };

  async function act(button, work) {
    setBusy(button, true);
    notice = null;
    try {
      await work();
    } catch (error) {
      // Already waiting (another phone of the same member asked): the list says so.
      if (error.status !== 409) notice = { kind: 'error', text: errorMessage(error) };
    }
    await refresh().catch(() => {});
    container.querySelector('button')?.focus();
  }

  function render() {
    if (!items) return;
    const mine = mineOf();
    const { speaking, waiting } = queueOf(items);
    const parts = [el('h2', { id: 'speakers-title' }, t('speakers.title'))];
    if (notice) parts.push(el('div', { class: `alert alert--${notice.kind}`, role: notice.kind === 'error' ? 'alert' : 'status' }, notice.text));
    if (mine?.state === 'speaking') {
      parts.push(el('div', { class: 'alert alert--success speaker-mine', id: 'speaker-mine', role: 'status' },
        el('strong', { class: 'alert__title' }, t('speakers.speaking')),
        el('p', {}, t(mine.channel === 'remote' ? 'speakers.speaking_remote' : 'speakers.speaking_hall'))));
    } else if (mine) {
      const n = waiting.indexOf(mine) + 1;
      parts.push(el('div', { class: 'alert alert--info speaker-mine', id: 'speaker-mine', role: 'status' },
        el('strong', { class: 'alert__title' }, t('speakers.asked')),
        el('p', {}, n === 1 && !speaking ? t('speakers.place_next') : t('speakers.place', { n }))),
      el('button', {
        type: 'button', class: 'button button--secondary button--block', id: 'speaker-withdraw',
        onclick: (event) => act(event.currentTarget, async () => {
          await api('DELETE', `/api/speakers/${mine.id}`);
          notice = { kind: 'info', text: t('speakers.withdrawn') };
        }),
      }, t('speakers.withdraw')));
    } else if (blocked()) {
      parts.push(el('p', { class: 'muted' }, t(blocked())));
    } else if (getMeeting()?.state === 'planned') {
      parts.push(el('p', { class: 'muted' }, t('speakers.not_open')));
    } else if (canSpeak()) {
      parts.push(el('button', {
        type: 'button', class: 'button button--block', id: 'speaker-ask',
        onclick: (event) => act(event.currentTarget, () => api('POST', `/api/meetings/${meetingId()}/speakers`)),
      }, t('speakers.ask')));
    } else {
      parts.push(el('p', { class: 'muted' }, t('speakers.not_present')));
    }
    // Who speaks (unless it is this member: the message above says so) and how many wait.
    parts.push(el('p', { class: 'small speaker-queue', id: 'speaker-queue' },
      speaking === mine && mine ? null
        : el('span', {}, speaking ? t('speakers.now', { name: speaking.name, channel: channelWord(speaking.channel) }) : t('speakers.nobody')),
      el('span', {}, waiting.length === 0 ? t('speakers.waiting_none')
        : waiting.length === 1 ? t('speakers.waiting_one') : t('speakers.waiting_many', { count: waiting.length }))));
    container.replaceChildren(...parts);
    container.hidden = false;
  }

  async function refresh() {
    const answer = await api('GET', `/api/meetings/${meetingId()}/speakers`);
    items = answer.items || [];
    render();
  }

  return { refresh, render };
}
