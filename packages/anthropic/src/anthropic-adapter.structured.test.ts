import {
  type ChatRequest,
  createTokenwire,
  type ErrorEvent,
  type FinishEvent,
  type StreamEvent,
} from '@tokenwire/core';
import { jsonInstruction } from '@tokenwire/core/internal';
import { collect } from '@tokenwire/testing';
import { useReplayServer } from '@tokenwire/testing/conformance';
import { beforeEach, describe, expect, it } from 'vitest';
import { createAnthropicAdapter } from './anthropic-adapter.js';
import { anthropicFixture, events } from './anthropic-events.test-helpers.js';
import type { AnthropicAdapterSettings } from './anthropic-settings.js';

// Structured output through the real @anthropic-ai/sdk, the adapter and the runtime: the request
// bodies of each way of asking for JSON, the refusals, and the recorded answers of the forced
// `json` tool read as text.

const { messageStart, blockStart, text, blockStop, messageDelta, messageStop } = events;

const server = useReplayServer({ per: 'file' });
beforeEach(() => {
  server.requests.length = 0;
});

type RequestFields = Partial<Omit<ChatRequest, 'model'>>;

function send(fields: RequestFields, settings: AnthropicAdapterSettings = {}): Promise<StreamEvent[]> {
  const adapter = createAnthropicAdapter({ baseURL: server.url, apiKey: 'test-key', ...settings });
  const tokenwire = createTokenwire({ providers: { anthropic: adapter }, retries: 0 });
  return collect(
    tokenwire.stream({
      model: 'anthropic/claude-test-1',
      messages: [{ role: 'user', content: 'Weather in San Francisco?' }],
      ...fields,
    }),
  );
}

const answer = { city: 'Paris', high: 21 };
const textAnswer = [
  messageStart(),
  blockStart(0, { type: 'text', text: '' }),
  text(0, '{"city":"Par'),
  text(0, 'is","high":21}'),
  blockStop(0),
  messageDelta('end_turn'),
  messageStop(),
];

/** The body sent for these fields (the answer streamed back is a text one: only the body matters). */
async function bodyOf(
  fields: RequestFields,
  settings: AnthropicAdapterSettings = {},
): Promise<Record<string, unknown>> {
  server.enqueue({ payloads: textAnswer });
  const last = (await send(fields, settings)).at(-1);
  expect(last?.type, JSON.stringify(last)).toBe('finish');
  return server.requests[0]?.body as Record<string, unknown>;
}

const weather = {
  name: 'weather',
  description: 'The weather in a city',
  parameters: { type: 'object', properties: { location: { type: 'string' } }, required: ['location'] },
};
const weatherTool = {
  name: 'weather',
  description: 'The weather in a city',
  input_schema: weather.parameters,
};
const schema = {
  type: 'object',
  properties: { city: { type: 'string' }, high: { type: 'number' } },
  required: ['city', 'high'],
  additionalProperties: false,
};
const json = { type: 'json' } as const;
const jsonSchema = { type: 'json_schema', name: 'forecast', schema } as const;
const jsonTool = (inputSchema: Record<string, unknown> = { type: 'object' }) => ({
  name: 'json',
  description: 'Answer with this tool: its input is the answer.',
  input_schema: inputSchema,
});
const thinking = { budgetTokens: 2048 };

