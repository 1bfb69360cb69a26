// Dutch texts (the default language). Keys are namespaced per feature: 'login.title'.
// Features may add keys here or register their own with addMessages() from i18n.js.
export default {
  // Shell: header, nav, footer
  'shell.product': 'KSF alvd',
  'shell.skip': 'Naar de inhoud',
  'shell.menu': 'Menu',
  'shell.nav': 'Hoofdmenu',
  'shell.switch_language': 'English',
  'shell.switch_language_label': 'Switch to English',
  'shell.logout': 'Uitloggen',
  'shell.logged_in_as': 'Ingelogd als {name}',
  'shell.footer_about': 'KSF · Code voor Verantwoordelijk Marktgedrag',
  'shell.footer_privacy': 'Meldingen zijn vertrouwelijk.',
  'shell.login': 'Inloggen',
  'shell.home': 'Home',

  // Staff areas (nav + dashboard cards)
  'area.dashboard': 'Dashboard',
  'area.register': 'Register',
  'area.code': 'Code',
  'area.cycles': 'Cycli',
  'area.meetings': 'Vergaderingen',
  'area.withdrawals': 'Intrekkingen',
  'area.meldpunt': 'Meldpunt',
  'area.audit': 'Audit',
  'area.outbox': 'Uitgaande mail',
  'area.register.description': 'Organisaties, contactpersonen en de grondslagen waarop zij aan de Code gebonden zijn.',
  'area.code.description': 'De versies van de Code en welke versie op een datum geldt.',
  'area.cycles.description': 'De jaarlijkse herziening: voorstellen, consultatie en reactienota.',
  'area.meetings.description': 'ALV’s voorbereiden: agenda, tickets, aanwezigheid en stemmingen.',
  'area.withdrawals.description': 'Aangetekende intrekkingen vastleggen en de termijnen bewaken.',
  'area.meldpunt.description': 'Meldingen behandelen, pas toe of leg uit, en de halfjaarrapportage.',
  'area.audit.description': 'Het onveranderbare logboek van alle wijzigingen.',
  'area.outbox.description': 'Alle e-mail die alvd heeft verstuurd of klaarzet.',

  // Public pages
  'public.code': 'De Code',
  'public.meldpunt': 'Meldpunt',
  'public.register': 'Register',

  // Roles
  'role.admin': 'Beheerder',
  'role.board': 'Bestuur',
  'role.chair': 'Voorzitter',
  'role.secretariat': 'Secretariaat',
  'role.meldpunt': 'Meldpunt',

  // Common words and messages
  'common.loading': 'Bezig met laden…',
  'common.busy': 'Even geduld…',
  'common.close': 'Sluiten',
  'common.save': 'Opslaan',
  'common.cancel': 'Annuleren',
  'common.coming': 'Volgt',
  'common.open': 'Openen',
  'common.yes': 'Ja',
  'common.no': 'Nee',
  'form.error_summary': 'Er is iets niet goed',
  'form.error_prefix': 'Fout',
  'form.required': 'Vul {label} in.',
  'error.network': 'De server is even niet bereikbaar; probeer het zo opnieuw.',
  'error.unavailable': 'De server is even niet bereikbaar; probeer het zo opnieuw.',
  'error.unknown': 'Er ging iets mis. Probeer het opnieuw.',
  'error.no_access': 'Je hebt geen toegang tot dit onderdeel.',
  'error.no_access_hint': 'Vraag de beheerder om de juiste rol als je dit wel nodig hebt.',

  // Home (public landing)
  'home.title': 'Code voor Verantwoordelijk Marktgedrag',
  'home.lead': 'Hier beheert KSF de Code: welke versie geldt, wie eraan gebonden is, hoe de Code elk jaar wordt herzien en hoe de ALV erover stemt.',
  'home.code.title': 'De Code',
  'home.code.text': 'Lees de Code die vandaag geldt en eerdere versies.',
  'home.meldpunt.title': 'Meldpunt',
  'home.meldpunt.text': 'Houdt een organisatie zich niet aan de Code? Meld het vertrouwelijk.',
  'home.register.title': 'Register',
  'home.register.text': 'Welke organisaties zijn aan de Code gebonden, en op welke grond.',
  'home.staff.title': 'Voor medewerkers',
  'home.staff.text': 'Bestuur, voorzitter, secretariaat en meldpunt werken na het inloggen.',
  'home.staff.login': 'Inloggen voor medewerkers',

  // Login
  'login.title': 'Inloggen',
  'login.lead': 'Voor medewerkers van KSF: bestuur, voorzitter, secretariaat en meldpunt.',
  'login.email': 'E-mailadres',
  'login.email_label': 'je e-mailadres',
  'login.password': 'Wachtwoord',
  'login.password_label': 'je wachtwoord',
  'login.submit': 'Inloggen',
  'login.busy': 'Bezig met inloggen…',
  'login.failed_title': 'Inloggen lukt niet',
  'login.wait': 'Je kunt het over {seconds} seconden opnieuw proberen.',
  'login.logged_out': 'Je bent uitgelogd.',
  'login.needed': 'Log in om verder te gaan.',
  'login.members': 'Lid of contactpersoon? Gebruik de persoonlijke link uit je ticket of e-mail.',

  // Dashboard
  'dashboard.title': 'Dashboard',
  'dashboard.greeting': 'Welkom, {name}',
  'dashboard.roles': 'Jouw rollen',
  'dashboard.areas': 'Waar wil je aan werken?',
  'dashboard.none': 'Je account heeft nog geen rol. Vraag de beheerder om een rol.',

  // 404
  'notfound.title': 'Deze pagina bestaat niet',
  'notfound.text': 'Misschien is het adres verkeerd getypt, of is de pagina verplaatst.',
  'notfound.home': 'Naar de startpagina',
};
