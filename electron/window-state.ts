// Where the main window was: saved as JSON in the user-data folder, restored only onto a screen that still exists.
import { mkdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { writeFileAtomic } from '../src/keys/meta.js';

export interface Rectangle {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface WindowState {
  bounds: Rectangle;
  maximized: boolean;
}

export const DEFAULT_SIZE = { width: 1280, height: 800 };
export const MIN_SIZE = { width: 800, height: 560 };
/** How much of the title bar must be on a screen for the window to count as reachable. */
const MIN_VISIBLE = { width: 120, height: 40 };

function isFiniteInt(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && Number.isInteger(value);
}

function parseState(value: unknown): WindowState | null {
  if (typeof value !== 'object' || value === null) return null;
  const { bounds, maximized } = value as { bounds?: Partial<Rectangle>; maximized?: unknown };
  if (typeof bounds !== 'object' || bounds === null) return null;
  const { x, y, width, height } = bounds;
  if (!isFiniteInt(x) || !isFiniteInt(y) || !isFiniteInt(width) || !isFiniteInt(height)) return null;
  if (width < MIN_SIZE.width || height < MIN_SIZE.height) return null;
  return { bounds: { x, y, width, height }, maximized: maximized === true };
}

export function loadWindowState(file: string): WindowState | null {
  try {
    return parseState(JSON.parse(readFileSync(file, 'utf8')));
  } catch {
    return null;
  }
}

export function saveWindowState(file: string, state: WindowState): void {
  try {
    mkdirSync(dirname(file), { recursive: true });
    writeFileAtomic(file, JSON.stringify(state) + '\n');
  } catch {
    // Losing a window position is not worth failing a quit over.
  }
}

function overlap(a: Rectangle, b: Rectangle): { width: number; height: number } {
  return {
    width: Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x),
    height: Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y),
  };
}

/**
 * The bounds to open with. A saved position is used only when its title bar is on one of today's
 * screens (`workAreas`): a monitor unplugged since last time must not leave the window off-screen. A
 * saved size larger than the screen shrinks to fit.
 */
export function restoreBounds(
  saved: WindowState | null,
  workAreas: Rectangle[],
): Partial<Rectangle> & typeof DEFAULT_SIZE {
  if (!saved) return { ...DEFAULT_SIZE };
  const { bounds } = saved;
  const titleBar: Rectangle = { x: bounds.x, y: bounds.y, width: bounds.width, height: MIN_VISIBLE.height };
  const screen = workAreas.find((area) => {
    const o = overlap(titleBar, area);
    return o.width >= MIN_VISIBLE.width && o.height >= MIN_VISIBLE.height / 2;
  });
  if (!screen) return { width: bounds.width, height: bounds.height };
  return {
    x: bounds.x,
    y: bounds.y,
    width: Math.min(bounds.width, screen.width),
    height: Math.min(bounds.height, screen.height),
  };
}
