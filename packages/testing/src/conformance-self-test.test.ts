import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The other half of the suite's self-test (conformance.test.ts is the passing half): a child
// vitest run registers the suite for deliberately broken adapters (and an unbroken control) and
// must report the failures each break causes.

interface AssertionResult {
  ancestorTitles: string[];
  title: string;
  status: 'passed' | 'failed' | 'skipped' | 'pending' | 'todo';
}

const vitestBin = join(dirname(createRequire(import.meta.url).resolve('vitest/package.json')), 'vitest.mjs');
const config = fileURLToPath(
  new URL('./__fixtures__/conformance-self-test/vitest.config.ts', import.meta.url),
);

let directory: string;
let results: AssertionResult[] = [];

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'tokenwire-self-test-'));
  const outputFile = join(directory, 'report.json');
  await new Promise<void>((resolve) => {
    // A failing child run exits with 1: that is the expected outcome, so only the report matters.
    execFile(
      process.execPath,
      [vitestBin, 'run', '--config', config, '--reporter=json', `--outputFile=${outputFile}`],
      { timeout: 90_000 },
      () => resolve(),
    );
  });
  const report = JSON.parse(await readFile(outputFile, 'utf8')) as {
    testResults: Array<{ assertionResults: AssertionResult[] }>;
  };
  results = report.testResults.flatMap((file) => file.assertionResults);
}, 100_000);

afterAll(async () => {
  await rm(directory, { recursive: true, force: true });
});

function outcomes(adapter: string): Record<string, string> {
  return Object.fromEntries(
    results
      .filter((result) =>
        result.ancestorTitles.some((title) => title.startsWith(`${adapter} adapter conformance`)),
      )
      .map((result) => [result.title, result.status]),
  );
}

function failed(adapter: string): string[] {
  return Object.entries(outcomes(adapter))
    .filter(([, status]) => status === 'failed')
    .map(([title]) => title);
}

describe('the conformance suite run against broken adapters', () => {
  it('passes every test for the unbroken control adapter', () => {
    const control = outcomes('control');
    expect(Object.keys(control).length).toBeGreaterThan(15);
    expect(failed('control')).toEqual([]);
  });

  it('fails an adapter that drops text', () => {
    expect(failed('drops-text')).toEqual(
      expect.arrayContaining([
        'streams text: start first, tokens accumulate, one finish last',
        'ends a truncated stream with invalid_response and keeps the partial content',
        'decodes a stream cut inside every multi-byte UTF-8 character',
        'ignores unknown events and fields',
      ]),
    );
  });

  it('fails an adapter that drops tool calls', () => {
    expect(failed('drops-tool-calls')).toEqual([
      'assembles one tool call from its argument fragments',
      'assembles parallel tool calls, each completed once',
      'completes a tool call with empty arguments as {}',
      'runs an executable tool and streams the answer to its result, in one stream',
    ]);
  });

  it('fails an adapter that leaves tool results out of the history', () => {
    expect(failed('drops-tool-results')).toEqual(
      expect.arrayContaining([
        'runs an executable tool and streams the answer to its result, in one stream',
        'sends the three-turn tool conversation in the vendor’s valid shape',
      ]),
    );
  });

  it('fails an adapter that never reports the finish', () => {
    expect(failed('never-finishes')).toEqual(
      expect.arrayContaining([
        'streams text: start first, tokens accumulate, one finish last',
        'retries HTTP 429, then streams',
      ]),
    );
  });

  it('fails an adapter that ignores the abort signal: the connection stays open', () => {
    expect(failed('ignores-abort')).toEqual([
      'times out a stalled stream (idleMs 300) and closes the connection',
      'cancel() mid-stream finishes as cancelled, keeps what arrived and closes the connection',
      'an aborted AbortSignal cancels the stream and closes the connection',
      'times out a stream whose records carry nothing (idleMs counts deltas, not records)',
    ]);
  });

  it('fails an adapter that does not ask the provider for JSON', () => {
    expect(failed('ignores-response-format')).toEqual([
      'streams a json answer as growing partial objects, then finish.object',
      'streams a json_schema answer as growing partial objects, then finish.object',
    ]);
  });

  it('fails an adapter that retries an authentication error', () => {
    expect(failed('retries-everything')).toContain(
      'does not retry HTTP 401: the authentication error comes alone',
    );
  });
});
