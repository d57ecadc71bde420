/** One scripted reply as the records of each vendor's stream: text word by word, arguments in fragments. */
import type { ReplyToolCall } from './scripted-reply.js';

/** What every wire's encoder gets: the reply cut in pieces, its usage and the model that answers. */
export interface ReplyParts {
  words: string[];
  reasoning: string[];
  calls: ReplyToolCall[];
  usage: { input: number; output: number };
  model: string;
  /** False for a reply cut by an in-band error: no finish, usage or end records. */
  ending: boolean;
}

/** Cuts JSON text in three, the way providers stream arguments. */
function fragments(text: string): string[] {
  const third = Math.ceil(text.length / 3);
  return [text.slice(0, third), text.slice(third, 2 * third), text.slice(2 * third)].filter(Boolean);
}

/** Chat Completions chunks; reasoning as `reasoning_content`, as DeepSeek and vLLM send it. */
export function openaiChatReply({ words, reasoning, calls, usage, model, ending }: ReplyParts): unknown[] {
  const chunk = (delta: object, finishReason: string | null = null) => ({
    id: 'chatcmpl-replay',
    object: 'chat.completion.chunk',
    created: 1_790_000_000,
    model,
    choices: [{ index: 0, delta, finish_reason: finishReason }],
  });
  const counts = { prompt_tokens: usage.input, completion_tokens: usage.output };
  return [
    chunk({ role: 'assistant', content: '' }),
    ...reasoning.map((piece) => chunk({ reasoning_content: piece })),
    ...words.map((word) => chunk({ content: word })),
    ...calls.flatMap((call, index) => [
      chunk({ tool_calls: [{ index, id: call.id, type: 'function', function: { name: call.name } }] }),
      ...fragments(call.arguments).map((part) =>
        chunk({ tool_calls: [{ index, function: { arguments: part } }] }),
      ),
    ]),
    ...(ending
      ? [
          chunk({}, calls.length > 0 ? 'tool_calls' : 'stop'),
          { ...chunk({}), choices: [], usage: { ...counts, total_tokens: usage.input + usage.output } },
        ]
      : []),
  ];
}

/** Responses API events; reasoning as a summary. */
export function openaiResponsesReply({
  words,
  reasoning,
  calls,
  usage,
  model,
  ending,
}: ReplyParts): unknown[] {
  const response = (status: string) => ({ id: 'resp_replay', object: 'response', status, model });
  const events: Array<Record<string, unknown>> = [
    { type: 'response.created', response: response('in_progress') },
  ];
  const items: unknown[] = [];
  const add = (item: Record<string, unknown>, pieces: Array<Record<string, unknown>>, done: unknown) => {
    const outputIndex = items.length;
    events.push({ type: 'response.output_item.added', output_index: outputIndex, item });
    for (const piece of pieces) events.push({ ...piece, item_id: item.id, output_index: outputIndex });
    events.push({ type: 'response.output_item.done', output_index: outputIndex, item: done });
    items.push(done);
  };
  if (reasoning.length > 0) {
    const item = { id: 'rs_0', type: 'reasoning', summary: [] };
    const deltas = reasoning.map((delta) => ({
      type: 'response.reasoning_summary_text.delta',
      summary_index: 0,
      delta,
    }));
    add(item, deltas, { ...item, summary: [{ type: 'summary_text', text: reasoning.join('') }] });
  }
  if (words.length > 0) {
    const item = { id: 'msg_0', type: 'message', role: 'assistant', status: 'completed', content: [] };
    const deltas = words.map((delta) => ({ type: 'response.output_text.delta', content_index: 0, delta }));
    const content = [{ type: 'output_text', text: words.join(''), annotations: [] }];
    add(item, deltas, { ...item, content });
  }
  calls.forEach((call, index) => {
    const item = {
      id: `fc_${index}`,
      type: 'function_call',
      call_id: call.id,
      name: call.name,
      arguments: '',
    };
    const deltas = fragments(call.arguments).map((delta) => ({
      type: 'response.function_call_arguments.delta',
      delta,
    }));
    add(item, deltas, { ...item, arguments: call.arguments, status: 'completed' });
  });
  const reported = {
    input_tokens: usage.input,
    output_tokens: usage.output,
    total_tokens: usage.input + usage.output,
  };
  if (ending)
    events.push({
      type: 'response.completed',
      response: { ...response('completed'), output: items, usage: reported },
    });
  return events.map((event, index) => ({ ...event, sequence_number: index }));
}