describe('the request of a JSON answer', () => {
  it("sends { type: 'json' } as the forced json tool, without output_config", async () => {
    const body = await bodyOf({ responseFormat: json });
    expect([body.tools, body.tool_choice, body.output_config]).toEqual([
      [jsonTool()],
      { type: 'tool', name: 'json' },
      undefined,
    ]);
  });

  it.each([
    { toolChoice: undefined, sent: { type: 'any' } },
    { toolChoice: 'auto', sent: { type: 'any' } },
    { toolChoice: 'required', sent: { type: 'any' } },
    { toolChoice: 'none', sent: { type: 'tool', name: 'json' } },
    { toolChoice: { name: 'weather' }, sent: { type: 'tool', name: 'weather' } },
  ] as const)(
    'declares the json tool after the request tools; toolChoice $toolChoice is sent as $sent',
    async ({ toolChoice, sent }) => {
      const body = await bodyOf({ responseFormat: json, tools: [weather], toolChoice });
      expect([body.tools, body.tool_choice]).toEqual([[weatherTool, jsonTool()], sent]);
    },
  );

  it('sends a json_schema as output_config.format with structuredOutput native (the default)', async () => {
    const body = await bodyOf({ responseFormat: jsonSchema, tools: [weather], toolChoice: 'auto' });
    expect([body.output_config, body.tools, body.tool_choice]).toEqual([
      { format: { type: 'json_schema', schema } },
      [weatherTool],
      { type: 'auto' },
    ]);
  });

  it("sends a json_schema as the json tool's input schema with structuredOutput 'tool', strict included", async () => {
    const body = await bodyOf(
      { responseFormat: { ...jsonSchema, strict: true }, reasoning: { effort: 'high' } },
      { structuredOutput: 'tool' },
    );
    expect([body.tools, body.tool_choice, body.output_config]).toEqual([
      [{ ...jsonTool(schema), strict: true }],
      { type: 'tool', name: 'json' },
      { effort: 'high' },
    ]);
  });

  it('asks by instructions while thinking, which refuses forced tools: after the system text, tool choice untouched', async () => {
    const body = await bodyOf({
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Weather in San Francisco?' },
      ],
      responseFormat: json,
      tools: [weather],
      toolChoice: 'auto',
      reasoning: thinking,
    });
    expect([body.system, body.tools, body.tool_choice]).toEqual([
      [
        { type: 'text', text: 'Be brief.' },
        { type: 'text', text: jsonInstruction(json) },
      ],
      [weatherTool],
      { type: 'auto' },
    ]);
  });

  it('quotes the schema in the instruction of a json_schema in tool mode while thinking', async () => {
    const body = await bodyOf(
      { responseFormat: jsonSchema, reasoning: thinking },
      { structuredOutput: 'tool' },
    );
    expect([body.system, body.tools, body.tool_choice, body.output_config]).toEqual([
      jsonInstruction(jsonSchema),
      undefined,
      undefined,
      undefined,
    ]);
    expect(body.system).toContain(JSON.stringify(schema));
  });

  it('treats adaptive thinking passed in providerOptions as thinking', async () => {
    const body = await bodyOf({
      responseFormat: json,
      providerOptions: { anthropic: { thinking: { type: 'adaptive' } } },
    });
    expect([body.system, body.tools, body.thinking]).toEqual([
      jsonInstruction(json),
      undefined,
      { type: 'adaptive' },
    ]);
  });
});

describe('JSON answers Anthropic cannot take, refused before sending', () => {
  async function refusal(fields: RequestFields, settings: AnthropicAdapterSettings = {}) {
    const last = (await send(fields, settings)).at(-1) as ErrorEvent;
    expect([last.type, last.error.code, last.error.retryable, server.requests.length]).toEqual([
      'error',
      'invalid_request',
      false,
      0,
    ]);
    return last.error.message;
  }

  it("refuses a schema that is not an object schema in tool mode, pointing to 'native'", async () => {
    const message = await refusal(
      { responseFormat: { type: 'json_schema', schema: { type: 'array', items: { type: 'string' } } } },
      { structuredOutput: 'tool' },
    );
    expect(message).toContain(
      "Invalid request: responseFormat.schema must be an object schema (type 'object')",
    );
    expect(message).toContain("use structuredOutput 'native'");
    expect(message).toContain('got "array"');
  });

  it.each([
    { format: json, settings: {} },
    { format: jsonSchema, settings: { structuredOutput: 'tool' } },
  ] as const)(
    'refuses a request tool named json beside the json tool ($format.type)',
    async ({ format, settings }) => {
      const message = await refusal(
        { responseFormat: format, tools: [weather, { ...weather, name: 'json' }] },
        settings,
      );
      expect(message).toContain("Invalid request: tools[1].name must not be 'json'");
    },
  );

  it('sends both when no json tool is added: native mode, or thinking', async () => {
    const named = { ...weather, name: 'json' };
    const native = await bodyOf({ responseFormat: jsonSchema, tools: [named] });
    expect((native.tools as Array<{ name: string }>).map((tool) => tool.name)).toEqual(['json']);
    server.requests.length = 0;
    const listed = await bodyOf(
      { responseFormat: { type: 'json_schema', schema: { type: 'array' } }, reasoning: thinking },
      { structuredOutput: 'tool' },
    );
    expect(listed.system).toBe(jsonInstruction({ type: 'json_schema', schema: { type: 'array' } }));
  });
});

