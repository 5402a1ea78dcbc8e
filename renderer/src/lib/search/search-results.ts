// How the palette arranges search results: grouped by type, where each one opens, and which record a call is for.
import type { SearchResult, SearchType } from './types';

export interface ResultGroup {
  /** Tells groups apart: the type, or `recent`. */
  key: string;
  label: string;
  results: SearchResult[];
}

export const GROUP_LABELS: Record<SearchType, string> = {
  person: 'People',
  company: 'Companies',
  deal: 'Deals',
  task: 'Tasks',
  note: 'Notes',
  activity: 'Activities',
};

/** What one result is, for screen readers and the recent list ("Person", "Deal"). */
export const TYPE_NAMES: Record<SearchType, string> = {
  person: 'Person',
  company: 'Company',
  deal: 'Deal',
  task: 'Task',
  note: 'Note',
  activity: 'Activity',
};

const PAGES = { person: '/people', company: '/companies', deal: '/deals' } as const;

export type RecordEntity = keyof typeof PAGES;

/** The page of a person, company or deal. */
export function recordPagePath(entity: RecordEntity, id: string): string {
  return `${PAGES[entity]}/${id}`;
}

/**
 * Results by type. Within a group the server's order stays (best first); groups are ordered by their best
 * result, a tie going to the group whose best result came first.
 */
export function groupResults(results: readonly SearchResult[]): ResultGroup[] {
  const groups = new Map<SearchType, { group: ResultGroup; best: number; first: number }>();
  results.forEach((result, index) => {
    const entry = groups.get(result.type);
    if (entry) {
      entry.group.results.push(result);
      entry.best = Math.max(entry.best, result.score);
    } else {
      groups.set(result.type, {
        group: { key: result.type, label: GROUP_LABELS[result.type], results: [result] },
        best: result.score,
        first: index,
      });
    }
  });
  return [...groups.values()].sort((a, b) => b.best - a.best || a.first - b.first).map((entry) => entry.group);
}

/**
 * The screen a result opens: a person's, company's or deal's own page, the record a note, activity or task belongs
 * to, the task list for a task on its own, or null for a note or activity linked to nothing.
 */
export function resultPath(result: SearchResult): string | null {
  if (result.open) return recordPagePath(result.open.entity, result.open.id);
  return result.type === 'task' ? '/tasks' : null;
}

export interface CallTarget {
  entity: RecordEntity;
  id: string;
  name: string;
}

/** The best person, company or deal among the results: whom "Log a call for …" is about. */
export function callTarget(results: readonly SearchResult[]): CallTarget | null {
  for (const { type, id, title } of results) {
    if (type === 'person' || type === 'company' || type === 'deal') return { entity: type, id, name: title };
  }
  return null;
}
