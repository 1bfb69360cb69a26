// The public landing page: what alvd is, with links to the public pages and the login.
import { publicPage } from '../ui.js';

publicPage({ title: 'home.title', active: null });
