// The filters every report on the dashboard shares, remembered in localStorage so Reports opens as it was left.
import type { ReportInput } from './report-data';
import { PERIOD_PRESETS, presetRange, type PeriodPreset } from './report-periods';

export { PERIOD_PRESETS, type PeriodPreset } from './report-periods';

const STORAGE_KEY = 'hearth.reports.filters';

interface Stored {
  pipelineId: string;
  ownerId: string;
  source: string;
  preset: PeriodPreset;
  from: string;
  to: string;
}

function readStored(): Partial<Stored> {
  try {
    const raw = localStorage.getItem(STORAGE_KEY);
    const value: unknown = raw ? JSON.parse(raw) : null;
    return value && typeof value === 'object' ? (value as Partial<Stored>) : {};
  } catch {
    return {};
  }
}

const text = (value: unknown): string => (typeof value === 'string' ? value : '');

export class ReportFilters {
  /** '' means every pipeline / every owner. */
  pipelineId = $state('');
  ownerId = $state('');
  source = $state('');
  preset = $state<PeriodPreset>('all-time');
  /** The period's first and last day (YYYY-MM-DD), '' for open-ended. */
  from = $state('');
  to = $state('');

  constructor() {
    const stored = readStored();
    this.pipelineId = text(stored.pipelineId);
    this.ownerId = text(stored.ownerId);
    this.source = text(stored.source);
    const preset = PERIOD_PRESETS.find((option) => option.value === stored.preset)?.value ?? 'all-time';
    if (preset === 'custom') {
      this.preset = 'custom';
      this.from = text(stored.from);
      this.to = text(stored.to);
    } else {
      // A preset is kept by name, so "This month" still means this month next time.
      this.usePreset(preset);
    }
  }

  /** A period that runs backwards is not asked for: the reports would refuse it. */
  readonly invalidPeriod = $derived(this.from !== '' && this.to !== '' && this.from > this.to);

  /** What the reports are asked for. */
  readonly input: ReportInput = $derived.by(() => {
    const input: ReportInput = {};
    if (this.pipelineId) input.pipelineId = this.pipelineId;
    if (this.ownerId) input.ownerId = this.ownerId;
    const source = this.source.trim();
    if (source) input.source = source;
    if (!this.invalidPeriod) {
      if (this.from) input.from = this.from;
      if (this.to) input.to = this.to;
    }
    return input;
  });

  /** Changes whenever the reports must be fetched again. */
  readonly key = $derived(JSON.stringify(this.input));

  readonly active = $derived(
    this.pipelineId !== '' || this.ownerId !== '' || this.source.trim() !== '' || this.preset !== 'all-time',
  );

  usePreset(preset: PeriodPreset): void {
    this.preset = preset;
    if (preset === 'custom') return;
    const range = presetRange(preset);
    this.from = range?.from ?? '';
    this.to = range?.to ?? '';
  }

  /** A date typed by hand makes the period custom. */
  setDates(from: string, to: string): void {
    this.from = from;
    this.to = to;
    this.preset = 'custom';
  }

  reset(): void {
    this.pipelineId = '';
    this.ownerId = '';
    this.source = '';
    this.usePreset('all-time');
  }

  save(): void {
    const stored: Stored = {
      pipelineId: this.pipelineId,
      ownerId: this.ownerId,
      source: this.source,
      preset: this.preset,
      from: this.from,
      to: this.to,
    };
    try {
      localStorage.setItem(STORAGE_KEY, JSON.stringify(stored));
    } catch {
      // Storage can be unavailable (private windows); the filters then last for this visit.
    }
  }
}
