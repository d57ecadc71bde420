import { readdirSync, readFileSync } from 'node:fs';
import type { ErrorEvent, FinishEvent, StreamEvent, TokenwireError } from '@tokenwire/core';
import type { AdapterDelta } from '@tokenwire/core/adapter';
import { StreamAccumulator } from '@tokenwire/core/internal';
import type { Tool as ResponsesTool } from 'openai/resources/responses/responses';

/** The recorded vendor streams, read in place (CI clones the repository next to `shared/`). */
export const FIXTURES_DIRECTORY = new URL('../../../../shared/fixtures/', import.meta.url);

/** The `*.chunks.txt` file names of one fixture directory, sorted. */
export function fixtureNames(directory: string): string[] {
  return readdirSync(new URL(`${directory}/`, FIXTURES_DIRECTORY))
    .filter((name) => name.endsWith('.chunks.txt'))
    .sort();
}

/**
 * The payloads of a fixture file, one JSON value per line. A line that does not parse is joined
 * with the lines after it (upstream wrote some payloads pretty-printed over several lines); a
 * line that parses with none of them is reported in `unparsableLines` and left out.
 */
export function readFixturePayloads(path: string): { payloads: unknown[]; unparsableLines: number[] } {
  const lines = readFileSync(new URL(path, FIXTURES_DIRECTORY), 'utf8').split('\n');
  const payloads: unknown[] = [];
  const unparsableLines: number[] = [];
  for (let index = 0; index < lines.length; index++) {
    const line = (lines[index] as string).trim();
    if (line === '') continue;
    const parsed = parseJoined(lines, index);
    if (parsed === undefined) {
      unparsableLines.push(index + 1);
      continue;
    }
    payloads.push(parsed.value);
    index = parsed.lastLine;
  }
  return { payloads, unparsableLines };
}

function parseJoined(lines: string[], first: number): { value: unknown; lastLine: number } | undefined {
  let text = '';
  for (let index = first; index < lines.length && index < first + 200; index++) {
    text += lines[index];
    try {
      return { value: JSON.parse(text), lastLine: index };
    } catch {
      // not complete yet: join the next line
    }
  }
  return undefined;
}

/**
 * Splits a recording of several Responses API responses (a multi-step loop saved into one file)
 * into one payload list per response, each ending at its terminal event.
 */
export function splitResponses(payloads: unknown[]): unknown[][] {
  const responses: unknown[][] = [[]];
  for (const payload of payloads) {
    (responses[responses.length - 1] as unknown[]).push(payload);
    const type = (payload as { type?: unknown }).type;
    if (type === 'response.completed' || type === 'response.incomplete' || type === 'response.failed') {
      responses.push([]);
    }
  }
  if ((responses[responses.length - 1] as unknown[]).length === 0) responses.pop();
  return responses;
}

/**
 * The `tools` a recorded Responses API response echoes from its request (on `response.created`,
 * or any later response event), to replay the stream with the tools it was recorded with.
 */
export function recordedTools(payloads: unknown[]): ResponsesTool[] | undefined {
  for (const payload of payloads) {
    const tools = (payload as { response?: { tools?: unknown } }).response?.tools;
    if (Array.isArray(tools)) return tools as ResponsesTool[];
  }
  return undefined;
}

/**
 * Feeds deltas through core's accumulator, as the runtime does, and returns the terminal event:
 * the stream's end, or its failure with `error` when the translator threw one.
 */
export function accumulate(
  deltas: AdapterDelta[],
  error?: TokenwireError,
  model = 'requested-model',
): FinishEvent | ErrorEvent {
  const accumulator = new StreamAccumulator('openai', model, () => 0);
  const events: Parameters<StreamAccumulator['push']>[1] = [];
  for (const delta of deltas) accumulator.push(delta, events);
  return error === undefined ? accumulator.end(events) : accumulator.fail(error);
}

/**
 * Every event core's accumulator makes of the deltas, the terminal one last (the failure with
 * `error` when the translator threw one): what the runtime would yield, for `findInvariantViolations`.
 */
export function accumulateEvents(deltas: AdapterDelta[], error?: TokenwireError): StreamEvent[] {
  const accumulator = new StreamAccumulator('openai', 'requested-model', () => 0);
  const events: StreamEvent[] = [];
  for (const delta of deltas) accumulator.push(delta, events);
  events.push(error === undefined ? accumulator.end(events) : accumulator.fail(error));
  return events;
}
