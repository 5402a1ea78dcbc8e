// The app's version, read from package.json whether running from src/ (tests) or dist/ (built).
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function findPackage(): { root: string; version: string } {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const file = join(dir, 'package.json');
    if (existsSync(file)) {
      const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'hearth-crm' && pkg.version) return { root: dir, version: pkg.version };
    }
    dir = dirname(dir);
  }
  return { root: process.cwd(), version: '0.0.0' };
}

const found = findPackage();
export const APP_VERSION = found.version;
/** The folder holding package.json (and dist/ once built). */
export const PACKAGE_ROOT = found.root;
