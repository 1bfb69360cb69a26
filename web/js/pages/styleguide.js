// The component gallery (/styleguide.html): shows every piece of app.css and ui.js.
import { publicPage, setBusy, toast, tabs, formatDate } from '../ui.js';
import { showFieldErrors, clearFieldErrors, validateRequired } from '../forms.js';

publicPage({ title: 'Componenten' });
tabs(document.getElementById('tabs-demo'));
const date = document.getElementById('date-demo');
date.textContent = formatDate(date.textContent);

document.getElementById('busy-demo').addEventListener('click', (event) => {
  const button = event.currentTarget;
  setBusy(button, true, 'Bezig…');
  setTimeout(() => setBusy(button, false), 2000);
});
document.getElementById('toast-success').addEventListener('click', () => toast('Het voorstel is opgeslagen.', 'success'));
document.getElementById('toast-error').addEventListener('click', () => toast('Opslaan lukte niet; probeer het opnieuw.', 'error'));

const form = document.getElementById('form-demo');
form.addEventListener('submit', (event) => {
  event.preventDefault();
  clearFieldErrors(form);
  showFieldErrors(form, [
    ...validateRequired(form),
    { field: 'kvk', message: 'Een KvK-nummer heeft 8 cijfers.' },
  ]);
});
