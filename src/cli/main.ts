// The `hearth` command: the same API procedures as the app, run in-process, plus data-folder operations.
import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { Command, CommanderError, Option } from 'commander';
import { HearthError, type ApiErrorBody } from '../api/errors.js';
import { verifyAuditChain } from '../audit/verify.js';
import { migrationStatus } from '../db/migrate.js';
import { initDataFolder, integrityCheck, openHearth, type Hearth, type OpenOptions } from '../datafolder/hearth.js';
import { escrowKey, importKey, moveKey, rekey } from '../datafolder/key-operations.js';
import { dataPaths, defaultDataDir } from '../datafolder/paths.js';
import { restoreDataFolder } from '../datafolder/restore.js';
import { keychainProvider } from '../keys/keychain.js';
import { keyFileProvider, parseKeyHex } from '../keys/keyfile.js';
import { readKeyMeta } from '../keys/meta.js';
import { passphraseProvider } from '../keys/passphrase.js';
import type { KeyProvider } from '../keys/provider.js';
import { startServer } from '../server/http.js';
import { APP_VERSION, PACKAGE_ROOT } from '../system/version.js';
import { askNewPassphrase, interactiveProviderResolver, readPassphraseFile, type KeyOptions } from './key-options.js';

interface GlobalOptions extends KeyOptions {
  dataDir?: string;
  json?: boolean;
}

/** A problem with how the command was typed: exit 2. */
class UsageError extends Error {}

export interface CliIO {
  out(text: string): void;
  err(text: string): void;
}

const consoleIO: CliIO = {
  out: (text) => process.stdout.write(text + '\n'),
  err: (text) => process.stderr.write(text + '\n'),
};

function dataDirOf(options: GlobalOptions): string {
  return resolve(options.dataDir ?? defaultDataDir());
}

async function openFor(
  options: GlobalOptions,
  purpose: string,
  extra: Pick<OpenOptions, 'migrate' | 'reminders' | 'optimize' | 'warmSearch'> = {},
): Promise<Hearth> {
  const dir = dataDirOf(options);
  const paths = dataPaths(dir);
  const meta = existsSync(paths.keyMeta) ? readKeyMeta(paths.keyMeta) : null;
  const provider = await interactiveProviderResolver(options, meta);
  return openHearth({ dir, provider, purpose, ...extra });
}

async function withHearth<T>(
  options: GlobalOptions,
  purpose: string,
  run: (hearth: Hearth) => Promise<T>,
  extra: { migrate?: boolean } = {},
): Promise<T> {
  const hearth = await openFor(options, purpose, extra);
  try {
    return await run(hearth);
  } finally {
    await hearth.close();
  }
}

function parseJsonArgument(text: string | undefined): unknown {
  if (text === undefined) return {};
  const source = text === '-' ? readFileSync(0, 'utf8') : text;
  try {
    return JSON.parse(source);
  } catch {
    throw new UsageError(
      'The input is not valid JSON. Example: hearth call settings.update \'{"version":1,"patch":{"firmName":"Acme"}}\'',
    );
  }
}

