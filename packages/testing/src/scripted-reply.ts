import type { ReplayScript } from './replay-server.js';
import {
  anthropicReply,
  geminiReply,
  ollamaReply,
  openaiChatReply,
  openaiResponsesReply,
  type ReplyParts,
} from './reply-wires.js';
import type { WireProtocol } from './wire-formats.js';

/** A tool call the scripted model makes; `arguments` is JSON text, streamed in fragments where the wire does. */
export interface ReplyToolCall {
  id: string;
  name: string;
  arguments: string;
}

/**
 * What a scripted model answers, in any vendor's wire: the replay server encodes it for the wire
 * the request came in on (Chat Completions, Responses, Messages, Gemini, Ollama), answering as the
 * model the request asked for.
 */
export interface ScriptedReply {
  /** The answer's text, streamed word by word. */
  text?: string;
  /** Reasoning before the text, streamed word by word (thinking, thoughts, `reasoning_content`, a summary). */
  reasoning?: string;
  /** Tool calls after the text. */
  toolCalls?: ReplyToolCall[];
  /** The usage reported. Default: 64 input tokens, output estimated from the text and calls. */
  usage?: { inputTokens?: number; outputTokens?: number };
  /** The model that answers. Default: the model the request asked for. */
  model?: string;
  /** Ends the stream with the vendor's in-band error record after the reply, instead of its end. */
  error?: { message?: string; type?: string };
}

/**
 * A replay-server script that answers `reply` on whatever wire it is asked on, with the model
 * the request named; `faults` adds delays, byte splits, stalls and the rest of `ReplayScript`.
 *
 * @example
 * replay.enqueue(scriptedReply({ toolCalls: [{ id: 'call_1', name: 'get_weather', arguments: '{"city":"Paris"}' }] }),
 *   scriptedReply({ text: 'It is 21 °C in Paris.' }));
 */
export function scriptedReply(
  reply: ScriptedReply,
  faults: Omit<ReplayScript, 'reply' | 'payloads'> = {},
): ReplayScript {
  return { ...faults, reply };
}

/** The records of `reply` in `protocol`'s wire, as `model` (what the replay server sends for a `reply` script). */
export function replyPayloads(
  protocol: WireProtocol,
  reply: ScriptedReply,
  model = 'replay-model',
): unknown[] {
  const calls = reply.toolCalls ?? [];
  const argumentLength = calls.reduce((sum, call) => sum + call.arguments.length, 0);
  const estimated = Math.ceil(((reply.text ?? '').length + argumentLength) / 4) + 5 * calls.length;
  const parts: ReplyParts = {
    words: wordsOf(reply.text),
    reasoning: wordsOf(reply.reasoning),
    calls,
    usage: { input: reply.usage?.inputTokens ?? 64, output: reply.usage?.outputTokens ?? estimated },
    model: reply.model ?? model,
    ending: reply.error === undefined,
  };
  switch (protocol) {
    case 'openai-chat':
      return openaiChatReply(parts);
    case 'openai-responses':
      return openaiResponsesReply(parts);
    case 'anthropic':
      return anthropicReply(parts);
    case 'gemini':
      return geminiReply(parts);
    case 'ollama':
      return ollamaReply(parts);
  }
}

/** The script the server plays for a `reply` script on `protocol`: its payloads, then its error if it has one. */
export function playedScript(
  script: ReplayScript,
  protocol: string,
  requestModel: string | undefined,
): ReplayScript {
  const { reply } = script;
  if (reply === undefined) return script;
  if (!REPLY_PROTOCOLS.includes(protocol as WireProtocol))
    throw new Error(
      `replay server: a reply script needs one of the wires ${REPLY_PROTOCOLS.join(', ')}; this request is ${protocol}: script its payloads instead`,
    );
  const payloads = replyPayloads(protocol as WireProtocol, reply, requestModel);
  if (reply.error === undefined) return { ...script, payloads };
  return { ...script, payloads, inBandError: { after: payloads.length, ...reply.error } };
}

/** The model a request asked for: its body's `model`, or the model in a Gemini path. */
export function requestModelOf(body: unknown, path: string): string | undefined {
  const model = (body as { model?: unknown } | undefined)?.model;
  if (typeof model === 'string') return model;
  return /\/models\/([^/:]+):/.exec(path)?.[1];
}

const REPLY_PROTOCOLS: readonly WireProtocol[] = [
  'openai-chat',
  'openai-responses',
  'anthropic',
  'gemini',
  'ollama',
];

function wordsOf(text: string | undefined): string[] {
  return text === undefined ? [] : (text.match(/\S+\s*/g) ?? []);
}
