#!/usr/bin/env node
// `npm start`: fetch the Electron binary and build the SQLite addon for Electron's ABI once, rebuild the app
// when its sources changed, then run it. Node's own build of the addon in node_modules is never touched,
// so `npm test` and `npm start` work in either order.
import { spawn, spawnSync } from 'node:child_process';
import {
  copyFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  realpathSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const ELECTRON_DIR = join(ROOT, 'node_modules', 'electron');
export const NATIVE_ROOT = join(ROOT, '.electron-native');
const SQLITE_PACKAGE_DIR = join(ROOT, 'node_modules', 'better-sqlite3-multiple-ciphers');
export const ELECTRON_HEADERS_URL = 'https://electronjs.org/headers';

/** A failure whose message is the whole story: printed as is, without a stack. */
export class StartError extends Error {
  constructor(message) {
    super(message);
    this.name = 'StartError';
  }
}

const readJson = (file) => JSON.parse(readFileSync(file, 'utf8'));

export function electronVersion(electronDir = ELECTRON_DIR) {
  try {
    return readJson(join(electronDir, 'package.json')).version;
  } catch {
    throw new StartError(`Electron is not installed in ${electronDir}. Run npm install first.`);
  }
}

/** The Electron executable if it has been downloaded, else null. Never triggers a download. */
export function electronExecutable(electronDir = ELECTRON_DIR) {
  let relativePath;
  try {
    relativePath = readFileSync(join(electronDir, 'path.txt'), 'utf8').trim();
  } catch {
    return null;
  }
  const executable = join(electronDir, 'dist', relativePath);
  return existsSync(executable) ? executable : null;
}

/** node-gyp's closing boilerplate and stack frames, which say nothing about what went wrong. */
const NOISE = /^(at\s|gyp ERR! (stack\s+at\s|System |command |cwd |node -v |node-gyp -v |not ok|configure error\s*$))/;

/** Last meaningful lines of a child's output, for an error message. */
function tail(text, lines = 1) {
  return (text ?? '')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !NOISE.test(line))
    .slice(-lines)
    .join('\n');
}

/**
 * Electron's npm package no longer downloads its binary on install (and CI installs with
 * ELECTRON_SKIP_BINARY_DOWNLOAD=1), so fetch it here with the package's own installer.
 */
export function ensureElectronBinary({ electronDir = ELECTRON_DIR, env = process.env, log = console.log } = {}) {
  const existing = electronExecutable(electronDir);
  if (existing) return existing;
  const version = electronVersion(electronDir);
  log(`Downloading Electron ${version} (once; it is cached for next time)…`);
  const result = spawnSync(process.execPath, [join(electronDir, 'install.js')], {
    cwd: electronDir,
    env,
    encoding: 'utf8',
    stdio: ['ignore', 'inherit', 'pipe'],
    timeout: 20 * 60 * 1000,
  });
  const executable = electronExecutable(electronDir);
  if (result.status === 0 && executable) return executable;
  const reason = result.error?.message ?? (tail(result.stderr, 1) || `the installer exited with code ${result.status}`);
  throw new StartError(
    `Could not download Electron ${version}: ${reason}\n` +
      'npm start needs the Electron binary, which comes from github.com (not from the npm registry). ' +
      'Check the network connection or proxy (HTTPS_PROXY; ELECTRON_MIRROR for a mirror), then run npm start again.',
  );
}

