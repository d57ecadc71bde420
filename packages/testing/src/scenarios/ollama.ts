import { expectedOutcomes } from './expected-outcomes.js';
import { isBase64, isRecord, isText, Problems } from './request-checks.js';
import type { ConformanceScenarios, StructuredOutputScenario } from './scenario-types.js';
import { sameProblems } from './structured-checks.js';

/** @see https://github.com/ollama/ollama/blob/main/docs/api.md#generate-a-chat-completion */
function line(message: Record<string, unknown>): Record<string, unknown> {
  return {
    model: 'test-model',
    created_at: '2026-11-01T00:00:00.000000Z',
    message: { role: 'assistant', content: '', ...message },
    done: false,
  };
}

function done(promptEvalCount = 12, evalCount = 4, doneReason = 'stop'): Record<string, unknown> {
  return {
    ...line({}),
    done: true,
    done_reason: doneReason,
    total_duration: 1_000_000,
    load_duration: 100_000,
    prompt_eval_count: promptEvalCount,
    prompt_eval_duration: 200_000,
    eval_count: evalCount,
    eval_duration: 600_000,
  };
}

const text = (content: string) => line({ content });
const call = (name: string, args: Record<string, unknown>) => ({ function: { name, arguments: args } });

/** `format`: `'json'`, or the JSON Schema itself. */
const structuredOutput: StructuredOutputScenario = {
  answerPayloads: (fragments, _format, end) => [...fragments.map(text), done(12, 4, end)],
  requestProblems: (body, format) =>
    sameProblems(
      'format',
      isRecord(body) ? body.format : undefined,
      format.type === 'json_schema' ? format.schema : 'json',
    ),
};

/**
 * Conformance scenarios for the Ollama `/api/chat` NDJSON wire. Ollama sends whole tool calls
 * (arguments as objects, no ids) and says `stop` for them.
 */
export const ollamaScenarios: ConformanceScenarios = {
  files: {
    pdf: { refused: 'messages[0].content[1].type' },
    audio: { refused: 'messages[0].content[1].type' },
    toolImage: 'sent',
  },
  protocol: 'ollama',
  textPayloads: (texts) => [...texts.map(text), done()],
  text: {
    payloads: [text('Hello'), text(', '), text('world'), text('!'), done()],
    recordsBeforeOutput: 0,
    cut: { after: 2, content: 'Hello, ' },
    expected: expectedOutcomes.text,
  },
  reasoning: {
    payloads: [
      line({ thinking: 'Two plus two ' }),
      line({ thinking: 'is four.' }),
      text('The answer is 4.'),
      done(12, 30),
    ],
    expected: expectedOutcomes.reasoning(),
  },
  toolCall: {
    payloads: [line({ tool_calls: [call('get_weather', { city: 'Paris' })] }), done()],
    expected: expectedOutcomes.toolCall(),
  },
  parallelToolCalls: {
    payloads: [
      line({ tool_calls: [call('get_weather', { city: 'Paris' }), call('get_weather', { city: 'Tokyo' })] }),
      done(),
    ],
    expected: expectedOutcomes.parallelToolCalls(),
  },
  emptyArgumentsToolCall: {
    payloads: [line({ tool_calls: [call('get_time', {})] }), done()],
    expected: expectedOutcomes.emptyArgumentsToolCall(),
  },
  usage: {
    payloads: [text('Hi'), done(100, 20)],
    expected: {
      content: 'Hi',
      usage: { inputTokens: 100, outputTokens: 20, totalTokens: 120, estimated: false },
    },
  },
  unicode: {
    payloads: [text('你好'), text('🙂 Grüße'), done()],
    expected: expectedOutcomes.unicode,
  },
  unknownEvents: {
    payloads: [
      { ...text('Hello'), future_field: { nested: true } },
      line({ content: ', ', future_message_field: 1 }),
      line({}),
      text('world!'),
      { ...done(), future_metric: 3 },
    ],
    expected: expectedOutcomes.unknownEvents,
  },
  // Ollama's in-band `{"error":"…"}` is a bare message: an adapter may retry it or report it alone.
  retriesInBandError: false,
  structuredOutput,
  validateRequest: validateOllamaRequest,
};

/**
 * Problems with an Ollama `/api/chat` request body: roles, `images` as bare base64 strings,
 * assistant `tool_calls` with `arguments` as objects (not JSON text), `tool` messages after them,
 * and function tool declarations.
 * @see https://github.com/ollama/ollama/blob/main/docs/api.md#chat-request-with-tools
 */
export function validateOllamaRequest(body: unknown): string[] {
  const problems = new Problems();
  if (!isRecord(body)) return ['body: not a JSON object'];
  problems.checkStreamingModel(body);
  let pending: string[] = [];
  const listed = problems.eachRecord(body.messages, 'messages', (message, where) => {
    const role = message.role;
    if (!['system', 'user', 'assistant', 'tool'].includes(role as string)) {
      problems.add(where, `unknown role ${JSON.stringify(role)}`);
      return;
    }
    problems.check(
      message.content === undefined || typeof message.content === 'string',
      where,
      'content must be text',
    );
    if (message.images !== undefined) {
      const ok = Array.isArray(message.images) && message.images.every((image) => isBase64(image));
      problems.check(ok, where, 'images must be bare base64 strings (no data: prefix)');
    }
    if (role === 'tool') {
      problems.check(pending.length > 0, where, 'a tool message answers no pending tool call');
      const name = message.tool_name;
      if (name !== undefined)
        problems.check(pending.includes(name as string), where, `tool_name ${String(name)} was not called`);
      const position = typeof name === 'string' && pending.includes(name) ? pending.indexOf(name) : 0;
      pending = pending.filter((_pendingName, pendingIndex) => pendingIndex !== position);
      return;
    }
    if (pending.length > 0)
      problems.add(where, `tool calls ${pending.join(', ')} have no tool message right after them`);
    pending = [];
    if (role === 'assistant' && message.tool_calls !== undefined) {
      if (!Array.isArray(message.tool_calls)) {
        problems.add(where, 'tool_calls must be an array');
        return;
      }
      message.tool_calls.forEach((entry: unknown, callIndex) => {
        const at = `${where}.tool_calls[${callIndex}]`;
        const fn = isRecord(entry) ? entry.function : undefined;
        if (!isRecord(fn)) {
          problems.add(at, 'needs a function');
          return;
        }
        problems.check(isText(fn.name), at, 'needs function.name');
        problems.check(isRecord(fn.arguments), at, 'function.arguments must be an object, not JSON text');
        if (isText(fn.name)) pending.push(fn.name);
      });
    }
  });
  if (!listed) return problems.list;
  if (pending.length > 0) problems.add('messages', `tool calls ${pending.join(', ')} are never answered`);
  if (body.tools !== undefined) {
    const ok =
      Array.isArray(body.tools) &&
      body.tools.every(
        (tool) =>
          isRecord(tool) && tool.type === 'function' && isRecord(tool.function) && isText(tool.function.name),
      );
    problems.check(ok, 'tools', "must be [{ type: 'function', function: { name, parameters } }]");
  }
  return problems.list;
}
