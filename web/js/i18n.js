// Translations: Dutch by default, English on request (kept in localStorage).
// Features add their own namespaced keys with addMessages({ nl: {...}, en: {...} }).
import nl from './i18n/nl.js';
import en from './i18n/en.js';

const STORAGE_KEY = 'alvd.lang';
const dictionaries = { nl: { ...nl }, en: { ...en } };
export const LANGUAGES = ['nl', 'en'];

function storedLanguage() {
  try {
    const value = localStorage.getItem(STORAGE_KEY);
    return LANGUAGES.includes(value) ? value : 'nl';
  } catch {
    return 'nl';
  }
}

let current = storedLanguage();
document.documentElement.lang = current;

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

/** Switch language: stored, <html lang> updated, page retranslated, 'languagechange' fired. */
export function setLanguage(lang) {
  if (!LANGUAGES.includes(lang)) return;
  current = lang;
  try {
    localStorage.setItem(STORAGE_KEY, lang);
  } catch { /* private mode: the choice lasts for this page only */ }
  document.documentElement.lang = lang;
  translatePage(document);
  window.dispatchEvent(new CustomEvent('alvd:languagechange', { detail: { lang } }));
}

/** Run fn(lang) after every language switch (re-render dynamic text there). */
export function onLanguageChange(fn) {
  window.addEventListener('alvd:languagechange', (event) => fn(event.detail.lang));
}
