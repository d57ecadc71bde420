import type { RawMessageStreamEvent } from '@anthropic-ai/sdk/resources/messages';
import type { Translator } from '@tokenwire/core/adapter';
import { type AnthropicStructuredOutput, jsonAnswerMethodOf } from './anthropic-json-answer.js';
import {
  type AnthropicStreamState,
  createAnthropicStreamState,
  translateAnthropicEventInto,
} from './anthropic-stream.js';

/**
 * The Messages stream translator of one adapter, the same on both transports: each request's state
 * knows whether its answer comes through the forced `json` tool (streamed back as text), and
 * `message_stop` is the terminal record.
 */
export function anthropicTranslator(
  provider: string,
  structuredOutput: AnthropicStructuredOutput,
): Translator<RawMessageStreamEvent, AnthropicStreamState> {
  return {
    start: (request) =>
      createAnthropicStreamState(provider, {
        jsonAnswerTool: jsonAnswerMethodOf(request, structuredOutput) === 'tool',
      }),
    translate: translateAnthropicEventInto,
  };
}
