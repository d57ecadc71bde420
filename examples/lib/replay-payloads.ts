/**
 * Vendor stream payloads for the replay server of @tokenwire/testing: one answer (text, tool calls
 * or both) in the wire shape of each provider, so that the demo, `pnpm example` and the examples'
 * tests stream through the real vendor SDKs without a key or a network.
 */
import type { WireProtocol } from '@tokenwire/testing';

/** A tool call the scripted model makes; `arguments` is JSON text, streamed in fragments. */
export interface ScriptedToolCall {
  id: string;
  name: string;
  arguments: string;
}

/** What the scripted model answers. */
export interface ScriptedReply {
  text?: string;
  toolCalls?: ScriptedToolCall[];
}

/** The answer as the records of a vendor stream: text word by word, arguments in fragments. */
export function replyPayloads(protocol: WireProtocol, reply: ScriptedReply): unknown[] {
  const words = reply.text === undefined ? [] : (reply.text.match(/\S+\s*/g) ?? []);
  const calls = reply.toolCalls ?? [];
  const argumentLength = calls.reduce((sum, call) => sum + call.arguments.length, 0);
  const outputTokens = Math.ceil(((reply.text ?? '').length + argumentLength) / 4) + 5 * calls.length;
  const usage = { input: 64, output: outputTokens };
  switch (protocol) {
    case 'openai-chat':
      return openaiChat(words, calls, usage);
    case 'openai-responses':
      return openaiResponses(words, calls, usage);
    case 'anthropic':
      return anthropic(words, calls, usage);
    case 'gemini':
      return gemini(words, calls, usage);
    case 'ollama':
      return ollama(words, calls, usage);
  }
}

interface Counts {
  input: number;
  output: number;
}

/** Cuts JSON text in three, the way providers stream arguments. */
function fragments(text: string): string[] {
  const third = Math.ceil(text.length / 3);
  return [text.slice(0, third), text.slice(third, 2 * third), text.slice(2 * third)].filter(Boolean);
}

function openaiChat(words: string[], calls: ScriptedToolCall[], usage: Counts): unknown[] {
  const chunk = (delta: object, finishReason: string | null = null, extra: object = {}) => ({
    id: 'chatcmpl-replay',
    object: 'chat.completion.chunk',
    created: 1_790_000_000,
    model: 'replay-model',
    choices: [{ index: 0, delta, finish_reason: finishReason }],
    ...extra,
  });
  return [
    chunk({ role: 'assistant', content: '' }),
    ...words.map((word) => chunk({ content: word })),
    ...calls.flatMap((call, index) => [
      chunk({ tool_calls: [{ index, id: call.id, type: 'function', function: { name: call.name } }] }),
      ...fragments(call.arguments).map((part) =>
        chunk({ tool_calls: [{ index, function: { arguments: part } }] }),
      ),
    ]),
    chunk({}, calls.length > 0 ? 'tool_calls' : 'stop'),
    {
      ...chunk({}),
      choices: [],
      usage: {
        prompt_tokens: usage.input,
        completion_tokens: usage.output,
        total_tokens: usage.input + usage.output,
      },
    },
  ];
}

function openaiResponses(words: string[], calls: ScriptedToolCall[], usage: Counts): unknown[] {
  const response = (status: string) => ({
    id: 'resp_replay',
    object: 'response',
    status,
    model: 'replay-model',
  });
  const text = words.join('');
  const events: Array<Record<string, unknown>> = [
    { type: 'response.created', response: response('in_progress') },
  ];
  const items: unknown[] = [];
  if (words.length > 0) {
    const item = { id: 'msg_0', type: 'message', role: 'assistant', status: 'completed' };
    const content = [{ type: 'output_text', text, annotations: [] }];
    const at = { item_id: 'msg_0', output_index: 0, content_index: 0 };
    events.push({ type: 'response.output_item.added', output_index: 0, item: { ...item, content: [] } });
    for (const word of words) events.push({ type: 'response.output_text.delta', ...at, delta: word });
    events.push({ type: 'response.output_item.done', output_index: 0, item: { ...item, content } });
    items.push({ ...item, content });
  }
  calls.forEach((call, index) => {
    const outputIndex = items.length;
    const item = { id: `fc_${index}`, type: 'function_call', call_id: call.id, name: call.name };
    const at = { item_id: item.id, output_index: outputIndex };
    events.push({
      type: 'response.output_item.added',
      output_index: outputIndex,
      item: { ...item, arguments: '' },
    });
    for (const part of fragments(call.arguments)) {
      events.push({ type: 'response.function_call_arguments.delta', ...at, delta: part });
    }
    const done = { ...item, arguments: call.arguments, status: 'completed' };
    events.push({ type: 'response.output_item.done', output_index: outputIndex, item: done });
    items.push(done);
  });
  const reported = {
    input_tokens: usage.input,
    output_tokens: usage.output,
    total_tokens: usage.input + usage.output,
  };
  events.push({
    type: 'response.completed',
    response: { ...response('completed'), output: items, usage: reported },
  });
  return events.map((event, index) => ({ ...event, sequence_number: index }));
}

