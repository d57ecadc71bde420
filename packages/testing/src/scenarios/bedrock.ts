import type { ChatResponseFormat } from '@tokenwire/core';
import { bedrockConverseWire } from '../aws-wire-formats.js';
import { type CallIds, expectedOutcomes } from './expected-outcomes.js';
import { isBase64, isRecord, isText, Problems } from './request-checks.js';
import type { ConformanceScenarios, StructuredOutputScenario } from './scenario-types.js';
import { sameProblems } from './structured-checks.js';

type Event = Record<string, unknown>;

// ConverseStream events as the SDK types them (`ConverseStreamOutput`), one union member each.
// Bedrock pads every event body with a `p` field of random length (to hide token sizes); kept
// in the text scenario, as real streams carry it.
// @see https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_ConverseStreamOutput.html
const messageStart: Event = { messageStart: { role: 'assistant' } };

function metadata(usage: Record<string, number> = { inputTokens: 12, outputTokens: 4 }): Event {
  const input = usage.inputTokens ?? 0;
  const output = usage.outputTokens ?? 0;
  return { metadata: { usage: { totalTokens: input + output, ...usage }, metrics: { latencyMs: 120 } } };
}

function messageEnd(stopReason: string, usage?: Record<string, number>): Event[] {
  return [{ messageStop: { stopReason } }, metadata(usage)];
}

function textBlock(index: number, texts: string[]): Event[] {
  return [
    ...texts.map((text) => ({ contentBlockDelta: { contentBlockIndex: index, delta: { text } } })),
    { contentBlockStop: { contentBlockIndex: index } },
  ];
}

function toolUseBlock(index: number, toolUseId: string, name: string, fragments: string[]): Event[] {
  return [
    { contentBlockStart: { contentBlockIndex: index, start: { toolUse: { toolUseId, name } } } },
    ...fragments.map((input) => ({
      contentBlockDelta: { contentBlockIndex: index, delta: { toolUse: { input } } },
    })),
    { contentBlockStop: { contentBlockIndex: index } },
  ];
}

/** The answer as text (`outputConfig.textFormat`) or as the input of the forced `json` tool. */
function answerPayloads(fragments: string[], asTool: boolean, end: 'stop' | 'length'): Event[] {
  if (!asTool)
    return [
      messageStart,
      ...textBlock(0, fragments),
      ...messageEnd(end === 'stop' ? 'end_turn' : 'max_tokens'),
    ];
  return [
    messageStart,
    ...toolUseBlock(0, 'tooluse_json_answer', 'json', fragments),
    ...messageEnd(end === 'stop' ? 'tool_use' : 'max_tokens'),
  ];
}

/** Problems of the forced-tool fallback: a `json` tool whose input schema is the answer's, chosen by `toolChoice`. */
function answerToolProblems(request: Record<string, unknown>, format: ChatResponseFormat): string[] {
  const config = isRecord(request.toolConfig) ? request.toolConfig : {};
  const tools = Array.isArray(config.tools) ? config.tools : [];
  const tool = tools.find(
    (entry) => isRecord(entry) && isRecord(entry.toolSpec) && entry.toolSpec.name === 'json',
  );
  if (tool === undefined) return ['toolConfig.tools: no `json` tool for the answer'];
  return [
    ...sameProblems(
      'toolConfig.tools[json].toolSpec.inputSchema',
      (tool as { toolSpec: Record<string, unknown> }).toolSpec.inputSchema,
      { json: format.type === 'json_schema' ? format.schema : { type: 'object' } },
    ),
    ...sameProblems('toolConfig.toolChoice', config.toolChoice, { tool: { name: 'json' } }),
  ];
}

