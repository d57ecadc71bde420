import type { AdapterDelta } from '@tokenwire/core/adapter';
import type { ChatCompletionChunk } from 'openai/resources/chat/completions';
import { mapOpenAIChatFinishReason } from './map-openai-finish-reason.js';
import { mapOpenAIChatUsage, type OpenAICompatibleUsage } from './openai-usage.js';

/**
 * A Chat Completions chunk with the fields OpenAI-compatible services add. The SDK does not
 * validate chunks, so these reach the adapter unchanged: `delta.reasoning_content` (DeepSeek,
 * Qwen, SiliconFlow, vLLM < 0.10), `delta.reasoning` (OpenRouter, vLLM, Groq), `x_groq.usage` (Groq),
 * `choices[].usage` (Moonshot reports usage inside the choice), and `delta.content` as an array of
 * parts (Mistral's Magistral reasoning models).
 */
export type OpenAICompatibleChatChunk = Omit<ChatCompletionChunk, 'choices' | 'usage'> & {
  choices?: OpenAICompatibleChoice[] | null;
  usage?: OpenAICompatibleUsage | null;
  x_groq?: { usage?: OpenAICompatibleUsage | null } | null;
};

type OpenAICompatibleChoice = Omit<ChatCompletionChunk.Choice, 'delta' | 'index' | 'finish_reason'> & {
  index?: number;
  finish_reason?: string | null;
  delta?: OpenAICompatibleChoiceDelta | null;
  usage?: OpenAICompatibleUsage | null;
};

type OpenAICompatibleChoiceDelta = Omit<ChatCompletionChunk.Choice.Delta, 'content' | 'tool_calls'> & {
  content?: string | MistralContentPart[] | null;
  reasoning_content?: string | null;
  reasoning?: string | null;
  tool_calls?: OpenAICompatibleToolCallDelta[] | null;
};

type OpenAICompatibleToolCallDelta = Omit<ChatCompletionChunk.Choice.Delta.ToolCall, 'index'> & {
  /** Mistral omits `index`. */
  index?: number;
};

type MistralContentPart =
  | { type: 'text'; text: string }
  | { type: 'thinking'; thinking: Array<{ type: string; text?: string }> }
  | { type: string };

/** What the chat translator remembers between chunks of one stream. */
export interface OpenAIChatStreamState {
  /** A `start` delta was produced (from the first chunk with a non-empty id or model). */
  started: boolean;
  /** A `finish_reason` was seen; later ones are ignored. */
  finished: boolean;
  /** The model refused (`delta.refusal`): a `stop` finish is then reported as `content_filter`. */
  refused: boolean;
  /**
   * The request asked for usage (`stream_options.include_usage`), so the usage chunk after the
   * finish (`choices: []`) is the last one before `[DONE]`.
   */
  usageRequested: boolean;
  /** The terminal record arrived: the requested usage chunk after the finish. Nothing more belongs to the answer. */
  complete: boolean;
}

/** Options of a Chat Completions stream's state. */
export interface OpenAIChatStreamOptions {
  /** The request carried `stream_options: { include_usage: true }`. Default false. */
  usageRequested?: boolean;
}

/** A fresh state for one Chat Completions stream. */
export function createOpenAIChatStreamState(options: OpenAIChatStreamOptions = {}): OpenAIChatStreamState {
  return {
    started: false,
    finished: false,
    refused: false,
    usageRequested: options.usageRequested === true,
    complete: false,
  };
}

/**
 * Translates one Chat Completions stream chunk into adapter deltas: synchronous, no I/O, no
 * copying. Only the first choice is read (a request with `n > 1` gets its other choices
 * ignored). A `finish` delta is produced only when the provider sent a `finish_reason`, so a
 * stream cut short is reported as truncated by the runtime. Tool-call fragments are passed on
 * as they come (ids, indexes or neither); the runtime joins them. The deltas are appended to
 * `deltas` (a new array by default), which is returned.
 *
 * When the request asked for usage, the chunk that carries it after the finish, with no choices,
 * sets `state.complete`: OpenAI documents it as the last chunk before `data: [DONE]`, so the stream
 * can finish there even if a server then holds the connection open. Without that request, or
 * for usage on the finish chunk itself (Mistral, Groq's `x_groq`, Moonshot's choice), nothing
 * says no more usage is coming, so the stream ends at `[DONE]` or when the server closes.
 * @see https://platform.openai.com/docs/api-reference/chat/create#chat_create-stream_options
 */
