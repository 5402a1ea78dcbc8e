// Chart.js draws on a canvas and cannot read CSS variables, so the design tokens are resolved to real colours here,
// and again whenever the theme (or the system appearance) changes or a page is printed.
import { theme } from '../../lib/state/theme.svelte';

export interface ChartColors {
  text: string;
  muted: string;
  grid: string;
  surface: string;
  /** Series colours, in the order a chart uses them. */
  series: string[];
  accent: string;
  info: string;
  success: string;
  warning: string;
  danger: string;
  neutral: string;
}

const SERIES_TOKENS = ['--color-accent', '--color-info', '--color-success', '--color-warning', '--color-text-subtle'];

/** A token's colour as the browser resolves it now (light-dark() and all). */
function resolve(probe: HTMLElement, token: string): string {
  probe.style.color = `var(${token})`;
  return getComputedStyle(probe).color;
}

function readColors(): ChartColors {
  const probe = document.createElement('span');
  probe.style.display = 'none';
  document.body.append(probe);
  try {
    const read = (token: string) => resolve(probe, token);
    return {
      text: read('--color-text'),
      muted: read('--color-text-muted'),
      grid: read('--color-border'),
      surface: read('--color-surface-raised'),
      series: SERIES_TOKENS.map(read),
      accent: read('--color-accent'),
      info: read('--color-info'),
      success: read('--color-success'),
      warning: read('--color-warning'),
      danger: read('--color-danger'),
      neutral: read('--color-text-subtle'),
    };
  } finally {
    probe.remove();
  }
}

class ChartTheme {
  /** Set while a page prints: paper is white, so charts switch to the light colours for that. */
  printing = $state(false);
  #systemDark = $state(window.matchMedia('(prefers-color-scheme: dark)').matches);

  constructor() {
    window
      .matchMedia('(prefers-color-scheme: dark)')
      .addEventListener('change', (event) => (this.#systemDark = event.matches));
  }

  /** Re-read whenever what decides the colours changes. */
  readonly colors = $derived.by((): ChartColors => {
    void theme.resolved;
    void this.#systemDark;
    void this.printing;
    return readColors();
  });
}

export const chartTheme = new ChartTheme();
