import { type CallIds, expectedOutcomes } from './expected-outcomes.js';
import { isDataUrl, isImageUrl, isJsonText, isRecord, isText, Problems } from './request-checks.js';
import type { ConformanceScenarios, StructuredOutputScenario } from './scenario-types.js';
import { instructionProblems, messageTexts, sameProblems } from './structured-checks.js';

type Event = Record<string, unknown> & { type: string };

/** Numbers the events like the real API does (`sequence_number` on every event). */
function numbered(events: Event[]): Event[] {
  return events.map((event, index) => ({ ...event, sequence_number: index }));
}

function response(status: string, output: unknown[], usage: unknown = null): Record<string, unknown> {
  return {
    id: 'resp_conformance',
    object: 'response',
    created_at: 1_790_000_000,
    status,
    error: null,
    incomplete_details: null,
    model: 'test-model',
    output,
    parallel_tool_calls: true,
    tool_choice: 'auto',
    tools: [],
    usage,
  };
}

function usage(input: number, output: number, cached = 0, reasoning = 0): Record<string, unknown> {
  return {
    input_tokens: input,
    input_tokens_details: { cached_tokens: cached },
    output_tokens: output,
    output_tokens_details: { reasoning_tokens: reasoning },
    total_tokens: input + output,
  };
}

const opening: Event[] = [
  { type: 'response.created', response: response('in_progress', []) },
  { type: 'response.in_progress', response: response('in_progress', []) },
];

/** A message item with the text in `deltas`, at `outputIndex`. */
function message(deltas: string[], outputIndex = 0): { events: Event[]; item: unknown } {
  const id = `msg_${outputIndex}`;
  const text = deltas.join('');
  const item = {
    id,
    type: 'message',
    status: 'completed',
    role: 'assistant',
    content: [{ type: 'output_text', text, annotations: [] }],
  };
  const part = { item_id: id, output_index: outputIndex, content_index: 0 };
  return {
    item,
    events: [
      {
        type: 'response.output_item.added',
        output_index: outputIndex,
        item: { ...item, status: 'in_progress', content: [] },
      },
      {
        type: 'response.content_part.added',
        ...part,
        part: { type: 'output_text', text: '', annotations: [] },
      },
      ...deltas.map((delta) => ({ type: 'response.output_text.delta', ...part, delta, logprobs: [] })),
      { type: 'response.output_text.done', ...part, text, logprobs: [] },
      { type: 'response.content_part.done', ...part, part: { type: 'output_text', text, annotations: [] } },
      { type: 'response.output_item.done', output_index: outputIndex, item },
    ],
  };
}

/** A function_call item whose arguments arrive in `fragments`, at `outputIndex`. */
function functionCall(callId: string, name: string, fragments: string[], outputIndex: number) {
  const id = `fc_${outputIndex}`;
  const args = fragments.join('');
  const item = { id, type: 'function_call', status: 'completed', call_id: callId, name, arguments: args };
  const at = { item_id: id, output_index: outputIndex };
  return {
    item,
    events: [
      {
        type: 'response.output_item.added',
        output_index: outputIndex,
        item: { ...item, status: 'in_progress', arguments: '' },
      },
      ...fragments.map((delta) => ({ type: 'response.function_call_arguments.delta', ...at, delta })),
      { type: 'response.function_call_arguments.done', ...at, arguments: args },
      { type: 'response.output_item.done', output_index: outputIndex, item },
    ],
  };
}

function completed(items: unknown[], reported = usage(12, 4)): Event {
  return { type: 'response.completed', response: response('completed', items, reported) };
}

const hello = message(['Hello', ', ', 'world', '!']);
const weather = functionCall('call_weather_1', 'get_weather', ['{"ci', 'ty": "Par', 'is"}'], 0);
const weatherTokyo = functionCall('call_weather_2', 'get_weather', ['{"city":"To', 'kyo"}'], 1);
const time = functionCall('call_time_1', 'get_time', [], 0);
const reasoningItem = {
  id: 'rs_0',
  type: 'reasoning',
  summary: [{ type: 'summary_text', text: 'Two plus two is four.' }],
};
const reasoningAt = { item_id: 'rs_0', output_index: 0, summary_index: 0 };
const answer = message(['The answer is 4.'], 1);

/** A message answer, completed, or cut off by the output token limit (`response.incomplete`). */
function answerPayloads(fragments: string[], end: 'stop' | 'length'): Event[] {
  const reply = message(fragments);
  if (end === 'stop') return numbered([...opening, ...reply.events, completed([reply.item])]);
  const cut = {
    ...response('incomplete', [reply.item], usage(12, 4)),
    incomplete_details: { reason: 'max_output_tokens' },
  };
  return numbered([...opening, ...reply.events, { type: 'response.incomplete', response: cut }]);
}

