// The command palette's commands ("Go to Deals", "New person", themes) and how they match what is typed.
import type { LucideIcon } from '@lucide/svelte';
import { computeCommandScore } from 'bits-ui';

export interface PaletteCommand {
  id: string;
  label: string;
  group: string;
  icon: LucideIcon;
  keywords?: string[];
  shortcut?: string;
  run: () => void;
  /**
   * The command puts the focus somewhere itself (another screen's heading, a dialog it opens), so closing the
   * palette must not hand it back to where it was.
   */
  movesFocus?: boolean;
}

/**
 * bits-ui's score is generous (any letters in order count, keywords included), so "anna" would list half the
 * commands. A command is kept when it scores at least this…
 */
const MIN_SCORE = 0.1;
/** …and at least this share of the best command's score (a good match hides the far-fetched ones). */
const MIN_SHARE_OF_BEST = 0.25;

export interface CommandGroup {
  name: string;
  commands: PaletteCommand[];
}

/**
 * The commands that match `query` well enough, best first within each group and groups by their best command; every
 * command in its registered order for an empty query. Scored as bits-ui's Command would, since the palette filters itself (its
 * record results must not be filtered or reordered).
 */
export function matchCommands(commands: readonly PaletteCommand[], query: string): CommandGroup[] {
  const all = commands.map((command, index) => ({
    command,
    index,
    score: query === '' ? 1 : computeCommandScore(command.label, query, command.keywords ?? []),
  }));
  const best = Math.max(0, ...all.map((entry) => entry.score));
  const scored = all.filter((entry) => entry.score >= Math.max(MIN_SCORE, best * MIN_SHARE_OF_BEST));

  const groups = new Map<string, { best: number; first: number; entries: typeof scored }>();
  for (const entry of scored) {
    const group = groups.get(entry.command.group);
    if (group) {
      group.entries.push(entry);
      group.best = Math.max(group.best, entry.score);
    } else {
      groups.set(entry.command.group, { best: entry.score, first: entry.index, entries: [entry] });
    }
  }
  return [...groups.entries()]
    .sort(([, a], [, b]) => b.best - a.best || a.first - b.first)
    .map(([name, group]) => ({
      name,
      commands: group.entries.sort((a, b) => b.score - a.score || a.index - b.index).map((entry) => entry.command),
    }));
}
