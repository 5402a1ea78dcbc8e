// Where a data folder lives and what is inside it.
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

export interface DataPaths {
  dir: string;
  database: string;
  keyMeta: string;
  lock: string;
  backups: string;
  logs: string;
  logFile: string;
}

export function dataPaths(dir: string): DataPaths {
  const root = resolve(dir);
  return {
    dir: root,
    database: join(root, 'hearth.db'),
    keyMeta: join(root, 'key.json'),
    lock: join(root, 'hearth.lock'),
    backups: join(root, 'backups'),
    logs: join(root, 'logs'),
    logFile: join(root, 'logs', 'hearth.log'),
  };
}

/** The OS's application data folder, the same one the desktop app uses. */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  if (env.HEARTH_DATA_DIR) return env.HEARTH_DATA_DIR;
  if (platform === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), 'Hearth');
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'Hearth');
  return join(env.XDG_DATA_HOME ?? join(homedir(), '.local', 'share'), 'Hearth');
}
