// The search API's answer as the renderer sees it (procedure `search.query`).
import type { OutputOf } from '../api/contract';

export type SearchAnswer = OutputOf<'search.query'>;
export type SearchResult = SearchAnswer['results'][number];
export type SearchType = SearchResult['type'];
export type SearchMode = SearchAnswer['mode'];
