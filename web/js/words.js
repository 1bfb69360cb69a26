// The one voice in code (docs/schrijfwijzer.md): plurals chosen by count, and dates in
// words inside sentences that come from elsewhere (the server writes YYYY-MM-DD).
import { t, getLocale, hasMessage } from './i18n.js';
import { formatDate } from './ui.js';

/**
 * plural('consult.comments_count', 3, { … }) → t('consult.comments_count.other', { count: 3, … });
 * the key's .one / .other forms are chosen by the language's plural rules (.zero, when
 * given, for 0). A key without forms is used as is: plural('x.replied', 3) → t('x.replied').
 */
export function plural(key, count, params = {}) {
  // Dutch and English have no plural form for 0; a key may still say it in words (.zero).
  const form = count === 0 && hasMessage(`${key}.zero`) ? 'zero' : new Intl.PluralRules(getLocale()).select(count);
  const chosen = hasMessage(`${key}.${form}`) ? `${key}.${form}` : hasMessage(`${key}.other`) ? `${key}.other` : key;
  return t(chosen, { count, ...params });
}

/**
 * A sentence the server wrote in Dutch (an effect, an advice) with every YYYY-MM-DD in
 * it in Dutch words: "uiterlijk op donderdag 2027-03-18" → "uiterlijk op donderdag
 * 18 maart 2027". The sentence stays Dutch, so its dates do too.
 */
export function wordDates(sentence) {
  const weekdays = 'maandag|dinsdag|woensdag|donderdag|vrijdag|zaterdag|zondag';
  const pattern = new RegExp(`\\b(?:(${weekdays}) )?(\\d{4})-(\\d{2})-(\\d{2})\\b(?!T)`, 'g');
  return String(sentence ?? '').replace(pattern, (whole, weekday, year, month, day) => {
    const date = new Date(Date.UTC(Number(year), Number(month) - 1, Number(day)));
    if (Number.isNaN(date.getTime())) return whole;
    return new Intl.DateTimeFormat('nl-NL', { timeZone: 'UTC', weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' })
      .format(date).replace(',', '');
  });
}

/* ---- Amsterdam wall clock, whatever the browser's time zone ---- */

/** The civil date and time in Amsterdam of an instant: { date: 'YYYY-MM-DD', time: 'HH:MM' }. */
export function amsterdamParts(instant) {
  const parts = Object.fromEntries(new Intl.DateTimeFormat('en-GB', {
    timeZone: 'Europe/Amsterdam', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
  }).formatToParts(new Date(instant)).map((part) => [part.type, part.value]));
  return { date: `${parts.year}-${parts.month}-${parts.day}`, time: `${parts.hour}:${parts.minute}` };
}

/** Amsterdam's offset from UTC at an instant, in minutes (60 or 120). */
function amsterdamOffset(instant) {
  const { date, time } = amsterdamParts(instant);
  const wall = Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10)),
    Number(time.slice(0, 2)), Number(time.slice(3, 5)));
  return Math.round((wall - Math.floor(instant / 60000) * 60000) / 60000);
}

/**
 * 'YYYY-MM-DDTHH:MM' read as Amsterdam wall time → RFC 3339 with Amsterdam's offset
 * ('2026-12-08T09:00:00+01:00'), the same instant in any browser.
 */
export function amsterdamInstant(localValue) {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(localValue || '');
  if (!match) return null;
  const wall = Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]), Number(match[4]), Number(match[5]));
  let offset = amsterdamOffset(wall - 60 * 60000);
  if (amsterdamOffset(wall - offset * 60000) !== offset) offset = amsterdamOffset(wall - offset * 60000);
  const sign = offset >= 0 ? '+' : '-';
  const hours = String(Math.floor(Math.abs(offset) / 60)).padStart(2, '0');
  const minutes = String(Math.abs(offset) % 60).padStart(2, '0');
  return `${localValue}:00${sign}${hours}:${minutes}`;
}

function easter(year) {
  const a = year % 19; const b = Math.floor(year / 100); const c = year % 100;
  const d = Math.floor(b / 4); const e = b % 4; const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3); const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4); const k = c % 4; const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return Date.UTC(year, month - 1, day);
}

/** True on Saturday, Sunday and the Dutch public holidays of docs/rules.md (R7). */
export function isDayOff(civilDate) {
  const [year, month, day] = civilDate.split('-').map(Number);
  const time = Date.UTC(year, month - 1, day);
  const weekday = new Date(time).getUTCDay();
  if (weekday === 0 || weekday === 6) return true;
  const kingsDay = new Date(Date.UTC(year, 3, 27)).getUTCDay() === 0 ? '04-26' : '04-27';
  if (['01-01', kingsDay, '05-05', '12-25', '12-26'].includes(civilDate.slice(5))) return true;
  const fromEaster = Math.round((time - easter(year)) / 86400000);
  return [-2, 1, 39, 50].includes(fromEaster);
}

/** A civil date plus days. */
export function addDays(civilDate, days) {
  const [year, month, day] = civilDate.split('-').map(Number);
  return new Date(Date.UTC(year, month - 1, day + days)).toISOString().slice(0, 10);
}

/** The first working day after civilDate. */
export function nextWorkingDay(civilDate) {
  let date = addDays(civilDate, 1);
  while (isDayOff(date)) date = addDays(date, 1);
  return date;
}
