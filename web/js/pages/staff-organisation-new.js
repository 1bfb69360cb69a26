// Adding an organisation to the register: its own page with one clear form; a KvK
// number may be typed in groups ("12 34 56 78") and is written as 8 digits.
import { api } from '../api.js';
import { t, addMessages } from '../i18n.js';
import { staffPage, toast, todayCivil } from '../ui.js';
import { handleSubmit } from '../forms.js';

addMessages({
  nl: {
    'register.add_lead': 'Voeg een organisatie toe aan het register. Daarna kunt u contactpersonen en grondslagen toevoegen.',
    'register.field.kvk_hint': '8 cijfers, bijvoorbeeld 12345678. Spaties en punten mogen.',
    'register.field.email_optional': 'E-mailadres (niet verplicht)',
    'register.field.address_optional': 'Adres (niet verplicht)',
    'register.field.member_number_optional': 'Lidnummer (niet verplicht)',
    'register.error.name': 'Vul de naam van de organisatie in.',
    'register.error.kvk': 'Vul het KvK-nummer in.',
    'register.error.kvk_form': 'Een KvK-nummer heeft 8 cijfers, bijvoorbeeld 12345678.',
  },
  en: {
    'register.add_lead': 'Add an organisation to the register. Then you can add contact persons and bases.',
    'register.field.kvk_hint': '8 digits, for example 12345678. Spaces and dots are fine.',
    'register.field.email_optional': 'E-mail address (optional)',
    'register.field.address_optional': 'Address (optional)',
    'register.field.member_number_optional': 'Member number (optional)',
    'register.error.name': 'Enter the name of the organisation.',
    'register.error.kvk': 'Enter the KvK number.',
    'register.error.kvk_form': 'A KvK number has 8 digits, for example 12345678.',
  },
});

await staffPage({ title: 'register.add', active: 'register', roles: ['secretariat'] });
const form = document.getElementById('add-form');
const member = document.getElementById('add-member');
const kvk = document.getElementById('add-kvk');

/** "12 34 56 78", "1234.5678" → "12345678", as the server normalises it too. */
function normaliseKvk() {
  const digits = kvk.value.replace(/[\s.]/g, '');
  if (/^\d{8}$/.test(digits)) kvk.value = digits;
}
kvk.addEventListener('blur', normaliseKvk);

member.addEventListener('change', () => {
  document.getElementById('add-since-field').hidden = !member.checked;
  if (member.checked && !form.elements.member_since.value) form.elements.member_since.value = todayCivil();
});

handleSubmit(form, {
  prepare: normaliseKvk,
  send: (data) => {
    const body = { ...data };
    body.member = Boolean(data.member);
    body.public_consent = Boolean(data.public_consent);
    if (!body.member) delete body.member_since;
    return api('POST', '/api/organisations', body);
  },
  success: (made) => {
    toast(t('register.created', { name: made.name }), 'success');
    location.assign(`/staff/organisation.html?id=${made.id}&created=1`);
  },
});