/** `text.format`: `json_object` (the word "json" in the input), or the named `json_schema`. */
const structuredOutput: StructuredOutputScenario = {
  answerPayloads: (fragments, _format, end) => answerPayloads(fragments, end),
  requestProblems(body, format) {
    const request = isRecord(body) ? body : {};
    const sent = isRecord(request.text) ? request.text.format : undefined;
    if (format.type !== 'json_schema') {
      const instructions = typeof request.instructions === 'string' ? [request.instructions] : [];
      return [
        ...sameProblems('text.format', sent, { type: 'json_object' }),
        ...instructionProblems([...instructions, ...messageTexts(request.input)], format),
      ];
    }
    const named = isRecord(sent) ? sent : {};
    return [
      ...sameProblems('text.format.type', named.type, 'json_schema'),
      ...sameProblems('text.format.name', named.name, format.name),
      ...sameProblems('text.format.schema', named.schema, format.schema),
    ];
  },
};

/** The ids of the scenarios' calls (the id to answer with is the item's call_id, not its item id). */
const callIds: CallIds = { weather: ['call_weather_1', 'call_weather_2'], time: 'call_time_1' };

/** Conformance scenarios for the OpenAI Responses API wire (`POST /v1/responses`). */
export const openaiResponsesScenarios: ConformanceScenarios = {
  files: {
    pdf: 'sent',
    audio: { refused: 'messages[0].content[1].mediaType' },
    toolImage: 'sent',
    inlineLimitMB: 32,
  },
  protocol: 'openai-responses',
  textPayloads: (texts) => {
    const reply = message(texts);
    return numbered([...opening, ...reply.events, completed([reply.item])]);
  },
  text: {
    payloads: numbered([...opening, ...hello.events, completed([hello.item])]),
    // created, in_progress, output_item.added, content_part.added
    recordsBeforeOutput: 4,
    cut: { after: 6, content: 'Hello, ' },
    expected: expectedOutcomes.text,
  },
  reasoning: {
    payloads: numbered([
      ...opening,
      { type: 'response.output_item.added', output_index: 0, item: { ...reasoningItem, summary: [] } },
      {
        type: 'response.reasoning_summary_part.added',
        ...reasoningAt,
        part: { type: 'summary_text', text: '' },
      },
      { type: 'response.reasoning_summary_text.delta', ...reasoningAt, delta: 'Two plus two ' },
      { type: 'response.reasoning_summary_text.delta', ...reasoningAt, delta: 'is four.' },
      { type: 'response.reasoning_summary_text.done', ...reasoningAt, text: 'Two plus two is four.' },
      {
        type: 'response.reasoning_summary_part.done',
        ...reasoningAt,
        part: { type: 'summary_text', text: 'Two plus two is four.' },
      },
      { type: 'response.output_item.done', output_index: 0, item: reasoningItem },
      ...answer.events,
      completed([reasoningItem, answer.item], usage(12, 30, 0, 20)),
    ]),
    expected: expectedOutcomes.reasoning(),
  },
  toolCall: {
    payloads: numbered([...opening, ...weather.events, completed([weather.item])]),
    expected: expectedOutcomes.toolCall(callIds),
  },
  parallelToolCalls: {
    payloads: numbered([
      ...opening,
      ...weather.events,
      ...weatherTokyo.events,
      completed([weather.item, weatherTokyo.item]),
    ]),
    expected: expectedOutcomes.parallelToolCalls(callIds),
  },
  emptyArgumentsToolCall: {
    payloads: numbered([...opening, ...time.events, completed([time.item])]),
    expected: expectedOutcomes.emptyArgumentsToolCall(callIds),
  },
  usage: {
    payloads: numbered([
      ...opening,
      ...message(['Hi']).events,
      completed([message(['Hi']).item], usage(100, 20, 40, 8)),
    ]),
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
    payloads: numbered([
      ...opening,
      ...message(['你好', '🙂 Grüße']).events,
      completed([message(['你好🙂 Grüße']).item]),
    ]),
    expected: expectedOutcomes.unicode,
  },
  unknownEvents: {
    payloads: numbered([
      ...opening,
      { type: 'response.future_event', item_id: 'x', payload: { nested: true } },
      ...hello.events.slice(0, 3),
      { type: 'response.output_text.annotation.added', item_id: 'msg_0', output_index: 0, annotation: {} },
      ...hello.events.slice(3),
      { type: 'response.output_item.added', output_index: 1, item: { id: 'ws_1', type: 'web_search_call' } },
      { type: 'response.output_item.done', output_index: 1, item: { id: 'ws_1', type: 'web_search_call' } },
      completed([hello.item]),
    ]),
    expected: expectedOutcomes.unknownEvents,
  },
  retriesInBandError: true,
  structuredOutput,
  validateRequest: validateOpenaiResponsesRequest,
};

