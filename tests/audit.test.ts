import { spawnSync } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../src/audit/verify.js';
import type { Hearth } from '../src/datafolder/hearth.js';
import { makeDataFolder, openTestHearth, type TempFolder } from './support/data-folder.js';

let folder: TempFolder | undefined;
let hearth: Hearth | undefined;
afterEach(async () => {
  await hearth?.close();
  hearth = undefined;
  folder?.cleanup();
});

/** A folder whose audit log holds the init entry plus `updates` settings changes. */
async function folderWithHistory(updates: number): Promise<Hearth> {
  folder = await makeDataFolder();
  hearth = await openTestHearth(folder);
  for (let i = 1; i <= updates; i++) {
    const result = await hearth.dispatcher.call(
      'settings.update',
      { version: i, patch: { firmName: `Firm ${i}` } },
      hearth.localActor,
    );
    expect(result.ok).toBe(true);
  }
  return hearth;
}

/** Tampering as an attacker with the key would: straight at the file, past the append-only triggers. */
function tamper(h: Hearth, statements: string[]): void {
  h.sqlite.exec('DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;');
  for (const statement of statements) h.sqlite.exec(statement);
}

describe('the audit log', () => {
  it('records who changed which field from what to what', async () => {
    const h = await folderWithHistory(1);
    const row = h.sqlite.prepare('SELECT * FROM audit_log ORDER BY seq DESC LIMIT 1').get() as Record<string, string>;
    expect(row.procedure).toBe('settings.update');
    expect(row.actor_id).toBe(h.localActor.userId);
    expect(JSON.parse(row.record_ids!)).toEqual(['workspace']);
    expect(JSON.parse(row.diff!)).toEqual([
      {
        entity: 'settings',
        id: 'workspace',
        action: 'update',
        fields: { firmName: { from: 'My firm', to: 'Firm 1' } },
      },
    ]);
  });

  it('refuses updates and deletes of its entries', async () => {
    const h = await folderWithHistory(1);
    expect(() => h.sqlite.exec("UPDATE audit_log SET procedure = 'x'")).toThrow(/append-only/);
    expect(() => h.sqlite.exec('DELETE FROM audit_log')).toThrow(/append-only/);
  });

  it('verifies as intact after ordinary use', async () => {
    const h = await folderWithHistory(4);
    expect(await verifyAuditChain(h.db)).toEqual({ ok: true, entries: 5, problems: [] });
  });

  it('reports an edited entry with its position', async () => {
    const h = await folderWithHistory(4);
    tamper(h, ["UPDATE audit_log SET actor_id = 'someone-else' WHERE seq = 3"]);
    const result = await verifyAuditChain(h.db);
    expect(result.ok).toBe(false);
    expect(result.problems).toEqual([expect.objectContaining({ position: 3, kind: 'edited' })]);
  });

  it('reports an edited diff even though the header is intact', async () => {
    const h = await folderWithHistory(2);
    tamper(h, [`UPDATE audit_log SET diff = replace(diff, 'Firm 2', 'Firm X') WHERE seq = 3`]);
    const result = await verifyAuditChain(h.db);
    expect(result.problems).toEqual([expect.objectContaining({ position: 3, kind: 'edited' })]);
  });

  it('reports a deleted entry where the gap is', async () => {
    const h = await folderWithHistory(4);
    tamper(h, ['DELETE FROM audit_log WHERE seq = 3']);
    const result = await verifyAuditChain(h.db);
    expect(result.ok).toBe(false);
    expect(result.problems).toEqual([expect.objectContaining({ position: 3, kind: 'missing' })]);
    expect(result.problems[0]!.message).toMatch(/missing before entry 3/);
  });

  it('reports two swapped entries as out of order', async () => {
    const h = await folderWithHistory(4);
    const columns = ['id', 'at', 'actor_id', 'procedure', 'record_ids', 'diff', 'diff_hash', 'prev_hash', 'hash'];
    const set = (from: number) => columns.map((c) => `${c} = (SELECT ${c} FROM t WHERE seq = ${from})`).join(', ');
    tamper(h, [
      'CREATE TEMP TABLE t AS SELECT * FROM audit_log',
      // Move id out of the way first: it is unique.
      "UPDATE audit_log SET id = id || '-' WHERE seq IN (3, 4)",
      `UPDATE audit_log SET ${set(4)} WHERE seq = 3`,
      `UPDATE audit_log SET ${set(3)} WHERE seq = 4`,
    ]);
    const result = await verifyAuditChain(h.db);
    expect(result.ok).toBe(false);
    expect(result.problems.map((p) => [p.position, p.kind])).toEqual([
      [3, 'reordered'],
      [4, 'reordered'],
      [5, 'reordered'],
    ]);
  });

  it('reports entries cut from the end', async () => {
    const h = await folderWithHistory(3);
    tamper(h, ['DELETE FROM audit_log WHERE seq = 4']);
    const result = await verifyAuditChain(h.db);
    expect(result.problems).toEqual([expect.objectContaining({ kind: 'truncated', position: 4 })]);
  });

  it('makes `hearth verify` exit non-zero and name the position', async () => {
    const h = await folderWithHistory(3);
    tamper(h, ["UPDATE audit_log SET procedure = 'settings.get' WHERE seq = 2"]);
    await h.close();
    hearth = undefined;
    const run = spawnSync(
      'node',
      ['bin/hearth.js', '--data-dir', folder!.dir, '--key-file', folder!.keyFile, 'verify'],
      {
        encoding: 'utf8',
      },
    );
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(/position 2: entry 2 \(settings\.get\) was edited/);
    const json = spawnSync(
      'node',
      ['bin/hearth.js', '--data-dir', folder!.dir, '--key-file', folder!.keyFile, '--json', 'verify'],
      { encoding: 'utf8' },
    );
    expect(json.status).toBe(1);
    expect(JSON.parse(json.stdout).audit.problems[0]).toMatchObject({ position: 2, kind: 'edited' });
  });
});
