// A report's period in whole months (read from the kept sums) and the days at its ends (read from the deals).
import { describe, expect, it } from 'vitest';
import { MONTHS, periodSlices, WEEKS } from './closed-sums.js';

const ms = (day: string) => Date.parse(`${day}T00:00:00Z`);
/** The period from `from` to `to`, both days included, as reportScope makes it. */
const period = (from: string | null, to: string | null) => ({
  fromMs: from === null ? null : ms(from),
  toMs: to === null ? null : ms(to) + 86_400_000,
});

describe('periodSlices', () => {
  it('splits a period into whole weeks from Monday and the days around them', () => {
    // 2026-01-07 is a Wednesday; 2026-01-12 and 2026-01-26 are Mondays, 2026-01-29 a Thursday.
    expect(periodSlices(period('2026-01-07', '2026-01-29'), WEEKS)).toEqual({
      whole: { from: ms('2026-01-12') / 86_400_000, to: ms('2026-01-19') / 86_400_000 },
      days: [
        { fromMs: ms('2026-01-07'), toMs: ms('2026-01-12') },
        { fromMs: ms('2026-01-26'), toMs: ms('2026-01-30') },
      ],
    });
  });

  it('reads all time and whole months from the sums alone', () => {
    expect(periodSlices(period(null, null), MONTHS)).toEqual({ whole: { from: null, to: null }, days: [] });
    expect(periodSlices(period('2026-01-01', '2026-06-30'), MONTHS)).toEqual({
      whole: { from: '2026-01', to: '2026-06' },
      days: [],
    });
  });

  it('reads the days before the first and after the last whole month from the deals', () => {
    expect(periodSlices(period('2026-01-15', '2026-03-10'), MONTHS)).toEqual({
      whole: { from: '2026-02', to: '2026-02' },
      days: [
        { fromMs: ms('2026-01-15'), toMs: ms('2026-02-01') },
        { fromMs: ms('2026-03-01'), toMs: ms('2026-03-11') },
      ],
    });
    expect(periodSlices(period('2025-12-31', null), MONTHS)).toEqual({
      whole: { from: '2026-01', to: null },
      days: [{ fromMs: ms('2025-12-31'), toMs: ms('2026-01-01') }],
    });
    expect(periodSlices(period(null, '2026-02-27'), MONTHS)).toEqual({
      whole: { from: null, to: '2026-01' },
      days: [{ fromMs: ms('2026-02-01'), toMs: ms('2026-02-28') }],
    });
  });

  it('reads a period inside one month from the deals alone', () => {
    expect(periodSlices(period('2026-02-11', '2026-02-28'), MONTHS)).toEqual({
      whole: null,
      days: [{ fromMs: ms('2026-02-11'), toMs: ms('2026-03-01') }],
    });
    expect(periodSlices(period('2026-02-15', '2026-02-15'), MONTHS)).toEqual({
      whole: null,
      days: [{ fromMs: ms('2026-02-15'), toMs: ms('2026-02-16') }],
    });
  });
});
