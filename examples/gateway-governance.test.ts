import { describe, expect, it } from 'vitest';
import { runExample } from './lib/run-example.js';

describe('gateway-governance.ts', () => {
  it('makes a virtual key, streams through it, logs its spend and refuses it once revoked', async () => {
    const run = await runExample('gateway-governance.ts', {});
    expect(run.stderr).toBe('');
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toBe(
      'a key for gpt-4o with $5 a month: sk-tw-… (shown once)\nHello, world!\n' +
        'spend: finished, 12 in, 4 out, $0.000056\nafter revoking: HTTP 401\n',
    );
  });
});
