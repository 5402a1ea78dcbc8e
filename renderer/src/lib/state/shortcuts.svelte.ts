// Keyboard shortcuts, including two-key sequences such as `g h`; the help overlay lists what is registered.

export interface Shortcut {
  /** Space-separated keys pressed in turn: `g h`, `?`, `mod+k` (`mod` is ⌘ on macOS and Ctrl elsewhere). */
  keys: string;
  description: string;
  group: string;
  run: () => void;
  /** Also fires while typing in a field (only sensible for chords with a modifier). */
  inFields?: boolean;
}

const SEQUENCE_TIMEOUT_MS = 1200;
export const isMac = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform);

export class ShortcutManager {
  // Raw, not deeply reactive: `register` hands back the very objects it added, and removing them compares by
  // identity (a deep proxy would never equal the original, so a screen's shortcuts would outlive the screen).
  shortcuts = $state.raw<Shortcut[]>([]);
  #pending: string[] = [];
  #pendingTimer: ReturnType<typeof setTimeout> | null = null;

  /** Adds shortcuts; returns a function that removes them again (for screen-specific ones). */
  register(...shortcuts: Shortcut[]): () => void {
    this.shortcuts = [...this.shortcuts, ...shortcuts];
    return () => (this.shortcuts = this.shortcuts.filter((shortcut) => !shortcuts.includes(shortcut)));
  }

  get groups(): Array<{ name: string; shortcuts: Shortcut[] }> {
    const names = this.shortcuts
      .map((shortcut) => shortcut.group)
      .filter((group, index, all) => all.indexOf(group) === index);
    return names.map((name) => ({ name, shortcuts: this.shortcuts.filter((shortcut) => shortcut.group === name) }));
  }

  handle = (event: KeyboardEvent): void => {
    if (event.defaultPrevented || event.isComposing) return;
    const key = keyName(event);
    if (key === null) return;
    const typing = isTypingTarget(event.target);
    // A dialog owns the keyboard while open (Escape, Tab trapping); only chords pass through.
    const inDialog = event.target instanceof Element && event.target.closest('[role="dialog"],[role="alertdialog"]');

    const sequence = [...this.#pending, key];
    const candidates = this.shortcuts.filter((shortcut) => {
      if ((typing || inDialog) && !shortcut.inFields) return false;
      const keys = shortcut.keys.split(' ');
      return sequence.every((part, index) => keys[index] === part);
    });
    const exact = candidates.find((shortcut) => shortcut.keys.split(' ').length === sequence.length);

    this.#clearPending();
    if (exact) {
      event.preventDefault();
      exact.run();
    } else if (candidates.length > 0) {
      event.preventDefault();
      this.#pending = sequence;
      this.#pendingTimer = setTimeout(() => this.#clearPending(), SEQUENCE_TIMEOUT_MS);
    }
  };

  #clearPending(): void {
    this.#pending = [];
    if (this.#pendingTimer) clearTimeout(this.#pendingTimer);
    this.#pendingTimer = null;
  }
}

/** The shortcut notation for a key press, or null for a lone modifier. */
function keyName(event: KeyboardEvent): string | null {
  if (['Shift', 'Control', 'Alt', 'Meta'].includes(event.key)) return null;
  const mod = isMac ? event.metaKey : event.ctrlKey;
  const key = event.key.length === 1 ? event.key.toLowerCase() : event.key;
  // Shift is part of printable keys already (`?` rather than `shift+/`).
  if (event.altKey || (isMac ? event.ctrlKey : event.metaKey)) return null;
  return mod ? `mod+${key}` : key;
}

function isTypingTarget(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  if (target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true;
  if (target instanceof HTMLInputElement) {
    return !['button', 'checkbox', 'radio', 'submit', 'reset'].includes(target.type);
  }
  return false;
}

/** How a shortcut reads on this platform: `mod+k` becomes ⌘K or Ctrl K. */
export function keyLabels(keys: string): string[][] {
  return keys.split(' ').map((step) =>
    step.split('+').map((part) => {
      if (part === 'mod') return isMac ? '⌘' : 'Ctrl';
      if (part === 'Escape') return 'Esc';
      return part.length === 1 ? part.toUpperCase() : part;
    }),
  );
}

export const shortcuts = new ShortcutManager();
