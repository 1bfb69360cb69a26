// The door scanner, made for one hand: entry or exit at the top, the last result large
// and in colour until the next one (Welkom / Al binnen / Ongeldig, with the name), the
// running count of who is inside right under it, the camera (getUserMedia + jsQR), and
// for the member without a ticket a search by organisation name or member number with
// large results to tap in or out. A typed code and a photo of a QR code work too. Every
// scan carries its own nonce, so a retry after a dropped connection is counted once.
import { api } from '../api.js';
import { addMessages, t, onLanguageChange } from '../i18n.js';
import { staffPage, el, param, errorMessage, formatDate } from '../ui.js';

addMessages({
  nl: {
    'scanner.title': 'Scannen bij de ingang',
    'scanner.mode': 'Richting',
    'scanner.entry': 'Binnenkomst',
    'scanner.exit': 'Vertrek',
    'scanner.ready': 'Klaar om te scannen',
    'scanner.camera': 'Camera aan',
    'scanner.camera_off': 'Camera uit',
    'scanner.more': 'Ticketcode typen of foto van een QR-code kiezen',
    'scanner.code': 'Ticketcode of ticketlink',
    'scanner.submit': 'Verwerken',
    'scanner.image': 'QR-code uit een foto lezen',
    'scanner.back': 'Naar de presentielijst',
    'scanner.search_title': 'Geen ticket bij de hand?',
    'scanner.search': 'Zoek op naam van de organisatie of lidnummer',
    'scanner.no_match': 'Geen lid gevonden met “{query}”.',
    'scanner.more_matches': 'Nog {count} andere; typ meer van de naam.',
    'scanner.number': 'lidnummer {number}',
    'scanner.is_inside': 'binnen', 'scanner.is_outside': 'niet binnen',
    'scanner.check_in': 'Inchecken', 'scanner.check_out': 'Uitchecken',
    'scanner.check_in_label': '{name} inchecken', 'scanner.check_out_label': '{name} uitchecken',
    'scanner.entered': 'Welkom',
    'scanner.already_inside': 'Al binnen',
    'scanner.left': 'Vertrokken',
    'scanner.not_inside': 'Was niet binnen',
    'scanner.forged': 'Ongeldig ticket',
    'scanner.revoked': 'Ingetrokken ticket',
    'scanner.wrong_meeting': 'Andere vergadering',
    'scanner.meeting_closed': 'Vergadering gesloten',
    'scanner.count': 'Binnen: {present} van {total} leden',
    'scanner.count_proxies': 'Binnen: {present} van {total} leden · met volmachten telt {eligible} mee',
    'scanner.no_qr': 'Geen QR-code gevonden in deze foto.',
    'scanner.no_camera': 'De camera is niet beschikbaar (alleen via https of localhost, en met toestemming). Zoek het lid hieronder op.',
    'scanner.no_decoder': 'De QR-lezer is niet geladen. Zoek het lid hieronder op.',
    'scanner.no_meeting': 'Kies eerst een vergadering.',
  },
  en: {
    'scanner.title': 'Door scanning',
    'scanner.mode': 'Direction',
    'scanner.entry': 'Entry',
    'scanner.exit': 'Exit',
    'scanner.ready': 'Ready to scan',
    'scanner.camera': 'Camera on',
    'scanner.camera_off': 'Camera off',
    'scanner.more': 'Type a ticket code or choose a photo of a QR code',
    'scanner.code': 'Ticket code or ticket link',
    'scanner.submit': 'Process',
    'scanner.image': 'Read a QR code from a photo',
    'scanner.back': 'To the attendance list',
    'scanner.search_title': 'No ticket at hand?',
    'scanner.search': 'Search by organisation name or member number',
    'scanner.no_match': 'No member found for “{query}”.',
    'scanner.more_matches': '{count} more; type more of the name.',
    'scanner.number': 'member number {number}',
    'scanner.is_inside': 'inside', 'scanner.is_outside': 'not inside',
    'scanner.check_in': 'Check in', 'scanner.check_out': 'Check out',
    'scanner.check_in_label': 'Check in {name}', 'scanner.check_out_label': 'Check out {name}',
    'scanner.entered': 'Welcome',
    'scanner.already_inside': 'Already inside',
    'scanner.left': 'Left',
    'scanner.not_inside': 'Was not inside',
    'scanner.forged': 'Invalid ticket',
    'scanner.revoked': 'Revoked ticket',
    'scanner.wrong_meeting': 'Other meeting',
    'scanner.meeting_closed': 'Meeting closed',
    'scanner.count': 'Inside: {present} of {total} members',
    'scanner.count_proxies': 'Inside: {present} of {total} members · with proxies {eligible} count',
    'scanner.no_qr': 'No QR code found in this photo.',
    'scanner.no_camera': 'The camera is not available (https or localhost only, with permission). Search for the member below.',
    'scanner.no_decoder': 'The QR reader did not load. Search for the member below.',
    'scanner.no_meeting': 'Choose a meeting first.',
  },
});

