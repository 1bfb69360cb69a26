// The staff dashboard: who is logged in, with which roles, and a card per area the
// roles may use. Areas whose page is not built yet show "Volgt".
import { logout } from '../api.js';
import { t, onLanguageChange } from '../i18n.js';
import { staffPage, staffAreas, el, setBusy, toast, errorMessage } from '../ui.js';
import { adviseSecondFactor } from '../second-factor.js';

const session = await staffPage({ title: 'dashboard.title', active: 'dashboard' });
adviseSecondFactor(session, document.getElementById('roles'));
const areas = staffAreas(session).filter((area) => area.id !== 'dashboard');

// Which area pages exist yet (static files: a cheap GET each).
const built = new Map(await Promise.all(areas.map(async (area) => {
  try {
    const response = await fetch(area.href, { credentials: 'same-origin' });
    return [area.id, response.ok];
  } catch {
    return [area.id, false];
  }
})));

function render() {
  document.getElementById('greeting').textContent = t('dashboard.greeting', { name: session.user.name });
  const roles = session.user.roles || [];
  document.getElementById('roles').replaceChildren(
    el('span', { class: 'muted' }, `${t('dashboard.roles')}:`),
    ...roles.map((role) => el('span', { class: 'badge badge--info' }, t(`role.${role}`))),
  );
  const grid = document.getElementById('areas');
  grid.removeAttribute('aria-busy');
  if (!areas.length) {
    grid.replaceChildren(el('p', { class: 'alert alert--warning' }, t('dashboard.none')));
    return;
  }
  grid.replaceChildren(...areas.map((area) => {
    const ready = built.get(area.id);
    const title = t(`area.${area.id}`);
    return el('article', { class: ready ? 'card card--link' : 'card card--muted' },
      el('h3', {}, ready ? el('a', { href: area.href }, title) : title),
      el('p', {}, t(`area.${area.id}.description`)),
      ready ? null : el('p', {}, el('span', { class: 'badge badge--neutral' }, t('common.coming'))));
  }));
}

render();
onLanguageChange(render);

document.getElementById('logout').addEventListener('click', async (event) => {
  const button = event.currentTarget;
  setBusy(button, true);
  try {
    await logout();
    location.assign('/login.html?reason=logged_out');
  } catch (error) {
    setBusy(button, false);
    toast(errorMessage(error), 'error');
  }
});
