// Shared UI helpers: safe DOM building, the page shell (header, nav, footer), toasts,
// busy buttons, form data and date formatting. No innerHTML with data, ever.
import { t, translatePage, getLanguage, getLocale, setLanguage, onLanguageChange, hasMessage } from './i18n.js';
import { getSession, logout, redirectToLogin, hasRole } from './api.js';

/* ---- DOM building ------------------------------------------------------- */

const SVG_NS = 'http://www.w3.org/2000/svg';

/**
 * el('a', { href: '/x', class: 'button', onclick: fn, dataset: { id: 3 } }, 'text', node, [more])
 * Strings become text nodes; null/false children are skipped; arrays are flattened.
 * 'svg:rect' creates an SVG element (for inline charts). style= is refused (CSP).
 */
export function el(tag, attrs = {}, ...children) {
  const element = tag.startsWith('svg:') ? document.createElementNS(SVG_NS, tag.slice(4)) : document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (name === 'class' || name === 'className') element.setAttribute('class', Array.isArray(value) ? value.filter(Boolean).join(' ') : value);
    else if (name === 'dataset') Object.assign(element.dataset, value);
    else if (name === 'style') throw new Error('el(): style attributes are blocked by the CSP; use a class');
    else if (name.startsWith('on') && typeof value === 'function') element.addEventListener(name.slice(2).toLowerCase(), value);
    else element.setAttribute(name, value === true ? '' : String(value));
  }
  append(element, children);
  return element;
}

