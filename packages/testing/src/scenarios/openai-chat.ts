import { type CallIds, expectedOutcomes } from './expected-outcomes.js';
import { isBase64, isDataUrl, isImageUrl, isJsonText, isRecord, isText, Problems } from './request-checks.js';
import type { ConformanceScenarios, StructuredOutputScenario } from './scenario-types.js';
import { instructionProblems, messageTexts, sameProblems } from './structured-checks.js';

/** @see https://platform.openai.com/docs/api-reference/chat-streaming/streaming */
function chunk(delta: Record<string, unknown>, finishReason: string | null = null): Record<string, unknown> {
  return {
    id: 'chatcmpl-conformance',
    object: 'chat.completion.chunk',
    created: 1_790_000_000,
    model: 'test-model',
    system_fingerprint: 'fp_conformance',
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
    usage: null,
  };
}

function usageChunk(usage: Record<string, unknown>): Record<string, unknown> {
  return { ...chunk({}), choices: [], usage };
}

const role = chunk({ role: 'assistant', content: '', refusal: null });
const text = (content: string) => chunk({ content });
const call = (index: number, id: string, name: string) =>
  chunk({ tool_calls: [{ index, id, type: 'function', function: { name, arguments: '' } }] });
const argumentsFragment = (index: number, fragment: string) =>
  chunk({ tool_calls: [{ index, function: { arguments: fragment } }] });
const smallUsage = { prompt_tokens: 12, completion_tokens: 4, total_tokens: 16 };

const answerPayloads: StructuredOutputScenario['answerPayloads'] = (fragments, _format, end) => [
  role,
  ...fragments.map(text),
  chunk({}, end),
  usageChunk(smallUsage),
];

/** `response_format` as OpenAI takes it: `json_object` (the word "json" in the messages), or the named `json_schema`. */
const nativeStructuredOutput: StructuredOutputScenario = {
  answerPayloads,
  requestProblems(body, format) {
    const request = isRecord(body) ? body : {};
    if (format.type !== 'json_schema') {
      return [
        ...sameProblems('response_format', request.response_format, { type: 'json_object' }),
        ...instructionProblems(messageTexts(request.messages), format),
      ];
    }
    const sent = isRecord(request.response_format) ? request.response_format : {};
    const schema = isRecord(sent.json_schema) ? sent.json_schema : {};
    return [
      ...sameProblems('response_format.type', sent.type, 'json_schema'),
      ...sameProblems('response_format.json_schema.name', schema.name, format.name),
      ...sameProblems('response_format.json_schema.schema', schema.schema, format.schema),
    ];
  },
};

/** The ids of the scenarios' calls, in the vendor's own form. */
const callIds: CallIds = { weather: ['call_weather_1', 'call_weather_2'], time: 'call_time_1' };

