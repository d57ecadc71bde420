import type { ChatResponseFormat } from '@tokenwire/core';
import { type CallIds, expectedOutcomes } from './expected-outcomes.js';
import { isBase64, isRecord, isText, Problems } from './request-checks.js';
import type { ConformanceScenarios, StructuredOutputScenario } from './scenario-types.js';
import { sameProblems } from './structured-checks.js';

type Event = Record<string, unknown> & { type: string };

/** @see https://docs.anthropic.com/en/docs/build-with-claude/streaming */
function messageStart(usage: Record<string, number> = { input_tokens: 12 }): Event {
  return {
    type: 'message_start',
    message: {
      id: 'msg_conformance',
      type: 'message',
      role: 'assistant',
      model: 'test-model',
      content: [],
      stop_reason: null,
      stop_sequence: null,
      usage: { cache_creation_input_tokens: 0, cache_read_input_tokens: 0, output_tokens: 1, ...usage },
    },
  };
}

function messageEnd(stopReason: string, outputTokens = 4): Event[] {
  return [
    {
      type: 'message_delta',
      delta: { stop_reason: stopReason, stop_sequence: null },
      usage: { output_tokens: outputTokens },
    },
    { type: 'message_stop' },
  ];
}

function textBlock(index: number, texts: string[]): Event[] {
  return [
    { type: 'content_block_start', index, content_block: { type: 'text', text: '' } },
    ...texts.map((text) => ({ type: 'content_block_delta', index, delta: { type: 'text_delta', text } })),
    { type: 'content_block_stop', index },
  ];
}

function toolUseBlock(index: number, id: string, name: string, fragments: string[]): Event[] {
  return [
    { type: 'content_block_start', index, content_block: { type: 'tool_use', id, name, input: {} } },
    // the API opens every tool_use block with an empty fragment
    ...['', ...fragments].map((partial_json) => ({
      type: 'content_block_delta',
      index,
      delta: { type: 'input_json_delta', partial_json },
    })),
    { type: 'content_block_stop', index },
  ];
}

/** The answer as the input of the forced `json` tool (the fallback), or as text. */
function answerPayloads(fragments: string[], asTool: boolean, end: 'stop' | 'length'): Event[] {
  if (!asTool)
    return [
      messageStart(),
      ...textBlock(0, fragments),
      ...messageEnd(end === 'stop' ? 'end_turn' : 'max_tokens'),
    ];
  const block = toolUseBlock(0, 'toolu_json_answer', 'json', fragments);
  return [messageStart(), ...block, ...messageEnd(end === 'stop' ? 'tool_use' : 'max_tokens')];
}

/** Problems of the forced-tool fallback: a `json` tool whose input schema is the answer's, chosen by `tool_choice`. */
function answerToolProblems(request: Record<string, unknown>, format: ChatResponseFormat): string[] {
  const tools = Array.isArray(request.tools) ? request.tools : [];
  const tool = tools.find((entry) => isRecord(entry) && entry.name === 'json') as
    | Record<string, unknown>
    | undefined;
  if (tool === undefined) return ['tools: no `json` tool for the answer'];
  return [
    ...sameProblems(
      'tools[json].input_schema',
      tool.input_schema,
      format.type === 'json_schema' ? format.schema : { type: 'object' },
    ),
    ...sameProblems('tool_choice', request.tool_choice, { type: 'tool', name: 'json' }),
  ];
}

/**
 * Structured answers natively (`output_config.format` for a schema) and, for `{ type: 'json' }` or
 * with `structuredOutput: 'tool'`, through a forced `json` tool whose input is the answer.
 */
function anthropicStructuredOutput(schemaAsTool: boolean): StructuredOutputScenario {
  const asTool = (format: ChatResponseFormat) => format.type === 'json' || schemaAsTool;
  return {
    answerPayloads: (fragments, format, end) => answerPayloads(fragments, asTool(format), end),
    requestProblems(body, format) {
      const request = isRecord(body) ? body : {};
      if (asTool(format)) return answerToolProblems(request, format);
      const config = isRecord(request.output_config) ? request.output_config : {};
      return sameProblems('output_config.format', config.format, {
        type: 'json_schema',
        schema: format.type === 'json_schema' ? format.schema : undefined,
      });
    },
  };
}

/** The ids of the scenarios' calls, in the vendor's own form. */
const callIds: CallIds = { weather: ['toolu_weather_1', 'toolu_weather_2'], time: 'toolu_time_1' };

