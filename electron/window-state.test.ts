import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_SIZE, loadWindowState, restoreBounds, saveWindowState, type WindowState } from './window-state.js';

const laptop = { x: 0, y: 0, width: 1366, height: 738 };
const rightMonitor = { x: 1366, y: 0, width: 2560, height: 1400 };

describe('restoreBounds', () => {
  it('restores a window that is on a connected screen', () => {
    const saved: WindowState = { bounds: { x: 1500, y: 100, width: 1400, height: 900 }, maximized: false };
    expect(restoreBounds(saved, [laptop, rightMonitor])).toEqual(saved.bounds);
  });

  it('keeps the size but not the position when its screen was unplugged', () => {
    const saved: WindowState = { bounds: { x: 1500, y: 100, width: 1200, height: 700 }, maximized: false };
    expect(restoreBounds(saved, [laptop])).toEqual({ width: 1200, height: 700 });
  });

  it('does not restore a window whose title bar is above the screen', () => {
    const saved: WindowState = { bounds: { x: 100, y: -500, width: 1000, height: 700 }, maximized: false };
    expect(restoreBounds(saved, [laptop])).toEqual({ width: 1000, height: 700 });
  });

  it('shrinks a window larger than its screen', () => {
    const saved: WindowState = { bounds: { x: 0, y: 0, width: 2000, height: 1200 }, maximized: false };
    expect(restoreBounds(saved, [laptop])).toEqual({ x: 0, y: 0, width: 1366, height: 738 });
  });

  it('opens at the default size the first time', () => {
    expect(restoreBounds(null, [laptop])).toEqual(DEFAULT_SIZE);
  });
});

describe('window state file', () => {
  let dir: string | undefined;
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('round-trips through the file', () => {
    dir = mkdtempSync(join(tmpdir(), 'hearth-window-'));
    const file = join(dir, 'window-state.json');
    const state: WindowState = { bounds: { x: 10, y: 20, width: 1200, height: 800 }, maximized: true };
    saveWindowState(file, state);
    expect(loadWindowState(file)).toEqual(state);
  });

  it('ignores a missing, corrupt or implausible file', () => {
    dir = mkdtempSync(join(tmpdir(), 'hearth-window-'));
    const file = join(dir, 'window-state.json');
    expect(loadWindowState(file)).toBeNull();
    writeFileSync(file, '{not json');
    expect(loadWindowState(file)).toBeNull();
    writeFileSync(file, JSON.stringify({ bounds: { x: 0, y: 0, width: 10, height: 10 } }));
    expect(loadWindowState(file)).toBeNull();
    writeFileSync(file, JSON.stringify({ bounds: { x: 'a', y: 0, width: 1000, height: 1000 } }));
    expect(loadWindowState(file)).toBeNull();
  });
});