function anthropic(words: string[], calls: ScriptedToolCall[], usage: Counts): unknown[] {
  const events: unknown[] = [
    {
      type: 'message_start',
      message: {
        id: 'msg_replay',
        type: 'message',
        role: 'assistant',
        model: 'replay-model',
        content: [],
        stop_reason: null,
        usage: { input_tokens: usage.input, output_tokens: 1 },
      },
    },
  ];
  let index = 0;
  if (words.length > 0) {
    events.push({ type: 'content_block_start', index, content_block: { type: 'text', text: '' } });
    for (const word of words) {
      events.push({ type: 'content_block_delta', index, delta: { type: 'text_delta', text: word } });
    }
    events.push({ type: 'content_block_stop', index: index++ });
  }
  for (const call of calls) {
    const block = { type: 'tool_use', id: call.id, name: call.name, input: {} };
    events.push({ type: 'content_block_start', index, content_block: block });
    for (const part of fragments(call.arguments)) {
      events.push({
        type: 'content_block_delta',
        index,
        delta: { type: 'input_json_delta', partial_json: part },
      });
    }
    events.push({ type: 'content_block_stop', index: index++ });
  }
  const stopReason = calls.length > 0 ? 'tool_use' : 'end_turn';
  events.push(
    { type: 'message_delta', delta: { stop_reason: stopReason }, usage: { output_tokens: usage.output } },
    { type: 'message_stop' },
  );
  return events;
}

function gemini(words: string[], calls: ScriptedToolCall[], usage: Counts): unknown[] {
  const chunk = (parts: object[], last: boolean) => ({
    candidates: [{ content: { role: 'model', parts }, index: 0, ...(last ? { finishReason: 'STOP' } : {}) }],
    usageMetadata: last
      ? {
          promptTokenCount: usage.input,
          candidatesTokenCount: usage.output,
          totalTokenCount: usage.input + usage.output,
        }
      : { promptTokenCount: usage.input, totalTokenCount: usage.input },
    modelVersion: 'replay-model',
    responseId: 'resp_replay',
  });
  // Gemini sends whole function calls (no ids) and says STOP for them.
  const callParts = calls.map((call) => ({
    functionCall: { name: call.name, args: JSON.parse(call.arguments) },
  }));
  const textChunks = words.map((word) => [{ text: word }]);
  const chunks = [...textChunks, ...(callParts.length > 0 ? [callParts] : [])];
  return chunks.map((parts, index) => chunk(parts, index === chunks.length - 1));
}

function ollama(words: string[], calls: ScriptedToolCall[], usage: Counts): unknown[] {
  const line = (message: object, done = false) => ({
    model: 'replay-model',
    created_at: '2026-11-01T00:00:00.000000Z',
    message: { role: 'assistant', content: '', ...message },
    done,
  });
  // Ollama also sends whole tool calls, with the arguments as an object.
  const toolCalls = calls.map((call) => ({
    function: { name: call.name, arguments: JSON.parse(call.arguments) },
  }));
  return [
    ...words.map((word) => line({ content: word })),
    ...(toolCalls.length > 0 ? [line({ tool_calls: toolCalls })] : []),
    { ...line({}, true), done_reason: 'stop', prompt_eval_count: usage.input, eval_count: usage.output },
  ];
}
