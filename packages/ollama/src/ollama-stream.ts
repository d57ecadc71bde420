import type { AdapterDelta, Translator } from '@tokenwire/core/adapter';
import type { ChatResponse, ToolCall } from 'ollama';
import { mapOllamaFinishReason } from './map-ollama-finish-reason.js';
import { TRUNCATED_MESSAGE } from './ollama-errors.js';
import { mapOllamaUsage } from './ollama-usage.js';

/**
 * A tool call as Ollama servers send it. The `ollama` types declare only `function.name` and
 * `function.arguments`; servers since 0.12 also send an untyped `id` and `function.index`
 * (and several calls of one line may share the same index), so both are read as unknown.
 */
type OllamaWireToolCall = Omit<ToolCall, 'function'> & {
  id?: unknown;
  function?: { name?: unknown; index?: unknown; arguments?: unknown };
};

/** What the translator remembers between the chunks of one stream. */
export interface OllamaStreamState {
  /** True once the `start` delta was emitted. */
  started: boolean;
  /** How many tool calls arrived so far: the next call's index. */
  toolCalls: number;
  /** False when the request asked for no thoughts (`reasoning.includeThoughts: false`): `thinking` is dropped. */
  includeThoughts: boolean;
  /** True once the last line arrived (`done: true`, or `status: 'success'`, where ollama-js stops too). */
  finished: boolean;
}

/**
 * The translator of both transports: one state per request (thoughts left out when the request
 * says `reasoning.includeThoughts: false`), `translateOllamaChunk` per chunk, whose last line
 * (`done`) is the terminal record. A response that ended without it is ollama-js's truncation
 * error, the same on both transports (on the sdk one ollama-js throws it first).
 */
export const ollamaTranslator: Translator<ChatResponse, OllamaStreamState> = {
  start: (request) =>
    createOllamaStreamState({ includeThoughts: request.reasoning?.includeThoughts !== false }),
  translate(chunk, state, out) {
    translateOllamaChunk(chunk, state, out);
    return state.finished;
  },
  end(state) {
    if (!state.finished) throw new Error(TRUNCATED_MESSAGE);
  },
};

/**
 * A fresh state for one stream of `translateOllamaChunk`. `includeThoughts: false` (default true)
 * leaves out the model's thinking: Ollama returns it whenever a thinking model thinks.
 */
export function createOllamaStreamState(options: { includeThoughts?: boolean } = {}): OllamaStreamState {
  return {
    started: false,
    toolCalls: 0,
    includeThoughts: options.includeThoughts !== false,
    finished: false,
  };
}

/**
 * Translates one chunk of `ollama.chat({ stream: true })` into tokenwire deltas, synchronously
 * and without copying text:
 * - the first chunk opens with `start` (the model that answered);
 * - `message.thinking` → `reasoning` (unless the state leaves thoughts out), `message.content` → `text`;
 * - each whole tool call in `message.tool_calls` (on any line, the `done` line included) → one
 *   `tool_call` with its arguments object as JSON text, then `tool_call_end`, under our own
 *   sequential index because Ollama may reuse `function.index` for several calls;
 * - the `done: true` line → `usage` (`prompt_eval_count`, `eval_count`) and `finish`.
 *
 * Pushes the deltas to `out` (a new array by default) and returns it; fields it does not know are
 * ignored.
 */
export function translateOllamaChunk(
  chunk: ChatResponse,
  state: OllamaStreamState,
  out: AdapterDelta[] = [],
): AdapterDelta[] {
  if (!state.started) {
    state.started = true;
    out.push(typeof chunk.model === 'string' ? { type: 'start', model: chunk.model } : { type: 'start' });
  }
  const message = chunk.message as ChatResponse['message'] | undefined;
  if (message !== undefined && message !== null) {
    const { thinking, content } = message;
    if (state.includeThoughts && typeof thinking === 'string' && thinking !== '') {
      out.push({ type: 'reasoning', delta: thinking });
    }
    if (typeof content === 'string' && content !== '') {
      out.push({ type: 'text', delta: content });
    }
    const toolCalls = message.tool_calls as OllamaWireToolCall[] | undefined;
    if (Array.isArray(toolCalls) && toolCalls.length > 0) {
      for (const call of toolCalls) pushToolCall(call, state, out);
    }
  }
  if (chunk.done === true || (chunk as { status?: unknown }).status === 'success') state.finished = true;
  if (chunk.done === true) {
    const usage = mapOllamaUsage(chunk);
    if (usage !== undefined) out.push({ type: 'usage', usage });
    const rawReason = typeof chunk.done_reason === 'string' ? chunk.done_reason : undefined;
    out.push(
      rawReason === undefined
        ? { type: 'finish', reason: mapOllamaFinishReason(undefined) }
        : { type: 'finish', reason: mapOllamaFinishReason(rawReason), rawReason },
    );
  }
  return out;
}

function pushToolCall(call: OllamaWireToolCall, state: OllamaStreamState, deltas: AdapterDelta[]): void {
  const index = state.toolCalls++;
  const fn = call?.function;
  // No id (servers before 0.12): the runtime generates one.
  const id = typeof call?.id === 'string' && call.id !== '' ? call.id : undefined;
  const name = typeof fn?.name === 'string' ? fn.name : undefined;
  deltas.push(
    { type: 'tool_call', index, id, name, argumentsDelta: argumentsText(fn?.arguments) },
    { type: 'tool_call_end', index },
  );
}

/**
 * Ollama sends arguments as an object, once per call, so stringifying it here costs one
 * `JSON.stringify` per tool call, never per text chunk. A string is passed through (some proxies
 * re-encode them); a missing value completes as `{}` in the runtime.
 */
function argumentsText(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  return JSON.stringify(value);
}
