// Which commands the palette lists for what is typed, now that it filters them itself.
import { describe, expect, it, vi } from 'vitest';
import { matchCommands, type PaletteCommand } from './palette-commands';

// bits-ui's entry point pulls in its Svelte components, which plain vitest cannot load; the score is plain code.
vi.mock('bits-ui', async () => ({
  computeCommandScore: (await import('../../../../node_modules/bits-ui/dist/bits/command/compute-command-score.js'))
    .computeCommandScore,
}));

const icon = (() => null) as unknown as PaletteCommand['icon'];
const command = (label: string, group: string, keywords: string[] = []): PaletteCommand => ({
  id: label,
  label,
  group,
  icon,
  keywords,
  run: () => undefined,
});

const commands = [
  command('Go to Home', 'Navigate', ['Home', 'Your workspace at a glance']),
  command('Go to People', 'Navigate', ['People', 'Everyone your firm works with']),
  command('Go to Settings', 'Navigate', ['Settings', 'Workspace, pipelines, custom fields and tags']),
  command('New person', 'Create', ['new', 'create', 'add', 'person']),
  command('New company', 'Create', ['new', 'create', 'add', 'company']),
  command('Use dark appearance', 'Appearance', ['theme', 'appearance', 'mode']),
];

const listed = (query: string) =>
  matchCommands(commands, query).map((group) => [group.name, group.commands.map((c) => c.label)]);

describe('matchCommands', () => {
  it('lists every command in its groups, in order, for an empty query', () => {
    expect(listed('')).toEqual([
      ['Navigate', ['Go to Home', 'Go to People', 'Go to Settings']],
      ['Create', ['New person', 'New company']],
      ['Appearance', ['Use dark appearance']],
    ]);
  });

  it('lists the commands that match, the best group first', () => {
    expect(listed('new person')).toEqual([['Create', ['New person']]]);
    expect(listed('dark')).toEqual([['Appearance', ['Use dark appearance']]]);
    expect(listed('custom fields')).toEqual([['Navigate', ['Go to Settings']]]);
  });

  it('leaves out far-fetched matches of scattered letters', () => {
    expect(listed('new')).toEqual([['Create', ['New person', 'New company']]]);
    expect(listed('whitfield')).toEqual([]);
    expect(listed('acme')).toEqual([]);
  });

  it('still finds a command with a letter missing', () => {
    expect(listed('settngs')).toEqual([['Navigate', ['Go to Settings']]]);
  });
});
