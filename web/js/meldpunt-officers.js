// The meldpunt officer's own key and the officers around it: moving from the shared
// passphrase to one's own, choosing a passphrase and waiting for access, giving another
// officer access or removing it, changing one's passphrase, and the release of a
// reporter's identity (ask with a reason; another officer approves or refuses).
import { api } from './api.js';
import { addMessages, t } from './i18n.js';
import { el, formatDate } from './ui.js';

addMessages({
  nl: {
    'officers.migrate_title': 'Eigen wachtzin kiezen',
    'officers.migrate_text': 'Het meldpunt gebruikt nog één wachtzin die alle functionarissen delen. Voortaan heeft elke functionaris een eigen wachtzin. Vul één keer de gedeelde wachtzin in en kies uw eigen; daarna werkt de gedeelde wachtzin niet meer en geeft u collega\u2019s toegang vanaf deze pagina.',
    'officers.shared_passphrase': 'Gedeelde wachtzin (van tot nu toe)',
    'officers.own_passphrase': 'Uw eigen wachtzin',
    'officers.own_hint': 'Minstens 12 tekens; een zin van een paar woorden werkt goed. Alleen u kent hem.',
    'officers.migrate_button': 'Eigen wachtzin instellen',
    'officers.migrated': 'Uw eigen wachtzin is ingesteld; de gedeelde werkt niet meer.',
    'officers.choose_title': 'Uw eigen wachtzin',
    'officers.choose_text': 'Kies een wachtzin voor uw eigen sleutel. Daarna geeft een andere functionaris u toegang; niemand hoeft een wachtzin met u te delen.',
    'officers.choose_button': 'Sleutel maken',
    'officers.chosen': 'Uw sleutel is gemaakt. Vraag een andere functionaris u toegang te geven.',
    'officers.waiting_title': 'Wacht op toegang',
    'officers.waiting_text': 'Uw sleutel is klaar. Een functionaris die het meldpunt ontgrendeld heeft, geeft u toegang onder "Functionarissen"; daarna ontgrendelt u met uw eigen wachtzin.',
    'officers.title': 'Functionarissen',
    'officers.state.active': 'toegang',
    'officers.state.waiting': 'wacht op toegang',
    'officers.state.none': 'nog geen wachtzin',
    'officers.no_role': 'heeft de rol meldpunt niet meer',
    'officers.you': '(u)',
    'officers.granted_by': 'toegang van {name} op {date}',
    'officers.grant': 'Toegang geven',
    'officers.granted': 'Toegang gegeven.',
    'officers.remove': 'Toegang intrekken',
    'officers.remove_confirm': 'De toegang van {name} intrekken? De sleutel van deze functionaris wordt verwijderd.',
    'officers.removed': 'Toegang ingetrokken.',
    'officers.unlock_to_grant': 'Ontgrendel het meldpunt om een collega toegang te geven.',
    'officers.change_title': 'Wachtzin wijzigen',
    'officers.current_passphrase': 'Huidige wachtzin',
    'officers.new_passphrase': 'Nieuwe wachtzin',
    'officers.change_button': 'Wachtzin wijzigen',
    'officers.changed': 'Uw wachtzin is gewijzigd.',
    'identity.title': 'Verzoeken om de identiteit van een melder',
    'identity.none': 'Geen verzoeken.',
    'identity.report': 'Melding {id}',
    'identity.by': 'gevraagd door {name} op {date}',
    'identity.reason': 'Reden',
    'identity.reason_locked': 'Ontgrendel het meldpunt om de reden te lezen.',
    'identity.approve': 'Goedkeuren',
    'identity.refuse': 'Weigeren',
    'identity.approved_toast': 'Goedgekeurd: de identiteit is vrijgegeven aan {name}.',
    'identity.refused_toast': 'Geweigerd.',
    'identity.state.pending': 'wacht op een andere functionaris',
    'identity.state.approved': 'goedgekeurd',
    'identity.state.refused': 'geweigerd',
    'identity.decided': '{state} door {name} op {date}',
    'identity.sole': 'goedgekeurd: u was de enige functionaris',
    'identity.hidden': 'Wie deze melding deed, ziet u pas nadat u erom vraagt met een reden.',
    'identity.needs_other': 'Een andere functionaris beslist over uw verzoek.',
    'identity.only_you': 'U bent de enige functionaris: uw verzoek wordt met de reden vastgelegd en meteen goedgekeurd.',
    'identity.pending': 'Uw verzoek wacht op een andere functionaris.',
    'identity.refused': 'Uw verzoek is geweigerd door {name} op {date}. U kunt opnieuw vragen, met een nieuwe reden.',
    'identity.ask_reason': 'Waarom heeft u de identiteit nodig?',
    'identity.ask_hint': 'Bijvoorbeeld: de melder om aanvullende informatie vragen. Minstens 10 tekens; de reden is versleuteld opgeslagen.',
    'identity.ask': 'Identiteit opvragen',
    'identity.asked': 'Uw verzoek is vastgelegd.',
  },
  en: {
    'officers.migrate_title': 'Choose your own passphrase',
    'officers.migrate_text': 'The meldpunt still uses one passphrase that all officers share. From now on each officer has a passphrase of their own. Enter the shared passphrase once and choose your own; after that the shared one no longer works and you give colleagues access from this page.',
    'officers.shared_passphrase': 'Shared passphrase (used until now)',
    'officers.own_passphrase': 'Your own passphrase',
    'officers.own_hint': 'At least 12 characters; a sentence of a few words works well. Only you know it.',
    'officers.migrate_button': 'Set my own passphrase',
    'officers.migrated': 'Your own passphrase is set; the shared one no longer works.',
    'officers.choose_title': 'Your own passphrase',
    'officers.choose_text': 'Choose a passphrase for your own key. Another officer then gives you access; nobody has to share a passphrase with you.',
    'officers.choose_button': 'Make my key',
    'officers.chosen': 'Your key is made. Ask another officer to give you access.',
    'officers.waiting_title': 'Waiting for access',
    'officers.waiting_text': 'Your key is ready. An officer who has the meldpunt unlocked gives you access under "Officers"; then you unlock with your own passphrase.',
    'officers.title': 'Officers',
    'officers.state.active': 'access',
    'officers.state.waiting': 'waiting for access',
    'officers.state.none': 'no passphrase yet',
    'officers.no_role': 'no longer has the meldpunt role',
    'officers.you': '(you)',
    'officers.granted_by': 'access from {name} on {date}',
    'officers.grant': 'Give access',
    'officers.granted': 'Access given.',
    'officers.remove': 'Withdraw access',
    'officers.remove_confirm': 'Withdraw the access of {name}? This officer\u2019s key is deleted.',
    'officers.removed': 'Access withdrawn.',
    'officers.unlock_to_grant': 'Unlock the meldpunt to give a colleague access.',
    'officers.change_title': 'Change passphrase',
    'officers.current_passphrase': 'Current passphrase',
    'officers.new_passphrase': 'New passphrase',
    'officers.change_button': 'Change passphrase',
    'officers.changed': 'Your passphrase has been changed.',
    'identity.title': 'Requests for a reporter\u2019s identity',
    'identity.none': 'No requests.',
    'identity.report': 'Report {id}',
    'identity.by': 'asked by {name} on {date}',
    'identity.reason': 'Reason',
    'identity.reason_locked': 'Unlock the meldpunt to read the reason.',
    'identity.approve': 'Approve',
    'identity.refuse': 'Refuse',
    'identity.approved_toast': 'Approved: the identity is released to {name}.',
    'identity.refused_toast': 'Refused.',
    'identity.state.pending': 'waiting for another officer',
    'identity.state.approved': 'approved',
    'identity.state.refused': 'refused',
    'identity.decided': '{state} by {name} on {date}',
    'identity.sole': 'approved: you were the only officer',
    'identity.hidden': 'Who made this report is shown only after you ask for it with a reason.',
    'identity.needs_other': 'Another officer decides on your request.',
    'identity.only_you': 'You are the only officer: your request is recorded with its reason and approved at once.',
    'identity.pending': 'Your request is waiting for another officer.',
    'identity.refused': 'Your request was refused by {name} on {date}. You may ask again, with a new reason.',
    'identity.ask_reason': 'Why do you need the identity?',
    'identity.ask_hint': 'For example: to ask the reporter for more information. At least 10 characters; the reason is stored encrypted.',
    'identity.ask': 'Request the identity',
    'identity.asked': 'Your request has been recorded.',
  },
});