export function translateOpenAIChatChunk(
  chunk: ChatCompletionChunk | OpenAICompatibleChatChunk,
  state: OpenAIChatStreamState,
  deltas: AdapterDelta[] = [],
): AdapterDelta[] {
  const compatible = chunk as OpenAICompatibleChatChunk;
  // Azure's first chunk carries only `prompt_filter_results`, with empty id and model: wait for
  // a chunk that names them.
  if (!state.started && (compatible.id || compatible.model)) {
    state.started = true;
    const start: AdapterDelta & { type: 'start' } = { type: 'start' };
    if (compatible.model) start.model = compatible.model;
    if (compatible.id) start.responseId = compatible.id;
    deltas.push(start);
  }
  let usage = compatible.usage;
  let finish: AdapterDelta | undefined;
  const choices = compatible.choices;
  if (choices) {
    for (const choice of choices) {
      if (choice.index !== undefined && choice.index !== 0) continue;
      if (choice.delta) translateChoiceDelta(choice.delta, state, deltas);
      const reason = choice.finish_reason;
      if (reason && !state.finished) {
        state.finished = true;
        finish =
          state.refused && reason === 'stop'
            ? { type: 'finish', reason: 'content_filter', rawReason: 'refusal' }
            : { type: 'finish', reason: mapOpenAIChatFinishReason(reason), rawReason: reason };
      }
      usage ??= choice.usage;
    }
  }
  usage ??= compatible.x_groq?.usage;
  if (usage) {
    deltas.push({ type: 'usage', usage: mapOpenAIChatUsage(usage) });
    // Only the usage chunk after an earlier finish_reason: `finish` is still undefined here.
    if (state.finished && finish === undefined && state.usageRequested && !choices?.length)
      state.complete = true;
  }
  if (finish !== undefined) deltas.push(finish);
  return deltas;
}

function translateChoiceDelta(
  delta: OpenAICompatibleChoiceDelta,
  state: OpenAIChatStreamState,
  deltas: AdapterDelta[],
): void {
  const reasoning = delta.reasoning_content || delta.reasoning;
  if (typeof reasoning === 'string' && reasoning !== '') deltas.push({ type: 'reasoning', delta: reasoning });
  const content = delta.content;
  if (typeof content === 'string') {
    if (content !== '') deltas.push({ type: 'text', delta: content });
  } else if (Array.isArray(content)) {
    translateContentParts(content, deltas);
  }
  // A refusal replaces the answer; surface its text so the user sees why.
  // https://platform.openai.com/docs/guides/structured-outputs#refusals
  if (typeof delta.refusal === 'string' && delta.refusal !== '') {
    state.refused = true;
    deltas.push({ type: 'text', delta: delta.refusal });
  }
  const toolCalls = delta.tool_calls;
  if (toolCalls) {
    for (const toolCall of toolCalls) {
      const fragment: AdapterDelta & { type: 'tool_call' } = { type: 'tool_call' };
      if (typeof toolCall.index === 'number') fragment.index = toolCall.index;
      if (toolCall.id) fragment.id = toolCall.id; // "" on continuations (Qwen): join by index instead
      const name = toolCall.function?.name ?? toolCall.custom?.name;
      if (name) fragment.name = name;
      const argumentsDelta = toolCall.function?.arguments ?? toolCall.custom?.input;
      if (argumentsDelta) fragment.argumentsDelta = argumentsDelta;
      // An empty continuation (Qwen ends calls with `arguments: ""`) carries nothing to join.
      if (fragment.id === undefined && fragment.name === undefined && fragment.argumentsDelta === undefined) {
        continue;
      }
      deltas.push(fragment);
    }
  }
}

function translateContentParts(parts: MistralContentPart[], deltas: AdapterDelta[]): void {
  for (const part of parts) {
    if (part.type === 'text') {
      const text = (part as { text?: unknown }).text;
      if (typeof text === 'string' && text !== '') deltas.push({ type: 'text', delta: text });
    } else if (part.type === 'thinking') {
      const thinking = (part as { thinking?: unknown }).thinking;
      if (!Array.isArray(thinking)) continue;
      for (const piece of thinking as Array<{ text?: unknown }>) {
        if (typeof piece.text === 'string' && piece.text !== '') {
          deltas.push({ type: 'reasoning', delta: piece.text });
        }
      }
    }
  }
}
