import type { AnswerSource, GatewayAnswer, GatewayRequest } from './exchange.js';
import { createHandler } from './gateway-handler.js';
import type { Gateway, GatewayOptions } from './gateway-types.js';
import { Governor } from './governance/governor.js';
import { listenOnNode } from './listen.js';
import { authProblem } from './static-auth.js';

const encoder = new TextEncoder();

/** A web `Request` as the handler reads it. */
function requestOf(request: Request): GatewayRequest {
  const url = request.url;
  const pathStart = url.indexOf('/', url.indexOf('//') + 2);
  const queryStart = url.indexOf('?', pathStart);
  const body = request.body;
  return {
    method: request.method,
    path: pathStart < 0 ? '/' : url.slice(pathStart, queryStart < 0 ? undefined : queryStart),
    query: queryStart < 0 ? '' : url.slice(queryStart + 1),
    header: (name) => request.headers.get(name),
    body: body === null ? null : (body as unknown as AsyncIterable<Uint8Array>),
    signal: request.signal,
  };
}

/** The handler's answer as a web `Response`: a streamed answer is pulled as the client reads. */
function responseOf(answer: GatewayAnswer): Response {
  const headers =
    answer.closeConnection === true ? { ...answer.headers, connection: 'close' } : answer.headers;
  if (typeof answer.body === 'string') return new Response(answer.body, { status: answer.status, headers });
  const source: AnswerSource = answer.body;
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const text = await source.next();
      if (text === undefined) controller.close();
      else controller.enqueue(encoder.encode(text));
    },
    cancel: () => source.cancel(),
  });
  return new Response(body, { status: answer.status, headers });
}

/**
 * Creates a gateway over a tokenwire client: OpenAI Chat Completions (`POST /v1/chat/completions`),
 * Anthropic Messages (`POST /v1/messages`, `/v1/messages/count_tokens`) and OpenAI Responses
 * (`POST /v1/responses`) in, any provider of the client out; `GET /v1/models`, `GET /health`.
 * With `auth: { masterKey, store? }`, requests take virtual keys (`sk-tw-…`) made through the admin
 * API (`POST /admin/keys`), with budgets, limits and a spend log. Throws a TypeError for a bad `auth`.
 *
 * @example
 * const gateway = createGateway({ tokenwire: createTokenwire(), models: { 'gpt-4o': 'openai/gpt-4.1' } });
 * const server = await gateway.listen({ port: 4000 }); // OpenAI clients: baseURL `${server.url}/v1`
 */
export function createGateway(options: GatewayOptions): Gateway {
  const problem = options.auth === undefined ? undefined : authProblem(options.auth);
  if (problem !== undefined) throw new TypeError(`createGateway: ${problem}.`);
  const auth = options.auth;
  const governor = auth !== undefined && 'masterKey' in auth ? new Governor(auth) : undefined;
  const handle = createHandler(options, governor);
  return {
    async fetch(request) {
      return responseOf(await handle(requestOf(request)));
    },
    listen: (listenOptions = {}) => listenOnNode(handle, listenOptions, options.auth !== undefined),
    flush: async () => governor?.flush(),
    close: async () => governor?.close(),
  };
}
