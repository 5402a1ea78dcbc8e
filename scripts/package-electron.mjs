#!/usr/bin/env node
// `npm run dist`: package the desktop app with electron-builder (arguments pass through, e.g. `-- --linux deb`).
// electron-builder rebuilds native modules for Electron in place in node_modules (npmRebuild), which would
// leave `npm test` with addons Node cannot load; the Node builds are saved first and put back afterwards.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/**
 * The top-level files of installed packages' build/Release folders (scoped packages too): the compiled
 * .node addons, and any marker files the rebuild leaves beside them.
 */
export function releaseFiles(root = ROOT) {
  const found = [];
  const modules = join(root, 'node_modules');
  const packageDirs = (dir) =>
    readdirSync(dir, { withFileTypes: true })
      .filter((entry) => entry.isDirectory() && !entry.name.startsWith('.'))
      .flatMap((entry) => (entry.name.startsWith('@') ? packageDirs(join(dir, entry.name)) : [join(dir, entry.name)]));
  if (!existsSync(modules)) return found;
  for (const pkg of packageDirs(modules)) {
    const release = join(pkg, 'build', 'Release');
    if (!existsSync(release)) continue;
    for (const entry of readdirSync(release, { withFileTypes: true }))
      if (entry.isFile()) found.push(join(release, entry.name));
  }
  return found;
}

export function saveAddons(root, backup) {
  const saved = releaseFiles(root);
  for (const file of saved) {
    const copy = join(backup, relative(root, file));
    mkdirSync(dirname(copy), { recursive: true });
    copyFileSync(file, copy);
  }
  return saved;
}

/**
 * Puts the saved files back and removes files the rebuild added. That includes @electron/rebuild's
 * `.forge-meta` marker: left behind, it would make the next packaging skip the rebuild and ship the
 * Node builds.
 */
export function restoreAddons(root, backup, saved) {
  const keep = new Set(saved);
  for (const file of releaseFiles(root)) if (!keep.has(file)) rmSync(file, { force: true });
  for (const file of saved) {
    // A failed node-gyp rebuild has already deleted the whole build folder.
    mkdirSync(dirname(file), { recursive: true });
    copyFileSync(join(backup, relative(root, file)), file);
  }
  rmSync(backup, { recursive: true, force: true });
}

function main(args) {
  const backup = join(ROOT, '.electron-native', 'node-addons-backup');
  rmSync(backup, { recursive: true, force: true });
  const saved = saveAddons(ROOT, backup);
  const builder = join(ROOT, 'node_modules', 'electron-builder', 'cli.js');
  let result;
  try {
    result = spawnSync(process.execPath, [builder, '--config', 'electron-builder.yml', ...args], {
      cwd: ROOT,
      stdio: 'inherit',
    });
  } finally {
    restoreAddons(ROOT, backup, saved);
  }
  process.exit(result.status ?? 1);
}

if (process.argv[1] && pathToFileURL(process.argv[1]).href === import.meta.url) main(process.argv.slice(2));
