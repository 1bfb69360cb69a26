// One organisation for the secretariat: details, contact persons, its bases on a
// timeline (ended and superseded rows stay visible), and its binding on any date.
import { api, hasRole } from '../api.js';
import { t, onLanguageChange } from '../i18n.js';
import { staffPage, el, param, toast, errorMessage, formData, setBusy, showFieldErrors, validateRequired, formatDate, todayCivil } from '../ui.js';

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

function submitWith(form, action) {
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const missing = validateRequired(form);
    if (missing.length) { showFieldErrors(form, missing); return; }
    const button = form.querySelector('button[type=submit]');
    setBusy(button, true, t('common.busy'));
    try {
      await action(formData(form));
    } catch (error) {
      showFieldErrors(form, error);
    } finally {
      setBusy(button, false);
    }
  });
  return form;
}

function detailsSection() {
  const rows = [
    ['register.field.kvk', el('span', { class: 'mono' }, org.kvk)],
    ['register.field.email', org.email || '—'],
    ['register.field.address', org.address || '—'],
    ['register.field.member_number', org.member_number || '—'],
    ['register.field.public_consent', t(org.public_consent ? 'common.yes' : 'common.no')],
  ];
  const section = el('section', { 'aria-labelledby': 'details-h' },
    el('h2', { id: 'details-h' }, t('register.details')),
    el('dl', { class: 'dl' }, rows.map(([key, value]) => [el('dt', {}, t(key)), el('dd', {}, value)])));
  if (canEdit) {
    const form = submitWith(el('form', { class: 'card', novalidate: true },
      field('name', 'register.field.name', el('input', { type: 'text', value: org.name, required: true, maxlength: 200 })),
      field('kvk', 'register.field.kvk', el('input', { type: 'text', value: org.kvk, inputmode: 'numeric', required: true })),
      field('email', 'register.field.email', el('input', { type: 'email', value: org.email || '' })),
      field('address', 'register.field.address', el('input', { type: 'text', value: org.address || '' })),
      field('member_number', 'register.field.member_number', el('input', { type: 'text', value: org.member_number || '' })),
      el('label', { class: 'choice' }, el('input', { type: 'checkbox', name: 'public_consent', checked: org.public_consent }), ` ${t('register.field.public_consent')}`),
      el('div', { class: 'button-row' }, el('button', { type: 'submit', class: 'button' }, t('common.save')))), async (data) => {
      const body = { name: data.name, kvk: data.kvk, public_consent: Boolean(data.public_consent) };
      for (const key of ['email', 'address', 'member_number']) body[key] = data[key] ?? null;
      org = await api('PATCH', `/api/organisations/${id}`, body);
      toast(t('register.saved'), 'success');
      render();
    });
    section.append(el('details', {}, el('summary', {}, t('register.edit')), form));
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
      field('name', 'register.contact.name', el('input', { type: 'text', required: true, maxlength: 200 })),
      field('email', 'register.contact.email', el('input', { type: 'email', required: true })),
      field('function', 'register.contact.function', el('input', { type: 'text' })),
      el('div', { class: 'button-row' }, el('button', { type: 'submit', class: 'button' }, t('register.contact.add')))), async (data) => {
      await api('POST', `/api/organisations/${id}/contacts`, data);
      toast(t('register.saved'), 'success');
      await reload();
    });
    section.append(el('details', {}, el('summary', {}, t('register.contact.add')), form));
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
      field('contract_ref', 'register.basis.contract_ref', el('input', { type: 'text', maxlength: 200 })),
      field('counterparty', 'register.basis.counterparty', el('input', { type: 'text', maxlength: 200 })),
      el('label', { class: 'choice' }, el('input', { type: 'checkbox', name: 'follows_amendments' }), ` ${t('register.basis.follows')}`));
    kind.addEventListener('change', () => { contractFields.hidden = kind.value !== 'contract'; });
    const form = submitWith(el('form', { class: 'card', novalidate: true },
      field('basis', 'register.basis.kind', kind),
      field('since', 'register.basis.since', el('input', { type: 'date', required: true, value: todayCivil() })),
      field('until', 'register.basis.until', el('input', { type: 'date' })),
      contractFields,
      el('div', { class: 'button-row' }, el('button', { type: 'submit', class: 'button' }, t('register.basis.add')))), async (data) => {
      if (data.basis !== 'contract') { delete data.contract_ref; delete data.counterparty; delete data.follows_amendments; }
      await api('POST', `/api/organisations/${id}/bases`, data);
      toast(t('register.basis.added'), 'success');
      await reload();
    });
    section.append(el('details', {}, el('summary', {}, t('register.basis.add')), form));
  }
  return section;
}

function statusSection() {
  const result = statusAnswer
    ? el('div', { class: `alert ${statusAnswer.bound ? 'alert--success' : 'alert--warning'}`, role: 'status' },
      el('strong', { class: 'alert__title' }, t(statusAnswer.bound ? 'register.status.bound' : 'register.status.not_bound')),
      el('p', {}, statusAnswer.reason))
    : null;
  const form = el('form', { class: 'cluster' },
    field('date', 'register.status.date', el('input', { type: 'date', required: true, value: statusDate })),
    el('button', { type: 'submit', class: 'button button--secondary' }, t('register.status.check')));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    statusDate = form.elements.date.value || todayCivil();
    try {
      statusAnswer = await api('GET', `/api/organisations/${id}/status?date=${encodeURIComponent(statusDate)}`);
      render();
      document.getElementById('status-h').focus();
    } catch (error) {
      showFieldErrors(form, error);
    }
  });
  return el('section', { 'aria-labelledby': 'status-h' }, el('h2', { id: 'status-h', tabindex: '-1' }, t('register.status')), form, result);
}

function render() {
  root.removeAttribute('aria-busy');
  document.getElementById('org-name').textContent = org.name;
  document.title = `${org.name} · ${t('shell.product')}`;
  root.replaceChildren(statusSection(), basesSection(), contactsSection(), detailsSection());
}

async function reload() {
  org = await api('GET', `/api/organisations/${id}`);
  statusAnswer = statusAnswer || { bound: org.status.bound, reason: org.status.reason };
  render();
}

try {
  if (!Number.isInteger(id) || id <= 0) throw Object.assign(new Error(t('register.not_found')), { name: 'ApiError', code: 'not_found' });
  await reload();
  onLanguageChange(render);
} catch (error) {
  root.removeAttribute('aria-busy');
  root.replaceChildren(el('div', { class: 'alert alert--error', role: 'alert' }, errorMessage(error)));
}
