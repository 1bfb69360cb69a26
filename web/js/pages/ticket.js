// Landing page of a meeting ticket (/t/<ticket>). Opening it spends nothing; the tap
// POSTs the ticket and logs this phone in as the member for that meeting.
import { api, adoptSession } from '../api.js';
import { addMessages, t } from '../i18n.js';
import { publicPage, el, setBusy, errorMessage } from '../ui.js';

addMessages({
  nl: {
    'ticket.title': 'Uw toegangsbewijs voor de ALV',
    'ticket.lead': 'Dit is het persoonlijke ticket van uw organisatie. Laat de QR-code scannen bij de ingang en meld deze telefoon aan om de agenda, de voorstellen en straks de stemmingen te zien.',
    'ticket.qr_alt': 'QR-code van uw toegangsbewijs',
    'ticket.qr_caption': 'Toon deze code bij de ingang.',
    'ticket.qr_missing': 'De QR-code kan niet worden getoond: deze ticketlink is niet geldig. Vraag het secretariaat om een nieuwe.',
    'ticket.use': 'Aanmelden op deze telefoon',
    'ticket.busy': 'Bezig met aanmelden…',
    'ticket.note': 'Het openen van deze pagina doet nog niets; pas de knop meldt deze telefoon aan. Eén stem per lid, ook als meer telefoons zijn aangemeld.',
    'ticket.welcome': 'Aangemeld als {name}.',
    'ticket.continue': 'Naar de vergadering',
    'ticket.remote_lead': 'Dit is het persoonlijke ticket van uw organisatie. U neemt op afstand deel: meld dit apparaat aan, dan vraagt u op de volgende pagina een code aan en volgt u de vergadering.',
    'ticket.remote_use': 'Aanmelden op dit apparaat',
  },
  en: {
    'ticket.title': 'Your ticket for the members’ meeting',
    'ticket.lead': 'This is your organisation’s personal ticket. Have the QR code scanned at the door and sign in on this phone to see the agenda, the proposals and, later, the votes.',
    'ticket.qr_alt': 'QR code of your ticket',
    'ticket.qr_caption': 'Show this code at the door.',
    'ticket.qr_missing': 'The QR code cannot be shown: this ticket link is not valid. Ask the secretariat for a new one.',
    'ticket.use': 'Sign in on this phone',
    'ticket.busy': 'Signing in…',
    'ticket.note': 'Opening this page does nothing yet; only the button signs this phone in. One vote per member, even with several phones signed in.',
    'ticket.welcome': 'Signed in as {name}.',
    'ticket.continue': 'Go to the meeting',
    'ticket.remote_lead': 'This is your organisation’s personal ticket. You take part remotely: sign in on this device, then ask for a code on the next page and follow the meeting.',
    'ticket.remote_use': 'Sign in on this device',
  },
});

publicPage({ title: 'ticket.title' });

const code = decodeURIComponent(location.pathname.split('/').pop() || '');
const button = document.getElementById('ticket-use');
const status = document.getElementById('ticket-status');
const qr = document.getElementById('ticket-qr');
// The convocation's link for remote participation ends in ?op=afstand: the same ticket,
// no QR for the door, and after signing in the remote page instead of the hall phone.
const remote = new URLSearchParams(location.search).get('op') === 'afstand';
if (remote) {
  const lead = document.querySelector('.lead');
  lead.dataset.i18n = 'ticket.remote_lead';
  lead.textContent = t('ticket.remote_lead');
  button.dataset.i18n = 'ticket.remote_use';
  button.textContent = t('ticket.remote_use');
  document.getElementById('ticket-qr-box').hidden = true;
}

// The QR of this very link, for the door (the server draws it only for a signed code).
qr.addEventListener('error', () => {
  document.getElementById('ticket-qr-box').replaceChildren(el('div', { class: 'alert alert--warning' }, t('ticket.qr_missing')));
});
qr.src = `/t/${encodeURIComponent(code)}/qr.svg`;

button.addEventListener('click', async () => {
  setBusy(button, true, t('ticket.busy'));
  status.replaceChildren();
  try {
    const answer = await api('POST', '/api/session/ticket', { ticket: code });
    adoptSession(answer);
    // The meeting in the URL lets the phone ask for it at once (see member.js).
    const next = `/${remote ? 'remote' : 'member'}.html?meeting=${encodeURIComponent(answer.meeting_id)}`;
    document.getElementById('ticket-card').hidden = true;
    status.append(el('div', { class: 'alert alert--success' },
      el('p', {}, t('ticket.welcome', { name: answer.member.name })),
      el('p', {}, el('a', { href: next, class: 'button' }, t('ticket.continue')))));
    location.assign(next);
  } catch (error) {
    setBusy(button, false);
    status.append(el('div', { class: 'alert alert--error', role: 'alert' }, errorMessage(error)));
  }
});
