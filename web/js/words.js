// The one voice in code (docs/schrijfwijzer.md): plurals chosen by count, and dates in
// words inside sentences that come from elsewhere (the server writes YYYY-MM-DD).
import { t, getLocale, hasMessage } from './i18n.js';
import { formatDate } from './ui.js';

/**
 * plural('consult.comments_count', 3, { … }) → t('consult.comments_count.other', { count: 3, … });
 * the key's .one / .other forms are chosen by the language's plural rules.
 */
export function plural(key, count, params = {}) {
  const form = new Intl.PluralRules(getLocale()).select(count);
  const chosen = hasMessage(`${key}.${form}`) ? `${key}.${form}` : `${key}.other`;
  return t(chosen, { count, ...params });
}

/** A sentence with every YYYY-MM-DD in it written in words ("… eindigt op maandag 4 januari 2027"). */
export function wordDates(sentence, style = 'long') {
  return String(sentence ?? '').replace(/\b(\d{4}-\d{2}-\d{2})\b(?!T)/g, (date) => formatDate(date, style));
}
