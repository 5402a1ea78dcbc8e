// Light, dark or following the system; the choice survives restarts in localStorage.
export type ThemePreference = 'system' | 'light' | 'dark';

const STORAGE_KEY = 'hearth.theme';
const PREFERENCES: readonly ThemePreference[] = ['system', 'light', 'dark'];

export class ThemeManager {
  preference = $state<ThemePreference>('system');
  #systemDark = $state(false);

  readonly resolved = $derived<'light' | 'dark'>(
    this.preference === 'system' ? (this.#systemDark ? 'dark' : 'light') : this.preference,
  );

  constructor() {
    const stored = readStored();
    if (stored) this.preference = stored;
    const media = window.matchMedia('(prefers-color-scheme: dark)');
    this.#systemDark = media.matches;
    media.addEventListener('change', (event) => (this.#systemDark = event.matches));
    this.#apply();
  }

  set(preference: ThemePreference): void {
    this.preference = preference;
    try {
      localStorage.setItem(STORAGE_KEY, preference);
    } catch {
      // Storage can be unavailable (private windows, strict settings); the choice then lasts for this visit.
    }
    this.#apply();
  }

  /** Flips between light and dark as the user currently sees it. */
  toggle(): void {
    this.set(this.resolved === 'dark' ? 'light' : 'dark');
  }

  #apply(): void {
    // `color-scheme` drives every light-dark() token in app.css and the native controls.
    if (this.preference === 'system') delete document.documentElement.dataset.theme;
    else document.documentElement.dataset.theme = this.preference;
  }
}

function readStored(): ThemePreference | null {
  try {
    const value = localStorage.getItem(STORAGE_KEY);
    return PREFERENCES.find((preference) => preference === value) ?? null;
  } catch {
    return null;
  }
}

export const theme = new ThemeManager();