describe('the structuredOutput setting', () => {
  it('refuses a value other than native or tool as a configuration error, with nothing sent', async () => {
    const settings = { structuredOutput: 'tools' } as unknown as AnthropicAdapterSettings;
    const last = (await send({ responseFormat: json }, settings)).at(-1) as ErrorEvent;
    expect([last.type, last.error.code, last.error.message, server.requests.length]).toEqual([
      'error',
      'configuration',
      'Invalid configuration: structuredOutput (provider \'anthropic\') must be one of native, tool; got "tools". Nothing was sent.',
      0,
    ]);
  });
});

/** The parts of a finished structured stream the expectations name. */
function outcome(list: StreamEvent[]) {
  const finish = list.at(-1) as FinishEvent;
  expect(finish.type, JSON.stringify(finish)).toBe('finish');
  const tokens = list.flatMap((event) => (event.type === 'token' ? [event.content] : []));
  expect(tokens.join('')).toBe(finish.content);
  return {
    content: finish.content,
    object: finish.object,
    toolCalls: finish.toolCalls.map(({ id, name, input }) => ({ id, name, input })),
    reason: finish.reason,
    rawReason: finish.rawReason,
    usage: { input: finish.usage.inputTokens, output: finish.usage.outputTokens },
    partialObjects: list.some((event) => event.type === 'partial_object'),
  };
}

async function replay(file: string, fields: RequestFields = {}) {
  server.enqueue({ payloads: anthropicFixture(file) });
  return outcome(await send({ responseFormat: json, ...fields }));
}

const recordedAnswer = { elements: [{ location: 'San Francisco', temperature: 58, condition: 'sunny' }] };
const recordedText = '{"elements": [{"location": "San Francisco", "temperature": 58, "condition": "sunny"}]}';

describe('recorded answers of the json tool, replayed with { type: "json" }', () => {
  it('reads anthropic-json-tool.1.chunks.txt as the text answer: finish.object, reason stop, no tool call', async () => {
    expect(await replay('anthropic-json-tool.1.chunks.txt')).toEqual({
      content: recordedText,
      object: recordedAnswer,
      toolCalls: [],
      reason: 'stop',
      rawReason: 'tool_use',
      usage: { input: 849, output: 47 },
      partialObjects: true,
    });
  });

  it('keeps the text before the json tool in anthropic-json-tool.2.chunks.txt, and the object parses', async () => {
    expect(await replay('anthropic-json-tool.2.chunks.txt')).toMatchObject({
      content: `I'll invoke the JSON response tool.${recordedText}`,
      object: recordedAnswer,
      toolCalls: [],
      reason: 'stop',
      rawReason: 'tool_use',
      partialObjects: true,
    });
  });

  it("keeps the agent's tool call of anthropic-json-other-tool.1.chunks.txt a tool call, with no object", async () => {
    expect(await replay('anthropic-json-other-tool.1.chunks.txt', { tools: [weather] })).toMatchObject({
      content: '',
      object: undefined,
      toolCalls: [
        { id: 'toolu_019Zvehfe1XQWweT1pm7okyt', name: 'weather', input: { location: 'San Francisco' } },
      ],
      reason: 'tool_calls',
      rawReason: 'tool_use',
      partialObjects: false,
    });
  });

  it('gives the same events for a native answer streamed as text', async () => {
    server.enqueue({ payloads: textAnswer });
    expect(await send({ responseFormat: jsonSchema }).then(outcome)).toMatchObject({
      content: '{"city":"Paris","high":21}',
      object: answer,
      toolCalls: [],
      reason: 'stop',
      rawReason: 'end_turn',
      partialObjects: true,
    });
  });
});
