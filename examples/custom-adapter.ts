/**
 * A custom adapter for a made-up SSE service, "Acme": `POST /v2/generate` answers with SSE records
 * named by their JSON `type` (see AcmeEvent). The adapter only translates; the runtime does the
 * rest (accumulation, tool-call assembly, timeouts, cancel, retries). custom-adapter.test.ts
 * checks it with the adapter conformance suite of @tokenwire/testing.
 */
import { pathToFileURL } from 'node:url';
import {
  type Adapter,
  createTokenwire,
  type FinishReason,
  type Message,
  TokenwireError,
} from '@tokenwire/core';
import {
  type AdapterDelta,
  errorCodeFromStatus,
  loadApiKey,
  readSSE,
  retryAfterMsFromHeaders,
  toolCallArguments,
} from '@tokenwire/core/adapter';

type AcmeEvent =
  | { type: 'response.start'; id: string; model: string }
  | { type: 'text' | 'thinking'; text: string }
  | { type: 'tool'; call: number; id?: string; name?: string; arguments?: string }
  | { type: 'done'; reason: string; usage?: { input: number; output: number } }
  | { type: 'error'; code: string; message: string };

const REASONS: Record<string, FinishReason> = { stop: 'stop', max_tokens: 'length', tool_use: 'tool_calls' };

/** One Acme event to deltas: synchronous and pure, so that a test can feed it recorded events. */
export function translateAcmeEvent(event: AcmeEvent): AdapterDelta[] {
  switch (event.type) {
    case 'response.start':
      return [{ type: 'start', model: event.model, responseId: event.id }];
    case 'text':
      return [{ type: 'text', delta: event.text }];
    case 'thinking':
      return [{ type: 'reasoning', delta: event.text }];
    case 'tool': {
      // id and name come on a call's first fragment only; the runtime joins the fragments by index
      const { call: index, id, name, arguments: argumentsDelta } = event;
      return [{ type: 'tool_call', index, id, name, argumentsDelta }];
    }
    case 'done': {
      const usage = event.usage && { inputTokens: event.usage.input, outputTokens: event.usage.output };
      const reason = REASONS[event.reason] ?? 'other';
      const finish: AdapterDelta = { type: 'finish', reason, rawReason: event.reason };
      return usage === undefined ? [finish] : [{ type: 'usage', usage }, finish];
    }
    case 'error': // in the stream: before any output, the runtime retries it like an HTTP 5xx
      throw new TokenwireError({ code: 'server', provider: 'acme', message: `Acme: ${event.message}` });
    default:
      return []; // unknown events are ignored, never fatal
  }
}

/** Acme takes tokenwire's request shape; history tool calls with broken arguments go as `{}`, as everywhere. */
function withObjectArguments(message: Message): Message {
  if (message.role !== 'assistant' || message.toolCalls === undefined) return message;
  return {
    ...message,
    toolCalls: message.toolCalls.map((call) => ({ ...call, arguments: toolCallArguments(call) })),
  };
}

/** The Acme adapter. The key defaults to ACME_API_KEY, the base URL to ACME_BASE_URL. */
export function createAcmeAdapter(settings: { apiKey?: string; baseURL?: string } = {}): Adapter {
  return {
    name: 'acme',
    async *stream(request, { signal }) {
      // a missing key is a configuration error naming ACME_API_KEY; the key is redacted from every error
      const apiKey = loadApiKey({
        apiKey: settings.apiKey,
        environmentVariables: ['ACME_API_KEY'],
        provider: 'acme',
      });
      const baseURL = settings.baseURL ?? process.env.ACME_BASE_URL ?? 'https://api.acme.example';
      const response = await fetch(`${baseURL}/v2/generate`, {
        method: 'POST',
        signal, // cancel, timeouts and `break` abort it, which closes the connection
        headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` },
        body: JSON.stringify({
          ...request,
          messages: request.messages.map(withObjectArguments),
          stream: true,
        }),
      });
      if (!response.ok || response.body === null) {
        throw new TokenwireError({
          code: errorCodeFromStatus(response.status), // 429 rate_limit, 401 authentication, 5xx server…
          status: response.status,
          provider: 'acme',
          retryAfterMs: retryAfterMsFromHeaders(response.headers),
          message: `Acme answered HTTP ${response.status}: ${(await response.text()).slice(0, 200)}`,
        });
      }
      for await (const record of readSSE(response.body)) {
        const event = JSON.parse(record.data) as AcmeEvent;
        yield* translateAcmeEvent(event);
        if (event.type === 'done') return; // the terminal record: stop reading, even if the server does not close
      }
    },
  };
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
