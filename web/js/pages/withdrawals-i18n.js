// Texts of the withdrawal pages (issue 7): the intake, the list, the deadlines overview,
// the printable confirmation letter and the contact's online notice. Dutch first.
import { addMessages, t } from '../i18n.js';
import { formatDate } from '../ui.js';
import { wordDates, addDays } from '../words.js';

addMessages({
  nl: {
    'wd.title': 'Intrekkingen',
    'wd.lead': 'Leg intrekkingen van de ondertekening vast (Code art. 7). Voor het opslaan ziet u welke geplande versie van de Code de brief betreft, de uiterste ontvangstdatum, of de brief op tijd is en wat het gevolg is.',
    'wd.deadlines_link': 'Termijnen per geplande versie van de Code',
    'wd.intake': 'Brief vastleggen',
    'wd.correct_title': 'Registratie {id} corrigeren',
    'wd.correct_lead': 'Een correctie is een nieuwe registratie die de oude vervangt; de oude blijft bewaard.',
    'wd.org': 'Organisatie',
    'wd.org_hint': 'Zoek op naam of KvK-nummer.',
    'wd.org_none': 'Geen organisatie gevonden.',
    'wd.org_chosen': 'Gekozen: {name} (KvK {kvk})',
    'wd.received_on': 'Ontvangen op',
    'wd.received_hint': 'De dag van aflevering volgens track & trace of het postregister; een niet-afgehaalde brief telt vanaf de eerste aanbieding.',
    'wd.sent_on': 'Verstuurd op (als bekend)',
    'wd.form': 'Vorm',
    'wd.form.registered': 'Aangetekende brief',
    'wd.form.letter': 'Gewone brief',
    'wd.form.email': 'E-mail',
    'wd.tracking': 'Track & trace-code',
    'wd.tracking_hint': 'Zoals RR123456785NL, of een PostNL-code die begint met 3S (13 of 15 tekens). Niet verplicht.',
    'wd.tracking_ok': 'Deze code klopt: {code}',
    'wd.tracking_bad_digit': 'Deze code klopt niet: het controlecijfer past niet bij de cijfers. Kijk de code nog eens na.',
    'wd.tracking_bad_country': 'De landcode {country} bestaat niet: de laatste 2 letters zijn het land van het postbedrijf (ISO 3166-1, zoals NL, BE of DE).',
    'wd.tracking_bad': 'Deze code klopt niet. Een code is zoals RR123456785NL, of begint met 3S en telt 13 of 15 tekens.',
    'wd.scan': 'Scan van de brief',
    'wd.scan_hint': 'PDF, JPEG of PNG, hoogstens 10 MB.',
    'wd.scan_uploaded': 'Scan opgeslagen ({size} kB).',
    'wd.note': 'Notitie (intern)',
    'wd.reason': 'Reden van de correctie',
    'wd.preview': 'Wat volgt uit deze brief',
    'wd.preview_empty': 'Kies een organisatie en een ontvangstdatum; dan ziet u hier het gevolg.',
    'wd.preview_version': 'De brief gaat over versie {label} van de Code, die ingaat op {effective}. Een intrekking moest uiterlijk {deadline} binnen zijn.',
    'wd.preview_none': 'Er is na de ontvangstdatum geen wijziging van de Code gepland.',
    'wd.timely': 'Op tijd',
    'wd.late': 'Te laat',
    'wd.pending': 'Wacht op de volgende wijziging',
    'wd.save': 'Brief vastleggen',
    'wd.save_correction': 'Correctie vastleggen',
    'wd.saved': 'Vastgelegd als registratie {id}. De bevestiging gaat naar de contactpersonen.',
    'wd.list': 'Vastgelegde intrekkingen',
    'wd.show_all': 'Toon ook vervangen registraties',
    'wd.empty': 'Nog geen intrekkingen vastgelegd.',
    'wd.col.org': 'Organisatie',
    'wd.col.received': 'Ontvangen',
    'wd.col.version': 'Versie',
    'wd.col.assessment': 'Beoordeling',
    'wd.col.state': 'Stand',
    'wd.col.actions': 'Acties',
    'wd.state.applied': 'Verwerkt',
    'wd.state.pending': 'Wacht',
    'wd.state.superseded': 'Vervangen',
    'wd.letter': 'Bevestigingsbrief',
    'wd.scan_link': 'Scan',
    'wd.correct': 'Corrigeren',
    'wd.online': 'sent online',
    'dl.title': 'Termijnen',
    'dl.lead': 'Per geplande versie van de Code: de ingangsdatum, de uiterste ontvangstdatum voor intrekkingen, wie nog gebonden wordt en het verzendadvies. Een intrekking moet uiterlijk 4 weken vóór de ingangsdatum binnen zijn; valt die dag in een weekend of op een feestdag, dan blijft het toch die dag.',
    'dl.none': 'Er is geen wijziging van de Code gepland.',
    'dl.effective': 'Ingangsdatum',
    'dl.deadline': 'Uiterste ontvangstdatum',
    'dl.days_left': 'nog {days} dagen',
    'dl.days_today': 'vandaag',
    'dl.days_passed': 'verstreken ({days} dagen geleden)',
    'dl.send_by': 'Verzendadvies',
    'dl.withdrawals': 'Intrekkingen: {timely} op tijd, {late} te laat',
    'dl.taking_effect': 'Eerder te late intrekkingen die voor deze versie werken: {count}',
    'dl.to_be_bound': 'Ondertekenaars die vanaf {effective} gebonden worden: {count}',
    'dl.late_mark': 'te laat ingetrokken',
    'dl.pending': 'Intrekkingen die wachten op de volgende wijziging',
    'dl.feed': 'Agenda (iCalendar)',
    'dl.feed_lead': 'Een geheime link voor Outlook of een andere agenda. Wie de link heeft, ziet de termijnen; maak een nieuwe als hij is uitgelekt (de oude werkt dan niet meer).',
    'dl.feed_make': 'Nieuwe agendalink maken',
    'dl.feed_active': 'U heeft een agendalink sinds {since}. Die wordt alleen bij het maken getoond.',
    'dl.feed_url': 'Uw agendalink',
    'dl.feed_made': 'Nieuwe agendalink gemaakt; de vorige werkt niet meer.',
    'dl.copy': 'Kopiëren',
    'dl.copied': 'Gekopieerd.',
    'letter.title': 'Bevestiging van de intrekking',
    'letter.print': 'Afdrukken',
    'letter.subject': 'Betreft: bevestiging van de intrekking van de ondertekening van de Code voor Verantwoordelijk Marktgedrag',
    'letter.reference': 'Kenmerk: INT-{id}',
    'letter.dear': 'Geachte heer, mevrouw,',
    'letter.body': 'Op {received} ontving KSF de intrekking van de ondertekening van de Code door {name} ({form}).',
    'letter.version': 'De intrekking gaat over versie {label} van de Code, die ingaat op {effective}. Een intrekking moest uiterlijk {deadline} binnen zijn; deze intrekking is daarmee {verdict}.',
    'letter.no_version': 'Op de ontvangstdatum was geen wijziging van de Code gepland.',
    'letter.effect': '{effect}',
    'letter.replaces': 'Deze brief vervangt de bevestiging met kenmerk INT-{id}.',
    'letter.close': 'Met vriendelijke groet,',
    'letter.sender': 'Secretariaat KSF',
    'letter.superseded': 'Deze registratie is vervangen door registratie {id}; druk die bevestiging af.',
    'my.title': 'Ondertekening van de Code intrekken',
    'my.lead': 'Als contactpersoon van een organisatie die de Code heeft ondertekend, kunt u de ondertekening hier online intrekken (Code art. 7). Uw bericht geldt als ontvangen op de dag van verzenden.',
    'my.login': 'Log eerst in met de link die u per e-mail ontvangt.',
    'my.email': 'Uw e-mailadres',
    'my.send_link': 'Stuur mij een inloglink',
    'my.link_sent': 'Als dit adres bij een contactpersoon hoort, is er een inloglink verstuurd. Open na het inloggen deze pagina opnieuw.',
    'my.position': 'Wat volgt als u vandaag intrekt',
    'my.cannot': 'U kunt nu niet online intrekken',
    'my.text': 'Uw intrekking',
    'my.text_default': '{name} trekt hierbij de ondertekening van de Code voor Verantwoordelijk Marktgedrag in.',
    'my.confirm': 'Ik trek namens mijn organisatie de ondertekening van de Code in.',
    'my.send': 'Intrekking versturen',
    'my.sent': 'Uw intrekking is ontvangen (kenmerk INT-{id}). U ontvangt een bevestiging per e-mail.',
    'my.proof': 'Vingerafdruk van uw tekst (SHA-256): {hash}',
    'my.history': 'Eerdere intrekkingen',
    'wd.effect.timely': 'Op tijd voor versie {label}, die ingaat op {effective}. De ondertekening eindigt op {ends}; de organisatie wordt op grond van haar ondertekening niet aan die versie gebonden.',
    'wd.effect.late': 'Te laat voor versie {label}: de organisatie is vanaf {effective} aan die versie gebonden.',
    'wd.effect.late_next': 'De intrekking werkt voor versie {next}, die ingaat op {next_effective}: de ondertekening eindigt op {ends}.',
    'wd.effect.late_pending': 'De intrekking werkt bij de eerstvolgende wijziging van de Code waarvoor zij op tijd is.',
    'wd.effect.no_version': 'Na de ontvangst is geen wijziging van de Code gepland. De intrekking werkt bij de eerstvolgende wijziging waarvoor zij op tijd is.',
  },
  en: {
    'wd.title': 'Withdrawals',
    'wd.lead': 'Record withdrawals of a signature (Code art. 7). Before saving you see which scheduled version the letter concerns, the deadline, whether it is timely, and what follows.',
    'wd.deadlines_link': 'Deadlines per scheduled version',
    'wd.intake': 'Record a letter',
    'wd.correct_title': 'Correct entry {id}',
    'wd.correct_lead': 'A correction is a new entry that replaces the old one; the old one is kept.',
    'wd.org': 'Organisation',
    'wd.org_hint': 'Search by name or KvK number.',
    'wd.org_none': 'No organisation found.',
    'wd.org_chosen': 'Chosen: {name} (KvK {kvk})',
    'wd.received_on': 'Received on',
    'wd.received_hint': 'The delivery date in track & trace or the post log; a letter not collected counts from the first delivery attempt.',
    'wd.sent_on': 'Sent on (if known)',
    'wd.form': 'Form',
    'wd.form.registered': 'Registered letter',
    'wd.form.letter': 'Ordinary letter',
    'wd.form.email': 'E-mail',
    'wd.tracking': 'Track & trace code',
    'wd.tracking_hint': 'Such as RR123456785NL, or a PostNL code starting with 3S (13 or 15 characters). Optional.',
    'wd.tracking_ok': 'This code is right: {code}',
    'wd.tracking_bad_digit': 'This code is wrong: the check digit does not fit the digits. Check the code again.',
    'wd.tracking_bad_country': 'There is no country code {country}: the last 2 letters are the country of the postal operator (ISO 3166-1, such as NL, BE or DE).',
    'wd.tracking_bad': 'This code is wrong. A code looks like RR123456785NL, or starts with 3S and has 13 or 15 characters.',
    'wd.scan': 'Scan of the letter',
    'wd.scan_hint': 'PDF, JPEG or PNG, at most 10 MB.',
    'wd.scan_uploaded': 'Scan stored ({size} kB).',
    'wd.note': 'Note (internal)',
    'wd.reason': 'Reason for the correction',
    'wd.preview': 'What follows from this letter',
    'wd.preview_empty': 'Choose an organisation and a received date to see the consequence here.',
    'wd.preview_version': 'The letter concerns version {label} of the Code, which takes effect on {effective}. A withdrawal had to arrive by {deadline}.',
    'wd.preview_none': 'No amendment of the Code is scheduled after the received date.',
    'wd.timely': 'On time',
    'wd.late': 'Late',
    'wd.pending': 'Waits for the next amendment',
    'wd.save': 'Record letter',
    'wd.save_correction': 'Record correction',
    'wd.saved': 'Recorded as entry {id}. The confirmation goes to the contact persons.',
    'wd.list': 'Recorded withdrawals',
    'wd.show_all': 'Also show replaced entries',
    'wd.empty': 'No withdrawals recorded yet.',
    'wd.col.org': 'Organisation',
    'wd.col.received': 'Received',
    'wd.col.version': 'Version',
    'wd.col.assessment': 'Assessment',
    'wd.col.state': 'State',
    'wd.col.actions': 'Actions',
    'wd.state.applied': 'Applied',
    'wd.state.pending': 'Waiting',
    'wd.state.superseded': 'Replaced',
    'wd.letter': 'Confirmation letter',
    'wd.scan_link': 'Scan',
    'wd.correct': 'Correct',
    'wd.online': 'sent online',
    'dl.title': 'Deadlines',
    'dl.lead': 'Per scheduled version of the Code: the effective date, the last day to receive withdrawals, who will be bound and the send-by advice. A withdrawal must arrive at least 4 weeks before the effective date; if that day is in a weekend or on a public holiday, it is still that day.',
    'dl.none': 'No amendment of the Code is scheduled.',
    'dl.effective': 'Effective date',
    'dl.deadline': 'Last day of receipt',
    'dl.days_left': '{days} days left',
    'dl.days_today': 'today',
    'dl.days_passed': 'passed ({days} days ago)',
    'dl.send_by': 'Send-by advice',
    'dl.withdrawals': 'Withdrawals: {timely} on time, {late} late',
    'dl.taking_effect': 'Earlier late withdrawals that work for this version: {count}',
    'dl.to_be_bound': 'Signatories bound from {effective}: {count}',
    'dl.late_mark': 'withdrew late',
    'dl.pending': 'Withdrawals waiting for the next amendment',
    'dl.feed': 'Calendar (iCalendar)',
    'dl.feed_lead': 'A secret link for Outlook or another calendar. Anyone with the link sees the deadlines; make a new one if it leaked (the old one then stops working).',
    'dl.feed_make': 'Make a new calendar link',
    'dl.feed_active': 'You have a calendar link since {since}. It is only shown when made.',
    'dl.feed_url': 'Your calendar link',
    'dl.feed_made': 'New calendar link made; the previous one no longer works.',
    'dl.copy': 'Copy',
    'dl.copied': 'Copied.',
    'letter.title': 'Confirmation of the withdrawal',
    'letter.print': 'Print',
    'letter.subject': 'Subject: confirmation of the withdrawal of the signature of the Code for Responsible Market Conduct',
    'letter.reference': 'Reference: INT-{id}',
    'letter.dear': 'Dear Sir or Madam,',
    'letter.body': 'On {received} KSF received the withdrawal of the signature of the Code by {name} ({form}).',
    'letter.version': 'The withdrawal concerns version {label} of the Code, which takes effect on {effective}. A withdrawal had to arrive by {deadline}; this withdrawal is therefore {verdict}.',
    'letter.no_version': 'On the date of receipt no amendment of the Code was scheduled.',
    'letter.effect': '{effect}',
    'letter.replaces': 'This letter replaces the confirmation with reference INT-{id}.',
    'letter.close': 'Kind regards,',
    'letter.sender': 'KSF secretariat',
    'letter.superseded': 'This entry has been replaced by entry {id}; print that confirmation.',
    'my.title': 'Withdraw the signature of the Code',
    'my.lead': 'As the contact person of a signatory you can withdraw the signature online (Code art. 7). Your message counts as received on the day you send it.',
    'my.login': 'Log in first with the link you receive by e-mail.',
    'my.email': 'Your e-mail address',
    'my.send_link': 'Send me a login link',
    'my.link_sent': 'If this address belongs to a contact person, a login link has been sent. Open this page again after logging in.',
    'my.position': 'What follows if you withdraw today',
    'my.cannot': 'You cannot withdraw online now',
    'my.text': 'Your withdrawal',
    'my.confirm': 'On behalf of my organisation I withdraw the signature of the Code.',
    'my.send': 'Send withdrawal',
    'my.sent': 'Your withdrawal has been received (reference INT-{id}). You will receive a confirmation by e-mail.',
    'my.proof': 'Fingerprint of your text (SHA-256): {hash}',
    'my.history': 'Earlier withdrawals',
    'wd.effect.timely': 'On time for version {label}, which takes effect on {effective}. The signature ends on {ends}; on the ground of its signature the organisation is not bound to that version.',
    'wd.effect.late': 'Too late for version {label}: the organisation is bound to that version from {effective}.',
    'wd.effect.late_next': 'The withdrawal works for version {next}, which takes effect on {next_effective}: the signature ends on {ends}.',
    'wd.effect.late_pending': 'The withdrawal works at the next amendment of the Code for which it is on time.',
    'wd.effect.no_version': 'No amendment of the Code is scheduled after receipt. The withdrawal works at the next amendment for which it is on time.',
  },
});

