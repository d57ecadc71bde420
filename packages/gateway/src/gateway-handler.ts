import type { TokenwireHooks } from '@tokenwire/core';
import { errorAnswer, jsonBodyAnswer, OverheadClock, streamAnswer } from './answer.js';
import { chatDialect } from './dialects/chat-dialect.js';
import type { AnswerContext, Dialect } from './dialects/dialect.js';
import { countTokensAnswer } from './dialects/messages-count-tokens.js';
import { messagesDialect } from './dialects/messages-dialect.js';
import { responsesDialect } from './dialects/responses-dialect.js';
import { type GatewayAnswer, type GatewayRequest, jsonAnswer } from './exchange.js';
import { type GatewayProblem, problemOfRefusal, RequestRefusal } from './gateway-problem.js';
import type { GatewayAuth, GatewayOptions } from './gateway-types.js';
import { adminAnswer } from './governance/admin-api.js';
import type { Governor } from './governance/governor.js';
import { ModelTable } from './model-table.js';
import { DEFAULT_MAX_BODY_BYTES, readJsonBody } from './request-body.js';
import { type Authenticator, staticTokens } from './static-auth.js';

/** The POST routes and the dialect each speaks. */
const POST_ROUTES: Record<string, Dialect> = {
  '/v1/chat/completions': chatDialect,
  '/v1/messages': messagesDialect,
  '/v1/messages/count_tokens': messagesDialect,
  '/v1/responses': responsesDialect,
};

/** A unique-enough id per answer, cheaper than a UUID: a random prefix per process and a counter. */
const ID_PREFIX = Math.random().toString(36).slice(2, 10);
let answerCount = 0;

/** The dialect whose error shape a path's failures take (Anthropic's for `/v1/messages…`). */
function dialectOfPath(path: string): Dialect {
  return path.startsWith('/v1/messages') ? messagesDialect : chatDialect;
}

/** Answers one request: route, auth, body, decode, model, then the stream or the JSON body. */
export type GatewayHandler = (request: GatewayRequest) => Promise<GatewayAnswer>;

/** The handler behind `fetch` and `listen`; `governor` when `auth` is governed (virtual keys). */
export function createHandler(options: GatewayOptions, governor?: Governor): GatewayHandler {
  const models = new ModelTable(options.models);
  const auth: Authenticator | undefined =
    options.auth === undefined || governor !== undefined
      ? undefined
      : staticTokens(options.auth as GatewayAuth);
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const tokenwire = options.tokenwire;

  return async (request) => {
    const clock = new OverheadClock();
    const { method, path } = request;
    if (path === '/health' && method === 'GET') return jsonAnswer(200, { status: 'ok' });
    const dialect = POST_ROUTES[path] ?? dialectOfPath(path);
    if (governor !== undefined) {
      const admin = await adminAnswer(governor, request);
      if (admin !== undefined) return admin;
    }
    const refusal = auth?.refuse(request);
    if (refusal !== undefined)
      return refusedAnswer(dialect, { status: 401, code: 'authentication', message: refusal });
    const key = governor === undefined ? undefined : await governor.authenticate(request);
    if (key !== undefined && 'status' in key) return refusedAnswer(dialect, key);
    if (path === '/v1/models' && method === 'GET') {
      const list =
        request.header('anthropic-version') === null ? models.openaiList() : models.anthropicList();
      return jsonAnswer(200, list);
    }
    if (POST_ROUTES[path] === undefined || method !== 'POST')
      return errorAnswer(dialect, routeProblem(method, path));
    try {
      const body = await readJsonBody(request, maxBodyBytes);
      const decoded = dialect.decode(body);
      const model = models.resolve(decoded.model);
      if (model === undefined) return errorAnswer(dialect, models.unknown(decoded.model));
      if (path === '/v1/messages/count_tokens')
        return await countTokensAnswer(tokenwire, decoded, model, request.signal);
      let hooks: TokenwireHooks[] | undefined;
      if (governor !== undefined && key !== undefined) {
        const admission = await governor.admit(key, decoded.model, model, decoded.request);
        if ('status' in admission) return errorAnswer(dialect, admission);
        hooks = [...(decoded.request.hooks ?? []), admission.hooks];
      }
      const streamRequest = { ...decoded.request, model, signal: request.signal };
      const stream = tokenwire.stream(hooks === undefined ? streamRequest : { ...streamRequest, hooks });
      const context: AnswerContext = {
        model: decoded.model,
        includeUsage: decoded.includeUsage === true,
        created: Math.floor(Date.now() / 1000),
        id: `${ID_PREFIX}${(++answerCount).toString(36)}`,
      };
      const plan = { dialect, context, stream, clock };
      return decoded.stream ? await streamAnswer(plan) : await jsonBodyAnswer(plan);
    } catch (error) {
      if (!(error instanceof RequestRefusal)) throw error;
      const answer = errorAnswer(dialect, problemOfRefusal(error));
      return error.status === 413 ? { ...answer, closeConnection: true } : answer;
    }
  };
}

/** A refused credential: the dialect's 401 (or 503), and the connection closed. */
function refusedAnswer(dialect: Dialect, problem: GatewayProblem): GatewayAnswer {
  return { ...errorAnswer(dialect, problem), closeConnection: problem.status === 401 };
}

function routeProblem(method: string, path: string): GatewayProblem {
  const known = POST_ROUTES[path] !== undefined || path === '/v1/models' || path === '/health';
  return {
    status: known ? 405 : 404,
    code: known ? 'invalid_request' : 'unknown_route',
    message: known
      ? `${method} ${path} is not served: use ${POST_ROUTES[path] === undefined ? 'GET' : 'POST'}.`
      : `${method} ${path} is not a route of the gateway. Routes: POST /v1/chat/completions, ` +
        'POST /v1/messages, POST /v1/messages/count_tokens, POST /v1/responses, GET /v1/models, GET /health.',
  };
}
