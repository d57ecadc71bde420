/**
 * The five vendor wire protocols the replay server speaks: how a request path maps to one, how a
 * payload is framed, and what the vendor's error bodies and in-band error records look like.
 * @see /shared/VENDOR-NOTES.md §2 for the formats as captured from the real SDKs.
 */

/** A vendor wire protocol, chosen by the replay server from the request path. */
export type WireProtocol = 'openai-chat' | 'openai-responses' | 'anthropic' | 'gemini' | 'ollama';

/**
 * The protocol a request path belongs to, or undefined for a path no vendor SDK uses:
 * `…/chat/completions`, `…/responses`, `…/v1/messages`, `…/models/{model}:streamGenerateContent`
 * (`/v1beta/` and `/v1/` forms), `…/api/chat` (and `…/api/generate`).
 */
export function protocolOfPath(path: string): WireProtocol | undefined {
  if (path.endsWith('/chat/completions')) return 'openai-chat';
  if (path.endsWith('/responses')) return 'openai-responses';
  if (path.endsWith('/v1/messages')) return 'anthropic';
  if (/\/models\/[^/]+:streamGenerateContent$/.test(path)) return 'gemini';
  if (path.endsWith('/api/chat') || path.endsWith('/api/generate')) return 'ollama';
  return undefined;
}

/** The HTTP content type of a protocol's streaming response. */
export function streamContentType(protocol: WireProtocol): string {
  return protocol === 'ollama' ? 'application/x-ndjson' : 'text/event-stream; charset=utf-8';
}

function dataText(payload: unknown): string {
  // A string payload is sent verbatim, so a script can also replay malformed records.
  return typeof payload === 'string' ? payload : JSON.stringify(payload);
}

function eventName(payload: unknown): string | undefined {
  const type = (payload as { type?: unknown } | null)?.type;
  return typeof type === 'string' ? type : undefined;
}

/** One payload framed as a record of the protocol (an SSE event or an NDJSON line). */
export function encodeRecord(protocol: WireProtocol, payload: unknown): string {
  const data = dataText(payload);
  switch (protocol) {
    case 'openai-chat':
      return `data: ${data}\n\n`;
    case 'openai-responses':
    case 'anthropic': {
      // Anthropic's SDK drops records without an `event:` line; the event name is the JSON `type`.
      // A malformed record (a string payload) still gets one, as the real API names every event.
      const name = eventName(payload) ?? (protocol === 'anthropic' ? 'content_block_delta' : undefined);
      return name === undefined ? `data: ${data}\n\n` : `event: ${name}\ndata: ${data}\n\n`;
    }
    case 'gemini':
      // The real Gemini API separates records with CRLF pairs.
      return `data: ${data}\r\n\r\n`;
    case 'ollama':
      return `${data}\n`;
  }
}

/** The record a protocol sends after the last payload: `data: [DONE]` for OpenAI chat, else nothing. */
export function terminalRecord(protocol: WireProtocol): string | undefined {
  return protocol === 'openai-chat' ? 'data: [DONE]\n\n' : undefined;
}

/**
 * An SSE comment line as proxies send to keep a connection alive, or undefined for NDJSON
 * (Ollama has no comment syntax; its client warns about every line that is not JSON).
 */
export function keepAliveRecord(protocol: WireProtocol): string | undefined {
  if (protocol === 'ollama') return undefined;
  return protocol === 'gemini' ? ': keep-alive\r\n\r\n' : ': keep-alive\n\n';
}

/**
 * A record that carries nothing for the user, as servers send on a timer while they think: an
 * empty delta (OpenAI chat), `response.in_progress` (Responses), an empty text delta of block 0
 * (Anthropic), a candidate with no parts (Gemini), an empty message (Ollama).
 */
export function emptyRecord(protocol: WireProtocol): unknown {
  switch (protocol) {
    case 'openai-chat':
      return {
        id: 'chatcmpl-replay',
        object: 'chat.completion.chunk',
        created: 1_790_000_000,
        model: 'test-model',
        choices: [{ index: 0, delta: {}, finish_reason: null }],
      };
    case 'openai-responses':
      return {
        type: 'response.in_progress',
        response: { id: 'resp_replay', status: 'in_progress', output: [] },
        sequence_number: 0,
      };
    case 'anthropic':
      return { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: '' } };
    case 'gemini':
      return { candidates: [{ content: { role: 'model', parts: [] }, index: 0 }] };
    case 'ollama':
      return {
        model: 'test-model',
        created_at: '2026-12-01T00:00:00Z',
        message: { role: 'assistant', content: '' },
        done: false,
      };
  }
}

/** What an in-band error record says; every field has a vendor-typical default. */
export interface InBandErrorOptions {
  message?: string;
  type?: string;
  code?: number | string;
}