/**
 * What a withdrawal does, in words and in the page's language, from the fields of an
 * entry or a preview (outcome, version_label, effective_from, signature_ends,
 * effect_version_label); the server's Dutch sentence only when a field is missing.
 */
export function effectSentence(entry) {
  const long = (date) => formatDate(date);
  switch (entry.outcome) {
    case 'timely':
      return t('wd.effect.timely', { label: entry.version_label, effective: long(entry.effective_from), ends: long(entry.signature_ends) });
    case 'late_next':
      if (!entry.effect_version_label || !entry.signature_ends) break;
      return `${t('wd.effect.late', { label: entry.version_label, effective: long(entry.effective_from) })} ${t('wd.effect.late_next', {
        next: entry.effect_version_label, next_effective: long(addDays(entry.signature_ends, 1)), ends: long(entry.signature_ends),
      })}`;
    case 'late_pending':
      return `${t('wd.effect.late', { label: entry.version_label, effective: long(entry.effective_from) })} ${t('wd.effect.late_pending')}`;
    case 'no_version':
      return t('wd.effect.no_version');
    default:
  }
  return wordDates(entry.effect);
}


/** ISO 3166-1 alpha-2, the 249 assigned codes (server/rules/tracking.c holds the same list). */
const COUNTRIES = new Set((''
  + 'AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ '
  + 'BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM '
  + 'DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS '
  + 'GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN '
  + 'KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ '
  + 'MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM '
  + 'PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV '
  + 'SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI '
  + 'VN VU WF WS YE YT ZA ZM ZW ').trim().split(' '));