function passwordField(id, label, { hint, autocomplete = 'current-password' } = {}) {
  return el('div', { class: 'field' },
    el('label', { for: id }, t(label)),
    hint ? el('span', { class: 'hint', id: `${id}-hint` }, t(hint)) : null,
    el('input', { id, name: id, type: 'password', autocomplete, required: true, minlength: 12, 'aria-describedby': hint ? `${id}-hint` : null }));
}

/** A form whose submit runs work(form) through act(button, …) with a slow-work label. */
function actionForm(act, label, fields, work, success) {
  const button = el('button', { type: 'submit', class: 'button' }, t(label));
  return el('form', { novalidate: true, onsubmit: (event) => {
    event.preventDefault();
    act(button, t('meldpunt.staff.busy_slow'), () => work(event.target), t(success));
  } }, fields, button);
}

/**
 * What the keys card shows before this officer can unlock: moving from the shared
 * passphrase, choosing an own passphrase, or waiting for access. null when the officer
 * has access (the page then shows unlock or lock).
 */
export function officerKeyStep(status, { act, refresh }) {
  if (status.officer === 'active') return null;
  if (status.shared_passphrase) {
    return [el('h2', {}, t('officers.migrate_title')), el('p', {}, t('officers.migrate_text')),
      actionForm(act, 'officers.migrate_button', [
        passwordField('shared_passphrase', 'officers.shared_passphrase'),
        passwordField('passphrase', 'officers.own_passphrase', { hint: 'officers.own_hint', autocomplete: 'new-password' })],
      async (form) => {
        await api('POST', '/api/meldpunt/migrate', { shared_passphrase: form.elements.shared_passphrase.value,
          passphrase: form.elements.passphrase.value }, { timeout: 120000 });
        form.reset();
        await refresh();
      }, 'officers.migrated')];
  }
  if (status.officer === 'none') {
    return [el('h2', {}, t('officers.choose_title')), el('p', {}, t('officers.choose_text')),
      actionForm(act, 'officers.choose_button', [
        passwordField('passphrase', 'officers.own_passphrase', { hint: 'officers.own_hint', autocomplete: 'new-password' })],
      async (form) => {
        await api('POST', '/api/meldpunt/officer-key', { passphrase: form.elements.passphrase.value }, { timeout: 120000 });
        form.reset();
        await refresh();
      }, 'officers.chosen')];
  }
  return [el('h2', {}, t('officers.waiting_title')), el('p', {}, t('officers.waiting_text'))];
}

