// One organisation for the secretariat: details, contact persons, its bases on a
// timeline (ended and superseded rows stay visible), and its binding on any date.
import { api, hasRole } from '../api.js';
import { t, onLanguageChange, addMessages } from '../i18n.js';
import { staffPage, el, param, toast, errorMessage, setBusy, formatDate, todayCivil } from '../ui.js';
import { handleSubmit, formMessage } from '../forms.js';
import { wordDates } from '../words.js';

addMessages({
  nl: {
    'register.not_given': 'niet ingevuld',
    'register.created_here': '{name} is toegevoegd aan het register. Voeg nu contactpersonen en grondslagen toe.',
    'register.contact.error_name': 'Vul de naam van de contactpersoon in.',
    'register.contact.error_email': 'Vul het e-mailadres van de contactpersoon in.',
    'register.contact.function_optional': 'Functie (niet verplicht)',
    'register.basis.contract_ref_error': 'Vul de contractreferentie in.',
    'register.basis.counterparty_optional': 'Wederpartij (niet verplicht)',
    'register.basis.until_optional': 'Tot en met (niet verplicht; leeg is geen einddatum)',
    'register.field.email_optional': 'E-mailadres (niet verplicht)',
    'register.field.address_optional': 'Adres (niet verplicht)',
    'register.field.member_number_optional': 'Lidnummer (niet verplicht)',
    'register.field.kvk_hint': '8 cijfers, bijvoorbeeld 12345678. Spaties en punten mogen.',
  },
  en: {
    'register.not_given': 'not given',
    'register.created_here': '{name} has been added to the register. Now add contact persons and bases.',
    'register.contact.error_name': 'Enter the name of the contact person.',
    'register.contact.error_email': 'Enter the e-mail address of the contact person.',
    'register.contact.function_optional': 'Position (optional)',
    'register.basis.contract_ref_error': 'Enter the contract reference.',
    'register.basis.counterparty_optional': 'Counterparty (optional)',
    'register.basis.until_optional': 'Up to and including (optional; empty is no end date)',
    'register.field.email_optional': 'E-mail address (optional)',
    'register.field.address_optional': 'Address (optional)',
    'register.field.member_number_optional': 'Member number (optional)',
    'register.field.kvk_hint': '8 digits, for example 12345678. Spaces and dots are fine.',
  },
});

const session = await staffPage({ title: 'register.organisation', active: 'register', roles: ['secretariat', 'admin', 'board', 'chair', 'meldpunt'] });
const canEdit = hasRole(session, ['secretariat']);
const root = document.getElementById('org');
const id = Number.parseInt(param('id') || '', 10);
let org = null;
let statusAnswer = null;
let statusDate = todayCivil();

function field(name, labelKey, input, hint) {
  const control = input;
  control.id = control.id || `f-${name}-${Math.random().toString(36).slice(2, 7)}`;
  control.name = name;
  return el('div', { class: 'field' }, el('label', { for: control.id }, t(labelKey)), hint ? el('span', { class: 'hint' }, hint) : null, control);
}

/** The form pattern with a success message that stays where the person looked. */
function submitWith(form, action) {
  return handleSubmit(form, { send: (data) => action(data) });
}

const notGiven = () => el('span', { class: 'muted' }, t('register.not_given'));

function detailsSection() {
  const rows = [
    ['register.field.kvk', el('span', { class: 'mono' }, org.kvk)],
    ['register.field.email', org.email || notGiven()],
    ['register.field.address', org.address || notGiven()],
    ['register.field.member_number', org.member_number || notGiven()],
    ['register.field.public_consent', t(org.public_consent ? 'common.yes' : 'common.no')],
  ];
  const section = el('section', { 'aria-labelledby': 'details-h' },
    el('h2', { id: 'details-h' }, t('register.details')),
    el('dl', { class: 'dl' }, rows.map(([key, value]) => [el('dt', {}, t(key)), el('dd', {}, value)])));
  if (canEdit) {
    const form = submitWith(el('form', { class: 'card', id: 'details-form' },
      field('name', 'register.field.name', el('input', { type: 'text', value: org.name, required: true, maxlength: 200 })),
      field('kvk', 'register.field.kvk', el('input', { type: 'text', value: org.kvk, inputmode: 'numeric', required: true, maxlength: 20, class: 'input--short' }), t('register.field.kvk_hint')),
      field('email', 'register.field.email_optional', el('input', { type: 'email', value: org.email || '', maxlength: 254 })),
      field('address', 'register.field.address_optional', el('input', { type: 'text', value: org.address || '', maxlength: 300 })),
      field('member_number', 'register.field.member_number_optional', el('input', { type: 'text', value: org.member_number || '', maxlength: 40, class: 'input--short' })),
      el('label', { class: 'choice' }, el('input', { type: 'checkbox', name: 'public_consent', checked: org.public_consent }), el('span', {}, t('register.field.public_consent'))),
      el('div', { class: 'button-row' }, el('button', { type: 'submit', class: 'button' }, t('common.save')))), async (data) => {
      const body = { name: data.name, kvk: data.kvk, public_consent: Boolean(data.public_consent) };
      for (const key of ['email', 'address', 'member_number']) body[key] = data[key] ?? null;
      org = await api('PATCH', `/api/organisations/${id}`, body);
      render();
      formMessage(document.getElementById('details-form'), 'success', { key: 'register.saved' }).focus();
    });
    section.append(el('details', { open: openForms.has('details') ? true : null, dataset: { form: 'details' } }, el('summary', {}, t('register.edit')), form));
  }
  return section;
}

