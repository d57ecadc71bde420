import { createTokenwire, TokenwireError } from '@tokenwire/core';
import { type MockStep, mockAdapter } from '@tokenwire/testing';
import { describe, expect, it } from 'vitest';
import { openTelemetry } from './open-telemetry.js';
import { drain, inMemoryTelemetry } from './open-telemetry.test-helpers.js';

// The attributes the GenAI semantic conventions (v1.41.0, gen-ai-spans.md and gen-ai-agent-spans.md)
// mark Required, or Conditionally Required with the condition met by the request below. Those the
// conventions condition on data tokenwire does not have (gen_ai.conversation.id, gen_ai.agent.id,
// gen_ai.request.choice.count other than 1, gen_ai.data_source.id) are left out, as they allow.
const REQUIRED = {
  chat: [
    'gen_ai.operation.name',
    'gen_ai.provider.name',
    'gen_ai.request.model', // if available
    'gen_ai.request.seed', // if the request includes a seed
    'gen_ai.output.type', // if the request includes an output format
    'server.port', // if server.address is set
  ],
  invoke_agent: ['gen_ai.operation.name', 'gen_ai.provider.name', 'gen_ai.request.model'],
  execute_tool: ['gen_ai.operation.name'],
  failed: ['error.type'], // if the operation ended in an error
} as const;
/** Recommended ones this package records when it knows them. */
const RECOMMENDED = {
  chat: ['server.address', 'gen_ai.request.stop_sequences', 'gen_ai.response.finish_reasons'],
  /** On the answering call's span: a step that calls tools reports no response model or id to the hooks. */
  answer: ['gen_ai.response.model', 'gen_ai.response.id'],
  execute_tool: ['gen_ai.tool.name', 'gen_ai.tool.call.id', 'gen_ai.tool.type'],
} as const;

const toolStep: MockStep[] = [
  { type: 'start', model: 'mock-2026', responseId: 'resp_0' },
  { type: 'tool_call', index: 0, id: 'call_1', name: 'lookup', argumentsDelta: '{}' },
  { type: 'finish', reason: 'tool_calls' },
];
const jsonStep: MockStep[] = [
  { type: 'start', model: 'mock-2026', responseId: 'resp_1' },
  { type: 'text', delta: '{"ok":true}' },
  { type: 'finish', reason: 'stop' },
];

/** A two-step tool loop with a seed, a JSON output format and stop sequences, to a known endpoint. */
async function traced(script: MockStep[][]) {
  const telemetry = inMemoryTelemetry();
  const adapter = Object.assign(mockAdapter(script), { endpoint: () => 'https://llm.example.test:8443/v1' });
  const tokenwire = createTokenwire({
    providers: { mock: adapter },
    hooks: [openTelemetry(telemetry)],
    retries: 0,
  });
  await drain(
    tokenwire.stream({
      model: 'mock/m',
      messages: [{ role: 'user', content: 'Look it up, answer in JSON.' }],
      seed: 7,
      stop: ['END'],
      responseFormat: { type: 'json' },
      tools: [{ name: 'lookup', execute: () => 'found' }],
    }),
  );
  return telemetry.readableSpans();
}

const missing = (attributes: Record<string, unknown>, names: readonly string[]) =>
  names.filter((name) => attributes[name] === undefined);

describe('the GenAI conventions, attribute by attribute', () => {
  it('records every required and conditionally required attribute on each span', async () => {
    const spans = await traced([toolStep, jsonStep]);
    const byOperation = (operation: string) =>
      spans.filter((span) => span.attributes['gen_ai.operation.name'] === operation);
    expect(byOperation('chat')).toHaveLength(2); // one per model call
    for (const span of byOperation('chat')) {
      expect(missing(span.attributes, [...REQUIRED.chat, ...RECOMMENDED.chat])).toEqual([]);
      expect(span.attributes).toMatchObject({
        'gen_ai.request.seed': 7,
        'gen_ai.output.type': 'json',
        'gen_ai.request.stop_sequences': ['END'],
        'server.address': 'llm.example.test',
        'server.port': 8443,
      });
    }
    expect(missing(byOperation('chat')[1]?.attributes ?? {}, RECOMMENDED.answer)).toEqual([]);
    expect(byOperation('invoke_agent')).toHaveLength(1);
    expect(missing(byOperation('invoke_agent')[0]?.attributes ?? {}, REQUIRED.invoke_agent)).toEqual([]);
    const [tool] = byOperation('execute_tool');
    expect(missing(tool?.attributes ?? {}, [...REQUIRED.execute_tool, ...RECOMMENDED.execute_tool])).toEqual(
      [],
    );
  });

  it('records error.type on the chat and agent spans of a failed stream', async () => {
    const overloaded = new TokenwireError({ code: 'overloaded', message: 'Overloaded', provider: 'mock' });
    const spans = await traced([toolStep, [{ throw: overloaded }]]);
    const failed = spans.filter((span) => span.status.code === 2);
    expect(failed.map((span) => span.attributes['gen_ai.operation.name'])).toEqual(['chat', 'invoke_agent']);
    for (const span of failed) expect(missing(span.attributes, REQUIRED.failed)).toEqual([]);
  });
});
