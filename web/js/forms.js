// The one form pattern (GOV.UK / NL Design System): the page checks the whole form
// before sending; every error sits at its field and in a summary on top that links to
// it, in words the field's label uses; the server's error goes to the field it names;
// success and error replace each other, and a successful retry leaves a clean form.
import { t, addMessages, onLanguageChange } from './i18n.js';
import { el, setBusy, formData, formatDate } from './ui.js';
import { plural } from './words.js';

addMessages({
  nl: {
    'form.summary.one': 'Er is 1 fout in het formulier',
    'form.summary.other': 'Er zijn {count} fouten in het formulier',
    'form.summary_failed': 'Het lukte niet',
    'form.error_prefix': 'Fout',
    'form.required': 'Vul {label} in.',
    'form.choose': 'Kies {label}.',
    'form.check': 'Vink aan: {label}',
    'form.email': 'Vul een geldig e-mailadres in, zoals naam@voorbeeld.nl.',
    'form.too_long': '{Label} mag hoogstens {max} tekens hebben.',
    'form.too_short': '{Label} moet minstens {min} tekens hebben.',
    'form.number': 'Vul bij {label} een getal in.',
    'form.number_range': '{Label} moet tussen {min} en {max} liggen.',
    'form.date': 'Vul bij {label} een bestaande datum in.',
    'form.date_min': '{Label} moet op of na {date} liggen.',
    'form.date_max': '{Label} moet op of vóór {date} liggen.',
    'form.pattern': '{Label} is niet in de goede vorm.',
    'form.invalid': 'Controleer {label}.',
    'form.this_field': 'dit veld',
  },
  en: {
    'form.summary.one': 'There is 1 error in the form',
    'form.summary.other': 'There are {count} errors in the form',
    'form.summary_failed': 'That did not work',
    'form.error_prefix': 'Error',
    'form.required': 'Enter {label}.',
    'form.choose': 'Choose {label}.',
    'form.check': 'Tick: {label}',
    'form.email': 'Enter a valid e-mail address, such as name@example.com.',
    'form.too_long': '{Label} may have at most {max} characters.',
    'form.too_short': '{Label} must have at least {min} characters.',
    'form.number': 'Enter a number for {label}.',
    'form.number_range': '{Label} must be between {min} and {max}.',
    'form.date': 'Enter a real date for {label}.',
    'form.date_min': '{Label} must be on or after {date}.',
    'form.date_max': '{Label} must be on or before {date}.',
    'form.pattern': '{Label} is not in the right form.',
    'form.invalid': 'Check {label}.',
    'form.this_field': 'this field',
  },
});

/* One e-mail check for page and server (rules_member_email_is_valid): one @, a dot in
 * the domain with something on both sides, no spaces, commas, semicolons or <>. */
const EMAIL = /^[^\s@,;<>]+@[^\s@,;<>]+\.[^\s@,;<>.][^\s@,;<>]*$/;
export function isEmail(value) {
  return EMAIL.test(value) && !/@\./.test(value);
}

/* Codes the server uses for plain input checks: the page says these in its own words,
 * naming the field as its label does; every other code keeps the server's sentence. */
const GENERIC = new Set(['required', 'too_long', 'wrong_type', 'bad_date', 'out_of_range', 'bad_choice', 'bad_email']);

/** The control a field name means: an element, or the first of a radio/checkbox group. */
function controlFor(form, name) {
  const found = form.elements.namedItem(name);
  if (found) return found instanceof RadioNodeList ? found[0] : found;
  return form.querySelector(`[data-field="${CSS.escape(name)}"]`);
}

/** A group's fieldset (radios, checkbox lists) or null. */
function groupOf(control) {
  if (!control || !['radio', 'checkbox'].includes(control.type)) return null;
  const fieldset = control.closest('fieldset');
  const many = fieldset && fieldset.querySelectorAll(`input[name="${CSS.escape(control.name)}"]`).length > 1;
  return many ? fieldset : null;
}

/** The visible words of the label that names a control (without the hint in brackets). */
function labelWords(control) {
  // data-label (or the older data-required-label) names the field in a sentence: "uw e-mailadres".
  if (control.dataset.label || control.dataset.requiredLabel) return t(control.dataset.label || control.dataset.requiredLabel);
  const group = groupOf(control);
  const legend = (group || (control.tagName === 'FIELDSET' ? control : null))?.querySelector('legend');
  let label = legend;
  if (!label && control.id) label = control.form?.querySelector(`label[for="${CSS.escape(control.id)}"]`);
  if (!label) label = control.closest('label');
  const clone = label ? label.cloneNode(true) : null;
  clone?.querySelectorAll('input, select, textarea, .hint, .visually-hidden').forEach((node) => node.remove());
  // Never the field's internal name: a field without a label is "dit veld".
  const text = (clone?.textContent || control.getAttribute('aria-label') || t('form.this_field')).replace(/\s+/g, ' ').trim();
  // "Telefoon (niet verplicht)", "Notitie (intern)": the hint is not part of the name.
  return text.replace(/\s*\([^)]*\)\s*$/, '').replace(/[?:]$/, '').trim();
}

