// Staff: one meeting — presence (list, CSV, printable presentielijst, chart over time,
// desk entries), tickets (issue, QR, reissue, printable sheet, convocation), proxies,
// agenda with the current item for the projector, and open/close.
import { api } from '../api.js';
import { addMessages, t } from '../i18n.js';
import { staffPage, el, param, tabs, formData, setBusy, toast, formatDate, formatDateTime, errorMessage } from '../ui.js';
import { ruleName } from '../poll-common.js';
import { handleSubmit, formMessage, showFieldErrors, clearFieldErrors } from '../forms.js';

addMessages({
  nl: {
    'meeting.attendance': 'Presentielijst', 'meeting.tickets': 'Tickets', 'meeting.proxies': 'Volmachten',
    'meeting.agenda': 'Agenda en instellingen', 'meeting.csv': 'CSV downloaden', 'meeting.print': 'Presentielijst afdrukken',
    'meeting.org': 'Organisatie', 'meeting.inside': 'Nu binnen', 'meeting.first': 'Eerste binnenkomst',
    'meeting.last': 'Laatste vertrek', 'meeting.via': 'Volmacht', 'meeting.desk': 'Balie', 'meeting.issue': 'Tickets uitgeven',
    'meeting.convocation': 'Oproeping versturen', 'meeting.sheet': 'Ticketvel afdrukken', 'meeting.principal': 'Volmachtgever',
    'meeting.holder': 'Gevolmachtigde (stemt mee)', 'meeting.note': 'Notitie (bijv. kenmerk van de schriftelijke volmacht)',
    'meeting.add_proxy': 'Volmacht registreren', 'meeting.counts': 'Aanwezig: {present} · via volmacht: {represented} · telt mee (P): {eligible} · ooit aanwezig: {was} · van {total} leden',
    'meeting.yes': 'ja', 'meeting.no': 'nee', 'meeting.enter': 'Binnen melden', 'meeting.exit': 'Vertrek melden',
    'meeting.reissue': 'Opnieuw uitgeven', 'meeting.reissued': 'Nieuw ticket voor {name}; het oude is ingetrokken.',
    'meeting.reissue_confirm': 'Het huidige ticket van {name} wordt ingetrokken. Doorgaan?',
    'meeting.issued': '{issued} nieuwe tickets, {total} in totaal.', 'meeting.sent': '{count} oproepingen in de wachtrij.',
    'meeting.scanner': 'Scanner', 'meeting.projector': 'Projector', 'meeting.open': 'Vergadering openen',
    'meeting.polls': 'Voorzittersconsole', 'meeting.minutes': 'Notulen', 'meeting.nobody': 'Nog niemand is binnengekomen.',
    'meeting.close': 'Vergadering sluiten', 'meeting.close_confirm': 'Sluiten meldt iedereen af (vertrek). Doorgaan?',
    'meeting.revoke': 'Intrekken', 'meeting.proxy_counts': 'telt mee', 'meeting.proxy_waits': 'telt nu niet',
    'meeting.proxies_off': 'Volmachten zijn voor deze vergadering niet toegestaan.', 'meeting.proxy_rule': 'Maximaal {max} volmacht(en) per lid. Een volmacht telt alleen als de gevolmachtigde binnen is en de volmachtgever niet.',
    'meeting.current': 'Op de projector', 'meeting.show': 'Toon op projector', 'meeting.chart': 'Aanwezigheid in de tijd',
    'meeting.rule': 'Meerderheidsregel', 'meeting.state': 'Status',
    'meeting.settings': 'Instellingen', 'meeting.edit_agenda': 'Agenda opstellen of wijzigen', 'meeting.days': '{count} dagen',
    'meeting.state.planned': 'Gepland', 'meeting.state.open': 'Geopend', 'meeting.state.closed': 'Gesloten',
    'meeting.proxies_setting': 'Volmachten', 'meeting.proxies_yes': 'Toegestaan, hoogstens {max} per lid', 'meeting.proxies_no': 'Niet toegestaan',
    'meeting.no_agenda': 'Er staat nog niets op de agenda.',
    'meeting.enter_label': '{name} binnen melden', 'meeting.exit_label': 'Vertrek van {name} melden',
    'meeting.not_yet': 'nog niet',
    'meeting.notice': 'Oproepingstermijn van de vereniging', 'meeting.notice_days': '{n} dagen', 'meeting.notice_day': '1 dag',
    'meeting.remote_settings': 'Deelnemen op afstand (art. 2:38a BW)',
    'meeting.remote_intro': 'Leden kunnen van buiten de zaal deelnemen: zij volgen de uitzending, tellen mee als aanwezig en stemmen op hun eigen scherm. De wet staat dat alleen toe als de statuten het regelen.',
    'meeting.f_electronic': 'Leden kunnen op afstand deelnemen en stemmen',
    'meeting.f_electronic_hint': 'Zet dit alleen aan als de statuten van de vereniging elektronisch deelnemen toestaan. De voorwaarden en hoe leden deelnemen, komen in de oproeping.',
    'meeting.f_electronic_fixed': 'De vergadering is geopend: of leden op afstand kunnen deelnemen, ligt nu vast.',
    'meeting.f_deliberation': 'Leden op afstand kunnen ook het woord voeren',
    'meeting.f_deliberation_hint': 'Aan: zij vragen het woord zoals in de zaal en kunnen de voorzitter een schriftelijke bijdrage sturen. Uit: zij volgen de vergadering en stemmen mee. Schrijven de statuten voor dat leden op afstand kunnen meepraten, laat dit dan aan.',
    'meeting.f_stream': 'Adres van de uitzending of videovergadering',
    'meeting.f_stream_hint': 'Het adres van uw eigen uitzending, bijvoorbeeld https://… alvd toont de uitzending op de pagina voor leden op afstand; het beeld zelf loopt via uw eigen dienst.',
    'meeting.f_disconnect': 'Afmelden na een verbroken verbinding, in minuten',
    'meeting.f_disconnect_hint': 'Is de pagina van een lid op afstand langer weg, dan telt het lid niet meer mee als aanwezig. Zodra de pagina terug is, telt het lid weer mee. Standaard 3 minuten.',
    'meeting.f_conditions': 'Voorwaarden voor deelnemen op afstand (komt in de oproeping)',
    'meeting.f_conditions_hint': 'Bijvoorbeeld: wie deelneemt, zorgt voor een werkende verbinding; stemmen kan alleen tijdens de vergadering.',
    'meeting.save_remote': 'Instellingen opslaan',
    'meeting.remote_saved': 'De instellingen voor deelnemen op afstand zijn opgeslagen.',
    'meeting.error_stream': 'Vul een volledig webadres in dat begint met https://, of laat het veld leeg.',
    'meeting.remote_setting': 'Deelnemen op afstand',
    'meeting.remote_on': 'Toegestaan; leden op afstand kunnen ook het woord voeren',
    'meeting.remote_on_no_floor': 'Toegestaan; leden op afstand volgen en stemmen, maar voeren niet het woord',
    'meeting.remote_off': 'Niet toegestaan',
    'meeting.stream_setting': 'Uitzending', 'meeting.stream_none': 'Nog niet ingesteld',
    'meeting.where': 'Waar', 'meeting.where_hall': 'in de zaal', 'meeting.where_remote': 'op afstand',
    'meeting.counts_split': 'Van de aanwezigen: {present_hall} in de zaal, {present_remote} op afstand.',
    'meeting.notice_note': 'De eigen termijn van de vereniging (statuten of reglement); de wet schrijft voor een ALV geen termijn voor (art. 2:41 BW). Voor een statutenwijziging geldt ten minste 7 dagen (art. 2:42 BW).',
  },
  en: {
    'meeting.attendance': 'Attendance', 'meeting.tickets': 'Tickets', 'meeting.proxies': 'Proxies',
    'meeting.agenda': 'Agenda and settings', 'meeting.csv': 'Download CSV', 'meeting.print': 'Print attendance list',
    'meeting.org': 'Organisation', 'meeting.inside': 'Inside now', 'meeting.first': 'First entry', 'meeting.last': 'Last exit',
    'meeting.via': 'Proxy', 'meeting.desk': 'Desk', 'meeting.issue': 'Issue tickets', 'meeting.convocation': 'Send convocation',
    'meeting.sheet': 'Print ticket sheet', 'meeting.principal': 'Principal', 'meeting.holder': 'Proxy holder (votes)',
    'meeting.note': 'Note (e.g. reference of the written proxy)', 'meeting.add_proxy': 'Register proxy',
    'meeting.counts': 'Present: {present} · by proxy: {represented} · counting (P): {eligible} · ever present: {was} · of {total} members',
    'meeting.yes': 'yes', 'meeting.no': 'no', 'meeting.enter': 'Check in', 'meeting.exit': 'Check out',
    'meeting.reissue': 'Reissue', 'meeting.reissued': 'New ticket for {name}; the old one is revoked.',
    'meeting.reissue_confirm': 'The current ticket of {name} will be revoked. Continue?',
    'meeting.issued': '{issued} new tickets, {total} in total.', 'meeting.sent': '{count} convocations queued.',
    'meeting.scanner': 'Scanner', 'meeting.projector': 'Projector', 'meeting.open': 'Open meeting', 'meeting.close': 'Close meeting',
    'meeting.polls': 'Chair’s console', 'meeting.minutes': 'Minutes', 'meeting.nobody': 'Nobody has come in yet.',
    'meeting.close_confirm': 'Closing checks everyone out. Continue?', 'meeting.revoke': 'Revoke',
    'meeting.proxy_counts': 'counts', 'meeting.proxy_waits': 'does not count now',
    'meeting.proxies_off': 'Proxies are not allowed for this meeting.', 'meeting.proxy_rule': 'At most {max} proxy/proxies per member. A proxy counts only while its holder is inside and its principal is not.',
    'meeting.current': 'On the projector', 'meeting.show': 'Show on projector', 'meeting.chart': 'Presence over time',
    'meeting.rule': 'Majority rule', 'meeting.state': 'State',
    'meeting.settings': 'Settings', 'meeting.edit_agenda': 'Draw up or change the agenda', 'meeting.days': '{count} days',
    'meeting.state.planned': 'Planned', 'meeting.state.open': 'Open', 'meeting.state.closed': 'Closed',
    'meeting.proxies_setting': 'Proxies', 'meeting.proxies_yes': 'Allowed, at most {max} per member', 'meeting.proxies_no': 'Not allowed',
    'meeting.no_agenda': 'Nothing is on the agenda yet.',
    'meeting.enter_label': 'Check in {name}', 'meeting.exit_label': 'Check out {name}',
    'meeting.not_yet': 'not yet',
    'meeting.notice': 'The association\'s notice period', 'meeting.notice_days': '{n} days', 'meeting.notice_day': '1 day',
    'meeting.remote_settings': 'Remote participation (Dutch Civil Code 2:38a)',
    'meeting.remote_intro': 'Members can take part from outside the hall: they follow the stream, count as present and vote on their own screen. The law allows this only if the statutes provide for it.',
    'meeting.f_electronic': 'Members can take part and vote remotely',
    'meeting.f_electronic_hint': 'Switch this on only if the association’s statutes allow electronic participation. The conditions and how to join go into the convocation.',
    'meeting.f_electronic_fixed': 'The meeting is open: whether members can take part remotely is now fixed.',
    'meeting.f_deliberation': 'Remote members can also speak',
    'meeting.f_deliberation_hint': 'On: they ask for the floor as in the hall and can send the chair a written contribution. Off: they follow the meeting and vote. If the statutes require remote members to be able to join the debate, leave this on.',
    'meeting.f_stream': 'Address of the stream or video meeting',
    'meeting.f_stream_hint': 'The address of your own stream, for example https://… alvd shows the stream on the page for remote members; the video itself runs on your own service.',
    'meeting.f_disconnect': 'Check out after a lost connection, in minutes',
    'meeting.f_disconnect_hint': 'If a remote member’s page is gone for longer, the member no longer counts as present. Once the page is back, the member counts again. Default 3 minutes.',
    'meeting.f_conditions': 'Conditions for remote participation (go into the convocation)',
    'meeting.f_conditions_hint': 'For example: whoever takes part makes sure the connection works; voting is only possible during the meeting.',
    'meeting.save_remote': 'Save settings',
    'meeting.remote_saved': 'The settings for remote participation are saved.',
    'meeting.error_stream': 'Enter a full web address starting with https://, or leave the field empty.',
    'meeting.remote_setting': 'Remote participation',
    'meeting.remote_on': 'Allowed; remote members can also speak',
    'meeting.remote_on_no_floor': 'Allowed; remote members follow and vote but do not speak',
    'meeting.remote_off': 'Not allowed',
    'meeting.stream_setting': 'Stream', 'meeting.stream_none': 'Not set yet',
    'meeting.where': 'Where', 'meeting.where_hall': 'in the hall', 'meeting.where_remote': 'remote',
    'meeting.counts_split': 'Of those present: {present_hall} in the hall, {present_remote} remote.',
    'meeting.notice_note': 'The association\'s own period (statutes or rules); the law sets none for a general meeting (art. 2:41 Dutch Civil Code). Amending the statutes needs at least 7 days (art. 2:42).',
  },
});

