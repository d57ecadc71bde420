// A custom adapter for a made-up SSE service, "Acme" (`POST /v2/generate`), written from the README's
// "Writing an adapter"; custom-adapter.test.ts runs the conformance suite on both transports.
import { pathToFileURL } from 'node:url';
import { createTokenwire, type FinishReason, type Message, TokenwireError } from '@tokenwire/core';
import {
  type AdapterDelta,
  type ChatRequest,
  defineAdapter,
  loadApiKey,
  responseError,
  type Translator,
  toolCallArguments,
} from '@tokenwire/core/adapter';

type AcmeEvent =
  | { type: 'response.start'; id: string; model: string }
  | { type: 'text' | 'thinking'; text: string }
  | { type: 'tool'; call: number; id?: string; name?: string; arguments?: string }
  | { type: 'done'; reason: string; usage?: { input: number; output: number } }
  | { type: 'error'; code: string; message: string };

const REASONS: Record<string, FinishReason> = { stop: 'stop', max_tokens: 'length', tool_use: 'tool_calls' };

/** One record as Acme means it; its in-band `error` is thrown (before any output core retries it). */
function acmeRecord(data: string): AcmeEvent {
  const event = JSON.parse(data) as AcmeEvent; // not JSON: a SyntaxError, core's invalid_response
  if (event.type === 'error')
    throw new TokenwireError({ code: 'server', provider: 'acme', message: `Acme: ${event.message}` });
  return event;
}

/** One Acme event's delta, if it has one; unknown events are ignored, never fatal. */
function deltaOf(event: AcmeEvent): AdapterDelta | undefined {
  if (event.type === 'response.start') return { type: 'start', model: event.model, responseId: event.id };
  if (event.type === 'text') return { type: 'text', delta: event.text };
  if (event.type === 'thinking') return { type: 'reasoning', delta: event.text };
  // id and name come on a call's first fragment only; core joins the fragments by index
  if (event.type === 'tool')
    return {
      type: 'tool_call',
      index: event.call,
      id: event.id,
      name: event.name,
      argumentsDelta: event.arguments,
    };
  return undefined;
}

/** Acme events to deltas: synchronous and pure, so that a test can feed it recorded events. */
export const acmeTranslator: Translator<AcmeEvent, undefined> = {
  start: () => undefined,
  translate(event, _state, out) {
    if (event.type !== 'done') {
      const delta = deltaOf(event);
      if (delta !== undefined) out.push(delta);
      return false;
    }
    const { usage, reason } = event;
    if (usage) out.push({ type: 'usage', usage: { inputTokens: usage.input, outputTokens: usage.output } });
    out.push({ type: 'finish', reason: REASONS[reason] ?? 'other', rawReason: reason });
    return true; // the terminal record: core stops reading, even if the server does not close
  },
};

/** The request as Acme takes it: tokenwire's, with history tool calls' broken arguments sent as `{}`. */
function acmeBody(request: ChatRequest): string {
  const messages = request.messages.map((message: Message) =>
    message.role === 'assistant' && message.toolCalls
      ? {
          ...message,
          toolCalls: message.toolCalls.map((call) => ({ ...call, arguments: toolCallArguments(call) })),
        }
      : message,
  );
  return JSON.stringify({ ...request, messages, stream: true });
}

/** Key (default ACME_API_KEY), base URL (ACME_BASE_URL); `transport: 'sdk'` reads one record per step. */
export type AcmeSettings = { apiKey?: string; baseURL?: string; transport?: 'direct' | 'sdk' };

/** The Acme adapter. Never throws: a missing key is the first request's `configuration` error. */
export function createAcmeAdapter(settings: AcmeSettings = {}) {
  return defineAdapter({
    name: 'acme',
    provider: 'acme',
    settings,
    settingKinds: { apiKey: 'string', baseURL: 'url', transport: ['direct', 'sdk'] },
    client: () => ({
      apiKey: loadApiKey({
        apiKey: settings.apiKey,
        environmentVariables: ['ACME_API_KEY'],
        provider: 'acme',
      }),
      baseURL: settings.baseURL ?? process.env.ACME_BASE_URL ?? 'https://api.acme.example',
    }),
    async send({ apiKey, baseURL }, request, { signal }) {
      const response = await fetch(`${baseURL}/v2/generate`, {
        method: 'POST',
        signal, // cancel, timeouts and `break` abort it, which closes the connection
        headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` },
        body: acmeBody(request),
      });
      if (!response.ok || response.body === null) throw await responseError(response, 'acme'); // 429 rate_limit, …
      return { body: response.body, headers: response.headers }; // core frames it, on both transports
    },
    wire: 'sse',
    record: (record) => acmeRecord(record.data),
    translator: acmeTranslator,
    normalizeError: () => undefined, // Acme's errors are TokenwireErrors already
  });
}

// Run: pnpm example custom-adapter (against a replay of the made-up service)
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const tokenwire = createTokenwire({ providers: { acme: createAcmeAdapter() } });
  const stream = tokenwire.stream({ model: 'acme/acme-1', messages: [{ role: 'user', content: 'Hello!' }] });
  for await (const event of stream) {
    if (event.type === 'token') process.stdout.write(event.content);
    if (event.type === 'finish') console.log(`\n[${event.reason}, ${event.usage.outputTokens} tokens]`);
    if (event.type === 'error') console.log(`[${event.error.code}] ${event.error.message}`);
  }
}