/** Problems of Converse's structured outputs: `outputConfig.textFormat` with the schema as JSON text. */
function textFormatProblems(request: Record<string, unknown>, format: ChatResponseFormat): string[] {
  const config = isRecord(request.outputConfig) ? request.outputConfig : {};
  const textFormat = isRecord(config.textFormat) ? config.textFormat : {};
  const structure = isRecord(textFormat.structure) ? textFormat.structure : {};
  const jsonSchema = isRecord(structure.jsonSchema) ? structure.jsonSchema : {};
  const schema = typeof jsonSchema.schema === 'string' ? JSON.parse(jsonSchema.schema) : undefined;
  return [
    ...sameProblems('outputConfig.textFormat.type', textFormat.type, 'json_schema'),
    ...sameProblems(
      'outputConfig.textFormat.structure.jsonSchema.schema',
      schema,
      format.type === 'json_schema' ? format.schema : undefined,
    ),
  ];
}

/**
 * Structured answers natively (`outputConfig.textFormat` for a schema) and, for `{ type: 'json' }`
 * or with `structuredOutput: 'tool'`, through a forced `json` tool whose input is the answer.
 */
function bedrockStructuredOutput(schemaAsTool: boolean): StructuredOutputScenario {
  const asTool = (format: ChatResponseFormat) => format.type === 'json' || schemaAsTool;
  return {
    answerPayloads: (fragments, format, end) => answerPayloads(fragments, asTool(format), end),
    requestProblems(body, format) {
      const request = isRecord(body) ? body : {};
      return asTool(format) ? answerToolProblems(request, format) : textFormatProblems(request, format);
    },
  };
}

/** The ids of the scenarios' calls, in the vendor's own form. */
const callIds: CallIds = { weather: ['tooluse_weather_1', 'tooluse_weather_2'], time: 'tooluse_time_1' };

/**
 * Conformance scenarios for Bedrock's ConverseStream (`POST /model/{modelId}/converse-stream`, AWS
 * event-stream frames): the SDK's event union, usage in the closing `metadata` event.
 */