/** Conformance scenarios for the OpenAI Chat Completions wire (also every OpenAI-compatible service). */
export const openaiChatScenarios: ConformanceScenarios = {
  files: {
    pdf: 'sent',
    audio: 'sent',
    toolImage: { refused: 'messages[3].content[1].type' },
    inlineLimitMB: 32,
  },
  protocol: 'openai-chat',
  textPayloads: (texts) => [role, ...texts.map(text), chunk({}, 'stop'), usageChunk(smallUsage)],
  text: {
    payloads: [
      role,
      text('Hello'),
      text(', '),
      text('world'),
      text('!'),
      chunk({}, 'stop'),
      usageChunk(smallUsage),
    ],
    recordsBeforeOutput: 1,
    cut: { after: 3, content: 'Hello, ' },
    expected: expectedOutcomes.text,
  },
  reasoning: {
    // DeepSeek, vLLM and other compatible servers send `reasoning_content` (not in the OpenAI types).
    payloads: [
      role,
      chunk({ reasoning_content: 'Two plus two ' }),
      chunk({ reasoning_content: 'is four.' }),
      text('The answer is 4.'),
      chunk({}, 'stop'),
      usageChunk(smallUsage),
    ],
    expected: expectedOutcomes.reasoning(),
  },
  toolCall: {
    payloads: [
      chunk({ role: 'assistant', content: null }),
      call(0, 'call_weather_1', 'get_weather'),
      argumentsFragment(0, '{"ci'),
      argumentsFragment(0, 'ty": "Par'),
      argumentsFragment(0, 'is"}'),
      chunk({}, 'tool_calls'),
      usageChunk(smallUsage),
    ],
    expected: expectedOutcomes.toolCall(callIds),
  },
  parallelToolCalls: {
    payloads: [
      chunk({ role: 'assistant', content: null }),
      call(0, 'call_weather_1', 'get_weather'),
      argumentsFragment(0, '{"city":'),
      argumentsFragment(0, '"Paris"}'),
      call(1, 'call_weather_2', 'get_weather'),
      argumentsFragment(1, '{"city":"To'),
      argumentsFragment(1, 'kyo"}'),
      chunk({}, 'tool_calls'),
      usageChunk(smallUsage),
    ],
    expected: expectedOutcomes.parallelToolCalls(callIds),
  },
  emptyArgumentsToolCall: {
    payloads: [
      chunk({ role: 'assistant', content: null }),
      call(0, 'call_time_1', 'get_time'),
      chunk({}, 'tool_calls'),
      usageChunk(smallUsage),
    ],
    expected: expectedOutcomes.emptyArgumentsToolCall(callIds),
  },
  usage: {
    payloads: [
      role,
      text('Hi'),
      chunk({}, 'stop'),
      usageChunk({
        prompt_tokens: 100,
        completion_tokens: 20,
        total_tokens: 120,
        prompt_tokens_details: { cached_tokens: 40, audio_tokens: 0 },
        completion_tokens_details: { reasoning_tokens: 8, audio_tokens: 0 },
      }),
    ],
    expected: {
      content: 'Hi',
      usage: {
        inputTokens: 100,
        outputTokens: 20,
        totalTokens: 120,
        cachedInputTokens: 40,
        reasoningTokens: 8,
        estimated: false,
      },
    },
  },
  unicode: {
    payloads: [role, text('你好'), text('🙂 Grüße'), chunk({}, 'stop'), usageChunk(smallUsage)],
    expected: expectedOutcomes.unicode,
  },
  unknownEvents: {
    payloads: [
      role,
      { ...text('Hello'), x_future_field: { nested: true } },
      chunk({ content: ', ', future_delta_field: 'ignored' }),
      { ...chunk({}), choices: [], object: 'chat.completion.chunk.future' },
      text('world!'),
      chunk({}, 'stop'),
      usageChunk(smallUsage),
    ],
    expected: expectedOutcomes.unknownEvents,
  },
  retriesInBandError: true,
  structuredOutput: nativeStructuredOutput,
  validateRequest: validateOpenaiChatRequest,
};

/**
 * The Chat Completions scenarios of a service with JSON mode only (DeepSeek, GLM, Kimi, …): a
 * `json_schema` answer is asked for as `json_object`, with an instruction that quotes the schema.
 */
export const openaiChatJsonModeScenarios: ConformanceScenarios = {
  ...openaiChatScenarios,
  // A compatible service's own size limits are its to enforce: none is checked before sending.
  files: { pdf: 'sent', audio: 'sent', toolImage: { refused: 'messages[3].content[1].type' } },
  structuredOutput: {
    answerPayloads,
    requestProblems(body, format) {
      const request = isRecord(body) ? body : {};
      return [
        ...sameProblems('response_format', request.response_format, { type: 'json_object' }),
        ...instructionProblems(messageTexts(request.messages), format),
      ];
    },
  },
};

/**
 * Problems with an OpenAI Chat Completions request body: roles, content parts, images
 * (`image_url` with an http(s) or base64 data URL), tool calls answered by `tool` messages right
 * after them, and tool declarations.
 * @see https://platform.openai.com/docs/api-reference/chat/create
 */
