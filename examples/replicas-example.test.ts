import { describe, expect, inject, it } from 'vitest';
import { runExample } from './lib/run-example.js';

const redisMissing = inject('redisMissing');

describe.skipIf(redisMissing !== undefined)(
  `replicas.ts${redisMissing === undefined ? '' : ` (SKIPPED: ${redisMissing})`}`,
  () => {
    it('prints every token once, in order, over a cut on replica A and a resume on B', async () => {
      const run = await runExample('replicas.ts', { timeoutMs: 40_000 });
      expect(run.exitCode, run.stderr).toBe(0);
      const lines = run.stdout.trim().split('\n');
      expect(lines.filter((line) => line.startsWith('token '))).toEqual(
        ['Resumable', ' streams', ' survive', ' a', ' cut', ' connection', '.'].map(
          (token) => `token ${JSON.stringify(token)}`,
        ),
      );
      expect(lines).toContain('finish: stop, "Resumable streams survive a cut connection."');
      expect(lines.filter((line) => line.startsWith('request to replica'))).toEqual([
        'request to replica A, Last-Event-ID: none',
        expect.stringMatching(/^request to replica B, Last-Event-ID: [\w-]+:[1-3]$/),
      ]);
    });
  },
);
