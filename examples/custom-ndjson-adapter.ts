// A custom adapter for a made-up NDJSON service, "Bolt" (`POST /bolt/stream`, one JSON object per
// line), written from the README's "Writing an adapter"; custom-ndjson-adapter.test.ts runs the
// conformance suite of @tokenwire/testing on both transports.
import { type FinishReason, TokenwireError } from '@tokenwire/core';
import {
  type ChatRequest,
  defineAdapter,
  errorCodeFromStatus,
  loadApiKey,
  responseError,
  type Translator,
  toolCallInput,
} from '@tokenwire/core/adapter';

/** One Bolt line: text, thinking, a tool-call fragment, the end with its counts, or an error. */
interface BoltLine {
  text?: string;
  thinking?: string;
  call?: { index: number; id?: string; name?: string; args?: string };
  end?: { reason: 'complete' | 'limit' | 'tools'; tokensIn: number; tokensOut: number };
  failure?: { status: number; message: string };
}

const REASONS: Record<string, FinishReason> = { complete: 'stop', limit: 'length', tools: 'tool_calls' };

/** One line as Bolt means it; an in-band `failure` is thrown as the HTTP error it stands for. */
function boltLine(value: unknown): BoltLine {
  const line = value as BoltLine;
  const failure = line.failure;
  if (failure === undefined) return line;
  const code = errorCodeFromStatus(failure.status);
  throw new TokenwireError({
    code,
    status: failure.status,
    provider: 'bolt',
    message: `Bolt: ${failure.message}`,
  });
}

/** Bolt lines to deltas: synchronous and pure. A line may carry several fields; `end` is terminal. */
export const boltTranslator: Translator<BoltLine, undefined> = {
  start: () => undefined,
  translate(line, _state, out) {
    if (line.thinking) out.push({ type: 'reasoning', delta: line.thinking });
    if (line.text) out.push({ type: 'text', delta: line.text });
    if (line.call) {
      const { index, id, name, args } = line.call;
      out.push({ type: 'tool_call', index, id, name, argumentsDelta: args });
    }
    if (line.end === undefined) return false;
    out.push({ type: 'usage', usage: { inputTokens: line.end.tokensIn, outputTokens: line.end.tokensOut } });
    out.push({ type: 'finish', reason: REASONS[line.end.reason] ?? 'other', rawReason: line.end.reason });
    return true;
  },
};

/** Bolt's request: its own field names; history tool calls carry only their input (`{}` when broken). */
function boltBody(request: ChatRequest): string {
  const turns = request.messages.map((message) =>
    message.role === 'assistant'
      ? {
          ...message,
          toolCalls: message.toolCalls?.map((call) => ({
            id: call.id,
            name: call.name,
            input: toolCallInput(call),
          })),
        }
      : message,
  );
  const { model, tools, responseFormat, temperature, maxTokens } = request;
  return JSON.stringify({ model, turns, tools, responseFormat, temperature, maxTokens });
}

/** Settings of the Bolt adapter: the key (default BOLT_API_KEY), the base URL, the transport. */
export type BoltSettings = { apiKey?: string; baseURL?: string; transport?: 'direct' | 'sdk' };

/** The Bolt adapter. Never throws: a missing key is the first request's `configuration` error. */
export function createBoltAdapter(settings: BoltSettings = {}) {
  return defineAdapter({
    name: 'bolt',
    provider: 'bolt',
    settings,
    settingKinds: { apiKey: 'string', baseURL: 'url', transport: ['direct', 'sdk'] },
    client: () => ({
      apiKey: loadApiKey({
        apiKey: settings.apiKey,
        environmentVariables: ['BOLT_API_KEY'],
        provider: 'bolt',
      }),
      baseURL: settings.baseURL ?? 'https://api.bolt.example',
    }),
    async send({ apiKey, baseURL }, request, { signal }) {
      const response = await fetch(`${baseURL}/bolt/stream`, {
        method: 'POST',
        signal,
        headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` },
        body: boltBody(request),
      });
      if (!response.ok || response.body === null) throw await responseError(response, 'bolt');
      return { body: response.body, headers: response.headers };
    },
    wire: 'ndjson',
    record: boltLine,
    translator: boltTranslator,
    normalizeError: () => undefined,
    endpoint: () => settings.baseURL ?? 'https://api.bolt.example',
  });
}