const KIND = {
  entered: 'success', left: 'success', already_inside: 'warning', not_inside: 'warning',
  forged: 'danger', revoked: 'danger', wrong_meeting: 'danger', meeting_closed: 'danger',
};
const RESULTS_SHOWN = 8;

const meetingId = Number(param('meeting'));
const box = document.getElementById('scan-result');
const title = document.getElementById('scan-title');
const detail = document.getElementById('scan-detail');
const countLine = document.getElementById('scan-count');
const video = document.getElementById('camera');
const canvas = document.getElementById('frame');
const search = document.getElementById('search');
let stream = null;
let busy = false;
let lastCode = '';
let lastAt = 0;
let members = []; // [{organisation_id, name, member_number, inside}]
let counts = null; // {present, represented, eligible}
let last = null; // the last result, kept until the next (and redrawn on a language switch)

function showCount() {
  if (!counts) return;
  const total = members.length;
  countLine.textContent = counts.represented
    ? t('scanner.count_proxies', { present: counts.present, total, eligible: counts.eligible })
    : t('scanner.count', { present: counts.present, total });
}

function show(kind, code, heading, text) {
  last = { kind, code, heading, text };
  box.className = `result result--${kind} scan-result`;
  box.dataset.outcome = code || '';
  title.textContent = heading;
  detail.textContent = text || '';
}

function outcome(answer) {
  show(KIND[answer.result], answer.result, t(`scanner.${answer.result}`), answer.organisation.name);
  counts = { present: answer.present, represented: answer.represented ?? counts?.represented ?? 0, eligible: answer.eligible ?? answer.present };
  const member = members.find((m) => m.organisation_id === answer.organisation.id);
  if (member) member.inside = answer.result === 'entered' || answer.result === 'already_inside';
  showCount();
  renderResults();
  navigator.vibrate?.(answer.result === 'entered' || answer.result === 'left' ? 80 : [60, 60, 60]);
}

function refusal(error) {
  const known = KIND[error.code];
  show(known || 'danger', error.code, known ? t(`scanner.${error.code}`) : errorMessage(error), known ? errorMessage(error) : '');
  navigator.vibrate?.([200, 100, 200]);
}

const direction = () => document.querySelector('input[name="direction"]:checked').value;

async function submit(code) {
  if (!code || busy) return;
  busy = true;
  try {
    outcome(await api('POST', `/api/meetings/${meetingId}/scans`, { ticket: code, direction: direction(), nonce: crypto.randomUUID() }));
  } catch (error) {
    refusal(error);
  } finally {
    busy = false;
  }
}

/* Check a member in or out by hand (found by name or number). */
async function desk(member, way, button) {
  button.disabled = true;
  try {
    outcome(await api('POST', `/api/meetings/${meetingId}/attendance/manual`, { organisation_id: member.organisation_id, direction: way, nonce: crypto.randomUUID() }));
    box.scrollIntoView({ block: 'nearest' });
  } catch (error) {
    refusal(error);
  } finally {
    button.disabled = false;
  }
}

/* Names compared without case or accents: "cafe" finds "Café". */
const plain = (text) => String(text || '').normalize('NFD').replace(/\p{Diacritic}/gu, '').toLowerCase();

function renderResults() {
  const list = document.getElementById('search-results');
  const query = plain(search.value.trim());
  if (!query) { list.replaceChildren(); return; }
  const found = members.filter((m) => plain(m.name).includes(query) || plain(m.member_number).startsWith(query));
  if (found.length === 0) { list.replaceChildren(el('li', { class: 'muted' }, t('scanner.no_match', { query: search.value.trim() }))); return; }
  // Each result is one large button: the name, the number and whether inside, and what a tap does.
  list.replaceChildren(...found.slice(0, RESULTS_SHOWN).map((member) => {
    const way = member.inside ? 'exit' : 'entry';
    return el('li', { dataset: { organisation: String(member.organisation_id) } }, el('button', {
      type: 'button', class: ['search-result', member.inside && 'search-result--inside'],
      'aria-label': t(member.inside ? 'scanner.check_out_label' : 'scanner.check_in_label', { name: member.name }),
      onclick: (event) => desk(member, way, event.currentTarget),
    },
    el('strong', { class: 'search-result__name' }, member.name),
    el('span', { class: 'search-result__row' },
      el('span', { class: 'small' }, [member.member_number ? t('scanner.number', { number: member.member_number }) : null,
        t(member.inside ? 'scanner.is_inside' : 'scanner.is_outside')].filter(Boolean).join(' · ')),
      el('span', { class: 'search-result__action' }, t(member.inside ? 'scanner.check_out' : 'scanner.check_in')))));
  }), ...(found.length > RESULTS_SHOWN ? [el('li', { class: 'small muted' }, t('scanner.more_matches', { count: found.length - RESULTS_SHOWN }))] : []));
}

