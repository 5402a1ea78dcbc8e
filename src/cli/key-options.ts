// How the command line finds a data folder's key: --key-file, --passphrase-file, a prompt, or the keychain.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import { HearthError } from '../api/errors.js';
import { keychainProvider } from '../keys/keychain.js';
import { keyFileProvider } from '../keys/keyfile.js';
import type { KeyMeta } from '../keys/meta.js';
import { passphraseProvider } from '../keys/passphrase.js';
import type { KeyProvider } from '../keys/provider.js';

export interface KeyOptions {
  passphraseFile?: string;
  keyFile?: string;
}

export function readPassphraseFile(file: string): string {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new HearthError('KEY_UNAVAILABLE', `Cannot read the passphrase file ${file}.`);
  }
  // A trailing newline from `echo` is not part of the passphrase.
  return text.replace(/\r?\n$/, '');
}

/** Reads a line from the terminal without echoing it. */
export async function promptHidden(question: string): Promise<string> {
  if (!process.stdin.isTTY) {
    throw new HearthError('KEY_UNAVAILABLE', 'A passphrase is needed: pass --passphrase-file (no terminal to ask on).');
  }
  let muted = false;
  const output = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      if (!muted) process.stderr.write(chunk);
      callback();
    },
  });
  const rl = createInterface({ input: process.stdin, output, terminal: true });
  try {
    return await new Promise<string>((resolve) => {
      rl.question(question, (answer) => {
        process.stderr.write('\n');
        resolve(answer);
      });
      muted = true;
    });
  } finally {
    rl.close();
  }
}

export async function askNewPassphrase(): Promise<string> {
  const first = await promptHidden('New passphrase: ');
  const second = await promptHidden('Repeat it: ');
  if (first !== second) throw new HearthError('VALIDATION', 'The two passphrases differ; nothing was changed.');
  return first;
}

/** Chooses the key source for an existing folder from the options and its key.json. */
export function providerResolver(options: KeyOptions): (meta: KeyMeta) => KeyProvider {
  const keyFile = options.keyFile ?? process.env.HEARTH_KEY_FILE;
  const passphraseFile = options.passphraseFile ?? process.env.HEARTH_PASSPHRASE_FILE;
  if (keyFile) return () => keyFileProvider(resolve(keyFile));
  if (passphraseFile) {
    const passphrase = readPassphraseFile(passphraseFile);
    return () => passphraseProvider(passphrase);
  }
  return (meta) => {
    switch (meta.source) {
      case 'keychain':
        return keychainProvider();
      case 'keyfile':
        throw new HearthError('KEY_UNAVAILABLE', 'This data folder is opened with a key file: pass --key-file FILE.');
      case 'safeStorage':
        throw new HearthError(
          'KEY_UNAVAILABLE',
          "This data folder's key is held by the desktop app (Electron safeStorage). Open Hearth, or give it a passphrase there, to use the command line.",
        );
      case 'passphrase':
        throw new HearthError(
          'KEY_UNAVAILABLE',
          'This data folder is protected by a passphrase: pass --passphrase-file FILE.',
        );
    }
  };
}

/** Like providerResolver, but asks for a passphrase on the terminal when the folder needs one and none was given. */
export async function interactiveProviderResolver(
  options: KeyOptions,
  meta: KeyMeta | null,
): Promise<(meta: KeyMeta) => KeyProvider> {
  const keyFile = options.keyFile ?? process.env.HEARTH_KEY_FILE;
  const passphraseFile = options.passphraseFile ?? process.env.HEARTH_PASSPHRASE_FILE;
  if (!keyFile && !passphraseFile && meta?.source === 'passphrase' && process.stdin.isTTY) {
    const passphrase = await promptHidden('Passphrase: ');
    return () => passphraseProvider(passphrase);
  }
  return providerResolver(options);
}
