// search.query: one search box across people, companies, deals, tasks, notes and activities.
import { z } from 'zod';
import { defineProcedure } from '../api/procedure.js';
import { SEARCH_TYPES } from './hydrate.js';
import { MAX_QUERY_LENGTH, type SearchAnswer } from './service.js';

export const SEARCH_MAX_LIMIT = 50;

export const searchQuery = defineProcedure({
  name: 'search.query',
  summary:
    `Finds records as a person types: people, companies, deals, tasks, notes and activities, best first. q (at most ${MAX_QUERY_LENGTH} characters) ` +
    'matches names and titles by whole words, by the start of a word, or with a typo (from 4 characters); accents ' +
    'and case are ignored ("muller" finds Müller). Emails are found by the whole address, the local part or the ' +
    'domain, phones by any run of 3 or more digits, notes, activities and task descriptions by any part of a word of ' +
    '3 or more characters, custom text fields with the rest of a record. Exact words rank above word starts, word ' +
    'starts above typos, names above other text; records touched recently rank a little higher. Each result has ' +
    'its title and subtitle, the spans of both that matched (UTF-16 offsets, for highlighting) and the page that ' +
    'shows it (open: the record itself, or the person, company or deal a note, activity or task belongs to). An ' +
    'empty q gives the most recently touched people, companies and deals. mode says what answered: the index, the ' +
    'SQL fallback while the index is first built, or recent.',
  input: z
    .object({
      q: z.string().max(MAX_QUERY_LENGTH),
      types: z
        .array(z.enum(SEARCH_TYPES))
        .min(1)
        .max(SEARCH_TYPES.length)
        .refine((types) => new Set(types).size === types.length, 'must not repeat a type')
        .optional(),
      limit: z.number().int().min(1).max(SEARCH_MAX_LIMIT).optional(),
    })
    .strict(),
  permission: 'records.read',
  mutates: false,
  handler(ctx, input): Promise<SearchAnswer> {
    return ctx.host.search().query(input, ctx.now);
  },
});