/** The officers with their state; grant and withdraw; change one's own passphrase. */
export async function renderOfficers(container, status, { act, refresh }) {
  if (!status.set_up || status.officer !== 'active') {
    container.replaceChildren();
    container.hidden = true;
    return;
  }
  container.hidden = false;
  const { items } = await api('GET', '/api/meldpunt/officers');
  const rows = items.map((officer) => {
    const actions = [];
    if (officer.state === 'waiting' && officer.role) {
      if (status.unlocked) {
        const grant = el('button', { type: 'button', class: 'button button--secondary' }, t('officers.grant'));
        grant.addEventListener('click', () => act(grant, t('meldpunt.staff.busy'), async () => {
          await api('POST', `/api/meldpunt/officers/${officer.user_id}/grant`, {});
          await refresh();
        }, t('officers.granted')));
        actions.push(grant);
      } else {
        actions.push(el('span', { class: 'muted small' }, t('officers.unlock_to_grant')));
      }
    }
    if (!officer.me && officer.state !== 'none') {
      const remove = el('button', { type: 'button', class: 'button button--link' }, t('officers.remove'));
      remove.addEventListener('click', () => {
        if (!window.confirm(t('officers.remove_confirm', { name: officer.name }))) return;
        act(remove, t('meldpunt.staff.busy'), async () => {
          await api('DELETE', `/api/meldpunt/officers/${officer.user_id}`);
          await refresh();
        }, t('officers.removed'));
      });
      actions.push(remove);
    }
    return el('li', { class: 'officer' },
      el('strong', {}, officer.name), officer.me ? ` ${t('officers.you')}` : '', ' · ', officer.email, ' ',
      el('span', { class: `badge ${officer.state === 'active' ? 'badge--success' : 'badge--warning'}` }, t(`officers.state.${officer.state}`)),
      !officer.role ? [' ', el('span', { class: 'badge badge--danger' }, t('officers.no_role'))] : null,
      officer.granted_by ? el('div', { class: 'muted small' }, t('officers.granted_by', { name: officer.granted_by, date: formatDate(officer.granted_on, 'short') })) : null,
      actions.length ? el('div', { class: 'cluster' }, actions) : null);
  });
  const change = el('details', {},
    el('summary', {}, t('officers.change_title')),
    actionForm(act, 'officers.change_button', [
      passwordField('current_passphrase', 'officers.current_passphrase'),
      passwordField('new_passphrase', 'officers.new_passphrase', { hint: 'officers.own_hint', autocomplete: 'new-password' })],
    async (form) => {
      await api('POST', '/api/meldpunt/officer-key/passphrase', { passphrase: form.elements.current_passphrase.value,
        new_passphrase: form.elements.new_passphrase.value }, { timeout: 120000 });
      form.reset();
    }, 'officers.changed'));
  container.replaceChildren(el('h2', {}, t('officers.title')), el('ul', { class: 'officers' }, rows), change);
}

