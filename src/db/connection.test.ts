import { describe, expect, it } from 'vitest';
import { compareVersions, pageCacheKiB } from './connection.js';

const MiB = 1024 * 1024;

describe('the page cache', () => {
  it('is 64 MiB for a small database', () => {
    expect(pageCacheKiB(0)).toBe(64 * 1024);
    expect(pageCacheKiB(20 * MiB)).toBe(64 * 1024);
  });

  it('grows to hold one and a half times a larger file, so encrypted reads stay at plain speed', () => {
    expect(pageCacheKiB(100 * MiB)).toBe(150 * 1024);
  });

  it('stops at 256 MiB however large the file', () => {
    expect(pageCacheKiB(4096 * MiB)).toBe(256 * 1024);
  });
});

describe('the SQLite version check', () => {
  it('orders versions numerically, not as text', () => {
    expect(compareVersions('3.53.2', '3.51.3')).toBeGreaterThan(0);
    expect(compareVersions('3.51.3', '3.51.3')).toBe(0);
    expect(compareVersions('3.9.0', '3.51.3')).toBeLessThan(0);
    expect(compareVersions('3.51.10', '3.51.3')).toBeGreaterThan(0);
  });
});
