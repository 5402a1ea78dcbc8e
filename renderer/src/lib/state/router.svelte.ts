// Hash-based navigation (`#/settings`): works unchanged under `hearth serve` and Electron's app:// protocol.
export class Router {
  /** The path after `#`, always starting with `/`. */
  path = $state(readPath());

  constructor() {
    window.addEventListener('hashchange', () => (this.path = readPath()));
  }

  navigate(path: string): void {
    if (path === this.path) return;
    location.hash = path;
  }
}

function readPath(): string {
  const raw = decodeURIComponent(location.hash.replace(/^#/, ''));
  return raw.startsWith('/') ? raw : `/${raw}`;
}

export const router = new Router();