export function validateOpenaiChatRequest(body: unknown): string[] {
  const problems = new Problems();
  if (!isRecord(body)) return ['body: not a JSON object'];
  problems.checkStreamingModel(body);
  let unanswered: string[] = [];
  const listed = problems.eachRecord(body.messages, 'messages', (message, where) => {
    const role = message.role;
    if (role !== 'tool' && unanswered.length > 0) {
      problems.add(where, `tool calls ${unanswered.join(', ')} have no tool message right after them`);
      unanswered = [];
    }
    switch (role) {
      case 'system':
      case 'developer':
        problems.check(isTextContent(message.content), where, `${role} content must be text`);
        return;
      case 'user':
        checkUserContent(message.content, where, problems);
        return;
      case 'assistant': {
        const calls = message.tool_calls;
        if (calls === undefined) {
          problems.check(
            isTextContent(message.content),
            where,
            'assistant message without tool_calls needs text',
          );
          return;
        }
        if (!Array.isArray(calls) || calls.length === 0) {
          problems.add(where, 'tool_calls must be a non-empty array');
          return;
        }
        calls.forEach((call: unknown, callIndex) => {
          const at = `${where}.tool_calls[${callIndex}]`;
          if (!isRecord(call) || !isRecord(call.function)) {
            problems.add(at, 'needs a function');
            return;
          }
          problems.check(isText(call.id), at, 'needs an id');
          problems.check(call.type === 'function', at, "type must be 'function'");
          problems.check(isText(call.function.name), at, 'needs function.name');
          problems.check(isJsonText(call.function.arguments), at, 'function.arguments must be JSON text');
          if (isText(call.id)) unanswered.push(call.id);
        });
        return;
      }
      case 'tool': {
        const id = message.tool_call_id;
        if (!problems.check(isText(id), where, 'needs tool_call_id')) return;
        if (!unanswered.includes(id as string))
          problems.add(where, `answers no pending tool call (${String(id)})`);
        unanswered = unanswered.filter((pending) => pending !== id);
        problems.check(isTextContent(message.content), where, 'tool content must be text');
        return;
      }
      default:
        problems.add(where, `unknown role ${JSON.stringify(role)}`);
    }
  });
  if (!listed) return problems.list;
  if (unanswered.length > 0)
    problems.add('messages', `tool calls ${unanswered.join(', ')} are never answered`);
  checkTools(body.tools, problems);
  return problems.list;
}

function isTextContent(content: unknown): boolean {
  if (typeof content === 'string') return true;
  return (
    Array.isArray(content) &&
    content.length > 0 &&
    content.every((part) => isRecord(part) && part.type === 'text' && typeof part.text === 'string')
  );
}

function checkUserContent(content: unknown, where: string, problems: Problems): void {
  if (typeof content === 'string') return;
  if (!Array.isArray(content) || content.length === 0) {
    problems.add(where, 'user content must be text or parts');
    return;
  }
  content.forEach((part: unknown, index) => {
    const at = `${where}.content[${index}]`;
    if (!isRecord(part)) {
      problems.add(at, 'not an object');
      return;
    }
    if (part.type === 'text') problems.check(typeof part.text === 'string', at, 'text part needs text');
    else if (part.type === 'image_url') {
      const image = part.image_url;
      problems.check(
        isRecord(image) && isImageUrl(image.url),
        at,
        'image_url.url must be an http(s) or base64 data URL',
      );
    } else if (part.type === 'file') {
      // @see https://platform.openai.com/docs/guides/pdf-files (file_data is a base64 data URL)
      const file = part.file;
      problems.check(
        isRecord(file) && ((isDataUrl(file.file_data) && isText(file.filename)) || isText(file.file_id)),
        at,
        'file needs file.file_data (a base64 data URL) with file.filename, or file.file_id',
      );
    } else if (part.type === 'input_audio') {
      // @see https://platform.openai.com/docs/guides/audio
      const audio = part.input_audio;
      problems.check(
        isRecord(audio) && isBase64(audio.data) && (audio.format === 'wav' || audio.format === 'mp3'),
        at,
        "input_audio needs base64 data and format 'wav' or 'mp3'",
      );
    } else problems.add(at, `unknown part type ${JSON.stringify(part.type)}`);
  });
}

function checkTools(tools: unknown, problems: Problems): void {
  if (tools === undefined) return;
  if (!Array.isArray(tools)) {
    problems.add('tools', 'must be an array');
    return;
  }
  tools.forEach((tool: unknown, index) => {
    const at = `tools[${index}]`;
    if (!isRecord(tool) || tool.type !== 'function' || !isRecord(tool.function)) {
      problems.add(at, "must be { type: 'function', function: {…} }");
      return;
    }
    problems.check(isText(tool.function.name), at, 'needs function.name');
    const parameters = tool.function.parameters;
    problems.check(
      parameters === undefined || isRecord(parameters),
      at,
      'parameters must be a JSON Schema object',
    );
  });
}