function contactsSection() {
  const items = org.contacts.map((contact) => el('li', {},
    el('strong', {}, contact.name), ' · ', el('a', { href: `mailto:${contact.email}` }, contact.email),
    contact.function ? ` · ${contact.function}` : null,
    canEdit ? [' ', el('button', { type: 'button', class: 'button button--link', onclick: async (event) => {
      if (!confirm(t('register.contact.confirm', { name: contact.name }))) return;
      setBusy(event.currentTarget, true);
      try {
        await api('DELETE', `/api/contacts/${contact.id}`);
        toast(t('register.contact.removed'), 'success');
        await reload();
      } catch (error) {
        setBusy(event.currentTarget, false);
        toast(errorMessage(error), 'error');
      }
    } }, t('register.contact.remove'))] : null));
  const section = el('section', { 'aria-labelledby': 'contacts-h' },
    el('h2', { id: 'contacts-h' }, t('register.contacts')),
    items.length ? el('ul', {}, items) : el('p', { class: 'muted' }, t('register.contacts_none')));
  if (canEdit) {
    const form = submitWith(el('form', { class: 'card', novalidate: true },
      field('name', 'register.contact.name', el('input', { type: 'text', required: true, maxlength: 200, 'data-error-required': 'register.contact.error_name' })),
      field('email', 'register.contact.email', el('input', { type: 'email', required: true, maxlength: 254, 'data-error-required': 'register.contact.error_email' })),
      field('function', 'register.contact.function_optional', el('input', { type: 'text', maxlength: 200 })),
      el('div', { class: 'button-row' }, el('button', { type: 'submit', class: 'button' }, t('register.contact.add')))), async (data) => {
      await api('POST', `/api/organisations/${id}/contacts`, data);
      toast(t('register.saved'), 'success');
      await reload();
    });
    section.append(el('details', { open: openForms.has('contact') ? true : null, dataset: { form: 'contact' } }, el('summary', {}, t('register.contact.add')), form));
  }
  return section;
}

function basisLine(basis) {
  const until = basis.until ? formatDate(basis.until, 'medium') : t('register.basis.open_ended');
  const badges = [
    el('span', { class: 'badge badge--info' }, t(`register.basis.${basis.basis}`)),
    basis.current ? null : el('span', { class: 'badge badge--neutral' }, t('register.basis.superseded')),
    basis.active ? el('span', { class: 'badge badge--success' }, t('register.basis.active')) : null,
  ];
  const extra = basis.basis === 'contract'
    ? el('p', { class: 'small' }, `${basis.contract_ref}${basis.counterparty ? ` · ${basis.counterparty}` : ''} · `,
      t(basis.follows_amendments ? 'register.basis.following' : 'register.basis.pinned'))
    : null;
  let endForm = null;
  if (canEdit && basis.current) {
    endForm = submitWith(el('form', { class: 'cluster', novalidate: true },
      field('until', 'register.basis.end_on', el('input', { type: 'date', required: true, value: basis.until || todayCivil() })),
      el('button', { type: 'submit', class: 'button button--secondary' }, t('register.basis.end'))), async (data) => {
      await api('POST', `/api/bases/${basis.id}/end`, { until: data.until });
      toast(t('register.basis.ended'), 'success');
      await reload();
    });
  }
  return el('li', { class: basis.active ? 'is-done' : (basis.current ? '' : 'is-warning') },
    el('time', { datetime: basis.since }, `${formatDate(basis.since, 'medium')} – ${until}`),
    el('span', { class: 'cluster' }, badges), extra,
    endForm ? el('details', {}, el('summary', {}, t('register.basis.end')), endForm) : null);
}