function decidedText(item) {
  if (item.sole_officer) return t('identity.sole');
  if (item.state === 'pending') return t('identity.state.pending');
  return t('identity.decided', { state: t(`identity.state.${item.state}`), name: item.decided_by || '—', date: formatDate(item.decided_on, 'short') });
}

/** Requests for identities: the ones another officer asked (to decide) and one's own. */
export async function renderIdentityRequests(container, status, { act, refresh, openReport }) {
  if (!status.set_up || status.officer !== 'active') {
    container.replaceChildren();
    container.hidden = true;
    return;
  }
  container.hidden = false;
  const { items } = await api('GET', '/api/meldpunt/identity-requests');
  const list = items.map((item) => {
    const buttons = [];
    if (item.can_decide && status.unlocked) {
      for (const [decision, label, toastKey] of [['approve', 'identity.approve', 'identity.approved_toast'], ['refuse', 'identity.refuse', 'identity.refused_toast']]) {
        const button = el('button', { type: 'button', class: decision === 'approve' ? 'button' : 'button button--secondary' }, t(label));
        button.addEventListener('click', () => act(button, t('meldpunt.staff.busy'), async () => {
          await api('POST', `/api/meldpunt/identity-requests/${item.id}/${decision}`, {});
          await refresh();
        }, t(toastKey, { name: item.requested_by.name })));
        buttons.push(button);
      }
    }
    return el('li', { class: 'identity-request' },
      el('h3', {}, el('button', { type: 'button', class: 'identity-request__open', onclick: () => openReport(item.report_id) },
        t('identity.report', { id: item.report_id }))),
      el('p', { class: 'muted small' },
        t('identity.by', { name: item.mine ? t('officers.you') : item.requested_by.name, date: formatDate(item.requested_on, 'short') }),
        ' — ', decidedText(item)),
      el('p', { class: 'prewrap' }, el('strong', {}, `${t('identity.reason')}: `), item.reason ?? el('span', { class: 'muted' }, t('identity.reason_locked'))),
      buttons.length ? el('div', { class: 'cluster' }, buttons) : null);
  });
  container.replaceChildren(el('h2', {}, t('identity.title')),
    list.length ? el('ul', { class: 'identity-requests' }, list) : el('p', { class: 'muted' }, t('identity.none')));
}

/** In a report: the reporter when released, otherwise the state of the request and a form to ask. */
export function reporterSection(report, { act, reload }) {
  if (report.reporter) {
    return [el('p', {}, report.reporter.name, el('br'), report.reporter.email,
      report.reporter.phone ? [el('br'), report.reporter.phone] : null)];
  }
  const identity = report.identity || {};
  const parts = [el('p', {}, t('identity.hidden'))];
  if (identity.state === 'pending') {
    parts.push(el('p', { class: 'alert alert--info', role: 'status' }, t('identity.pending')));
    return parts;
  }
  if (identity.state === 'refused') {
    parts.push(el('p', { class: 'alert alert--warning', role: 'status' },
      t('identity.refused', { name: identity.request?.decided_by || '—', date: formatDate(identity.request?.decided_on, 'short') })));
  }
  parts.push(el('p', { class: 'muted small' }, t(identity.approval_needed ? 'identity.needs_other' : 'identity.only_you')));
  parts.push(actionForm(act, 'identity.ask', [
    el('div', { class: 'field' }, el('label', { for: 'identity-reason' }, t('identity.ask_reason')),
      el('span', { class: 'hint', id: 'identity-reason-hint' }, t('identity.ask_hint')),
      el('textarea', { id: 'identity-reason', name: 'reason', rows: 3, required: true, minlength: 10, maxlength: 2000, 'aria-describedby': 'identity-reason-hint' }))],
  async (form) => {
    await api('POST', `/api/reports/${report.id}/identity-requests`, { reason: form.elements.reason.value });
    await reload();
  }, 'identity.asked'));
  return parts;
}
