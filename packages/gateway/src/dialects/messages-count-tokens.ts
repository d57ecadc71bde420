import type { DecodedRequest } from './dialect.js';

// `POST /v1/messages/count_tokens` answers an estimate, flagged by the response header
// `x-tokenwire-token-count: estimate`, until providers' own counts reach tokenwire (issue 33).

/** Characters per token of the estimate: English text and JSON average about four. */
const CHARACTERS_PER_TOKEN = 4;

/** `{ input_tokens }`: the request's text, tool definitions and response schema, four characters a token. */
export function countTokensBody(decoded: DecodedRequest): { input_tokens: number } {
  let characters = 0;
  for (const message of decoded.request.messages) {
    if (message.role === 'assistant') {
      characters += (message.content ?? '').length;
      for (const call of message.toolCalls ?? []) characters += call.name.length + call.arguments.length;
      for (const part of message.reasoning ?? []) characters += part.text.length;
    } else if (typeof message.content === 'string') characters += message.content.length;
    else for (const part of message.content) characters += part.type === 'text' ? part.text.length : 0;
  }
  for (const tool of decoded.request.tools ?? []) {
    characters +=
      tool.name.length + (tool.description?.length ?? 0) + JSON.stringify(tool.parameters ?? {}).length;
  }
  // Images are counted as Anthropic's typical cost of one, about 1,600 tokens.
  const images = decoded.request.messages.reduce(
    (count, message) =>
      count +
      (message.role === 'user' && Array.isArray(message.content)
        ? message.content.filter((part) => part.type === 'image').length
        : 0),
    0,
  );
  return { input_tokens: Math.ceil(characters / CHARACTERS_PER_TOKEN) + images * 1600 };
}
