// Input limits, declared once and used by every schema, transport and the generated docs.
import { z } from 'zod';

export const LIMITS = {
  /** Largest HTTP request body, in bytes; larger is answered 413. */
  bodyBytes: 1_048_576,
  /** Names, titles, labels, codes. */
  shortText: 200,
  /** One-line values such as URLs and addresses. */
  mediumText: 2_000,
  /** Notes, descriptions, bodies. */
  longText: 100_000,
  /** Items in any list given as input. */
  listItems: 1_000,
  /** Nesting depth of free-form values such as `custom` (an object at the top counts as 1). */
  freeFormDepth: 4,
  /** Keys in one free-form object. */
  freeFormKeys: 200,
  /** Nesting depth of any whole input; deeper is refused before validation runs. */
  inputDepth: 32,
} as const;

export const shortText = () => z.string().max(LIMITS.shortText);
export const mediumText = () => z.string().max(LIMITS.mediumText);
export const longText = () => z.string().max(LIMITS.longText);
export const list = <T extends z.ZodType>(item: T) => z.array(item).max(LIMITS.listItems);

/** Depth of a JSON-like value, computed without recursion so a hostile input cannot exhaust the stack. */
export function depthOf(value: unknown, stopAt = Number.POSITIVE_INFINITY): number {
  let max = 0;
  const stack: Array<[unknown, number]> = [[value, 1]];
  while (stack.length > 0) {
    const [v, d] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (d > max) max = d;
    if (max > stopAt) return max;
    const children = Array.isArray(v) ? v : Object.values(v as Record<string, unknown>);
    for (const child of children) stack.push([child, d + 1]);
  }
  return max;
}

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

/** A free-form JSON value with bounded depth, keys and string lengths (custom fields, settings blobs). */
export const freeFormObject = () =>
  z.record(z.string().max(LIMITS.shortText), z.json()).superRefine((value, ctx) => {
    if (depthOf(value, LIMITS.freeFormDepth) > LIMITS.freeFormDepth) {
      ctx.addIssue({ code: 'custom', message: `nested deeper than ${LIMITS.freeFormDepth} levels` });
    }
    if (Object.keys(value).length > LIMITS.freeFormKeys) {
      ctx.addIssue({ code: 'custom', message: `more than ${LIMITS.freeFormKeys} keys` });
    }
  }) as unknown as z.ZodType<Record<string, Json>>;
