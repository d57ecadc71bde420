import { describe, expect, it } from 'vitest';
import { clientsOf, messageOf, textOf } from '../sdk-clients.test-helpers.js';
import { useReplayServer } from '../use-replay-server.js';
import type { WireProtocol } from '../wire-formats.js';
import { anthropicScenarios } from './anthropic.js';
import { geminiScenarios } from './gemini.js';
import { ollamaScenarios } from './ollama.js';
import { openaiChatScenarios } from './openai-chat.js';
import { openaiResponsesScenarios } from './openai-responses.js';
import type { ConformanceScenarios, StreamScenario } from './scenario-types.js';

// The scenario payloads must be what the vendor really sends: each one replays through the
// vendor's real SDK without an error and carries the text the scenario expects.

const server = useReplayServer({ per: 'file' });

const all: ConformanceScenarios[] = [
  openaiChatScenarios,
  openaiResponsesScenarios,
  anthropicScenarios,
  geminiScenarios,
  ollamaScenarios,
];

function streamScenarios(scenarios: ConformanceScenarios): Array<[string, StreamScenario]> {
  const entries: Array<[string, StreamScenario | { skip: string }]> = [
    ['text', scenarios.text],
    ['toolCall', scenarios.toolCall],
    ['parallelToolCalls', scenarios.parallelToolCalls],
    ['emptyArgumentsToolCall', scenarios.emptyArgumentsToolCall],
    ['usage', scenarios.usage],
    ['unicode', scenarios.unicode],
    ['unknownEvents', scenarios.unknownEvents],
    ['reasoning', scenarios.reasoning],
  ];
  return entries.filter((entry): entry is [string, StreamScenario] => !('skip' in entry[1]));
}

const protocolOf = (scenarios: ConformanceScenarios) => scenarios.protocol as WireProtocol;

describe.each(
  all.flatMap((scenarios) => clientsOf(protocolOf(scenarios)).map((client) => ({ scenarios, client }))),
)('$scenarios.protocol scenarios through $client.name', ({ scenarios, client }) => {
  it.each(streamScenarios(scenarios))('replays the %s scenario without an error', async (_name, scenario) => {
    server.enqueue({ payloads: scenario.payloads });
    const run = await client.run(server.url);
    expect(messageOf(run.error)).toBe('undefined');
    expect(run.chunks.length).toBeGreaterThan(0);
    expect(textOf(client, run)).toBe(scenario.expected.content ?? textOf(client, run));
  });

  it('cuts the text scenario where its counts say', async () => {
    const { text } = scenarios;
    server.enqueue(
      { payloads: text.payloads, endAfter: text.recordsBeforeOutput },
      { payloads: text.payloads, endAfter: text.cut.after },
    );
    const beforeOutput = await client.run(server.url);
    const cut = await client.run(server.url);
    expect(textOf(client, beforeOutput)).toBe('');
    expect(textOf(client, cut)).toBe(text.cut.content);
  });
});

it('defines every scenario for every protocol, with a stated reason where one is skipped', () => {
  for (const scenarios of all) {
    expect(streamScenarios(scenarios).length + ('skip' in scenarios.reasoning ? 1 : 0)).toBe(8);
    expect(scenarios.text.cut.after).toBeGreaterThan(scenarios.text.recordsBeforeOutput);
    expect(scenarios.unicode.expected.content).toContain('你好🙂');
  }
});
