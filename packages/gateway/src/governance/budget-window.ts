import type { KeyBudget } from './gateway-store.js';

const DAY_MS = 86_400_000;

/** The start (ms since the epoch, UTC) of the budget window `at` falls in; 0 for a lifetime budget. */
export function windowStart(budget: KeyBudget, at: number): number {
  if (budget.period === undefined) return 0;
  const date = new Date(at);
  const day = Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate());
  if (budget.period === 'day') return day;
  if (budget.period === 'week') return day - ((date.getUTCDay() + 6) % 7) * DAY_MS; // from Monday
  return Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1);
}

/** When the window starting at `start` ends (for `retry-after`); undefined for a lifetime budget. */
export function windowEnd(budget: KeyBudget, start: number): number | undefined {
  if (budget.period === undefined) return undefined;
  if (budget.period === 'day') return start + DAY_MS;
  if (budget.period === 'week') return start + 7 * DAY_MS;
  const date = new Date(start);
  return Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 1);
}
