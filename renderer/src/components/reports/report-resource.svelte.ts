// A report kept current: fetched again when the filters change and when someone changes what it counts.
import { untrack } from 'svelte';
import { api, touches } from '../../lib/api';
import { Resource } from '../../lib/state/resource.svelte';
import type { OutputOf } from '../../lib/api';
import { loadReport, type ReportName } from './report-data';
import type { ReportFilters } from './report-filters.svelte';

/** What a report's numbers come from; a change to any of these refreshes it. */
const SOURCES = ['deal', 'pipeline', 'exchangeRate', 'activity', 'user', 'settings'];

/** Call during a component's setup: the effects live as long as the component. */
export function reportResource<N extends ReportName>(name: N, filters: () => ReportFilters): Resource<OutputOf<N>> {
  const resource = new Resource(() => loadReport(name, filters().input));

  $effect(() => {
    void filters().key;
    untrack(() => void resource.load());
  });

  $effect(() => {
    let timer: ReturnType<typeof setTimeout> | null = null;
    const stop = api.onChange((event) => {
      if (!touches(event, ...SOURCES)) return;
      // A bulk edit sends a burst of events: fetch once after it.
      if (timer) clearTimeout(timer);
      timer = setTimeout(() => void resource.load(), 300);
    });
    return () => {
      stop();
      if (timer) clearTimeout(timer);
    };
  });

  return resource;
}