function decode(imageData) {
  if (!window.jsQR) return null;
  const found = window.jsQR(imageData.data, imageData.width, imageData.height, { inversionAttempts: 'attemptBoth' });
  return found?.data || null;
}

function tick() {
  if (!stream) return;
  if (video.readyState >= 2) {
    canvas.width = video.videoWidth;
    canvas.height = video.videoHeight;
    const context = canvas.getContext('2d', { willReadFrequently: true });
    context.drawImage(video, 0, 0);
    const code = decode(context.getImageData(0, 0, canvas.width, canvas.height));
    // The same code stays in view for a while: scan it once per 4 seconds.
    if (code && (code !== lastCode || Date.now() - lastAt > 4000)) {
      lastCode = code;
      lastAt = Date.now();
      submit(code);
    }
  }
  requestAnimationFrame(tick);
}

async function startCamera() {
  if (!window.jsQR) { show('warning', 'no_decoder', t('scanner.no_decoder')); return; }
  try {
    stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' }, audio: false });
  } catch {
    show('warning', 'no_camera', t('scanner.no_camera'));
    return;
  }
  video.srcObject = stream;
  video.hidden = false;
  await video.play();
  document.getElementById('camera-start').hidden = true;
  document.getElementById('camera-stop').hidden = false;
  requestAnimationFrame(tick);
}

function stopCamera() {
  stream?.getTracks().forEach((track) => track.stop());
  stream = null;
  video.hidden = true;
  document.getElementById('camera-start').hidden = false;
  document.getElementById('camera-stop').hidden = true;
}

async function decodeFile(file) {
  const bitmap = await createImageBitmap(file);
  canvas.width = bitmap.width;
  canvas.height = bitmap.height;
  const context = canvas.getContext('2d', { willReadFrequently: true });
  context.drawImage(bitmap, 0, 0);
  return decode(context.getImageData(0, 0, bitmap.width, bitmap.height));
}

async function loadAttendance() {
  const attendance = await api('GET', `/api/meetings/${meetingId}/attendance`);
  members = attendance.members;
  counts = { present: attendance.present, represented: attendance.represented, eligible: attendance.eligible };
  showCount();
  renderResults();
}

/* The controls answer from the first moment the page shows them: a photo picked or a
 * code typed while the session and the member list are still loading is not lost. */
function listen() {
  document.getElementById('camera-start').addEventListener('click', startCamera);
  document.getElementById('camera-stop').addEventListener('click', stopCamera);
  search.addEventListener('input', renderResults);
  document.getElementById('manual').addEventListener('submit', (event) => {
    event.preventDefault();
    const input = document.getElementById('code');
    submit(input.value.trim());
    input.value = '';
  });
  document.getElementById('image').addEventListener('change', async (event) => {
    const file = event.target.files?.[0];
    if (!file) return;
    if (!window.jsQR) { show('warning', 'no_decoder', t('scanner.no_decoder')); return; }
    const code = await decodeFile(file).catch(() => null);
    event.target.value = '';
    if (code) submit(code);
    else show('warning', 'no_qr', t('scanner.no_qr'));
  });
}

async function start() {
  if (meetingId) listen();
  await staffPage({ title: 'scanner.title', active: 'meetings', roles: ['secretariat'] });
  if (!meetingId) { show('warning', 'no_meeting', t('scanner.no_meeting')); return; }
  document.getElementById('to-meeting').href = `/staff/meeting.html?id=${meetingId}`;
  try {
    const meeting = await api('GET', `/api/meetings/${meetingId}`);
    document.getElementById('scanner-meeting').textContent = `${meeting.title} · ${formatDate(meeting.date)}`;
    await loadAttendance();
  } catch (error) {
    show('danger', error.code, errorMessage(error));
  }
  onLanguageChange(() => {
    if (last?.code && KIND[last.code]) show(last.kind, last.code, t(`scanner.${last.code}`), last.text);
    showCount();
    renderResults();
  });
  // Other doors and the desk change the count too.
  const events = new EventSource(`/api/meetings/${meetingId}/events`);
  events.addEventListener('attendance', () => loadAttendance().catch(() => {}));
}

start();
