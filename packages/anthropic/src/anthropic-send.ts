import type { RawMessageStreamEvent } from '@anthropic-ai/sdk/resources/messages';
import type { ChatRequest, SendContext, Sent } from '@tokenwire/core/adapter';
import { responseBody } from '@tokenwire/core/internal';
import { type AnthropicMessagesClient, clientBaseURLProblem } from './anthropic-client.js';
import { type AnthropicParamsOptions, toAnthropicParams } from './anthropic-messages.js';
import type { AnthropicStreamState } from './anthropic-stream.js';

/** What one adapter sends with, and what it learnt from the requests it sent. */
export interface AnthropicSendTarget {
  provider: string;
  /** How requests become `messages.create` parameters (`defaultMaxTokens`, `structuredOutput`). */
  paramsOptions: AnthropicParamsOptions;
  /** Set once the client's base URL was found free of credentials (it is checked on the first request). */
  baseURLChecked?: boolean;
}

/**
 * Sends a Messages request through the SDK (`messages.create({ …, stream: true })`: auth, base URL,
 * `anthropic-version`, headers, its `APIError`s for a non-2xx answer), with the SDK's retries off
 * and the runtime's abort signal. With the direct transport `.asResponse()` hands over the raw 200
 * `Response` unread, for core to frame; with `'sdk'` the SDK's own `Stream` is handed over, whose
 * connection is closed by aborting its controller. The same for `Anthropic`, `AnthropicBedrock`
 * (which transcodes AWS's event-stream frames to SSE before either reads the body) and
 * `AnthropicVertex`. The client's base URL is checked for credentials once, before the first send
 * (a passed client's, or ANTHROPIC_BASE_URL, which core never sees).
 */
export async function sendAnthropic(
  target: AnthropicSendTarget,
  client: AnthropicMessagesClient,
  request: ChatRequest,
  context: SendContext<AnthropicStreamState>,
): Promise<Sent<RawMessageStreamEvent>> {
  if (target.baseURLChecked !== true) {
    const problem = clientBaseURLProblem(client, target.provider);
    if (problem !== undefined) throw problem;
    target.baseURLChecked = true;
  }
  const params = toAnthropicParams(request, target.paramsOptions);
  const options = {
    signal: context.signal,
    maxRetries: 0,
    ...(request.headers === undefined ? {} : { headers: request.headers }),
  };
  const call = client.messages.create(params, options);
  if (context.transport === 'direct') {
    const response = await call.asResponse();
    return { body: responseBody(response, 'Anthropic'), headers: response.headers };
  }
  const events = await call;
  // On abort the SDK ends its iteration silently; the runtime has already ended the stream.
  return { chunks: events, release: () => events.controller.abort() };
}
