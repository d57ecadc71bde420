import { openaiError } from './chat-dialect.js';
import type { Dialect } from './dialect.js';
import { finishedResponse, outputOfFinish } from './responses-items.js';
import { decodeResponsesRequest } from './responses-request.js';
import { ResponsesStreamEncoder } from './responses-stream.js';

/** OpenAI Responses (Open Responses): `POST /v1/responses`, with OpenAI's error shape. */
export const responsesDialect: Dialect = {
  name: 'responses',
  decode: decodeResponsesRequest,
  streamEncoder: (context) => new ResponsesStreamEncoder(context),
  answerBody: (finish, context) => finishedResponse(finish, context, outputOfFinish(finish, context)),
  errorAnswer: (problem) => ({ status: problem.status, body: { error: openaiError(problem) } }),
};
