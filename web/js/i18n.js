// Translations: Dutch by default, English on request. Only the dictionary of the
// language in use is loaded: the server preloads it for the page (it reads the
// alvd_lang cookie) and switching loads the other one on demand.
// Features add their own namespaced keys with addMessages({ nl: {...}, en: {...} }).
const STORAGE_KEY = 'alvd.lang';
const COOKIE = 'alvd_lang';
export const LANGUAGES = ['nl', 'en'];
const dictionaries = { nl: {}, en: {} };
const loaded = new Set();

// Literal specifiers, so the server can put both in the page's import map.
const loaders = {
  nl: () => import('./i18n/nl.js'),
  en: () => import('./i18n/en.js'),
};

function cookieLanguage() {
  const match = /(?:^|;\s*)alvd_lang=(nl|en)(?:;|$)/.exec(document.cookie);
  return match ? match[1] : null;
}

function storedLanguage() {
  let value = cookieLanguage();
  try {
    value = value || localStorage.getItem(STORAGE_KEY); // chosen before the cookie existed
  } catch { /* storage disabled */ }
  return LANGUAGES.includes(value) ? value : 'nl';
}

/** Keep the choice where the server sees it (the cookie) and in localStorage. */
function remember(lang) {
  const secure = location.protocol === 'https:' ? '; Secure' : '';
  document.cookie = `${COOKIE}=${lang}; Path=/; Max-Age=31536000; SameSite=Strict${secure}`;
  try {
    localStorage.setItem(STORAGE_KEY, lang);
  } catch { /* private mode: the cookie still carries it */ }
}

/** Load a language's dictionary once; keys added by features win over it. */
async function loadDictionary(lang) {
  if (loaded.has(lang)) return;
  const { default: base } = await loaders[lang]();
  dictionaries[lang] = { ...base, ...dictionaries[lang] };
  loaded.add(lang);
}

let current = storedLanguage();
if (cookieLanguage() !== current) remember(current);
document.documentElement.lang = current;
await loadDictionary(current);

/** The current language: 'nl' or 'en'. */
export function getLanguage() {
  return current;
}

/** The locale for Intl formatters ('nl-NL' or 'en-GB'). */
export function getLocale() {
  return current === 'en' ? 'en-GB' : 'nl-NL';
}

/** Merge a feature's keys: addMessages({ nl: { 'x.title': '…' }, en: { 'x.title': '…' } }). */
export function addMessages(messages) {
  for (const lang of LANGUAGES) Object.assign(dictionaries[lang], messages[lang] || {});
}

/** True when the key exists in the current language or in Dutch. */
export function hasMessage(key) {
  return key in dictionaries[current] || key in dictionaries.nl;
}

/**
 * Translate a key; "{name}" placeholders are filled from params. Falls back to Dutch,
 * then to the key itself (so a literal sentence passes through unchanged).
 */
export function t(key, params = {}) {
  const text = dictionaries[current][key] ?? dictionaries.nl[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (whole, name) => (name in params ? String(params[name]) : whole));
}

/**
 * Fill elements under root: data-i18n="key" sets the text; data-i18n-attr=
 * "placeholder:key; aria-label:other.key" sets attributes.
 */
export function translatePage(root = document) {
  for (const element of root.querySelectorAll('[data-i18n]')) {
    element.textContent = t(element.dataset.i18n);
  }
  for (const element of root.querySelectorAll('[data-i18n-attr]')) {
    for (const pair of element.dataset.i18nAttr.split(';')) {
      const [attribute, key] = pair.split(':').map((part) => part.trim());
      if (attribute && key) element.setAttribute(attribute, t(key));
    }
  }
}

/**
 * Switch language: its dictionary loaded (once), the choice stored, <html lang>
 * updated, the page retranslated, then 'alvd:languagechange' fired. Returns a promise.
 */
export async function setLanguage(lang) {
  if (!LANGUAGES.includes(lang)) return;
  await loadDictionary(lang);
  current = lang;
  remember(lang);
  document.documentElement.lang = lang;
  translatePage(document);
  window.dispatchEvent(new CustomEvent('alvd:languagechange', { detail: { lang } }));
}

/** Run fn(lang) after every language switch (re-render dynamic text there). */
export function onLanguageChange(fn) {
  window.addEventListener('alvd:languagechange', (event) => fn(event.detail.lang));
}
