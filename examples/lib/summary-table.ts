/** The demo's summary table: one row per provider, columns aligned. */
import type { ConversationResult } from './weather-conversation.js';

/** One row of the summary. */
export interface SummaryRow {
  provider: string;
  model: string;
  source: 'live' | 'replay';
  result: ConversationResult;
}

const milliseconds = (value: number | undefined) => (value === undefined ? '–' : `${Math.round(value)} ms`);

/** The table as text, with a header line; numbers right-aligned. */
export function formatSummaryTable(rows: SummaryRow[]): string {
  const header = ['provider', 'model', 'source', 'first token', 'chunks', 'tokens', 'finish', 'total'];
  const cells = rows.map(({ provider, model, source, result }) => [
    provider,
    model,
    source,
    milliseconds(result.firstTokenMs),
    String(result.chunks),
    `${result.estimated ? '~' : ''}${result.outputTokens}`,
    result.error === undefined ? result.finishReasons.join(' → ') : `error ${result.error.split(':')[0]}`,
    milliseconds(result.totalMs),
  ]);
  const numeric = new Set([3, 4, 5, 7]);
  const widths = header.map((title, column) =>
    Math.max(title.length, ...cells.map((row) => row[column]?.length ?? 0)),
  );
  const line = (row: string[]) =>
    row
      .map((cell, column) =>
        numeric.has(column) ? cell.padStart(widths[column] ?? 0) : cell.padEnd(widths[column] ?? 0),
      )
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((width) => '─'.repeat(width))), ...cells.map(line)].join('\n');
}
