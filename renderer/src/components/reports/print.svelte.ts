// Printing the dashboard or one report (and so "Save as PDF" from the print dialog): the print stylesheet in
// ReportsScreen hides the app around it; this marks what to print and turns the charts to paper colours first.
import { flushSync } from 'svelte';
import { chartTheme } from './chart-theme.svelte';

const root = () => document.documentElement;

/** Prints one report panel, or the whole dashboard when `panel` is null. */
export function printReports(panel: HTMLElement | null): void {
  root().dataset.reportsPrint = panel ? 'one' : 'all';
  panel?.setAttribute('data-print-target', '');
  window.print();
}

/** While the Reports screen is open: ready the page for printing however it is started (button or Ctrl+P). */
export function watchPrinting(): () => void {
  const before = () => {
    root().dataset.reportsPrint ??= 'all';
    chartTheme.printing = true;
    // The browser lays the page out for print right after this event: redraw the charts now, not in a microtask.
    flushSync();
  };
  const after = () => {
    delete root().dataset.reportsPrint;
    for (const panel of document.querySelectorAll('[data-print-target]')) panel.removeAttribute('data-print-target');
    chartTheme.printing = false;
  };
  window.addEventListener('beforeprint', before);
  window.addEventListener('afterprint', after);
  return () => {
    window.removeEventListener('beforeprint', before);
    window.removeEventListener('afterprint', after);
    after();
  };
}