/**
 * The vendor's in-band error record: OpenAI `data: {"error":…}`, Responses `event: error`,
 * Anthropic `event: error` (default `overloaded_error`), Gemini `data: {"error":{code:503,…}}`,
 * Ollama `{"error":"…"}`.
 */
export function encodeInBandError(protocol: WireProtocol, options: InBandErrorOptions, sequence = 0): string {
  switch (protocol) {
    case 'openai-chat':
      return encodeRecord(protocol, {
        error: {
          message: options.message ?? 'The server had an error while processing your request.',
          type: options.type ?? 'server_error',
          param: null,
          code: options.code ?? null,
        },
      });
    case 'openai-responses':
      return encodeRecord(protocol, {
        type: 'error',
        code: options.code ?? options.type ?? 'server_error',
        message: options.message ?? 'The server had an error while processing your request.',
        param: null,
        sequence_number: sequence,
      });
    case 'anthropic':
      return encodeRecord(protocol, {
        type: 'error',
        error: { type: options.type ?? 'overloaded_error', message: options.message ?? 'Overloaded' },
      });
    case 'gemini': {
      const code = typeof options.code === 'number' ? options.code : 503;
      return encodeRecord(protocol, {
        error: {
          code,
          message: options.message ?? 'The model is overloaded. Please try again later.',
          status: options.type ?? googleStatus(code),
        },
      });
    }
    case 'ollama':
      return encodeRecord(protocol, {
        error: options.message ?? 'an error was encountered while running the model',
      });
  }
}

const STATUS_TEXT: Readonly<Record<number, string>> = {
  400: 'Bad request',
  401: 'Invalid authentication credentials',
  403: 'Permission denied',
  404: 'Not found',
  408: 'Request timed out',
  413: 'Request too large',
  429: 'Rate limit exceeded, please retry later',
  500: 'Internal server error',
  502: 'Bad gateway',
  503: 'Service unavailable',
  504: 'Gateway timeout',
  529: 'Overloaded',
};

/** A default message for an HTTP status. */
export function statusMessage(status: number): string {
  return STATUS_TEXT[status] ?? (status >= 500 ? 'Server error' : `HTTP ${status}`);
}

function openaiErrorKind(status: number): { type: string; code: string | null } {
  if (status === 401) return { type: 'invalid_request_error', code: 'invalid_api_key' };
  if (status === 403) return { type: 'invalid_request_error', code: 'unsupported_country_region_territory' };
  if (status === 404) return { type: 'invalid_request_error', code: 'model_not_found' };
  if (status === 429) return { type: 'requests', code: 'rate_limit_exceeded' };
  if (status >= 500) return { type: 'server_error', code: null };
  return { type: 'invalid_request_error', code: null };
}

function anthropicErrorType(status: number): string {
  switch (status) {
    case 400:
      return 'invalid_request_error';
    case 401:
      return 'authentication_error';
    case 402:
      return 'billing_error';
    case 403:
      return 'permission_error';
    case 404:
      return 'not_found_error';
    case 413:
      return 'request_too_large';
    case 429:
      return 'rate_limit_error';
    case 529:
      return 'overloaded_error';
    default:
      return status >= 500 ? 'api_error' : 'invalid_request_error';
  }
}

/** The `status` word of a Google API error for an HTTP status (`RESOURCE_EXHAUSTED` for 429, …). */
export function googleStatus(status: number): string {
  switch (status) {
    case 400:
      return 'INVALID_ARGUMENT';
    case 401:
      return 'UNAUTHENTICATED';
    case 403:
      return 'PERMISSION_DENIED';
    case 404:
      return 'NOT_FOUND';
    case 429:
      return 'RESOURCE_EXHAUSTED';
    case 500:
      return 'INTERNAL';
    case 503:
    case 529:
      return 'UNAVAILABLE';
    case 504:
      return 'DEADLINE_EXCEEDED';
    default:
      return status >= 500 ? 'INTERNAL' : 'FAILED_PRECONDITION';
  }
}

/**
 * The JSON error body a vendor answers an HTTP error status with: OpenAI `{error:{message,type,param,code}}`,
 * Anthropic `{type:'error',error:{type,message},request_id}`, Gemini `{error:{code,message,status}}`,
 * Ollama `{error:"…"}`. An undefined protocol gets the OpenAI shape.
 */
export function errorBody(protocol: WireProtocol | undefined, status: number, message?: string): unknown {
  const text = message ?? statusMessage(status);
  switch (protocol) {
    case 'anthropic':
      return { type: 'error', error: { type: anthropicErrorType(status), message: text } };
    case 'gemini':
      return { error: { code: status, message: text, status: googleStatus(status) } };
    case 'ollama':
      return { error: text };
    default: {
      const { type, code } = openaiErrorKind(status);
      return { error: { message: text, type, param: null, code } };
    }
  }
}