/**
 * Problems with an OpenAI Responses request body: input items (messages with `input_text` /
 * `input_image` parts, `function_call` items answered by `function_call_output` items with the
 * same `call_id`), and function tool declarations.
 * @see https://platform.openai.com/docs/api-reference/responses/create
 */
export function validateOpenaiResponsesRequest(body: unknown): string[] {
  const problems = new Problems();
  if (!isRecord(body)) return ['body: not a JSON object'];
  problems.checkStreamingModel(body);
  problems.check(
    body.instructions === undefined || typeof body.instructions === 'string',
    'instructions',
    'must be text',
  );
  if (typeof body.input === 'string') return problems.list;
  const calls = new Set<string>();
  const answered = new Set<string>();
  const listed = problems.eachRecord(body.input, 'input', (item, where) => {
    const type = item.type ?? 'message';
    if (type === 'message') {
      checkMessage(item, where, problems);
      return;
    }
    if (type === 'function_call') {
      problems.check(isText(item.call_id), where, 'function_call needs a call_id');
      problems.check(isText(item.name), where, 'function_call needs a name');
      problems.check(isJsonText(item.arguments), where, 'function_call arguments must be JSON text');
      if (isText(item.call_id)) calls.add(item.call_id);
      return;
    }
    if (type === 'function_call_output') {
      const id = item.call_id;
      if (problems.check(isText(id), where, 'function_call_output needs a call_id')) {
        problems.check(calls.has(id as string), where, `answers no earlier function_call (${String(id)})`);
        answered.add(id as string);
      }
      if (Array.isArray(item.output)) {
        item.output.forEach((part: unknown, index) => {
          checkInputPart(part, `${where}.output[${index}]`, 'user', problems);
        });
      } else problems.check(typeof item.output === 'string', where, 'output must be text or input parts');
      return;
    }
    if (type !== 'reasoning' && type !== 'item_reference')
      problems.add(where, `unknown item type ${JSON.stringify(type)}`);
  });
  if (!listed) return problems.list;
  for (const id of calls) problems.check(answered.has(id), 'input', `function_call ${id} is never answered`);
  if (body.tools !== undefined) {
    if (!Array.isArray(body.tools)) problems.add('tools', 'must be an array');
    else {
      body.tools.forEach((tool: unknown, index) => {
        const ok = isRecord(tool) && tool.type === 'function' && isText(tool.name);
        problems.check(ok, `tools[${index}]`, "must be { type: 'function', name, parameters }");
      });
    }
  }
  return problems.list;
}

function checkMessage(item: Record<string, unknown>, where: string, problems: Problems): void {
  const role = item.role;
  if (!['user', 'system', 'developer', 'assistant'].includes(role as string)) {
    problems.add(where, `unknown role ${JSON.stringify(role)}`);
    return;
  }
  if (typeof item.content === 'string') return;
  if (!Array.isArray(item.content) || item.content.length === 0) {
    problems.add(where, 'content must be text or parts');
    return;
  }
  item.content.forEach((part: unknown, index) => {
    checkInputPart(part, `${where}.content[${index}]`, role as string, problems);
  });
}

function checkInputPart(part: unknown, at: string, role: string, problems: Problems): void {
  {
    if (!isRecord(part)) {
      problems.add(at, 'not an object');
      return;
    }
    const textType = role === 'assistant' ? 'output_text' : 'input_text';
    if (part.type === textType) problems.check(typeof part.text === 'string', at, 'needs text');
    else if (part.type === 'input_image' && role !== 'assistant') {
      problems.check(
        isImageUrl(part.image_url) || isText(part.file_id),
        at,
        'input_image needs image_url or file_id',
      );
    } else if (part.type === 'input_file' && role !== 'assistant') {
      // @see https://platform.openai.com/docs/guides/pdf-files
      problems.check(
        (isDataUrl(part.file_data) && isText(part.filename)) ||
          (typeof part.file_url === 'string' && /^https?:\/\//.test(part.file_url)) ||
          isText(part.file_id),
        at,
        'input_file needs file_data (a base64 data URL) with filename, file_url or file_id',
      );
    } else
      problems.add(at, `part type ${JSON.stringify(part.type)} is not valid in a ${String(role)} message`);
  }
}
