import type { Translator } from '@tokenwire/core/adapter';
import type { ChatCompletionChunk } from 'openai/resources/chat/completions';
import type { ResponseStreamEvent } from 'openai/resources/responses/responses';
import {
  createOpenAIChatStreamState,
  type OpenAIChatStreamState,
  translateOpenAIChatChunk,
} from './openai-chat-stream.js';
import {
  createOpenAIResponsesStreamState,
  type OpenAIResponsesStreamState,
  translateOpenAIResponsesEvent,
} from './openai-responses-stream.js';
import type { LocalShellItemIds } from './openai-responses-tools.js';
import type { OpenAIChunk } from './openai-send.js';

/**
 * The Chat Completions translator. The terminal record is the finish, or the usage chunk after it
 * when the request asked for usage (`sendOpenAIChat` tells the state); the SDK ends at `[DONE]`.
 */
export const openAIChatTranslator: Translator<OpenAIChunk, OpenAIChatStreamState> = {
  start: () => createOpenAIChatStreamState(),
  translate(chunk, state, out) {
    translateOpenAIChatChunk(chunk as ChatCompletionChunk, state, out);
    return state.complete;
  },
};

/**
 * The Responses API translator of one adapter, which keeps the item ids of `local_shell_call`s for
 * its next requests. `response.completed`/`incomplete` are terminal (`failed` and `error` throw).
 */
export function openAIResponsesTranslator(
  provider: string,
  localShellItemIds: LocalShellItemIds,
): Translator<OpenAIChunk, OpenAIResponsesStreamState> {
  return {
    start: () => createOpenAIResponsesStreamState({ provider, localShellItemIds }),
    translate(chunk, state, out) {
      translateOpenAIResponsesEvent(chunk as ResponseStreamEvent, state, out);
      return state.finished;
    },
  };
}