/** Client-side R6 check for live feedback (the server checks again): {ok, kind, code, reason, country?}. */
export function checkTrackingCode(input) {
  const code = (input || '').replace(/\s+/g, '').toUpperCase();
  if (!code) return { ok: false, empty: true };
  if (!/^[A-Z0-9]+$/.test(code)) return { ok: false, reason: 'wd.tracking_bad' };
  if (code.startsWith('3S')) return code.length === 13 || code.length === 15 ? { ok: true, kind: '3S', code } : { ok: false, reason: 'wd.tracking_bad' };
  const match = /^[A-Z]{2}(\d{8})(\d)[A-Z]{2}$/.exec(code);
  if (!match) return { ok: false, reason: 'wd.tracking_bad' };
  const weights = [8, 6, 4, 2, 3, 5, 9, 7];
  const sum = [...match[1]].reduce((total, digit, i) => total + Number(digit) * weights[i], 0);
  let check = 11 - (sum % 11);
  if (check === 10) check = 0;
  if (check === 11) check = 5;
  if (check !== Number(match[2])) return { ok: false, reason: 'wd.tracking_bad_digit' };
  const country = code.slice(11);
  return COUNTRIES.has(country) ? { ok: true, kind: 'S10', code } : { ok: false, reason: 'wd.tracking_bad_country', country };
}
