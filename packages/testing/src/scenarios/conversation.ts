import type { Message, Tool } from '@tokenwire/core';

/** A 1×1 transparent PNG, base64: the image the request scenarios send. */
export const TINY_PNG_BASE64 =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=';

/** The tools every conformance request declares. */
export const conformanceTools: Tool[] = [
  {
    name: 'get_weather',
    description: 'The current weather in a city.',
    parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
  },
  { name: 'get_time', description: 'The current time.', parameters: { type: 'object', properties: {} } },
];

/** Texts of the tool conversation, to find them again in a vendor request body. */
export const conversationTexts = {
  system: 'You are a weather assistant.',
  firstQuestion: 'What is the weather in Paris?',
  toolResult: '{"temperature":21}',
  secondQuestion: 'And in Tokyo?',
  imageQuestion: 'What is in this image?',
} as const;

/**
 * The three-turn tool conversation every adapter must map to a valid vendor request: system,
 * user, assistant tool call, tool result, user. The tool message names no tool, so the adapter
 * finds the name (Gemini, Ollama need it) through the call id.
 */
export const toolConversation: Message[] = [
  { role: 'system', content: conversationTexts.system },
  { role: 'user', content: conversationTexts.firstQuestion },
  {
    role: 'assistant',
    content: null,
    toolCalls: [{ id: 'call_weather_1', name: 'get_weather', arguments: '{"city":"Paris"}' }],
  },
  { role: 'tool', toolCallId: 'call_weather_1', content: conversationTexts.toolResult },
  { role: 'user', content: conversationTexts.secondQuestion },
];

/** A user message with text and an inline base64 PNG. */
export const imageConversation: Message[] = [
  {
    role: 'user',
    content: [
      { type: 'text', text: conversationTexts.imageQuestion },
      { type: 'image', data: TINY_PNG_BASE64, mediaType: 'image/png' },
    ],
  },
];
