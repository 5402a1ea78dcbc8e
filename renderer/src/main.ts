// Entry point: styles first, then the theme (before anything paints), then the app.
import '@fontsource-variable/inter/index.css';
import './styles/tokens.css';
import './styles/base.css';
import './styles/dialogs.css';
import './styles/lists.css';
import './styles/menus.css';
import './styles/toasts.css';
import { mount } from 'svelte';
import App from './App.svelte';
import './lib/state/theme.svelte';

const target = document.getElementById('app');
if (!target) throw new Error('index.html has no #app element');

export default mount(App, { target });