const id = Number(param('id'));
let session;
let meeting;

const can = (role) => session.user.roles.includes(role);

function chart(points, total) {
  // Presence over time as one polyline; x = time, y = present.
  if (points.length === 0) return el('p', { class: 'muted' }, t('meeting.nobody'));
  const times = points.map((p) => new Date(p.at).getTime());
  const start = times[0];
  const span = Math.max(1, times[times.length - 1] - start);
  const top = Math.max(1, total);
  const width = 600;
  const height = 160;
  let path = '';
  points.forEach((point, index) => {
    const x = Math.round(((times[index] - start) / span) * (width - 40)) + 30;
    const y = Math.round(height - 20 - (point.present / top) * (height - 30));
    path += `${index ? ' L' : 'M'}${x} ${y}`;
    if (index + 1 < points.length) {
      const nextX = Math.round(((times[index + 1] - start) / span) * (width - 40)) + 30;
      path += ` L${nextX} ${y}`;
    }
  });
  return el('figure', {},
    el('svg:svg', { class: 'chart', viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-label': t('meeting.chart') },
      el('svg:line', { class: 'chart__axis', x1: 30, y1: height - 20, x2: width - 10, y2: height - 20 }),
      el('svg:line', { class: 'chart__axis', x1: 30, y1: 10, x2: 30, y2: height - 20 }),
      el('svg:text', { x: 2, y: 16 }, String(top)), el('svg:text', { x: 2, y: height - 20 }, '0'),
      el('svg:text', { x: 30, y: height - 4 }, formatDateTime(points[0].at)),
      el('svg:path', { class: 'chart__line', d: path })),
    el('figcaption', { class: 'muted small' }, t('meeting.chart')));
}

async function desk(organisationId, direction) {
  try {
    await api('POST', `/api/meetings/${id}/attendance/manual`, { organisation_id: organisationId, direction, nonce: crypto.randomUUID() });
    await loadAttendance();
  } catch (error) { toast(errorMessage(error), 'error'); }
}

async function loadAttendance() {
  const [attendance, timeline] = await Promise.all([
    api('GET', `/api/meetings/${id}/attendance`), api('GET', `/api/meetings/${id}/attendance/timeline`)]);
  const names = new Map(attendance.members.map((m) => [m.organisation_id, m.name]));
  const hybrid = meeting.electronic_participation || attendance.present_remote > 0;
  // The counts as before; with remote participation a second line splits hall and remote.
  document.getElementById('attendance-counts').replaceChildren(t('meeting.counts', {
    present: attendance.present, represented: attendance.represented, eligible: attendance.eligible,
    was: attendance.was_present, total: attendance.members_total,
  }), ...(hybrid ? [el('br'), el('span', { id: 'attendance-split' }, t('meeting.counts_split', {
    present_hall: attendance.present_hall ?? attendance.present, present_remote: attendance.present_remote ?? 0,
  }))] : []));
  document.getElementById('attendance-chart').replaceChildren(chart(timeline.points, timeline.members_total));
  // Under 600 px each row stacks into a small card: every cell says what it is.
  document.querySelector('#attendance-table tbody').replaceChildren(...attendance.members.map((m) => el('tr', {},
    el('th', { scope: 'row' }, m.name),
    el('td', { 'data-label': t('meeting.inside') }, !m.inside ? t('meeting.no')
      : m.channel === 'remote' ? `${t('meeting.yes')}, ${t('meeting.where_remote')}` : hybrid ? `${t('meeting.yes')}, ${t('meeting.where_hall')}` : t('meeting.yes')),
    el('td', { 'data-label': t('meeting.first') }, m.first_entry ? formatDateTime(m.first_entry) : t('meeting.not_yet')),
    m.last_exit ? el('td', { 'data-label': t('meeting.last') }, formatDateTime(m.last_exit)) : el('td', { class: 'table__empty' }),
    m.represented_by ? el('td', { 'data-label': t('meeting.via') }, names.get(m.represented_by)) : el('td', { class: 'table__empty' }),
    el('td', { class: 'no-print table__action' }, can('secretariat') && meeting.state !== 'closed'
      ? el('button', {
        type: 'button', class: 'button button--secondary', 'aria-label': t(m.inside ? 'meeting.exit_label' : 'meeting.enter_label', { name: m.name }),
        onclick: (event) => { setBusy(event.currentTarget, true); desk(m.organisation_id, m.inside ? 'exit' : 'entry'); },
      }, m.inside ? t('meeting.exit') : t('meeting.enter')) : null))));
  return attendance;
}

async function loadTickets() {
  if (!can('secretariat')) return;
  const { items } = await api('GET', `/api/meetings/${id}/tickets`);
  document.getElementById('tickets').replaceChildren(...items.map((ticket) => el('article', { class: 'card' },
    el('h3', {}, ticket.name),
    el('img', { src: ticket.qr_svg, alt: `QR-code ${ticket.name}`, width: 220, height: 220 }),
    el('p', { class: 'small mono' }, el('a', { href: ticket.qr_png, download: `ticket-${ticket.organisation_id}.png` }, 'PNG')),
    el('button', {
      type: 'button', class: 'button button--secondary no-print',
      onclick: async (event) => {
        if (!confirm(t('meeting.reissue_confirm', { name: ticket.name }))) return;
        setBusy(event.currentTarget, true);
        try {
          await api('POST', `/api/meetings/${id}/tickets/${ticket.organisation_id}/reissue`);
          toast(t('meeting.reissued', { name: ticket.name }), 'success');
          await loadTickets();
        } catch (error) { toast(errorMessage(error), 'error'); setBusy(event.currentTarget, false); }
      },
    }, t('meeting.reissue')))));
}

async function loadProxies(attendance) {
  const proxies = await api('GET', `/api/meetings/${id}/proxies`);
  document.getElementById('proxy-rule').textContent = proxies.proxies_allowed
    ? t('meeting.proxy_rule', { max: proxies.max_proxies }) : t('meeting.proxies_off');
  const form = document.getElementById('proxy-form');
  form.hidden = !proxies.proxies_allowed || !can('secretariat') || meeting.state === 'closed';
  const options = attendance.members.map((m) => el('option', { value: m.organisation_id }, m.name));
  document.getElementById('principal_id').replaceChildren(...options.map((o) => o.cloneNode(true)));
  document.getElementById('holder_id').replaceChildren(...options);
  document.getElementById('proxies').replaceChildren(...proxies.items.filter((p) => !p.revoked_at).map((p) => el('li', { class: 'card' },
    `${p.principal_name} → ${p.holder_name} `,
    el('span', { class: `badge ${p.counts ? 'badge--success' : 'badge--neutral'}` }, p.counts ? t('meeting.proxy_counts') : t('meeting.proxy_waits')),
    p.note ? el('p', { class: 'muted small' }, p.note) : null,
    can('secretariat') ? el('button', {
      type: 'button', class: 'button button--link',
      onclick: async () => {
        try { await api('POST', `/api/meetings/${id}/proxies/${p.id}/revoke`); await refresh(); } catch (error) { toast(errorMessage(error), 'error'); }
      },
    }, t('meeting.revoke')) : null)));
}

function renderMeeting() {
  document.getElementById('meeting-title').textContent = meeting.title;
  document.getElementById('meeting-when').textContent = `${formatDate(meeting.date)} · ${meeting.starts_at} · ${meeting.location}`;
  document.getElementById('csv').href = `/api/meetings/${id}/attendance.csv`;
  const actions = [
    can('secretariat') ? el('a', { class: 'button', href: `/staff/scanner.html?meeting=${id}` }, t('meeting.scanner')) : null,
    el('a', { class: 'button button--secondary', href: `/projector.html?meeting=${id}` }, t('meeting.projector')),
    el('a', { class: 'button button--secondary', href: `/staff/chair.html?id=${id}` }, t('meeting.polls')),
    el('a', { class: 'button button--secondary', href: `/staff/minutes.html?id=${id}` }, t('meeting.minutes')),
  ];
  if ((can('chair') || can('secretariat')) && meeting.state === 'planned') {
    actions.push(el('button', { type: 'button', class: 'button button--secondary', onclick: () => transition('open') }, t('meeting.open')));
  }
  if ((can('chair') || can('secretariat')) && meeting.state === 'open') {
    actions.push(el('button', { type: 'button', class: 'button button--danger', onclick: () => { if (confirm(t('meeting.close_confirm'))) transition('close'); } }, t('meeting.close')));
  }
  document.getElementById('meeting-actions').replaceChildren(...actions.filter(Boolean));
  document.getElementById('agenda').replaceChildren(...(meeting.agenda.length ? meeting.agenda.map((item) => el('li', { class: ['agenda-item', item.position === meeting.current_item && 'agenda-item--current'] },
    el('span', { class: 'agenda-item__number', 'aria-hidden': 'true' }, String(item.position)),
    el('div', { class: 'agenda-item__body' },
      el('p', { class: 'agenda-item__title' }, el('span', { class: 'visually-hidden' }, `${item.position}. `), item.title,
        item.position === meeting.current_item ? el('span', { class: 'badge badge--info' }, t('meeting.current')) : null)),
    (can('chair') || can('secretariat')) && item.position !== meeting.current_item && meeting.state !== 'closed' ? el('div', { class: 'agenda-item__controls' }, el('button', {
      type: 'button', class: 'button button--secondary',
      onclick: async () => {
        try { await api('POST', `/api/meetings/${id}/agenda/current`, { position: item.position }); await refresh(); } catch (error) { toast(errorMessage(error), 'error'); }
      },
    }, t('meeting.show'))) : null)) : [el('li', { class: 'muted' }, t('meeting.no_agenda'))]));
  document.getElementById('agenda-edit').replaceChildren((can('board') || can('secretariat')) && meeting.state !== 'closed'
    ? el('a', { class: 'button button--secondary', href: `/staff/agenda.html?id=${id}` }, t('meeting.edit_agenda')) : '');
  document.getElementById('settings').replaceChildren(
    el('dt', {}, t('meeting.state')), el('dd', {}, t(`meeting.state.${meeting.state}`)),
    el('dt', {}, t('meeting.rule')), el('dd', {}, ruleName(meeting.majority_rule)),
    el('dt', {}, t('meeting.proxies_setting')), el('dd', {}, meeting.proxies_allowed ? t('meeting.proxies_yes', { max: meeting.max_proxies }) : t('meeting.proxies_no')),
    el('dt', {}, t('meeting.remote_setting')), el('dd', { id: 'setting-remote' }, !meeting.electronic_participation ? t('meeting.remote_off')
      : t(meeting.remote_deliberation === false ? 'meeting.remote_on_no_floor' : 'meeting.remote_on')),
    ...(meeting.electronic_participation ? [el('dt', {}, t('meeting.stream_setting')), el('dd', { class: 'mono-wrap' }, meeting.stream_url || t('meeting.stream_none'))] : []),
    el('dt', {}, t('meeting.notice')), el('dd', {},
      meeting.notice_days === 1 ? t('meeting.notice_day') : t('meeting.notice_days', { n: meeting.notice_days }),
      el('span', { class: 'hint' }, t('meeting.notice_note'))));
}

/* The settings of remote participation (secretariat): filled from the meeting, saved by PATCH. */
function fillRemoteSettings() {
  const form = document.getElementById('remote-settings');
  form.hidden = !can('secretariat') || meeting.state === 'closed';
  if (form.hidden || form.contains(document.activeElement)) return;
  form.elements.electronic_participation.checked = Boolean(meeting.electronic_participation);
  // Fixed once the meeting is open: who may take part cannot change halfway.
  form.elements.electronic_participation.disabled = meeting.state !== 'planned';
  document.getElementById('electronic-hint').textContent = t(meeting.state === 'planned' ? 'meeting.f_electronic_hint' : 'meeting.f_electronic_fixed');
  form.elements.remote_deliberation.checked = meeting.remote_deliberation !== false;
  form.elements.stream_url.value = meeting.stream_url || '';
  form.elements.remote_disconnect_minutes.value = String(Math.max(1, Math.round((meeting.remote_disconnect_seconds || 180) / 60)));
  form.elements.remote_conditions.value = meeting.remote_conditions || '';
}

async function transition(action) {
  try { await api('POST', `/api/meetings/${id}/${action}`); await refresh(); } catch (error) { toast(errorMessage(error), 'error'); }
}

async function refresh() {
  meeting = await api('GET', `/api/meetings/${id}`);
  renderMeeting();
  fillRemoteSettings();
  const attendance = await loadAttendance();
  await loadProxies(attendance);
}

async function start() {
  session = await staffPage({ title: 'meeting.attendance', active: 'meetings', roles: ['secretariat', 'chair', 'board', 'admin'] });
  tabs(document.getElementById('tabs'));
  if (!can('secretariat')) {
    for (const hidden of ['tab-tickets']) document.getElementById(hidden).hidden = true;
  }
  try {
    await refresh();
    await loadTickets();
  } catch (error) {
    document.querySelector('main').prepend(el('div', { class: 'alert alert--error', role: 'alert' }, errorMessage(error)));
    return;
  }
  handleSubmit(document.getElementById('remote-settings'), {
    send: (data) => api('PATCH', `/api/meetings/${id}`, {
      ...(meeting.state === 'planned' ? { electronic_participation: Boolean(data.electronic_participation) } : {}),
      remote_deliberation: Boolean(data.remote_deliberation),
      stream_url: data.stream_url || null,
      remote_disconnect_seconds: Math.round(Number(data.remote_disconnect_minutes) * 60),
      remote_conditions: data.remote_conditions || null,
    }),
    fields: { remote_disconnect_seconds: 'remote_disconnect_minutes' },
    success: async (answer, form) => {
      document.activeElement?.blur();
      await refresh();
      formMessage(form, 'success', { key: 'meeting.remote_saved' }).focus();
    },
  });
  // The printable list (heading, date in words, a column to sign) is its own page.
  document.getElementById('print-list').addEventListener('click', () => location.assign(`/staff/presentielijst.html?meeting=${id}`));
  document.getElementById('print-sheet').addEventListener('click', () => window.print());
  document.getElementById('issue').addEventListener('click', async (event) => {
    setBusy(event.currentTarget, true);
    try {
      const answer = await api('POST', `/api/meetings/${id}/tickets`);
      toast(t('meeting.issued', answer), 'success');
      await loadTickets();
    } catch (error) { toast(errorMessage(error), 'error'); } finally { setBusy(event.currentTarget, false); }
  });
  document.getElementById('convocation').addEventListener('click', async (event) => {
    setBusy(event.currentTarget, true);
    try {
      const answer = await api('POST', `/api/meetings/${id}/convocation`);
      // What was sent stays in view under the buttons (a toast would be gone in seconds,
      // and the warning about a short notice is worth reading).
      document.getElementById('convocation-status').replaceChildren(
        el('strong', {}, t('meeting.sent', { count: answer.messages })),
        ...answer.warnings.map((warning) => el('span', { class: 'hint' }, warning)));
      await loadTickets();
    } catch (error) { toast(errorMessage(error), 'error'); } finally { setBusy(event.currentTarget, false); }
  });
  const form = document.getElementById('proxy-form');
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearFieldErrors(form);
    const values = formData(form);
    try {
      await api('POST', `/api/meetings/${id}/proxies`, {
        principal_id: Number(values.principal_id), holder_id: Number(values.holder_id), ...(values.note ? { note: values.note } : {}),
      });
      form.reset();
      await refresh();
    } catch (error) { showFieldErrors(form, error); }
  });
  // Live: presence changes at the door show up here too.
  const events = new EventSource(`/api/meetings/${id}/events`);
  events.addEventListener('attendance', () => refresh().catch(() => {}));
}

start();