/** Conformance scenarios for the Anthropic Messages wire (`POST /v1/messages`, named SSE events). */
export const anthropicScenarios: ConformanceScenarios = {
  files: {
    pdf: 'sent',
    audio: { refused: 'messages[0].content[1].mediaType' },
    toolImage: 'sent',
    inlineLimitMB: 32,
  },
  protocol: 'anthropic',
  textPayloads: (texts) => [messageStart(), ...textBlock(0, texts), ...messageEnd('end_turn')],
  text: {
    payloads: [
      messageStart(),
      { type: 'ping' },
      ...textBlock(0, ['Hello', ', ', 'world', '!']),
      ...messageEnd('end_turn'),
    ],
    // message_start, ping, content_block_start
    recordsBeforeOutput: 3,
    cut: { after: 5, content: 'Hello, ' },
    expected: expectedOutcomes.text,
  },
  reasoning: {
    payloads: [
      messageStart(),
      {
        type: 'content_block_start',
        index: 0,
        content_block: { type: 'thinking', thinking: '', signature: '' },
      },
      { type: 'content_block_delta', index: 0, delta: { type: 'thinking_delta', thinking: 'Two plus two ' } },
      { type: 'content_block_delta', index: 0, delta: { type: 'thinking_delta', thinking: 'is four.' } },
      {
        type: 'content_block_delta',
        index: 0,
        delta: { type: 'signature_delta', signature: 'sig_conformance' },
      },
      { type: 'content_block_stop', index: 0 },
      ...textBlock(1, ['The answer is 4.']),
      ...messageEnd('end_turn', 30),
    ],
    expected: expectedOutcomes.reasoning('sig_conformance'),
  },
  toolCall: {
    payloads: [
      messageStart(),
      ...toolUseBlock(0, 'toolu_weather_1', 'get_weather', ['{"ci', 'ty": "Par', 'is"}']),
      ...messageEnd('tool_use'),
    ],
    expected: expectedOutcomes.toolCall(callIds),
  },
  parallelToolCalls: {
    payloads: [
      messageStart(),
      ...textBlock(0, ['Checking both.']),
      ...toolUseBlock(1, 'toolu_weather_1', 'get_weather', ['{"city":', '"Paris"}']),
      ...toolUseBlock(2, 'toolu_weather_2', 'get_weather', ['{"city":"To', 'kyo"}']),
      ...messageEnd('tool_use'),
    ],
    expected: expectedOutcomes.parallelToolCalls(callIds, 'Checking both.'),
  },
  emptyArgumentsToolCall: {
    payloads: [messageStart(), ...toolUseBlock(0, 'toolu_time_1', 'get_time', []), ...messageEnd('tool_use')],
    expected: expectedOutcomes.emptyArgumentsToolCall(callIds),
  },
  usage: {
    // Anthropic reports input_tokens without the cached reads and writes; tokenwire adds them up.
    payloads: [
      messageStart({ input_tokens: 50, cache_read_input_tokens: 30, cache_creation_input_tokens: 20 }),
      ...textBlock(0, ['Hi']),
      ...messageEnd('end_turn', 25),
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
    payloads: [messageStart(), ...textBlock(0, ['你好', '🙂 Grüße']), ...messageEnd('end_turn')],
    expected: expectedOutcomes.unicode,
  },
  unknownEvents: {
    payloads: [
      messageStart(),
      { type: 'future_event', detail: { nested: true } },
      ...textBlock(0, ['Hello', ', ']),
      { type: 'content_block_start', index: 1, content_block: { type: 'future_block', data: 'x' } },
      { type: 'content_block_delta', index: 1, delta: { type: 'future_delta', value: 1 } },
      { type: 'content_block_stop', index: 1 },
      { type: 'ping' },
      ...textBlock(2, ['world!']),
      ...messageEnd('end_turn'),
    ],
    expected: expectedOutcomes.unknownEvents,
  },
  retriesInBandError: true,
  structuredOutput: anthropicStructuredOutput(false),
  validateRequest: validateAnthropicRequest,
};

/** The Anthropic scenarios of an adapter with `structuredOutput: 'tool'`: every JSON answer comes through the forced `json` tool. */
export const anthropicToolModeScenarios: ConformanceScenarios = {
  ...anthropicScenarios,
  structuredOutput: anthropicStructuredOutput(true),
};

const IMAGE_TYPES = ['image/jpeg', 'image/png', 'image/gif', 'image/webp'];

/**
 * Problems with an Anthropic Messages request body: `system` outside the messages, user and
 * assistant roles only, non-empty text blocks, `tool_use` blocks answered by `tool_result` blocks
 * that come first in the very next user message, image sources, and tool declarations.
 * @see https://docs.anthropic.com/en/api/messages
 */
export function validateAnthropicRequest(body: unknown): string[] {
  const problems = new Problems();
  if (!isRecord(body)) return ['body: not a JSON object'];
  problems.check(isText(body.model), 'model', 'missing');
  problems.check(typeof body.max_tokens === 'number' && body.max_tokens > 0, 'max_tokens', 'required, > 0');
  problems.check(body.stream === true, 'stream', 'must be true');
  const system = body.system;
  const systemOk =
    system === undefined ||
    isText(system) ||
    (Array.isArray(system) &&
      system.every((block) => isRecord(block) && block.type === 'text' && isText(block.text)));
  problems.check(systemOk, 'system', 'must be text or text blocks');
  let pending: string[] = [];
  const listed = problems.eachRecord(body.messages, 'messages', (message, where, index) => {
    const role = message.role;
    if (role !== 'user' && role !== 'assistant') {
      problems.add(where, `role must be user or assistant, not ${String(role)}`);
      return;
    }
    if (index === 0) problems.check(role === 'user', where, 'the first message must be a user message');
    const blocks =
      typeof message.content === 'string' ? [{ type: 'text', text: message.content }] : message.content;
    if (!Array.isArray(blocks) || blocks.length === 0) {
      problems.add(where, 'content must be non-empty');
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
      switch (block.type) {
        case 'text':
          problems.check(isText(block.text), at, 'text blocks must be non-empty');
          return;
        case 'image':
          problems.check(role === 'user', at, 'images belong in user messages');
          problems.check(
            isImageSource(block.source),
            at,
            'image source must be base64 (with media_type) or url',
          );
          return;
        case 'document':
          // @see https://docs.anthropic.com/en/docs/build-with-claude/pdf-support
          problems.check(role === 'user', at, 'documents belong in user messages');
          problems.check(
            isDocumentSource(block.source),
            at,
            'document source must be base64 PDF, text/plain text or a url',
          );
          return;
        case 'tool_use':
          problems.check(role === 'assistant', at, 'tool_use belongs in assistant messages');
          problems.check(isText(block.id) && isText(block.name), at, 'tool_use needs id and name');
          problems.check(isRecord(block.input), at, 'tool_use input must be an object');
          if (isText(block.id)) uses.push(block.id);
          return;
        case 'tool_result':
          problems.check(role === 'user', at, 'tool_result belongs in user messages');
          problems.check(
            blockIndex === results.length,
            at,
            'tool_result blocks must come first in the message',
          );
          problems.check(isText(block.tool_use_id), at, 'tool_result needs tool_use_id');
          if (Array.isArray(block.content)) {
            block.content.forEach((content: unknown, contentIndex) => {
              const inner = `${at}.content[${contentIndex}]`;
              if (!isRecord(content)) problems.add(inner, 'not an object');
              else if (content.type === 'image')
                problems.check(isImageSource(content.source), inner, 'image source must be base64 or url');
              else if (content.type === 'document')
                problems.check(isDocumentSource(content.source), inner, 'document source is not valid');
              else
                problems.check(
                  content.type === 'text' && isText(content.text),
                  inner,
                  'must be text, image or document',
                );
            });
          } else
            problems.check(
              block.content === undefined || typeof block.content === 'string',
              at,
              'content must be text or blocks',
            );
          results.push(String(block.tool_use_id));
          return;
        case 'thinking':
        case 'redacted_thinking':
          problems.check(role === 'assistant', at, 'thinking belongs in assistant messages');
          return;
        case 'compaction':
          // Context compaction: sent back as it came, in the first message after the system prompt.
          problems.check(index === 0, at, 'a compaction block goes in the first message');
          return;
        default:
          problems.add(at, `unknown block type ${JSON.stringify(block.type)}`);
      }
    });
    for (const id of results)
      problems.check(
        pending.includes(id),
        where,
        `tool_result ${id} answers no tool_use of the previous message`,
      );
    for (const id of pending)
      problems.check(results.includes(id), where, `tool_use ${id} is not answered right here`);
    pending = uses;
  });
  if (!listed) return problems.list;
  if (pending.length > 0) problems.add('messages', `tool_use ${pending.join(', ')} is never answered`);
  if (body.tools !== undefined) {
    if (!Array.isArray(body.tools)) problems.add('tools', 'must be an array');
    else {
      body.tools.forEach((tool: unknown, index) => {
        const ok = isRecord(tool) && isText(tool.name) && isRecord(tool.input_schema);
        problems.check(ok, `tools[${index}]`, 'needs name and input_schema');
      });
    }
  }
  return problems.list;
}

function isDocumentSource(source: unknown): boolean {
  if (!isRecord(source)) return false;
  if (source.type === 'base64') return source.media_type === 'application/pdf' && isBase64(source.data);
  if (source.type === 'text') return source.media_type === 'text/plain' && typeof source.data === 'string';
  return source.type === 'url' && typeof source.url === 'string' && /^https?:\/\//.test(source.url);
}

function isImageSource(source: unknown): boolean {
  if (!isRecord(source)) return false;
  if (source.type === 'base64')
    return IMAGE_TYPES.includes(source.media_type as string) && isBase64(source.data);
  return source.type === 'url' && typeof source.url === 'string' && /^https?:\/\//.test(source.url);
}