function append(parent, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(parent, child);
    else parent.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** The value of ?name= in the page's address (or null). */
export function param(name) {
  return new URLSearchParams(location.search).get(name);
}

/**
 * Where to go after login: value only when, parsed as a URL the way the browser will
 * parse it (tabs and newlines dropped, \ read as /), it is a path on this site; then
 * the absolute same-origin URL, so nothing is left for a second parse to reinterpret.
 * '/\\evil.example' and '/%09/evil.example' (a tab, then //evil.example) become fallback.
 */
export function safeNext(value, fallback = '/staff/') {
  if (typeof value !== 'string' || !value.startsWith('/')) return fallback;
  let url;
  try { url = new URL(value, location.origin); } catch { return fallback; }
  return url.origin === location.origin ? url.href : fallback;
}

/* ---- Dates -------------------------------------------------------------- */

/**
 * formatDate('2026-06-16') → 'dinsdag 16 juni 2026' / 'Tuesday 16 June 2026'.
 * style: 'long' (with weekday, default), 'medium' ('16 juni 2026'), 'short' ('16-06-2026').
 */
export function formatDate(civilDate, style = 'long') {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(civilDate || '');
  if (!match) return civilDate || '';
  const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  const options = { timeZone: 'UTC' };
  if (style === 'short') Object.assign(options, { day: '2-digit', month: '2-digit', year: 'numeric' });
  else Object.assign(options, { day: 'numeric', month: 'long', year: 'numeric' }, style === 'long' ? { weekday: 'long' } : {});
  return new Intl.DateTimeFormat(getLocale(), options).format(date).replace(',', '');
}

/** formatDateTime('2026-06-16T12:05:00Z') → '16 juni 2026 14:05' (Amsterdam time). */
export function formatDateTime(instant) {
  const date = new Date(instant);
  if (Number.isNaN(date.getTime())) return instant || '';
  return new Intl.DateTimeFormat(getLocale(), {
    timeZone: 'Europe/Amsterdam', day: 'numeric', month: 'long', year: 'numeric', hour: '2-digit', minute: '2-digit',
  }).format(date).replace(',', '').replace(' om ', ' ').replace(' at ', ' ');
}

/** Today as a civil date 'YYYY-MM-DD' in Amsterdam (for date input defaults). */
export function todayCivil() {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Amsterdam' }).format(new Date());
}

/* ---- Feedback: toasts, busy buttons, error text ------------------------- */

function toastRegion() {
  let region = document.querySelector('.toast-region');
  if (!region) {
    region = el('div', { class: 'toast-region' });
    document.body.append(region);
  }
  return region;
}

/**
 * toast('Opgeslagen.', 'success' | 'error' | 'info'); errors stay until closed, but a new
 * success or error replaces the earlier ones: an old error never stands next to a new
 * "Opgeslagen." (nor an old success next to a new error).
 */
export function toast(message, kind = 'info', { timeout = kind === 'error' ? 0 : 6000 } = {}) {
  if (kind === 'success' || kind === 'error') {
    toastRegion().querySelectorAll('.toast--success, .toast--error').forEach((old) => old.remove());
  }
  const item = el('div', { class: `toast toast--${kind}`, role: kind === 'error' ? 'alert' : 'status' },
    el('span', { class: 'toast__text' }, message));
  const close = () => item.remove();
  item.append(el('button', { type: 'button', class: 'toast__close', 'aria-label': t('common.close'), onclick: close }, '×'));
  toastRegion().append(item);
  if (timeout > 0) setTimeout(close, timeout);
  return item;
}

/**
 * setBusy(button, true[, 'Bezig…']): disabled, aria-busy, spinner (and optional label);
 * setBusy(button, false) restores it and gives focus back if it had it.
 */
export function setBusy(button, busy, label) {
  if (!button) return;
  if (busy) {
    if (button.dataset.busy === 'true') return;
    button.dataset.busy = 'true';
    button._restore = { children: [...button.childNodes], focused: document.activeElement === button };
    button.disabled = true;
    button.setAttribute('aria-busy', 'true');
    const spinner = el('span', { class: 'spinner', 'aria-hidden': 'true' });
    if (label) button.replaceChildren(spinner, label);
    else button.prepend(spinner);
  } else if (button.dataset.busy === 'true') {
    delete button.dataset.busy;
    button.disabled = false;
    button.removeAttribute('aria-busy');
    const restore = button._restore;
    button.replaceChildren(...restore.children);
    if (restore.focused && (document.activeElement === document.body || !document.activeElement)) button.focus();
    delete button._restore;
  }
}

/** The sentence to show for an error: the server's, or English by code, or a fallback. */
export function errorMessage(error) {
  if (!error || error.name !== 'ApiError') {
    console.error(error);
    return t('error.unknown');
  }
  const key = `error.${error.code}`;
  return getLanguage() !== 'nl' && hasMessage(key) ? t(key) : error.message;
}

/* ---- Forms -------------------------------------------------------------- */

/**
 * formData(form) → plain object: text trimmed, empty fields left out, checkboxes as
 * booleans, type=number as numbers, repeated names (multi-select, checkbox groups
 * with data-multiple) as arrays.
 */
export function formData(form) {
  const data = {};
  for (const element of form.elements) {
    const { name, type } = element;
    if (!name || element.disabled || type === 'submit' || type === 'button' || type === 'file') continue;
    let value;
    if (type === 'checkbox') {
      if (element.dataset.multiple !== undefined) {
        data[name] = data[name] || [];
        if (element.checked) data[name].push(element.value);
        continue;
      }
      value = element.checked;
    } else if (type === 'radio') {
      if (!element.checked) continue;
      value = element.value;
    } else if (element.multiple && element.tagName === 'SELECT') {
      value = [...element.selectedOptions].map((option) => option.value);
    } else {
      value = type === 'password' ? element.value : element.value.trim();
      if (value === '') continue;
      if (type === 'number') value = Number(value);
    }
    data[name] = value;
  }
  return data;
}

// The form pattern (errors at their fields: showFieldErrors, clearFieldErrors,
// validateRequired) lives in forms.js, imported by the pages with forms: a page without
// one (the phone's ballot) does not load it.

/* ---- Tabs ---------------------------------------------------------------- */

/**
 * tabs(container): wires [role=tab] buttons (aria-controls → panel id) inside
 * container: click and arrow keys select, other panels get hidden. Returns select(i).
 */
export function tabs(container) {
  const list = [...container.querySelectorAll('[role="tab"]')];
  const select = (index, focus = false) => {
    list.forEach((tab, i) => {
      const active = i === index;
      tab.setAttribute('aria-selected', String(active));
      tab.tabIndex = active ? 0 : -1;
      const panel = document.getElementById(tab.getAttribute('aria-controls'));
      if (panel) panel.hidden = !active;
    });
    if (focus) list[index].focus();
  };
  list.forEach((tab, i) => {
    tab.addEventListener('click', () => select(i));
    tab.addEventListener('keydown', (event) => {
      const moves = { ArrowRight: i + 1, ArrowLeft: i - 1, Home: 0, End: list.length - 1 };
      if (!(event.key in moves)) return;
      event.preventDefault();
      select((moves[event.key] + list.length) % list.length, true);
    });
  });
  const initial = list.findIndex((tab) => tab.getAttribute('aria-selected') === 'true');
  select(initial < 0 ? 0 : initial);
  return select;
}

/* ---- The shell: header, nav, footer -------------------------------------- */

/**
 * Staff areas and who may use them (nav + dashboard). Pages live at
 * /staff/<id>.html. Adjust roles here, in one place.
 */
export const STAFF_AREAS = [
  { id: 'dashboard', href: '/staff/', roles: null },
  { id: 'register', href: '/staff/register.html', roles: ['secretariat', 'admin'] },
  { id: 'code', href: '/staff/code.html', roles: ['admin', 'board'] },
  { id: 'cycles', href: '/staff/cycles.html', roles: ['board'] },
  { id: 'meetings', href: '/staff/meetings.html', roles: ['secretariat', 'chair', 'board', 'admin'] },
  { id: 'withdrawals', href: '/staff/withdrawals.html', roles: ['secretariat', 'admin'] },
  { id: 'meldpunt', href: '/staff/meldpunt.html', roles: ['meldpunt'] },
  { id: 'audit', href: '/staff/audit.html', roles: ['admin'] },
  { id: 'outbox', href: '/staff/outbox.html', roles: ['admin'] },
];

/** The areas a session may use (dashboard first). */
export function staffAreas(session) {
  return STAFF_AREAS.filter((area) => !area.roles || hasRole(session, area.roles));
}

const PUBLIC_LINKS = [
  { id: 'code', href: '/code.html', key: 'public.code' },
  { id: 'meldpunt', href: '/meldpunt.html', key: 'public.meldpunt' },
  { id: 'register', href: '/register.html', key: 'public.register' },
  { id: 'login', href: '/login.html', key: 'shell.login' },
];

function brandMark() {
  const mark = el('svg:svg', { class: 'brand__mark', viewBox: '0 0 32 32', 'aria-hidden': 'true', focusable: 'false' },
    el('svg:rect', { width: 32, height: 32, rx: 7, fill: '#ffffff' }),
    el('svg:path', { d: 'M9 22V10h3.2v5l4.6-5h3.9l-5 5.3L21 22h-3.9l-3.5-4.9-1.4 1.5V22z', fill: '#15396b' }));
  return mark;
}

let shellOptions = null;

/**
 * renderShell({ title, active, session }): fills <header id="site-header"> and
 * <footer id="site-footer"> (created when missing), sets document.title and makes
 * sure the skip link exists. title is an i18n key (or plain text); active is an
 * area id ('register', …) or a public link id; session null → public nav.
 * Re-renders itself when the language changes.
 */
export function renderShell({ title, active = null, session = null } = {}) {
  const first = shellOptions === null;
  shellOptions = { title, active, session };
  const staff = session?.kind === 'user';
  document.title = title ? `${t(title)} · ${t('shell.product')}` : t('shell.product');

  if (!document.querySelector('.skip-link')) {
    document.body.prepend(el('a', { class: 'skip-link', href: '#main' }, t('shell.skip')));
  } else {
    document.querySelector('.skip-link').textContent = t('shell.skip');
  }
  const main = document.querySelector('main');
  if (main && !main.id) main.id = 'main';
  if (main && !main.hasAttribute('tabindex')) main.tabIndex = -1;

  let header = document.getElementById('site-header');
  if (!header) {
    header = el('header', { id: 'site-header', class: 'site-header' });
    document.body.insertBefore(header, main || document.body.firstChild);
  }
  const focusedLanguage = document.activeElement?.classList.contains('lang-toggle');
  const other = getLanguage() === 'nl' ? 'en' : 'nl';
  const languageButton = el('button', {
    type: 'button', class: 'header-button lang-toggle', lang: other,
    onclick: () => setLanguage(other).catch(() => toast(t('error.network'), 'error')),
  }, el('span', { class: 'lang-toggle__short', 'aria-hidden': 'true' }, other.toUpperCase()),
  el('span', { class: 'lang-toggle__long' }, t('shell.switch_language')));

  const links = staff
    ? staffAreas(session).map((area) => ({ id: area.id, href: area.href, key: `area.${area.id}` }))
    : PUBLIC_LINKS;
  const items = links.map((link) => el('li', {}, el('a', {
    href: link.href, 'aria-current': link.id === active ? 'page' : null,
  }, t(link.key))));
  const logoutButton = (extraClass) => el('button', {
    type: 'button', class: `header-button ${extraClass}`, 'data-action': 'logout',
    onclick: async (event) => {
      setBusy(event.currentTarget, true);
      try {
        await logout();
        location.assign('/login.html?reason=logged_out');
      } catch (error) {
        setBusy(event.currentTarget, false);
        toast(errorMessage(error), 'error');
      }
    },
  }, t('shell.logout'));
  // The user's own account (second factor, recovery codes), last before logging out.
  if (staff) items.push(el('li', {}, el('a', { href: '/staff/account.html', 'aria-current': active === 'account' ? 'page' : null }, t('shell.account'))));
  // Two logout buttons, one shown per layout: in the menu on phones, in the top row wider.
  if (staff) items.push(el('li', { class: 'site-nav__logout' }, logoutButton('header-button--menu')));
  const navToggle = el('button', {
    type: 'button', class: 'header-button nav-toggle', 'aria-expanded': 'false', 'aria-controls': 'site-nav',
    onclick: (event) => {
      const open = event.currentTarget.getAttribute('aria-expanded') !== 'true';
      event.currentTarget.setAttribute('aria-expanded', String(open));
      document.getElementById('site-nav').classList.toggle('is-closed', !open);
    },
  }, t('shell.menu'));

  header.replaceChildren(el('div', { class: 'site-header__inner' },
    el('a', { class: 'brand', href: staff ? '/staff/' : '/' }, brandMark(), t('shell.product')),
    el('div', { class: 'site-header__tools' },
      staff ? el('a', { class: 'site-header__user', href: '/staff/account.html' }, session.user.name) : null,
      languageButton, staff ? logoutButton('header-button--logout') : null, navToggle),
    el('nav', { id: 'site-nav', class: 'site-nav is-closed', 'aria-label': t('shell.nav') }, el('ul', {}, items))));
  if (focusedLanguage) languageButton.focus();

  let footer = document.getElementById('site-footer');
  if (!footer) {
    footer = el('footer', { id: 'site-footer', class: 'site-footer' });
    document.body.append(footer);
  }
  footer.replaceChildren(el('div', { class: 'site-footer__inner' },
    el('span', {}, t('shell.footer_about')),
    el('a', { href: '/code.html' }, t('public.code')),
    el('a', { href: '/meldpunt.html' }, t('public.meldpunt')),
    el('a', { href: '/register.html' }, t('public.register')),
    el('span', {}, t('shell.footer_privacy'))));
  toastRegion();

  if (first) onLanguageChange(() => renderShell(shellOptions));
}

/* ---- Page starters -------------------------------------------------------- */

/** A public page: shell with the public nav, page translated. */
export function publicPage({ title, active = null } = {}) {
  renderShell({ title, active, session: null });
  translatePage(document);
}

/**
 * A staff page: sends anonymous visitors to the login page, renders the shell,
 * translates the page and resolves to the session. With roles, users without any
 * of them see 'no access' and the promise never settles.
 */
export async function staffPage({ title, active = null, roles = null } = {}) {
  let session;
  try {
    session = await getSession();
  } catch (error) {
    renderShell({ title, active, session: null });
    translatePage(document);
    document.querySelector('main')?.prepend(el('div', { class: 'alert alert--error', role: 'alert' }, errorMessage(error)));
    return new Promise(() => {});
  }
  if (!session || session.kind !== 'user') return redirectToLogin('login');
  // Password right, second factor required but not set up: the login page sets it up.
  if (session.second_factor?.session === 'enrolment') return redirectToLogin('enrol');
  renderShell({ title, active, session });
  translatePage(document);
  if (roles && roles.length && !hasRole(session, roles)) {
    const main = document.querySelector('main');
    const heading = main.querySelector('h1');
    main.replaceChildren(...(heading ? [heading] : []), el('div', { class: 'alert alert--error', role: 'alert' },
      el('strong', { class: 'alert__title' }, t('error.no_access')), el('p', {}, t('error.no_access_hint'))));
    return new Promise(() => {});
  }
  return session;
}
