// Search as you type: one call per pause in typing, and only the newest query's answer on screen.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SearchSession, type SearchView } from './search-session';
import type { SearchAnswer } from './types';

/** A fake `search.query` whose answers the test releases one by one, in any order. */
function fakeApi() {
  const calls: Array<{ query: string; resolve: (answer: SearchAnswer) => void; reject: (error: Error) => void }> = [];
  const fetch = (query: string) =>
    new Promise<SearchAnswer>((resolve, reject) => calls.push({ query, resolve, reject }));
  const answer = (query: string): SearchAnswer => ({
    mode: query === '' ? 'recent' : 'index',
    results: [{ type: 'person', id: query || 'recent', title: query, subtitle: '', score: 1, matches: [], open: null }],
  });
  return { calls, fetch, answer };
}

describe('SearchSession', () => {
  let views: SearchView[];
  const latest = () => views.at(-1)!;

  beforeEach(() => {
    vi.useFakeTimers();
    views = [];
  });

  afterEach(() => {
    vi.useRealTimers();
  });

  it('asks for the first query at once and for later ones after a pause in typing', async () => {
    const api = fakeApi();
    const session = new SearchSession(api.fetch, (view) => views.push(view), 100);
    session.search('', { immediate: true });
    expect(api.calls.map((call) => call.query)).toEqual(['']);

    session.search('w');
    session.search('wh');
    session.search('whit');
    await vi.advanceTimersByTimeAsync(99);
    expect(api.calls).toHaveLength(1);
    expect(latest()).toMatchObject({ query: 'whit', loading: true });
    await vi.advanceTimersByTimeAsync(1);
    expect(api.calls.map((call) => call.query)).toEqual(['', 'whit']);
  });

  it('shows only the newest query’s answer when answers arrive out of order', async () => {
    const api = fakeApi();
    const session = new SearchSession(api.fetch, (view) => views.push(view), 100);
    session.search('an', { immediate: true });
    session.search('anna', { immediate: true });
    const [first, second] = api.calls;

    second!.resolve(api.answer('anna'));
    await vi.advanceTimersByTimeAsync(0);
    expect(latest().answer?.query).toBe('anna');
    expect(latest().loading).toBe(false);

    first!.resolve(api.answer('an'));
    await vi.advanceTimersByTimeAsync(0);
    expect(latest().answer?.query).toBe('anna');
    expect(latest().answer?.results[0]?.title).toBe('anna');
  });

  it('keeps the last answer on screen while the next one is on its way', async () => {
    const api = fakeApi();
    const session = new SearchSession(api.fetch, (view) => views.push(view), 100);
    session.search('', { immediate: true });
    api.calls[0]!.resolve(api.answer(''));
    await vi.advanceTimersByTimeAsync(0);

    session.search('mul');
    expect(latest()).toMatchObject({ query: 'mul', loading: true, answer: { query: '', mode: 'recent' } });
    await vi.advanceTimersByTimeAsync(100);
    api.calls[1]!.resolve(api.answer('mul'));
    await vi.advanceTimersByTimeAsync(0);
    expect(latest()).toMatchObject({ query: 'mul', loading: false, answer: { query: 'mul', mode: 'index' } });
  });

  it('does not ask again when only surrounding spaces changed, and cuts a query to 200 characters', async () => {
    const api = fakeApi();
    const session = new SearchSession(api.fetch, (view) => views.push(view), 100);
    session.search('anna', { immediate: true });
    session.search('anna  ');
    await vi.advanceTimersByTimeAsync(200);
    expect(api.calls).toHaveLength(1);

    session.search('x'.repeat(300), { immediate: true });
    expect(api.calls[1]!.query).toHaveLength(200);
  });

  it('reports a failed call for the current query, and a retry asks again', async () => {
    const api = fakeApi();
    const session = new SearchSession(api.fetch, (view) => views.push(view), 100);
    session.search('acme', { immediate: true });
    api.calls[0]!.reject(new Error('The database is busy.'));
    await vi.advanceTimersByTimeAsync(0);
    expect(latest()).toMatchObject({ query: 'acme', loading: false });
    expect((latest().error as Error).message).toBe('The database is busy.');

    session.retry();
    expect(latest()).toMatchObject({ loading: true, error: null });
    api.calls[1]!.resolve(api.answer('acme'));
    await vi.advanceTimersByTimeAsync(0);
    expect(latest()).toMatchObject({ loading: false, error: null, answer: { query: 'acme' } });
  });

  it('ignores a failure of a query that is no longer the newest', async () => {
    const api = fakeApi();
    const session = new SearchSession(api.fetch, (view) => views.push(view), 100);
    session.search('a', { immediate: true });
    session.search('ab', { immediate: true });
    api.calls[0]!.reject(new Error('slow'));
    api.calls[1]!.resolve(api.answer('ab'));
    await vi.advanceTimersByTimeAsync(0);
    expect(latest()).toMatchObject({ error: null, answer: { query: 'ab' } });
  });

  it('asks nothing and shows nothing more once disposed', async () => {
    const api = fakeApi();
    const session = new SearchSession(api.fetch, (view) => views.push(view), 100);
    session.search('anna', { immediate: true });
    session.search('anna m');
    session.dispose();
    await vi.advanceTimersByTimeAsync(500);
    api.calls[0]!.resolve(api.answer('anna'));
    await vi.advanceTimersByTimeAsync(0);
    expect(api.calls).toHaveLength(1);
    expect(latest().answer).toBeNull();
  });
});
