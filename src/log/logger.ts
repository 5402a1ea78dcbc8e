// Operational log: events and error codes only, never record contents or inputs.
import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface Logger {
  log(level: LogLevel, event: string, fields?: Record<string, string | number | boolean | null>): void;
}

/** Appends JSON lines to a file; fields are limited to scalars so a record cannot slip in whole. */
export function fileLogger(file: string, echo: (line: string) => void = () => {}): Logger {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  return {
    log(level, event, fields = {}) {
      const line = JSON.stringify({ t: new Date().toISOString(), level, event, ...fields });
      try {
        appendFileSync(file, line + '\n', { mode: 0o600 });
      } catch {
        // A full disk must not turn a good call into a failed one.
      }
      echo(line);
    },
  };
}

export const silentLogger: Logger = { log() {} };
