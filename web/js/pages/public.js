// For simple public pages without their own script: shell + translation only.
// The page names its title key in <body data-title="…"> and its nav item in data-active.
import { publicPage } from '../ui.js';

publicPage({ title: document.body.dataset.title, active: document.body.dataset.active || null });