/** node-gyp: the one npm runs install scripts with, else the project's, else the one bundled with npm. */
export function findNodeGyp(env = process.env) {
  const candidates = [
    env.npm_config_node_gyp,
    join(ROOT, 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
    env.npm_execpath && join(dirname(env.npm_execpath), '..', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
    join(
      dirname(process.execPath),
      '..',
      'lib',
      'node_modules',
      'npm',
      'node_modules',
      'node-gyp',
      'bin',
      'node-gyp.js',
    ),
    join(dirname(process.execPath), 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
  ];
  const found = candidates.find((file) => file && existsSync(file));
  if (!found)
    throw new StartError('node-gyp was not found. It comes with npm; reinstall npm, or run npm install -D node-gyp.');
  return found;
}

const KEPT_NPM_CONFIG = new Set(['proxy', 'https_proxy', 'http_proxy', 'noproxy', 'no_proxy', 'cafile', 'strict_ssl']);

/**
 * node-gyp lets npm_config_* variables override its command line. Under `npm start` they carry the user's
 * npm settings (for example `nodedir`, which would build against Node's headers instead of Electron's),
 * so only the network settings are passed on.
 */
export function nodeGypEnv(env = process.env) {
  const clean = {};
  for (const [key, value] of Object.entries(env)) {
    const npmConfig = /^npm_config_(.*)$/i.exec(key);
    if (npmConfig && !KEPT_NPM_CONFIG.has(npmConfig[1].toLowerCase())) continue;
    if (/^npm_package_config_node_gyp_/i.test(key)) continue;
    clean[key] = value;
  }
  return clean;
}

function describeNativeFailure(output, distUrl, devDir) {
  // node-gyp fetches the headers first; a failure there is reported as a failed "install" of them.
  const headersFailed =
    /install got an error|network connectivity|response downloading|getaddrinfo|ECONNREFUSED|ETIMEDOUT/i.test(output);
  if (headersFailed) {
    const detail = output.match(/gyp ERR! stack (?:Error|FetchError|TypeError): (.*)/)?.[1]?.trim();
    const useful = detail && !detail.startsWith('This is most likely') ? ` (${detail})` : '';
    return (
      `node-gyp could not download Electron's headers from ${distUrl}${useful}. ` +
      `Building the addon for Electron needs them once (they are then kept in ${devDir}). ` +
      'Check the network connection or proxy, then run npm start again.'
    );
  }
  return `node-gyp failed. Its last lines were:\n${tail(output, 12)}\nA C++ compiler, make and Python 3 are needed (on Debian: apt-get install build-essential python3).`;
}

/**
 * Builds better-sqlite3-multiple-ciphers for Electron into .electron-native/<electron version>/ from a copy
 * of the package's sources, and returns the path of the .node file (the app loads it through
 * HEARTH_SQLITE_BINDING). Skipped when a build for the same Electron, addon version and platform exists.
 */
export function ensureElectronNative({
  version = electronVersion(),
  nativeRoot = NATIVE_ROOT,
  packageDir = SQLITE_PACKAGE_DIR,
  distUrl = ELECTRON_HEADERS_URL,
  devDir = join(homedir(), '.electron-gyp'),
  arch = process.arch,
  env = process.env,
  log = console.log,
} = {}) {
  const dir = join(nativeRoot, version);
  const binding = join(dir, 'better_sqlite3.node');
  const stampFile = join(dir, 'build.json');
  const stamp = {
    electron: version,
    package: readJson(join(packageDir, 'package.json')).version,
    platform: process.platform,
    arch,
  };
  if (existsSync(binding) && existsSync(stampFile) && JSON.stringify(readJson(stampFile)) === JSON.stringify(stamp)) {
    return binding;
  }

  log(`Building the encrypted SQLite addon for Electron ${version} (once; a few minutes)…`);
  const work = join(dir, 'build-src');
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  for (const entry of ['package.json', 'binding.gyp', 'src', 'deps']) {
    cpSync(join(packageDir, entry), join(work, entry), { recursive: true });
  }
  const args = [
    findNodeGyp(env),
    'rebuild',
    '--release',
    `--target=${version}`,
    `--arch=${arch}`,
    `--dist-url=${distUrl}`,
    '--runtime=electron',
    `--devdir=${devDir}`,
  ];
  const result = spawnSync(process.execPath, args, {
    cwd: work,
    env: nodeGypEnv(env),
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    maxBuffer: 64 * 1024 * 1024,
    timeout: 30 * 60 * 1000,
  });
  const built = join(work, 'build', 'Release', 'better_sqlite3.node');
  if (result.status !== 0 || !existsSync(built)) {
    const output = `${result.stdout ?? ''}\n${result.stderr ?? ''}\n${result.error?.message ?? ''}`;
    rmSync(work, { recursive: true, force: true });
    throw new StartError(
      `Could not build better-sqlite3-multiple-ciphers for Electron ${version}: ${describeNativeFailure(output, distUrl, devDir)}`,
    );
  }
  // Rename into place so an interrupted build never leaves a half-copied addon behind a valid stamp.
  copyFileSync(built, `${binding}.tmp`);
  renameSync(`${binding}.tmp`, binding);
  writeFileSync(stampFile, JSON.stringify(stamp) + '\n');
  rmSync(work, { recursive: true, force: true });
  return binding;
}

const BUILD_SOURCES = [
  'src',
  'migrations',
  'electron',
  'renderer',
  'package.json',
  'tsconfig.json',
  'tsconfig.base.json',
  'tsconfig.build.json',
  'tsconfig.electron.json',
  'vite.config.ts',
];
const BUILD_OUTPUTS = ['dist/src/datafolder/hearth.js', 'dist/renderer/index.html'];
const ELECTRON_OUTPUTS = ['dist/electron/main.js', 'dist/electron/preload.cjs'];

function newestMtime(path) {
  let stats;
  try {
    stats = statSync(path);
  } catch {
    return 0;
  }
  if (!stats.isDirectory()) return /\.test\.ts$/.test(path) ? 0 : stats.mtimeMs;
  let newest = 0;
  for (const entry of readdirSync(path)) {
    if (entry === 'node_modules' || entry.startsWith('.')) continue;
    newest = Math.max(newest, newestMtime(join(path, entry)));
  }
  return newest;
}

/** Whether any output is missing or older than the newest source. */
export function isStale(outputs, sources = BUILD_SOURCES, root = ROOT) {
  const newestSource = Math.max(...sources.map((source) => newestMtime(join(root, source))));
  return outputs.some((output) => {
    const file = join(root, output);
    return !existsSync(file) || statSync(file).mtimeMs < newestSource;
  });
}

function runNpm(args, env) {
  // Under npm, npm_execpath is npm's own script: running it with this Node avoids Windows' npm.cmd shim.
  const command = env.npm_execpath ? process.execPath : 'npm';
  const commandArgs = env.npm_execpath ? [env.npm_execpath, ...args] : args;
  const result = spawnSync(command, commandArgs, {
    cwd: ROOT,
    env,
    stdio: 'inherit',
    shell: !env.npm_execpath && process.platform === 'win32',
  });
  if (result.status !== 0) throw new StartError(`npm ${args.join(' ')} failed (see above).`);
}

/** Runs `npm run build` when the app is missing or older than its sources. */
export function ensureBuilt({ env = process.env, log = console.log } = {}) {
  if (isStale([...BUILD_OUTPUTS, ...ELECTRON_OUTPUTS])) {
    log('Building Hearth…');
    runNpm(['run', 'build'], env);
  }
  // Until `npm run build` includes the Electron part, build it on its own.
  if (isStale(ELECTRON_OUTPUTS)) runNpm(['run', 'build:electron'], env);
}

/** The environment Electron runs the app with. */
export function electronEnv(binding, env = process.env) {
  const next = { ...env, HEARTH_SQLITE_BINDING: binding };
  // Set by some tools (and by Electron for its own helpers); it would make Electron behave as plain Node.
  delete next.ELECTRON_RUN_AS_NODE;
  return next;
}

async function main(argv) {
  const env = process.env;
  const executable = ensureElectronBinary({ env });
  const binding = ensureElectronNative({ env });
  ensureBuilt({ env });
  const child = spawn(executable, [ROOT, ...argv], { cwd: ROOT, env: electronEnv(binding, env), stdio: 'inherit' });
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.on(signal, () => child.kill(signal));
  }
  child.on('error', (error) => {
    console.error(`hearth start: could not run Electron at ${relative(ROOT, executable)}: ${error.message}`);
    process.exit(1);
  });
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

const invokedDirectly = (() => {
  try {
    return process.argv[1] !== undefined && pathToFileURL(realpathSync(process.argv[1])).href === import.meta.url;
  } catch {
    return false;
  }
})();

if (invokedDirectly) {
  main(process.argv.slice(2)).catch((error) => {
    if (error instanceof StartError) {
      console.error(`hearth start: ${error.message}`);
    } else {
      console.error('hearth start: unexpected failure:', error);
    }
    process.exit(1);
  });
}
