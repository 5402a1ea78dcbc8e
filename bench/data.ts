// Shared by bench/run.ts and bench/explore.ts: the deterministic data set and small helpers.
import { rmSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { Hearth } from '../src/datafolder/hearth.js';
import type { SqliteDatabase } from '../src/db/connection.js';

export const SEED = 0x4ea27;

/** mulberry32: small, fast, good enough for synthetic data. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const FIRST = [
  'Ada',
  'Ben',
  'Chloé',
  'Dev',
  'Elif',
  'Farah',
  'Gus',
  'Hana',
  'Ivan',
  'Jonas',
  'Kemi',
  'Lars',
  'Maya',
  'Niamh',
  'Omar',
  'Priya',
  'Quinn',
  'Rosa',
  'Sven',
  'Tomás',
  'Uma',
  'Vik',
  'Wen',
  'Yusuf',
  'Zoë',
];
export const LAST = [
  'Abbott',
  'Brennan',
  'Castillo',
  'Dubois',
  'Eriksen',
  'Fischer',
  'García',
  'Hughes',
  'Ibrahim',
  'Jansen',
  'Kowalski',
  'Larsen',
  'Moreau',
  'Nakamura',
  'Okafor',
  'Patel',
  'Quigley',
  'Rossi',
  'Schmidt',
  'Tanaka',
  'Usman',
  'Varga',
  'Wójcik',
  'Young',
  'Zhang',
];
const DOMAINS = ['example.com', 'acme.co.uk', 'brightside.io', 'northwind.test', 'mapleleaf.ca', 'lindqvist.se'];
export const TITLES = [
  'Partner',
  'Associate',
  'Office manager',
  'Director of finance',
  'Paralegal',
  'Accountant',
  'CEO',
  'Buyer',
  '',
];
export const WORDS = [
  'meeting',
  'renewal',
  'contract',
  'invoice',
  'follow',
  'up',
  'next',
  'quarter',
  'prefers',
  'email',
  'call',
  'after',
  'lunch',
  'referred',
  'by',
  'the',
  'client',
  'asked',
  'about',
  'pricing',
  'for',
  'audit',
  'services',
  'and',
  'tax',
  'planning',
  'wants',
  'a',
  'proposal',
  'before',
  'Friday',
];

export type PersonRow = [string, string, string, string, string, string, number, number, number, number, number];

export function hex(rng: () => number, chars: number): string {
  let out = '';
  while (out.length < chars)
    out += Math.floor(rng() * 0x1_0000_0000)
      .toString(16)
      .padStart(8, '0');
  return out.slice(0, chars);
}

export function pick<T>(rng: () => number, list: readonly T[]): T {
  return list[Math.floor(rng() * list.length)]!;
}

/** People-like rows: a UUIDv7-shaped id (time-ordered, as Hearth's ids are), names, email, ~200 bytes of notes, integers. */
export function makeRows(count: number): PersonRow[] {
  const rng = prng(SEED);
  const base = Date.UTC(2024, 0, 1);
  const rows: PersonRow[] = [];
  for (let i = 0; i < count; i++) {
    const at = base + i * 37;
    const ts = at.toString(16).padStart(12, '0');
    const id = `${ts.slice(0, 8)}-${ts.slice(8, 12)}-7${hex(rng, 3)}-${'89ab'[Math.floor(rng() * 4)]}${hex(rng, 3)}-${hex(rng, 12)}`;
    const first = pick(rng, FIRST);
    const last = pick(rng, LAST);
    const email = `${first}.${last}${i}@${pick(rng, DOMAINS)}`.toLowerCase();
    let notes = '';
    while (notes.length < 200) notes += (notes ? ' ' : '') + pick(rng, WORDS);
    rows.push([
      id,
      first,
      last,
      email,
      pick(rng, TITLES),
      notes,
      Math.floor(rng() * 6),
      Math.floor(rng() * 101),
      1,
      at,
      at,
    ]);
  }
  return rows;
}

export const CREATE_PEOPLE = `CREATE TABLE people (
  id TEXT PRIMARY KEY, first_name TEXT NOT NULL, last_name TEXT NOT NULL, email TEXT, title TEXT, notes TEXT,
  lifecycle INTEGER NOT NULL, score INTEGER NOT NULL, version INTEGER NOT NULL,
  created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL)`;
export const INSERT_PERSON = 'INSERT INTO people VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)';

function sorted(values: number[]): number[] {
  return [...values].sort((a, b) => a - b);
}
export function quantile(values: number[], q: number): number {
  const s = sorted(values);
  if (s.length === 0) return NaN;
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))]!;
}
export const median = (values: number[]) => quantile(values, 0.5);

export function removeDb(file: string): void {
  for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(file + suffix, { force: true });
}

/**
 * Runs a generator's one big transaction with a 256 MiB page cache. A fresh folder's connection has the smallest
 * cache (sized to the file), and the trigram tables' triggers (migration 0009) rewrite their segments as they grow:
 * with 64 MiB, 100k people and their notes and activities took over 17 minutes to write; with 256 MiB, about 2.
 */
export function withBigCache(sqlite: SqliteDatabase, fill: () => void): void {
  const before = sqlite.pragma('cache_size', { simple: true }) as number;
  sqlite.pragma('cache_size = -262144');
  try {
    sqlite.transaction(fill)();
  } finally {
    sqlite.pragma(`cache_size = ${before}`);
  }
}

/** Progress, on stderr (stdout carries the report). */
export function log(message: string): void {
  process.stderr.write(`bench: ${message}\n`);
}

/** A procedure called as the folder's own user; an API error stops the bench. */
export async function call(hearth: Hearth, procedure: string, input: unknown): Promise<unknown> {
  const result = await hearth.dispatcher.call(procedure, input, hearth.localActor);
  if (!result.ok) throw new Error(`${procedure} failed: ${result.error.code} ${result.error.message}`);
  return result.value;
}

/** Heap in use after a full collection, so a difference is what something keeps. */
export function heapMiB(): number {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
  return process.memoryUsage().heapUsed / 1024 / 1024;
}
