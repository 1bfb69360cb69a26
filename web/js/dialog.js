// A confirmation that names what is about to happen ("De stemming over … sluiten?"),
// as a modal <dialog>: focus goes into it, Escape cancels, focus returns afterwards.
import { t, addMessages } from './i18n.js';
import { el } from './ui.js';

addMessages({ nl: { 'dialog.cancel': 'Annuleren' }, en: { 'dialog.cancel': 'Cancel' } });

/**
 * confirmDialog({ title, body: [node|string…], confirm: 'Stemming sluiten', danger })
 * resolves to the FormData of the dialog's form when confirmed (fields in body count),
 * or null when cancelled.
 */
export function confirmDialog({ title, body = [], confirm, danger = false }) {
  const opener = document.activeElement;
  const titleId = `dialog-title-${Math.random().toString(36).slice(2, 8)}`;
  const form = el('form', { method: 'dialog', class: 'dialog__form' },
    el('h2', { id: titleId, class: 'dialog__title' }, title),
    ...body,
    el('div', { class: 'button-row dialog__buttons' },
      el('button', { type: 'submit', value: 'yes', class: `button${danger ? ' button--danger' : ''}`, 'data-confirm': 'true' }, confirm),
      el('button', { type: 'submit', value: 'no', class: 'button button--secondary', formnovalidate: true }, t('dialog.cancel'))));
  const dialog = el('dialog', { class: 'dialog', 'aria-labelledby': titleId }, form);
  document.body.append(dialog);
  return new Promise((resolve) => {
    let data = null;
    form.addEventListener('submit', (event) => {
      if (event.submitter?.value === 'yes') data = new FormData(form);
    });
    dialog.addEventListener('close', () => {
      dialog.remove();
      if (opener && opener.isConnected) opener.focus();
      resolve(data);
    });
    dialog.showModal();
    dialog.querySelector('[data-confirm]').focus();
  });
}
