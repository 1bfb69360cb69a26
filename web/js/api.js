// The one way pages talk to /api/*: cookies, the CSRF header on changing methods,
// and errors turned into ApiError with the server's sentence in the page's language.
import { t, getLanguage } from './i18n.js';

const CSRF_KEY = 'alvd.csrf';
const CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const TIMEOUT_MS = 30000;

/** An error answer: status (0 = network), code, field, message (a sentence for people). */
export class ApiError extends Error {
  constructor({ status, code, field = null, message, retryAfter = null, body = null }) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.field = field;
    this.retryAfter = retryAfter; // seconds, from Retry-After on 429/503
    this.body = body;
  }
}

function readCsrf() {
  try { return sessionStorage.getItem(CSRF_KEY); } catch { return null; }
}

function storeCsrf(value) {
  try {
    if (value) sessionStorage.setItem(CSRF_KEY, value);
    else sessionStorage.removeItem(CSRF_KEY);
  } catch { /* storage disabled: the header is fetched again when needed */ }
}

/* A GET the page's server may have started already (Link: rel=preload as=fetch, see
   docs/performance.md): Chromium hands that answer to a fetch() only when URL, mode,
   credentials and headers are the same, so it carries no headers of its own and names
   the page's language in the URL (?lang=, as the preload does). */
function preloadableUrl(path) {
  return `${path}${path.includes('?') ? '&' : '?'}lang=${getLanguage()}`;
}

async function send(method, path, body, options) {
  // The server writes its error sentences in the page's language, not the browser's.
  const preloadable = options.preloadable && method === 'GET';
  const headers = preloadable ? {} : { Accept: 'application/json', 'Accept-Language': getLanguage(), ...(options.headers || {}) };
  if (preloadable) path = preloadableUrl(path);
  let payload;
  if (body instanceof FormData || body instanceof Blob) {
    payload = body;
  } else if (body !== undefined) {
    payload = JSON.stringify(body);
    headers['Content-Type'] = 'application/json';
  }
  if (CHANGING.has(method)) {
    let csrf = readCsrf();
    if (!csrf && !path.startsWith('/api/session')) csrf = (await getSession())?.csrf || null;
    if (csrf) headers['X-CSRF-Token'] = csrf;
  }
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), options.timeout || TIMEOUT_MS);
  try {
    return await fetch(path, { method, headers, body: payload, credentials: 'same-origin', signal: controller.signal });
  } catch {
    throw new ApiError({ status: 0, code: 'network', message: t('error.network') });
  } finally {
    clearTimeout(timer);
  }
}

async function parse(response) {
  if (response.status === 204) return null;
  const text = await response.text();
  if (!text) return null;
  try { return JSON.parse(text); } catch { return text; }
}

/**
 * api('GET', '/api/organisations') → parsed JSON (null for 204).
 * body: an object (sent as JSON), FormData or Blob. options: { headers, timeout, raw,
 * preloadable } (raw: true returns the fetch Response untouched, e.g. for downloads;
 * preloadable: a GET that may take the answer of the page's preload, see send()).
 * Throws ApiError for any status ≥ 400 and for network failures.
 */
export async function api(method, path, body, options = {}) {
  method = method.toUpperCase();
  let response = await send(method, path, body, options);
  if (response.status === 403 && CHANGING.has(method)) {
    // The CSRF value may be stale (another tab logged in again): refresh once and retry.
    const peek = await response.clone().json().catch(() => null);
    if (peek?.code === 'csrf') {
      storeCsrf(null);
      const session = await getSession({ refresh: true });
      if (session) response = await send(method, path, body, options);
    }
  }
  if (options.raw && response.ok) return response;
  const data = await parse(response);
  if (response.ok) return data;
  const retryAfter = Number.parseInt(response.headers.get('Retry-After') || '', 10);
  const fields = data && typeof data === 'object' ? data : {};
  let message = fields.error;
  if (response.status === 503 || response.status === 502 || response.status === 504) message = message || t('error.unavailable');
  throw new ApiError({
    status: response.status,
    code: fields.code || `http_${response.status}`,
    field: fields.field || null,
    message: message || t('error.unknown'),
    retryAfter: Number.isFinite(retryAfter) ? retryAfter : null,
    body: data,
  });
}

let sessionPromise = null;

/**
 * The current session ({csrf, kind:'user'|'member'|'contact', user|member|contact}) or
 * null when not logged in. Cached for the page; { refresh: true } asks again.
 */
export function getSession({ refresh = false } = {}) {
  if (!sessionPromise || refresh) {
    sessionPromise = api('GET', '/api/session', undefined, { preloadable: true })
      .then((session) => { storeCsrf(session.csrf); return session; })
      .catch((error) => {
        if (error.status === 401) { storeCsrf(null); return null; }
        sessionPromise = null; // a network error: ask again next time
        throw error;
      });
  }
  return sessionPromise;
}

/**
 * Log in a staff user (with totp: the code from the app or a recovery code, when the
 * first try answered 401 totp_required); keeps the CSRF value and primes the session cache.
 */
export async function login(email, password, totp) {
  const answer = await api('POST', '/api/session', totp ? { email, password, totp } : { email, password });
  adoptSession(answer);
  return answer;
}

/** Keep a login answer of any kind (password, ticket, link): CSRF + cached session. */
export function adoptSession(answer) {
  storeCsrf(answer.csrf);
  const kind = answer.user ? 'user' : answer.member ? 'member' : 'contact';
  const { token, ...rest } = answer; // the token stays out of memory: the cookie carries it
  sessionPromise = Promise.resolve({ ...rest, kind });
}

/** End the session on the server and forget it here (never throws on 401). */
export async function logout() {
  try {
    await api('DELETE', '/api/session');
  } catch (error) {
    if (error.status !== 401) throw error;
  } finally {
    storeCsrf(null);
    sessionPromise = null;
  }
}

/** Roles of a session's user ([] for members and contacts). */
export function rolesOf(session) {
  return session?.kind === 'user' ? session.user.roles || [] : [];
}

/** True when the session's user has at least one of the roles. */
export function hasRole(session, roles) {
  const mine = rolesOf(session);
  return roles.some((role) => mine.includes(role));
}

/** Send to /login.html?next=<this page>; returns a promise that never settles. */
export function redirectToLogin(reason) {
  const next = location.pathname + location.search;
  const query = new URLSearchParams({ next });
  if (reason) query.set('reason', reason);
  location.replace(`/login.html?${query}`);
  return new Promise(() => {});
}

/**
 * For staff pages: resolves to the session of a logged-in staff user, or sends the
 * browser to the login page. With roles, a user with none of them gets a
 * 'no access' message in <main> and the promise never settles.
 */
export async function requireStaff(roles) {
  const session = await getSession();
  if (!session || session.kind !== 'user') return redirectToLogin(session ? undefined : 'login');
  if (session.second_factor?.session === 'enrolment') return redirectToLogin('enrol');
  if (roles && roles.length && !hasRole(session, roles)) {
    const main = document.querySelector('main');
    if (main) {
      main.replaceChildren();
      const alert = document.createElement('div');
      alert.className = 'alert alert--error';
      alert.setAttribute('role', 'alert');
      const title = document.createElement('strong');
      title.className = 'alert__title';
      title.textContent = t('error.no_access');
      const hint = document.createElement('p');
      hint.textContent = t('error.no_access_hint');
      alert.append(title, hint);
      main.append(alert);
    }
    return new Promise(() => {});
  }
  return session;
}
