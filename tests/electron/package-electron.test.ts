// npm run dist puts back the Node builds of native addons that electron-builder rebuilt for Electron.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { releaseFiles, restoreAddons, saveAddons } from '../../scripts/package-electron.mjs';

describe('packaging keeps the Node builds of native addons', () => {
  let root: string;
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  function addon(pkg: string, file: string, content: string): string {
    const path = join(root, 'node_modules', pkg, 'build', 'Release', file);
    mkdirSync(join(path, '..'), { recursive: true });
    writeFileSync(path, content);
    return path;
  }

  it('restores addons that were rebuilt, or deleted by a failed rebuild, and drops the rebuild markers', () => {
    root = mkdtempSync(join(tmpdir(), 'hearth-package-'));
    const sqlite = addon('better-sqlite3-multiple-ciphers', 'better_sqlite3.node', 'node build');
    const keytar = addon('@scope/keytar', 'keytar.node', 'node build');
    mkdirSync(join(root, 'node_modules', 'zod'), { recursive: true });
    expect(releaseFiles(root).sort()).toEqual([sqlite, keytar].sort());

    const backup = join(root, '.electron-native', 'backup');
    const saved = saveAddons(root, backup);
    // What electron-builder's rebuild leaves: one addon replaced and marked, the other's build folder gone.
    writeFileSync(sqlite, 'electron build');
    writeFileSync(join(sqlite, '..', '.forge-meta'), 'x64--140');
    rmSync(join(root, 'node_modules', '@scope', 'keytar', 'build'), { recursive: true });

    restoreAddons(root, backup, saved);
    expect(readFileSync(sqlite, 'utf8')).toBe('node build');
    expect(readFileSync(keytar, 'utf8')).toBe('node build');
    expect(existsSync(join(sqlite, '..', '.forge-meta'))).toBe(false);
    expect(existsSync(backup)).toBe(false);
  });
});