/** 'Naam van de organisatie' → 'naam van de organisatie'; 'KvK-nummer' stays (a name). */
function inSentence(words) {
  const first = words.split(/[\s-]/)[0];
  return /[A-Z].*[A-Z]/.test(first) ? words : words.charAt(0).toLocaleLowerCase() + words.slice(1);
}

function capitalised(words) {
  return words.charAt(0).toLocaleUpperCase() + words.slice(1);
}

/**
 * An error a page makes itself, kept as key + params so a language switch rewrites it.
 * data-error-required="some.key" (data-error-email, …) on the control (or its group's
 * fieldset) gives the field its own sentence.
 */
function pageError(control, key, params = {}, source = control) {
  const named = (name) => source.dataset[`error${name.charAt(0).toUpperCase()}${name.slice(1).replace(/_(\w)/g, (m, c) => c.toUpperCase())}`];
  // "Kies …" and "Vink … aan" are how a choice is required: data-error-required serves them too.
  const own = named(key) || (['choose', 'check'].includes(key) ? named('required') : undefined);
  return { field: control.name || control.dataset.field, control, key: own || `form.${key}`, params };
}

/** The sentence of an error in the current language. */
function sentence(error) {
  if (error.text !== undefined) return error.text;
  const words = error.control ? labelWords(error.control) : '';
  return t(error.key, { label: inSentence(words), Label: capitalised(words), ...error.params });
}

/**
 * Check every field of the form and return all errors at once:
 * [{field, control, key, params}]. Knows required (text, choice, group, checkbox), e-mail,
 * pattern, maxlength/minlength, number and date ranges; data-error-required="some.key"
 * (and data-error-pattern, …) give a field its own sentence.
 */
export function validateForm(form) {
  const errors = [];
  const seenGroups = new Set();
  for (const control of form.elements) {
    if (!control.name || control.disabled || control.type === 'hidden' && !control.required) continue;
    if (['submit', 'button', 'reset', 'fieldset', 'file'].includes(control.type) && !(control.type === 'file' && control.required)) continue;
    if (control.closest('[hidden]')) continue;
    const group = groupOf(control);
    if (group) {
      if (seenGroups.has(control.name)) continue;
      seenGroups.add(control.name);
      const boxes = [...form.querySelectorAll(`input[name="${CSS.escape(control.name)}"]`)];
      const required = group.dataset.required !== undefined || boxes.some((box) => box.required);
      if (required && !boxes.some((box) => box.checked)) errors.push(pageError(control, 'choose', {}, group));
      continue;
    }
    const value = control.type === 'password' || control.type === 'file' ? control.value : (control.value || '').trim();
    if (control.type === 'checkbox') {
      if (control.required && !control.checked) errors.push(pageError(control, 'check'));
      continue;
    }
    if (value === '' || (control.multiple && control.tagName === 'SELECT' && !control.selectedOptions.length)) {
      if (control.required) errors.push(pageError(control, control.tagName === 'SELECT' || control.type === 'file' ? 'choose' : 'required'));
      continue;
    }
    if (control.type === 'email' && !isEmail(value)) { errors.push(pageError(control, 'email')); continue; }
    if (control.maxLength > 0 && value.length > control.maxLength) { errors.push(pageError(control, 'too_long', { max: control.maxLength })); continue; }
    if (control.minLength > 0 && value.length < control.minLength) { errors.push(pageError(control, 'too_short', { min: control.minLength })); continue; }
    if (control.pattern && !new RegExp(`^(?:${control.pattern})$`, 'u').test(value)) { errors.push(pageError(control, 'pattern')); continue; }
    if (control.type === 'number') {
      const number = Number(value);
      const min = control.min === '' ? -Infinity : Number(control.min);
      const max = control.max === '' ? Infinity : Number(control.max);
      if (!Number.isFinite(number)) errors.push(pageError(control, 'number'));
      else if (number < min || number > max) errors.push(pageError(control, 'number_range', { min: control.min, max: control.max }));
      continue;
    }
    if (control.type === 'date') {
      if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || control.validity.badInput) errors.push(pageError(control, 'date'));
      else if (control.min && value < control.min) errors.push(pageError(control, 'date_min', { date: formatDate(control.min) }));
      else if (control.max && value > control.max) errors.push(pageError(control, 'date_max', { date: formatDate(control.max) }));
    }
  }
  return errors;
}

