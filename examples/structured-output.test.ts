import { createReplayServer, type ReplayServer } from '@tokenwire/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LISBON_TRIP, replyScript } from './lib/replay-scripts.js';
import { runExample } from './lib/run-example.js';

let replay: ReplayServer;
beforeEach(async () => {
  replay = await createReplayServer();
});
afterEach(async () => {
  await replay.close();
});

describe('structured-output.ts', () => {
  it('shows days as they complete, then the trip validated by the zod schema', async () => {
    replay.enqueue(replyScript({ text: LISBON_TRIP }));
    const run = await runExample('structured-output.ts', { replayURL: replay.url });
    expect(run.stderr).toBe('');
    expect(run.stdout).toBe(
      '… day 1 planned\n' +
        'Lisbon, 2 days, €120.00:\n' +
        '  day 1: Alfama on foot, tram 28, sunset at a miradouro\n' +
        '  day 2: Pastries in Belém, then the LX Factory\n',
    );
    // The provider was asked for the schema zod gives, named.
    const body = replay.requests[0]?.body as {
      response_format?: { json_schema?: { name?: string; schema?: unknown } };
    };
    const format = body.response_format;
    expect(format?.json_schema?.name).toBe('trip');
    expect(format?.json_schema?.schema).toMatchObject({ required: ['city', 'days', 'budgetEuros'] });
  });

  it('names the broken rule and keeps the text when the answer breaks the schema', async () => {
    const broken = LISBON_TRIP.replace('"budgetEuros": 120', '"budgetEuros": -5');
    replay.enqueue(replyScript({ text: broken }));
    const run = await runExample('structured-output.ts', {
      replayURL: replay.url,
      environment: { TOKENWIRE_MODEL: 'anthropic/claude-haiku-4-5' },
    });
    expect(run.stdout).toMatch(
      /^… day 1 planned\n\[invalid_response\] The answer does not match the schema: \/budgetEuros: /,
    );
    expect(run.stdout).toContain('"budgetEuros": -5');
  });
});
