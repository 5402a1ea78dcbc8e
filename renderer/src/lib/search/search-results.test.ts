// How the palette groups search results, where each opens and whom a call is for.
import { describe, expect, it } from 'vitest';
import { callTarget, groupResults, resultPath } from './search-results';
import type { SearchResult } from './types';

function result(
  type: SearchResult['type'],
  id: string,
  score: number,
  open: SearchResult['open'] = null,
): SearchResult {
  return { type, id, title: id, subtitle: '', score, matches: [], open };
}

describe('groupResults', () => {
  it('groups by type, keeps the order within a group and orders groups by their best result', () => {
    const results = [
      result('deal', 'd1', 9),
      result('person', 'p1', 8),
      result('deal', 'd2', 7),
      result('note', 'n1', 6),
      result('person', 'p2', 5),
    ];
    expect(groupResults(results).map((group) => [group.label, group.results.map((r) => r.id)])).toEqual([
      ['Deals', ['d1', 'd2']],
      ['People', ['p1', 'p2']],
      ['Notes', ['n1']],
    ]);
  });

  it('orders groups by their best score even when results arrive unsorted, ties by first appearance', () => {
    const results = [result('task', 't1', 2), result('company', 'c1', 5), result('activity', 'a1', 5)];
    expect(groupResults(results).map((group) => group.key)).toEqual(['company', 'activity', 'task']);
  });

  it('gives no groups for no results', () => {
    expect(groupResults([])).toEqual([]);
  });
});

describe('resultPath', () => {
  it("opens a person's, company's or deal's own page", () => {
    expect(resultPath(result('person', 'p1', 1, { entity: 'person', id: 'p1' }))).toBe('/people/p1');
    expect(resultPath(result('company', 'c1', 1, { entity: 'company', id: 'c1' }))).toBe('/companies/c1');
    expect(resultPath(result('deal', 'd1', 1, { entity: 'deal', id: 'd1' }))).toBe('/deals/d1');
  });

  it('opens the record a note, activity or task belongs to', () => {
    expect(resultPath(result('note', 'n1', 1, { entity: 'company', id: 'c1' }))).toBe('/companies/c1');
    expect(resultPath(result('activity', 'a1', 1, { entity: 'deal', id: 'd1' }))).toBe('/deals/d1');
    expect(resultPath(result('task', 't1', 1, { entity: 'person', id: 'p1' }))).toBe('/people/p1');
  });

  it('opens the task list for a task on its own, and nothing for a note linked to nothing', () => {
    expect(resultPath(result('task', 't1', 1))).toBe('/tasks');
    expect(resultPath(result('note', 'n1', 1))).toBeNull();
    expect(resultPath(result('activity', 'a1', 1))).toBeNull();
  });
});

describe('callTarget', () => {
  it('is the best person, company or deal, skipping notes, tasks and activities before it', () => {
    const results = [result('note', 'n1', 9), result('company', 'Acme', 8), result('person', 'Ada', 7)];
    expect(callTarget(results)).toEqual({ entity: 'company', id: 'Acme', name: 'Acme' });
  });

  it('is null when no person, company or deal matched', () => {
    expect(callTarget([result('task', 't1', 3)])).toBeNull();
    expect(callTarget([])).toBeNull();
  });
});