export const bedrockScenarios: ConformanceScenarios = {
  files: { pdf: 'sent', audio: 'sent', toolImage: 'sent', inlineLimitMB: 4.5 },
  protocol: bedrockConverseWire,
  textPayloads: (texts) => [messageStart, ...textBlock(0, texts), ...messageEnd('end_turn')],
  text: {
    payloads: [
      { messageStart: { role: 'assistant', p: 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123' } },
      ...['Hello', ', ', 'world', '!'].map((text) => ({
        contentBlockDelta: { contentBlockIndex: 0, delta: { text }, p: 'abcdefghijk' },
      })),
      { contentBlockStop: { contentBlockIndex: 0, p: 'abcdefghijklmnop' } },
      ...messageEnd('end_turn'),
    ],
    recordsBeforeOutput: 1,
    cut: { after: 3, content: 'Hello, ' },
    expected: expectedOutcomes.text,
  },
  reasoning: {
    payloads: [
      messageStart,
      { contentBlockDelta: { contentBlockIndex: 0, delta: { reasoningContent: { text: 'Two plus two ' } } } },
      { contentBlockDelta: { contentBlockIndex: 0, delta: { reasoningContent: { text: 'is four.' } } } },
      {
        contentBlockDelta: {
          contentBlockIndex: 0,
          delta: { reasoningContent: { signature: 'sig_conformance' } },
        },
      },
      { contentBlockStop: { contentBlockIndex: 0 } },
      ...textBlock(1, ['The answer is 4.']),
      ...messageEnd('end_turn', { inputTokens: 12, outputTokens: 30 }),
    ],
    expected: expectedOutcomes.reasoning('sig_conformance'),
  },
  toolCall: {
    payloads: [
      messageStart,
      ...toolUseBlock(0, 'tooluse_weather_1', 'get_weather', ['{"ci', 'ty": "Par', 'is"}']),
      ...messageEnd('tool_use'),
    ],
    expected: expectedOutcomes.toolCall(callIds),
  },
  parallelToolCalls: {
    payloads: [
      messageStart,
      ...textBlock(0, ['Checking both.']),
      ...toolUseBlock(1, 'tooluse_weather_1', 'get_weather', ['{"city":', '"Paris"}']),
      ...toolUseBlock(2, 'tooluse_weather_2', 'get_weather', ['{"city":"To', 'kyo"}']),
      ...messageEnd('tool_use'),
    ],
    expected: expectedOutcomes.parallelToolCalls(callIds, 'Checking both.'),
  },
  emptyArgumentsToolCall: {
    payloads: [messageStart, ...toolUseBlock(0, 'tooluse_time_1', 'get_time', []), ...messageEnd('tool_use')],
    expected: expectedOutcomes.emptyArgumentsToolCall(callIds),
  },
  usage: {
    // Bedrock reports inputTokens without the cached reads and writes; tokenwire adds them up.
    payloads: [
      messageStart,
      ...textBlock(0, ['Hi']),
      ...messageEnd('end_turn', {
        inputTokens: 50,
        outputTokens: 25,
        cacheReadInputTokens: 30,
        cacheWriteInputTokens: 20,
      }),
    ],
    expected: {
      content: 'Hi',
      usage: {
        inputTokens: 100,
        outputTokens: 25,
        totalTokens: 125,
        cachedInputTokens: 30,
        cacheWriteTokens: 20,
        estimated: false,
      },
    },
  },
  unicode: {
    payloads: [messageStart, ...textBlock(0, ['你好', '🙂 Grüße']), ...messageEnd('end_turn')],
    expected: expectedOutcomes.unicode,
  },
  unknownEvents: {
    payloads: [
      messageStart,
      { futureEvent: { detail: { nested: true } } },
      ...textBlock(0, ['Hello', ', ']),
      { contentBlockStart: { contentBlockIndex: 1, start: { futureBlock: { data: 'x' } } } },
      { contentBlockDelta: { contentBlockIndex: 1, delta: { futureDelta: { value: 1 } } } },
      { contentBlockStop: { contentBlockIndex: 1 } },
      ...textBlock(2, ['world!']),
      ...messageEnd('end_turn'),
    ],
    expected: expectedOutcomes.unknownEvents,
  },
  retriesInBandError: true,
  structuredOutput: bedrockStructuredOutput(false),
  validateRequest: validateBedrockRequest,
};

/** The Bedrock scenarios of an adapter with `structuredOutput: 'tool'`: every JSON answer comes through the forced `json` tool. */
export const bedrockToolModeScenarios: ConformanceScenarios = {
  ...bedrockScenarios,
  structuredOutput: bedrockStructuredOutput(true),
};

const IMAGE_FORMATS = ['png', 'jpeg', 'gif', 'webp'];

/**
 * Problems with a ConverseStream request body: `system` blocks outside the messages, user and
 * assistant roles, a first user message, non-empty text, `toolUse` blocks answered by `toolResult`
 * blocks first in the very next user message, images as base64 bytes of a known format, and
 * `toolConfig.tools` as `toolSpec`s (or cache points).
 * @see https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_ConverseStream.html
 */
export function validateBedrockRequest(body: unknown): string[] {
  const problems = new Problems();
  if (!isRecord(body)) return ['body: not a JSON object'];
  const system = body.system;
  const systemOk =
    system === undefined ||
    (Array.isArray(system) &&
      system.every((block) => isRecord(block) && (isText(block.text) || isRecord(block.cachePoint))));
  problems.check(systemOk, 'system', 'must be text (or cachePoint) blocks');
  let pending: string[] = [];
  const listed = problems.eachRecord(body.messages, 'messages', (message, where, index) => {
    const role = message.role;
    if (role !== 'user' && role !== 'assistant') {
      problems.add(where, `role must be user or assistant, not ${String(role)}`);
      return;
    }
    if (index === 0) problems.check(role === 'user', where, 'the first message must be a user message');
    const blocks = message.content;
    if (!Array.isArray(blocks) || blocks.length === 0) {
      problems.add(where, 'content must be a non-empty array');
      return;
    }
    const results: string[] = [];
    const uses: string[] = [];
    blocks.forEach((block: unknown, blockIndex) => {
      const at = `${where}.content[${blockIndex}]`;
      if (!isRecord(block)) {
        problems.add(at, 'not an object');
        return;
      }
      const [member] = Object.keys(block);
      const value = member === undefined ? undefined : block[member];
      switch (member) {
        case 'text':
          problems.check(isText(value), at, 'text blocks must be non-empty');
          return;
        case 'image': {
          const image = isRecord(value) ? value : {};
          const source = isRecord(image.source) ? image.source : {};
          problems.check(role === 'user', at, 'images belong in user messages');
          problems.check(
            IMAGE_FORMATS.includes(image.format as string),
            at,
            'image format must be png, jpeg, gif or webp',
          );
          problems.check(
            isBase64(source.bytes) || isRecord(source.s3Location),
            at,
            'image source must be bytes (base64 in JSON) or s3Location',
          );
          return;
        }
        case 'toolUse': {
          const use = isRecord(value) ? value : {};
          problems.check(role === 'assistant', at, 'toolUse belongs in assistant messages');
          problems.check(isText(use.toolUseId) && isText(use.name), at, 'toolUse needs toolUseId and name');
          problems.check(isRecord(use.input), at, 'toolUse input must be an object');
          if (isText(use.toolUseId)) uses.push(use.toolUseId);
          return;
        }
        case 'toolResult': {
          const result = isRecord(value) ? value : {};
          problems.check(role === 'user', at, 'toolResult belongs in user messages');
          problems.check(
            blockIndex === results.length,
            at,
            'toolResult blocks must come first in the message',
          );
          if (problems.check(Array.isArray(result.content), at, 'toolResult needs content blocks')) {
            (result.content as unknown[]).forEach((content, contentIndex) => {
              const [kind] = isRecord(content) ? Object.keys(content) : [];
              problems.check(
                ['text', 'json', 'image', 'document', 'video'].includes(kind ?? ''),
                `${at}.toolResult.content[${contentIndex}]`,
                'must be a text, json, image, document or video block',
              );
            });
          }
          results.push(String(result.toolUseId));
          return;
        }
        case 'document':
        case 'video':
        case 'audio': {
          // @see https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_DocumentBlock.html
          const media = isRecord(value) ? value : {};
          const source = isRecord(media.source) ? media.source : {};
          problems.check(role === 'user', at, `${member} blocks belong in user messages`);
          problems.check(isText(media.format), at, `${member} needs a format`);
          if (member === 'document') {
            const named = isText(media.name) && /^[A-Za-z0-9\s\-()[\]]+$/.test(media.name as string);
            problems.check(named, at, 'document needs a name of letters, digits, spaces, -, () and []');
            problems.check(
              blocks.some((other) => isRecord(other) && isText(other.text)),
              at,
              'a document needs a text block in the same message',
            );
          }
          problems.check(
            isBase64(source.bytes) || isRecord(source.s3Location),
            at,
            `${member} source must be bytes (base64 in JSON) or s3Location`,
          );
          return;
        }
        case 'reasoningContent':
          problems.check(role === 'assistant', at, 'reasoningContent belongs in assistant messages');
          return;
        case 'cachePoint':
          return;
        default:
          problems.add(at, `unknown block ${JSON.stringify(member)}`);
      }
    });
    for (const id of results)
      problems.check(
        pending.includes(id),
        where,
        `toolResult ${id} answers no toolUse of the previous message`,
      );
    for (const id of pending)
      problems.check(results.includes(id), where, `toolUse ${id} is not answered right here`);
    pending = uses;
  });
  if (!listed) return problems.list;
  if (pending.length > 0) problems.add('messages', `toolUse ${pending.join(', ')} is never answered`);
  const usesTools = JSON.stringify(body.messages).includes('"toolUse"');
  const config = body.toolConfig;
  if (config === undefined) {
    problems.check(
      !usesTools,
      'toolConfig',
      'must be defined when the messages hold toolUse or toolResult blocks',
    );
  } else {
    const tools = isRecord(config) ? config.tools : undefined;
    const ok =
      Array.isArray(tools) &&
      tools.length > 0 &&
      tools.every(
        (tool) =>
          isRecord(tool) &&
          (isRecord(tool.cachePoint) ||
            (isRecord(tool.toolSpec) && isText(tool.toolSpec.name) && isRecord(tool.toolSpec.inputSchema))),
      );
    problems.check(ok, 'toolConfig.tools', 'must be [{ toolSpec: { name, inputSchema: { json } } }]');
  }
  return problems.list;
}
