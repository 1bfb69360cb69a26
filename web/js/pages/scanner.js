// The door scanner: camera (getUserMedia + jsQR from web/vendor), manual code entry
// and an image upload; entry or exit; each outcome big and in colour with the
// organisation's name and the new present count. Every scan carries its own nonce, so
// a retry after a dropped connection is answered the same and counted once.
import { api } from '../api.js';
import { addMessages, t } from '../i18n.js';
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
    'scanner.manual': 'Code invoeren of afbeelding kiezen',
    'scanner.code': 'Ticketcode of ticketlink',
    'scanner.submit': 'Verwerken',
    'scanner.image': 'QR-code uit een foto lezen',
    'scanner.back': 'Naar de vergadering',
    'scanner.entered': 'Welkom',
    'scanner.already_inside': 'Al binnen',
    'scanner.left': 'Vertrokken',
    'scanner.not_inside': 'Was niet binnen',
    'scanner.forged': 'Ongeldig ticket',
    'scanner.revoked': 'Ingetrokken ticket',
    'scanner.wrong_meeting': 'Andere vergadering',
    'scanner.meeting_closed': 'Vergadering gesloten',
    'scanner.present': 'Aanwezig: {present} · telt mee (P): {eligible}',
    'scanner.no_qr': 'Geen QR-code gevonden in deze afbeelding.',
    'scanner.no_camera': 'De camera is niet beschikbaar (alleen via https of localhost, en met toestemming). Voer de code in.',
    'scanner.no_decoder': 'De QR-lezer is niet geladen (scripts/vendor). Voer de code in.',
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
    'scanner.manual': 'Type a code or choose an image',
    'scanner.code': 'Ticket code or ticket link',
    'scanner.submit': 'Process',
    'scanner.image': 'Read a QR code from a photo',
    'scanner.back': 'To the meeting',
    'scanner.entered': 'Welcome',
    'scanner.already_inside': 'Already inside',
    'scanner.left': 'Left',
    'scanner.not_inside': 'Was not inside',
    'scanner.forged': 'Invalid ticket',
    'scanner.revoked': 'Revoked ticket',
    'scanner.wrong_meeting': 'Other meeting',
    'scanner.meeting_closed': 'Meeting closed',
    'scanner.present': 'Present: {present} · counting (P): {eligible}',
    'scanner.no_qr': 'No QR code found in this image.',
    'scanner.no_camera': 'The camera is not available (https or localhost only, with permission). Type the code.',
    'scanner.no_decoder': 'The QR reader did not load (scripts/vendor). Type the code.',
    'scanner.no_meeting': 'Choose a meeting first.',
  },
});

const KIND = {
  entered: 'success', left: 'success', already_inside: 'warning', not_inside: 'warning',
  forged: 'danger', revoked: 'danger', wrong_meeting: 'danger', meeting_closed: 'danger',
};

const meetingId = Number(param('meeting'));
const box = document.getElementById('scan-result');
const title = document.getElementById('scan-title');
const detail = document.getElementById('scan-detail');
const presentLine = document.getElementById('scan-present');
const video = document.getElementById('camera');
const canvas = document.getElementById('frame');
let stream = null;
let busy = false;
let lastCode = '';
let lastAt = 0;

function show(kind, heading, text, counts) {
  box.className = `result result--${kind}`;
  box.dataset.outcome = heading.code || '';
  title.textContent = heading.text;
  detail.textContent = text || '';
  presentLine.textContent = counts ? t('scanner.present', counts) : '';
}

async function submit(code) {
  if (!code || busy) return;
  busy = true;
  const direction = document.querySelector('input[name="direction"]:checked').value;
  try {
    const answer = await api('POST', `/api/meetings/${meetingId}/scans`, { ticket: code, direction, nonce: crypto.randomUUID() });
    show(KIND[answer.result], { code: answer.result, text: t(`scanner.${answer.result}`) }, answer.organisation.name,
      { present: answer.present, eligible: answer.eligible ?? answer.present });
    navigator.vibrate?.(answer.result === 'entered' || answer.result === 'left' ? 80 : [60, 60, 60]);
  } catch (error) {
    const known = KIND[error.code];
    show(known || 'danger', { code: error.code, text: known ? t(`scanner.${error.code}`) : errorMessage(error) },
      known ? errorMessage(error) : '');
    navigator.vibrate?.([200, 100, 200]);
  } finally {
    busy = false;
  }
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
  if (!window.jsQR) { show('warning', { text: t('scanner.no_decoder') }); return; }
  try {
    stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' }, audio: false });
  } catch {
    show('warning', { text: t('scanner.no_camera') });
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

async function start() {
  await staffPage({ title: 'scanner.title', active: 'meetings', roles: ['secretariat'] });
  if (!meetingId) { show('warning', { text: t('scanner.no_meeting') }); return; }
  document.getElementById('to-meeting').href = `/staff/meeting.html?id=${meetingId}`;
  try {
    const meeting = await api('GET', `/api/meetings/${meetingId}`);
    document.getElementById('scanner-meeting').textContent = `${meeting.title} · ${formatDate(meeting.date)}`;
  } catch (error) {
    show('danger', { text: errorMessage(error) });
  }
  document.getElementById('camera-start').addEventListener('click', startCamera);
  document.getElementById('camera-stop').addEventListener('click', stopCamera);
  document.getElementById('manual').addEventListener('submit', (event) => {
    event.preventDefault();
    const input = document.getElementById('code');
    submit(input.value.trim());
    input.value = '';
    input.focus();
  });
  document.getElementById('image').addEventListener('change', async (event) => {
    const file = event.target.files?.[0];
    if (!file) return;
    if (!window.jsQR) { show('warning', { text: t('scanner.no_decoder') }); return; }
    const code = await decodeFile(file).catch(() => null);
    event.target.value = '';
    if (code) submit(code);
    else show('warning', { text: t('scanner.no_qr') });
  });
}

start();