export function buildProgram(io: CliIO = consoleIO): Command {
  const program = new Command();
  program
    .name('hearth')
    .description("Hearth CRM: your firm's customer data, encrypted, on your own machines.")
    .version(APP_VERSION, '-v, --version')
    .option('--data-dir <dir>', 'data folder (default: $HEARTH_DATA_DIR or the OS application data folder)')
    .option('--passphrase-file <file>', 'read the passphrase from this file (or $HEARTH_PASSPHRASE_FILE)')
    .option('--key-file <file>', 'use the raw key in this file (or $HEARTH_KEY_FILE)')
    .option('--json', 'print machine-readable JSON')
    .showHelpAfterError()
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s.trimEnd()), writeErr: (s) => io.err(s.trimEnd()) });

  const opts = (cmd: Command) => cmd.optsWithGlobals<GlobalOptions>();
  const print = (cmd: Command, human: string, json: unknown) => io.out(opts(cmd).json ? JSON.stringify(json) : human);

  program
    .command('init')
    .description('create an encrypted data folder (refuses to overwrite an existing one)')
    .option('--passphrase', 'protect the key with a passphrase typed now')
    .option('--keychain', 'keep the key in the OS keychain (the default)')
    .option('--user-name <name>', 'name of the local administrator')
    .action(async (local: { passphrase?: boolean; keychain?: boolean; userName?: string }, cmd: Command) => {
      const o = opts(cmd);
      const dir = dataDirOf(o);
      const keyFile = o.keyFile ?? process.env.HEARTH_KEY_FILE;
      const passphraseFile = o.passphraseFile ?? process.env.HEARTH_PASSPHRASE_FILE;
      let provider: KeyProvider;
      let key: Buffer | undefined;
      if (keyFile) {
        const absolute = resolve(keyFile);
        const inside = relative(dir, absolute);
        if (inside === '' || (!isAbsolute(inside) && inside !== '..' && !inside.startsWith('..' + sep))) {
          throw new UsageError('Keep the key file outside the data folder; next to the data it protects nothing.');
        }
        provider = keyFileProvider(absolute);
        if (existsSync(absolute)) key = parseKeyHex(readFileSync(absolute, 'utf8'), absolute);
      } else if (passphraseFile) {
        provider = passphraseProvider(readPassphraseFile(passphraseFile));
      } else if (local.passphrase) {
        provider = passphraseProvider(await askNewPassphrase());
      } else {
        provider = keychainProvider();
      }
      const { paths } = await initDataFolder({
        dir,
        provider,
        ...(key ? { key } : {}),
        ...(local.userName ? { userName: local.userName } : {}),
      });
      print(
        cmd,
        `Created an encrypted Hearth data folder at ${paths.dir} (key: ${provider.describe({ format: 1, folderId: '', source: provider.kind, createdAt: 0, slots: {} })}).\n` +
          'Keep a copy of the key somewhere safe: hearth key show --yes',
        { dataDir: paths.dir, keySource: provider.kind },
      );
    });

  program
    .command('call')
    .description('run an API procedure and print its result as JSON; an API error prints {"error":…} and exits 1')
    .argument('<procedure>', 'e.g. settings.get (list them with: hearth call system.procedures)')
    .argument('[json]', 'the input as JSON, or - to read it from standard input (default {})')
    .action(async (procedure: string, json: string | undefined, _local: unknown, cmd: Command) => {
      const input = parseJsonArgument(json);
      let hearth: Hearth;
      try {
        hearth = await openFor(opts(cmd), `hearth call ${procedure}`);
      } catch (error) {
        if (error instanceof HearthError) {
          io.out(JSON.stringify({ error: error.toBody() }));
          process.exitCode = 1;
          return;
        }
        throw error;
      }
      try {
        const result = await hearth.dispatcher.call(procedure, input, hearth.localActor);
        if (result.ok) io.out(JSON.stringify(result.value ?? null, null, 2));
        else {
          io.out(JSON.stringify({ error: result.error }, null, 2));
          process.exitCode = 1;
        }
      } finally {
        await hearth.close();
      }
    });

  program
    .command('verify')
    .description("check the database (PRAGMA integrity_check) and the audit log's hash chain")
    .action(async (_local: unknown, cmd: Command) => {
      await withHearth(
        opts(cmd),
        'hearth verify',
        async (hearth) => {
          const integrity = await integrityCheck(hearth.db);
          const audit = await verifyAuditChain(hearth.db);
          const ok = integrity.length === 0 && audit.ok;
          const lines = [
            integrity.length === 0
              ? 'Database integrity: ok'
              : `Database integrity: ${integrity.length} problem(s)\n  ${integrity.slice(0, 20).join('\n  ')}`,
            audit.ok
              ? `Audit log: ok (${audit.entries} entries, chain intact)`
              : `Audit log: ${audit.problems.length} problem(s) in ${audit.entries} entries`,
            ...audit.problems.map((p) => `  position ${p.position}: ${p.message}`),
          ];
          print(cmd, lines.join('\n'), { ok, integrity, audit });
          if (!ok) process.exitCode = 1;
        },
        { migrate: false },
      );
    });

  program
    .command('backup')
    .description('write an encrypted copy of the database (same key) to a file')
    .requiredOption('--out <file>', 'where to write the backup (must not exist)')
    .action(async (local: { out: string }, cmd: Command) => {
      await withHearth(opts(cmd), 'hearth backup', async (hearth) => {
        const file = resolve(local.out);
        hearth.backup(file);
        print(cmd, `Wrote an encrypted backup to ${file}. It opens with this folder's current key.`, { file });
      });
    });

  program
    .command('restore')
    .description('replace the database with a backup (the current one is kept in backups/ first)')
    .argument('<file>', 'a backup written by `hearth backup` with the current key')
    .action(async (file: string, _local: unknown, cmd: Command) => {
      const o = opts(cmd);
      const dir = dataDirOf(o);
      const paths = dataPaths(dir);
      const meta = existsSync(paths.keyMeta) ? readKeyMeta(paths.keyMeta) : null;
      const result = await restoreDataFolder({
        dir,
        file: resolve(file),
        provider: await interactiveProviderResolver(o, meta),
      });
      // Opening applies any migrations the backup is behind on (and backs up first).
      await withHearth(o, 'hearth restore', async () => undefined);
      print(
        cmd,
        `Restored ${result.restoredFrom}.${result.previousSavedTo ? ` The database it replaced is kept at ${result.previousSavedTo}.` : ''}`,
        result,
      );
    });

  program
    .command('migrate')
    .description('apply pending database migrations (a backup is made first), or list them with --status')
    .option('--status', 'list applied and pending migrations without changing anything')
    .action(async (local: { status?: boolean }, cmd: Command) => {
      await withHearth(
        opts(cmd),
        'hearth migrate',
        async (hearth) => {
          const status = await migrationStatus(hearth.db);
          const lines = [
            `Schema version ${status.schemaVersion} (this Hearth writes ${status.latestSchemaVersion})`,
            ...status.applied.map(
              (m) => `  applied  ${m.name}${m.appliedAt ? `  ${new Date(m.appliedAt).toISOString()}` : ''}`,
            ),
            ...status.pending.map((m) => `  pending  ${m}`),
          ];
          if (!local.status && status.pending.length === 0) lines.push('Nothing to do: the database is up to date.');
          print(cmd, lines.join('\n'), status);
        },
        { migrate: !local.status },
      );
    });

  program
    .command('rekey')
    .description('re-encrypt the database under a new random key (old backups keep the old key)')
    .action(async (_local: unknown, cmd: Command) => {
      await withHearth(opts(cmd), 'hearth rekey', async (hearth) => {
        await rekey(hearth);
        print(
          cmd,
          `The database now has a new key, kept in the ${hearth.provider.describe(hearth.meta)}. Escrow it again: hearth key show --yes`,
          { keySource: hearth.meta.source },
        );
      });
    });

  program
    .command('passphrase')
    .description('set or change the passphrase that protects the key (instant: the database is not rewritten)')
    .option('--new-passphrase-file <file>', 'read the new passphrase from this file instead of asking')
    .action(async (local: { newPassphraseFile?: string }, cmd: Command) => {
      const next = local.newPassphraseFile ? readPassphraseFile(local.newPassphraseFile) : await askNewPassphrase();
      await withHearth(opts(cmd), 'hearth passphrase', async (hearth) => {
        await moveKey(hearth, passphraseProvider(next));
        print(cmd, 'The passphrase was changed. The old one no longer opens this data folder.', {
          keySource: 'passphrase',
        });
      });
    });

  const key = program.command('key').description('key escrow and recovery');
  key
    .command('show')
    .description("print the raw database key as hex, for a firm's safe (needs --yes)")
    .option('--yes', 'confirm: anyone with this key and a copy of the data folder can read everything')
    .action(async (local: { yes?: boolean }, cmd: Command) => {
      if (!local.yes) {
        throw new UsageError(
          'This prints the raw database key. Anyone holding it and a copy of the data can read everything. Run again with --yes to confirm.',
        );
      }
      await withHearth(
        opts(cmd),
        'hearth key show',
        async (hearth) => {
          const hex = await escrowKey(hearth);
          print(cmd, hex, { key: hex, folderId: hearth.meta.folderId });
        },
        { migrate: false },
      );
    });
  key
    .command('import')
    .description('put an escrowed key back into the OS keychain (or --key-file / a passphrase) after it was lost')
    .requiredOption('--hex-file <file>', 'file holding the 64 hex characters printed by `hearth key show`')
    .option('--passphrase', 'protect it with a new passphrase typed now instead of the keychain')
    .action(async (local: { hexFile: string; passphrase?: boolean }, cmd: Command) => {
      const o = opts(cmd);
      const keyFile = o.keyFile ?? process.env.HEARTH_KEY_FILE;
      const passphraseFile = o.passphraseFile ?? process.env.HEARTH_PASSPHRASE_FILE;
      const target: KeyProvider = keyFile
        ? keyFileProvider(resolve(keyFile))
        : passphraseFile
          ? passphraseProvider(readPassphraseFile(passphraseFile))
          : local.passphrase
            ? passphraseProvider(await askNewPassphrase())
            : keychainProvider();
      await importKey({ dir: dataDirOf(o), hexKey: readFileSync(local.hexFile, 'utf8'), provider: () => target });
      print(
        cmd,
        `The key opens the database and is now kept in the ${target.describe({ format: 1, folderId: '', source: target.kind, createdAt: 0, slots: {} })}.`,
        { keySource: target.kind },
      );
    });

  program
    .command('serve')
    .description('serve the app and the API to a browser on this machine (127.0.0.1)')
    .addOption(new Option('--port <port>', 'port (0 picks a free one)').default('7420'))
    .option('--host <host>', 'address to bind; only 127.0.0.1, localhost or ::1 until LAN accounts exist', '127.0.0.1')
    .action(async (local: { port: string; host: string }, cmd: Command) => {
      const port = Number(local.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535)
        throw new UsageError(`--port must be a number from 0 to 65535, not ${local.port}.`);
      if (!['127.0.0.1', 'localhost', '::1'].includes(local.host)) {
        throw new UsageError(
          `Hearth serves only on this machine for now (127.0.0.1); binding to ${local.host} needs user accounts, which come with LAN mode.`,
        );
      }
      const o = opts(cmd);
      const hearth = await openFor(o, `hearth serve`, { reminders: true, optimize: true, warmSearch: true });
      let server;
      try {
        server = await startServer({
          dispatcher: hearth.dispatcher,
          actor: hearth.localActor,
          logger: hearth.logger,
          staticDir: join(PACKAGE_ROOT, 'dist', 'renderer'),
          host: local.host,
          port,
        });
      } catch (error) {
        await hearth.close();
        throw error;
      }
      const loginUrl = server.issueLoginUrl();
      if (o.json)
        io.out(
          JSON.stringify({ url: loginUrl, origin: server.origin, port: server.port, apiToken: server.issueApiToken() }),
        );
      else
        io.out(
          `Hearth is serving ${hearth.paths.dir} at ${server.origin}\nOpen this link once to sign in (it works one time):\n  ${loginUrl}\nPress Ctrl+C to stop.`,
        );
      await new Promise<void>((done) => {
        const stop = () => done();
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
      await server.close();
      await hearth.close();
    });

  return program;
}

function printFailure(io: CliIO, error: ApiErrorBody, json: boolean): void {
  if (json) io.out(JSON.stringify({ error }));
  else io.err(`hearth: ${error.message} (${error.code})`);
}

/** Runs the command line; resolves to the exit code. */
export async function main(argv: string[], io: CliIO = consoleIO): Promise<number> {
  const program = buildProgram(io);
  const json = argv.includes('--json');
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (
        error.code === 'commander.helpDisplayed' ||
        error.code === 'commander.version' ||
        error.code === 'commander.help'
      )
        return 0;
      return 2;
    }
    if (error instanceof UsageError) {
      io.err(`hearth: ${error.message}`);
      return 2;
    }
    if (error instanceof HearthError) {
      printFailure(io, error.toBody(), json);
      return 1;
    }
    const message = error instanceof Error ? error.message : String(error);
    io.err(`hearth: unexpected failure: ${message}`);
    return 1;
  }
}
