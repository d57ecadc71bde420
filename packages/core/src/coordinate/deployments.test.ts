import { describe, expect, it } from 'vitest';
import { TokenwireError } from '../model/errors.js';
import type { ErrorEvent, FinishEvent, StreamEvent } from '../model/types.js';
import { createTokenwire, type TokenwireConfig } from '../runtime/create-tokenwire.js';
import { collectEvents, type Step, scriptedAdapter } from '../runtime/scripted-adapter.test-helpers.js';
import { type DeploymentTarget, orderDeployments } from './deployments.js';
import { inMemoryCoordinator } from './in-memory-coordinator.js';
import { SlotLimiter } from './slot-limiter.js';

const messages = [{ role: 'user' as const, content: 'Hi' }];
const answer = (text: string): Step[] => [
  { type: 'text', delta: text },
  { type: 'finish', reason: 'stop' },
];
const unavailable = new TokenwireError({ code: 'server', status: 503, message: 'Service Unavailable' });

function last<T extends StreamEvent>(events: StreamEvent[]): T {
  return events[events.length - 1] as T;
}

function target(model: string, weight: number, inFlight = 0): DeploymentTarget {
  return {
    provider: 'p',
    model,
    weight,
    cooldownKey: `deployment:g:p/${model}`,
    inFlight: { count: inFlight },
    adapter: () => Promise.reject(new Error('not used')),
  };
}

describe('choosing a deployment', () => {
  const limiter = new SlotLimiter(inMemoryCoordinator(), () => {});
  const targets = [target('a', 1), target('b', 3)];
  const modelsOf = (ordered: DeploymentTarget[]) => ordered.map((entry) => entry.model);

  it('picks by weight: a point in the first quarter is a, the rest b', async () => {
    expect(modelsOf(await orderDeployments(targets, { deployments: [] }, limiter, () => 0.2))).toEqual([
      'a',
      'b',
    ]);
    expect(modelsOf(await orderDeployments(targets, { deployments: [] }, limiter, () => 0.3))).toEqual([
      'b',
      'a',
    ]);
  });

  it("takes the least busy with strategy 'least-busy', ties to the heavier", async () => {
    const group = { deployments: [], strategy: 'least-busy' as const };
    expect(modelsOf(await orderDeployments(targets, group, limiter, () => 0))).toEqual(['b', 'a']);
    const busy = [target('a', 1), target('b', 3, 2)];
    expect(modelsOf(await orderDeployments(busy, group, limiter, () => 0))).toEqual(['a', 'b']);
  });

  it('puts deployments in cooldown last', async () => {
    await limiter.coordinator.setCooldown('deployment:g:p/a', 60_000);
    expect(modelsOf(await orderDeployments(targets, { deployments: [] }, limiter, () => 0))).toEqual([
      'b',
      'a',
    ]);
  });
});

describe('deployment groups', () => {
  function setup(coordinator = inMemoryCoordinator()) {
    const east = scriptedAdapter([[{ throw: unavailable }], answer('from east')], 'east');
    const west = scriptedAdapter(answer('from west'), 'west');
    const config = (): TokenwireConfig => ({
      providers: { east, west },
      coordinator,
      deployments: {
        chat: {
          strategy: 'least-busy',
          cooldownMs: 200,
          deployments: [
            { model: 'east/gpt', weight: 2 },
            { model: 'west/gpt', weight: 1 },
          ],
        },
      },
    });
    return { east, west, coordinator, config };
  }

  it('falls back within the group, skips the failing deployment on every replica, and returns after the cooldown', async () => {
    const { east, west, coordinator, config } = setup();
    const replicaA = createTokenwire(config());
    const replicaB = createTokenwire(config());
    const first = last<FinishEvent>(await collectEvents(replicaA.stream({ model: 'chat', messages })));
    expect(first).toMatchObject({ provider: 'west', model: 'gpt', content: 'from west' });
    expect([east.calls, west.calls]).toEqual([1, 1]);
    const second = last<FinishEvent>(await collectEvents(replicaB.stream({ model: 'chat', messages })));
    expect(second.content).toBe('from west');
    expect([east.calls, west.calls]).toEqual([1, 2]);
    while ((await coordinator.cooldownLeft('deployment:chat:east/gpt')) > 0)
      await new Promise((resolve) => setTimeout(resolve, 20));
    const third = last<FinishEvent>(await collectEvents(replicaB.stream({ model: 'chat', messages })));
    expect(third.content).toBe('from east');
    expect([east.calls, west.calls]).toEqual([2, 2]);
  });

  it('ends with the last error when every deployment fails', async () => {
    const east = scriptedAdapter([{ throw: unavailable }], 'east');
    const west = scriptedAdapter([{ throw: unavailable }], 'west');
    const tokenwire = createTokenwire({
      providers: { east, west },
      deployments: { chat: { deployments: [{ model: 'east/gpt' }, { model: 'west/gpt' }] } },
    });
    const events = await collectEvents(tokenwire.stream({ model: 'chat', messages }));
    expect(last<ErrorEvent>(events).error).toMatchObject({ code: 'server', status: 503 });
    expect([east.calls, west.calls]).toEqual([1, 1]);
  });

  it('refuses a deployment that is not a provider/model string', async () => {
    const tokenwire = createTokenwire({ deployments: { chat: { deployments: [{ model: 'gpt' }] } } });
    const events = await collectEvents(tokenwire.stream({ model: 'chat', messages }));
    expect(last<ErrorEvent>(events).error.message).toContain(
      "deployments.chat.deployments[0].model must be a 'provider/model' string",
    );
  });
});