/** Messages API events; reasoning as a signed thinking block. */
export function anthropicReply({ words, reasoning, calls, usage, model, ending }: ReplyParts): unknown[] {
  const message = {
    id: 'msg_replay',
    type: 'message',
    role: 'assistant',
    model,
    content: [],
    stop_reason: null,
  };
  const events: unknown[] = [
    {
      type: 'message_start',
      message: { ...message, usage: { input_tokens: usage.input, output_tokens: 1 } },
    },
  ];
  let index = 0;
  const block = (start: object, deltas: object[]) => {
    events.push({ type: 'content_block_start', index, content_block: start });
    for (const delta of deltas) events.push({ type: 'content_block_delta', index, delta });
    events.push({ type: 'content_block_stop', index: index++ });
  };
  if (reasoning.length > 0) {
    const thinking = reasoning.map((piece) => ({ type: 'thinking_delta', thinking: piece }));
    block({ type: 'thinking', thinking: '', signature: '' }, [
      ...thinking,
      { type: 'signature_delta', signature: 'sig-replay' },
    ]);
  }
  if (words.length > 0)
    block(
      { type: 'text', text: '' },
      words.map((text) => ({ type: 'text_delta', text })),
    );
  for (const call of calls) {
    const parts = fragments(call.arguments).map((part) => ({ type: 'input_json_delta', partial_json: part }));
    block({ type: 'tool_use', id: call.id, name: call.name, input: {} }, parts);
  }
  const stopReason = calls.length > 0 ? 'tool_use' : 'end_turn';
  if (!ending) return events;
  events.push(
    { type: 'message_delta', delta: { stop_reason: stopReason }, usage: { output_tokens: usage.output } },
    { type: 'message_stop' },
  );
  return events;
}

/** streamGenerateContent chunks; reasoning as `thought` parts, calls whole (Gemini sends no ids, says STOP). */
export function geminiReply({ words, reasoning, calls, usage, model, ending }: ReplyParts): unknown[] {
  const chunk = (parts: object[], last: boolean) => ({
    candidates: [{ content: { role: 'model', parts }, index: 0, ...(last ? { finishReason: 'STOP' } : {}) }],
    usageMetadata: last
      ? {
          promptTokenCount: usage.input,
          candidatesTokenCount: usage.output,
          totalTokenCount: usage.input + usage.output,
        }
      : { promptTokenCount: usage.input, totalTokenCount: usage.input },
    modelVersion: model,
    responseId: 'resp_replay',
  });
  const callParts = calls.map((call) => ({
    functionCall: { name: call.name, args: JSON.parse(call.arguments) },
  }));
  const chunks = [
    ...reasoning.map((text) => [{ text, thought: true }]),
    ...words.map((text) => [{ text }]),
    ...(callParts.length > 0 ? [callParts] : []),
  ];
  return chunks.map((parts, index) => chunk(parts, ending && index === chunks.length - 1));
}

/** /api/chat lines; reasoning as `thinking`, calls whole with their arguments as an object. */
export function ollamaReply({ words, reasoning, calls, usage, model, ending }: ReplyParts): unknown[] {
  const line = (message: object, done = false) => ({
    model,
    created_at: '2026-11-01T00:00:00.000000Z',
    message: { role: 'assistant', content: '', ...message },
    done,
  });
  const toolCalls = calls.map((call) => ({
    function: { name: call.name, arguments: JSON.parse(call.arguments) },
  }));
  return [
    ...reasoning.map((thinking) => line({ thinking })),
    ...words.map((word) => line({ content: word })),
    ...(toolCalls.length > 0 ? [line({ tool_calls: toolCalls })] : []),
    ...(ending
      ? [{ ...line({}, true), done_reason: 'stop', prompt_eval_count: usage.input, eval_count: usage.output }]
      : []),
  ];
}