function basesSection() {
  const section = el('section', { 'aria-labelledby': 'bases-h' },
    el('h2', { id: 'bases-h' }, t('register.bases')),
    org.bases.length ? el('ol', { class: 'timeline' }, org.bases.map(basisLine)) : el('p', { class: 'muted' }, t('register.bases_none')));
  if (canEdit) {
    const kind = el('select', { required: true },
      ['membership', 'signature', 'contract'].map((value) => el('option', { value }, t(`register.basis.${value}`))));
    const contractFields = el('div', { hidden: true },
      field('contract_ref', 'register.basis.contract_ref', el('input', { type: 'text', maxlength: 200, required: true, 'data-error-required': 'register.basis.contract_ref_error' })),
      field('counterparty', 'register.basis.counterparty_optional', el('input', { type: 'text', maxlength: 200 })),
      el('label', { class: 'choice' }, el('input', { type: 'checkbox', name: 'follows_amendments' }), el('span', {}, t('register.basis.follows'))));
    kind.addEventListener('change', () => { contractFields.hidden = kind.value !== 'contract'; });
    const form = submitWith(el('form', { class: 'card', novalidate: true },
      field('basis', 'register.basis.kind', kind),
      field('since', 'register.basis.since', el('input', { type: 'date', required: true, value: todayCivil() })),
      field('until', 'register.basis.until_optional', el('input', { type: 'date' })),
      contractFields,
      el('div', { class: 'button-row' }, el('button', { type: 'submit', class: 'button' }, t('register.basis.add')))), async (data) => {
      if (data.basis !== 'contract') { delete data.contract_ref; delete data.counterparty; delete data.follows_amendments; }
      await api('POST', `/api/organisations/${id}/bases`, data);
      toast(t('register.basis.added'), 'success');
      await reload();
    });
    section.append(el('details', { open: openForms.has('basis') ? true : null, dataset: { form: 'basis' } }, el('summary', {}, t('register.basis.add')), form));
  }
  return section;
}

function statusSection() {
  const result = statusAnswer
    ? el('div', { class: `alert ${statusAnswer.bound ? 'alert--success' : 'alert--warning'}`, role: 'status' },
      el('strong', { class: 'alert__title' }, t(statusAnswer.bound ? 'register.status.bound' : 'register.status.not_bound')),
      el('p', {}, wordDates(statusAnswer.reason)))
    : null;
  const form = el('form', { class: 'cluster' },
    field('date', 'register.status.date', el('input', { type: 'date', required: true, value: statusDate })),
    el('button', { type: 'submit', class: 'button button--secondary' }, t('register.status.check')));
  handleSubmit(form, {
    send: async (data) => {
      statusDate = data.date;
      statusAnswer = await api('GET', `/api/organisations/${id}/status?date=${encodeURIComponent(statusDate)}`);
    },
    success: () => { render(); document.getElementById('status-h').focus(); },
  });
  return el('section', { 'aria-labelledby': 'status-h' }, el('h2', { id: 'status-h', tabindex: '-1' }, t('register.status')), form, result);
}

/* Which folded forms are open, so a redraw (a save, a language switch) keeps them open. */
const openForms = new Set();
function render({ keepTyped = false } = {}) {
  openForms.clear();
  root.querySelectorAll('details[data-form][open]').forEach((node) => openForms.add(node.dataset.form));
  // On a language switch what was typed in the folded forms stays.
  const typed = keepTyped ? [...root.querySelectorAll('details[data-form] form')].flatMap((form) => [...form.elements]
    .filter((control) => control.name).map((control) => [form.closest('details').dataset.form, control.name, control.type === 'checkbox' ? control.checked : control.value])) : [];
  root.removeAttribute('aria-busy');
  document.getElementById('org-name').textContent = org.name;
  document.title = `${org.name} · ${t('shell.product')}`;
  root.replaceChildren(statusSection(), basesSection(), contactsSection(), detailsSection());
  for (const [key, name, value] of typed) {
    const control = root.querySelector(`details[data-form="${key}"] form`)?.elements.namedItem(name);
    if (!control || control instanceof RadioNodeList) continue;
    if (control.type === 'checkbox') control.checked = value; else control.value = value;
  }
}

async function reload() {
  org = await api('GET', `/api/organisations/${id}`);
  statusAnswer = statusAnswer || { bound: org.status.bound, reason: org.status.reason };
  render();
}

try {
  if (!Number.isInteger(id) || id <= 0) throw Object.assign(new Error(t('register.not_found')), { name: 'ApiError', code: 'not_found' });
  await reload();
  if (param('created')) root.prepend(el('div', { class: 'alert alert--success', role: 'status' }, t('register.created_here', { name: org.name })));
  onLanguageChange(() => render({ keepTyped: true }));
} catch (error) {
  root.removeAttribute('aria-busy');
  root.replaceChildren(el('div', { class: 'alert alert--error', role: 'alert' }, errorMessage(error)));
}