/**
 * The errors of a refused request, for showErrors: the field it names (fields maps the
 * server's name to the form's, e.g. { 'reporter.email': 'email' }) gets the page's own
 * sentence for a plain input check, the server's sentence otherwise.
 */
export function serverErrors(form, error, { fields = {} } = {}) {
  if (!error || error.name !== 'ApiError') {
    console.error(error);
    return [{ field: null, key: 'error.unknown', params: {} }];
  }
  const name = error.field ? (fields[error.field] ?? error.field) : null;
  const control = name ? controlFor(form, name) : null;
  if (control && GENERIC.has(error.code)) {
    const own = validateForm(form).find((found) => found.control === control || found.field === name);
    if (own) return [own];
    if (error.code === 'bad_email') return [pageError(control, 'email')];
    if (error.code === 'required') return [pageError(control, control.tagName === 'SELECT' ? 'choose' : 'required')];
    return [{ field: name, control, key: 'form.invalid', params: {} }];
  }
  return [{ field: control ? name : null, control, text: error.message }];
}

const shown = new WeakMap();

function errorNodeId(control) {
  if (!control.id) control.id = `field-${(control.name || 'x').replace(/[^\w-]/g, '-')}-${Math.random().toString(36).slice(2, 6)}`;
  return `error-${control.id}`;
}

/** Remove what showErrors put in the form (and the form's message). */
export function clearErrors(form) {
  shown.delete(form);
  form.querySelectorAll(':scope > .error-summary, .error-summary[data-form-summary], .field-error[data-form-error], .form-message').forEach((node) => node.remove());
  form.querySelectorAll('.field--error').forEach((node) => node.classList.remove('field--error'));
  form.querySelectorAll('[aria-invalid]').forEach((control) => {
    control.removeAttribute('aria-invalid');
    const rest = (control.getAttribute('aria-describedby') || '').split(' ').filter((id) => id && !id.startsWith('error-'));
    if (rest.length) control.setAttribute('aria-describedby', rest.join(' '));
    else control.removeAttribute('aria-describedby');
  });
}

function render(form, errors, { title, focus }) {
  clearErrors(form);
  shown.set(form, { errors, title });
  const items = [];
  const marked = new Set();
  for (const error of errors) {
    const text = sentence(error);
    const control = error.control || (error.field ? controlFor(form, error.field) : null);
    if (!control) { items.push(el('li', {}, text)); continue; }
    const group = groupOf(control) || (control.tagName === 'FIELDSET' ? control : null);
    const target = group || control;
    const noteId = errorNodeId(control);
    if (!marked.has(target)) {
      marked.add(target);
      const wrapper = group || control.closest('.field') || control.parentElement;
      wrapper.classList.add('field--error');
      const note = el('p', { class: 'field-error', id: noteId, 'data-form-error': '' },
        el('span', { class: 'visually-hidden' }, `${t('form.error_prefix')}: `), text);
      if (group) {
        const after = group.querySelector(':scope > .hint') || group.querySelector(':scope > legend');
        after.insertAdjacentElement('afterend', note);
      } else {
        // After the label and hint, right above the input (GOV.UK).
        const label = control.closest('label');
        (label && label.contains(control) && control.type !== 'checkbox' ? control : label || control)
          .insertAdjacentElement('beforebegin', note);
      }
      for (const input of group ? group.querySelectorAll(`input[name="${CSS.escape(control.name)}"]`) : [control]) {
        input.setAttribute('aria-invalid', 'true');
        const described = (input.getAttribute('aria-describedby') || '').split(' ').filter(Boolean);
        input.setAttribute('aria-describedby', [...described, noteId].join(' '));
      }
    }
    items.push(el('li', {}, el('a', {
      href: `#${control.id}`,
      onclick: (event) => { event.preventDefault(); control.focus(); control.scrollIntoView({ block: 'center' }); },
    }, text)));
  }
  const heading = title ? t(title) : errors.some((error) => error.control || error.field)
    ? plural('form.summary', errors.length) : t('form.summary_failed');
  const summary = el('div', { class: 'error-summary', role: 'alert', tabindex: '-1', 'data-form-summary': '' },
    el('h2', {}, heading), el('ul', {}, items));
  form.prepend(summary);
  if (focus) {
    summary.focus({ preventScroll: true });
    summary.scrollIntoView({ block: 'start' });
  }
  return summary;
}

