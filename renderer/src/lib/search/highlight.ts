// Splits a search result's text into plain and matched runs, so the matched spans can be drawn as <mark>.

export interface MatchSpan {
  start: number;
  end: number;
}

export interface Segment {
  text: string;
  match: boolean;
}

/**
 * The runs of `text`, in order, with the spans of `matches` marked. Offsets are UTF-16 (as JavaScript strings
 * count). The server sends sorted, non-overlapping spans, but a span out of range is clipped, overlapping or
 * touching spans are merged, and a boundary inside a surrogate pair moves outward so no character is split.
 */
export function highlightSegments(text: string, matches: readonly MatchSpan[]): Segment[] {
  const spans = matches
    .map((span) => ({ start: widenStart(text, clamp(span.start, text)), end: widenEnd(text, clamp(span.end, text)) }))
    .filter((span) => span.end > span.start)
    .sort((a, b) => a.start - b.start);

  const merged: MatchSpan[] = [];
  for (const span of spans) {
    const last = merged.at(-1);
    if (last && span.start <= last.end) last.end = Math.max(last.end, span.end);
    else merged.push({ ...span });
  }

  const segments: Segment[] = [];
  let at = 0;
  for (const span of merged) {
    if (span.start > at) segments.push({ text: text.slice(at, span.start), match: false });
    segments.push({ text: text.slice(span.start, span.end), match: true });
    at = span.end;
  }
  if (at < text.length || segments.length === 0) segments.push({ text: text.slice(at), match: false });
  return segments;
}

function clamp(offset: number, text: string): number {
  if (!Number.isFinite(offset)) return 0;
  return Math.min(Math.max(Math.trunc(offset), 0), text.length);
}

/** A start between the halves of a surrogate pair moves back to the pair's first half. */
function widenStart(text: string, offset: number): number {
  return offset > 0 && isLowSurrogate(text.charCodeAt(offset)) && isHighSurrogate(text.charCodeAt(offset - 1))
    ? offset - 1
    : offset;
}

/** An end between the halves of a surrogate pair moves forward past the pair's second half. */
function widenEnd(text: string, offset: number): number {
  return offset < text.length && isLowSurrogate(text.charCodeAt(offset)) && isHighSurrogate(text.charCodeAt(offset - 1))
    ? offset + 1
    : offset;
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}
