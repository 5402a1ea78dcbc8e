import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { makeDataFolder, openTestHearth, type TempFolder } from '../../tests/support/data-folder.js';
import type { Hearth } from '../datafolder/hearth.js';

let folder: TempFolder | undefined;
let hearth: Hearth | undefined;
afterEach(async () => {
  await hearth?.close();
  hearth = undefined;
  folder?.cleanup();
});

const digest = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

async function until(condition: () => boolean, timeoutMs = 5_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (condition()) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return condition();
}

describe('the background checkpointer', () => {
  it('copies committed changes into the database file while it stays open, off the calling thread', async () => {
    folder = await makeDataFolder();
    hearth = await openTestHearth(folder);
    const database = join(folder.dir, 'hearth.db');
    // The calling connection never checkpoints by itself.
    expect(hearth.sqlite.pragma('wal_autocheckpoint', { simple: true })).toBe(0);
    const before = digest(database);
    const result = await hearth.dispatcher.call(
      'settings.update',
      { version: 1, patch: { firmName: 'Checkpointed' } },
      hearth.localActor,
    );
    expect(result.ok).toBe(true);
    expect(await until(() => digest(database) !== before)).toBe(true);
  });

  it('is stopped by close, which then leaves no WAL behind', async () => {
    folder = await makeDataFolder();
    hearth = await openTestHearth(folder);
    await hearth.dispatcher.call('settings.update', { version: 1, patch: { firmName: 'Closed' } }, hearth.localActor);
    await hearth.close();
    hearth = undefined;
    expect(existsSync(join(folder.dir, 'hearth.db-wal'))).toBe(false);
    const reopened = await openTestHearth(folder);
    const settings = await reopened.dispatcher.call('settings.get', {}, reopened.localActor);
    expect(settings.ok && (settings.value as { firmName: string }).firmName).toBe('Closed');
    await reopened.close();
  });
});