/**
 * Show every error at its field and a summary on top with a link to each; the summary
 * takes the focus. errors: from validateForm, serverErrors, or {field, message}.
 * title: an i18n key for the summary heading (default: "Er zijn N fouten …").
 */
export function showErrors(form, errors, { title = null, focus = true } = {}) {
  const list = (Array.isArray(errors) ? errors : [errors]).map((error) => (
    error.key || error.text !== undefined ? error : { field: error.field || null, text: error.message }));
  return render(form, list, { title, focus });
}

// The names pages have used since they lived in ui.js.
export { clearErrors as clearFieldErrors, validateForm as validateRequired };

/**
 * showFieldErrors(form, apiErrorOrList[, { title }]): every error at its field and in a
 * summary on top; an ApiError goes to the field the server names.
 */
export function showFieldErrors(form, errors, options = {}) {
  const list = errors && errors.name === 'ApiError' ? serverErrors(form, errors) : errors;
  return showErrors(form, list, options);
}

/**
 * One message per form, at its top: success or error, each replacing the other.
 * kind 'success' | 'error' | 'info'; key an i18n key (rewritten on a language switch)
 * or text as is.
 */
export function formMessage(form, kind, { key = null, params = {}, text = null } = {}) {
  form.querySelectorAll('.form-message').forEach((node) => node.remove());
  if (kind === 'success') {
    form.querySelectorAll(':scope > .error-summary').forEach((node) => node.remove());
  }
  const message = el('div', {
    class: `form-message alert alert--${kind}`, role: kind === 'error' ? 'alert' : 'status', tabindex: '-1',
    dataset: key ? { key, params: JSON.stringify(params) } : {},
  }, key ? t(key, params) : text);
  form.prepend(message);
  return message;
}

/**
 * The whole pattern in one call: on submit, prepare(form) (tidy typed values), check
 * the form (plus validate(form) for
 * rules of the page), show all errors at once or send(data, form); on success clear
 * every error and call success(result); a refused request shows its error at its field.
 */
export function handleSubmit(form, { prepare = null, validate = null, send, success = null, fields = {}, busyLabel = null }) {
  form.noValidate = true;
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const button = event.submitter || form.querySelector('[type=submit]');
    if (button?.dataset.busy === 'true') return;
    clearErrors(form);
    form.querySelectorAll('.form-message').forEach((node) => node.remove());
    if (prepare) prepare(form);
    const errors = [...validateForm(form), ...(validate ? validate(form) || [] : [])];
    if (errors.length) { showErrors(form, errors); return; }
    setBusy(button, true, busyLabel || undefined);
    let result;
    try {
      result = await send(formData(form), form);
    } catch (error) {
      setBusy(button, false);
      showErrors(form, serverErrors(form, error, { fields }));
      return;
    }
    setBusy(button, false);
    clearErrors(form);
    if (success) await success(result, form);
  });
  return form;
}

/*
 * A field that is being corrected loses its error at once (its note, its red border and
 * its line in the summary), so an old error never stands next to a corrected value.
 */
document.addEventListener('input', (event) => {
  const control = event.target;
  if (!control.form || control.getAttribute?.('aria-invalid') !== 'true') return;
  const ids = (control.getAttribute('aria-describedby') || '').split(' ').filter((id) => id.startsWith('error-'));
  const form = control.form;
  const group = groupOf(control);
  for (const input of group ? group.querySelectorAll(`input[name="${CSS.escape(control.name)}"]`) : [control]) {
    input.removeAttribute('aria-invalid');
    const rest = (input.getAttribute('aria-describedby') || '').split(' ').filter((id) => id && !ids.includes(id));
    if (rest.length) input.setAttribute('aria-describedby', rest.join(' ')); else input.removeAttribute('aria-describedby');
  }
  for (const id of ids) document.getElementById(id)?.remove();
  (group || control.closest('.field') || control.parentElement)?.classList.remove('field--error');
  const summary = form.querySelector('.error-summary[data-form-summary]');
  summary?.querySelectorAll(`a[href="#${CSS.escape(control.id)}"]`).forEach((link) => link.closest('li').remove());
  const state = shown.get(form);
  if (state) state.errors = state.errors.filter((error) => (error.control || controlFor(form, error.field)) !== control);
  if (summary && !summary.querySelector('li')) { summary.remove(); shown.delete(form); }
});

// A language switch rewrites the errors and messages a page made itself.
onLanguageChange(() => {
  for (const form of document.querySelectorAll('form')) {
    const state = shown.get(form);
    if (state) render(form, state.errors, { title: state.title, focus: false });
    form.querySelectorAll('.form-message[data-key]').forEach((node) => {
      node.textContent = t(node.dataset.key, JSON.parse(node.dataset.params || '{}'));
    });
  }
});
