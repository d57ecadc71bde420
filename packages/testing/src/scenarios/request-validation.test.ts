import { describe, expect, it } from 'vitest';
import { validateAnthropicRequest } from './anthropic.js';
import { TINY_PNG_BASE64 } from './conversation.js';
import { validateGeminiRequest } from './gemini.js';
import { validateOllamaRequest } from './ollama.js';
import { validateOpenaiChatRequest } from './openai-chat.js';
import { validateOpenaiResponsesRequest } from './openai-responses.js';

// The request validators accept the vendor's documented shape of the three-turn tool conversation
// and of an image, and name what is wrong with the mistakes adapters typically make.

const weatherTool = {
  name: 'get_weather',
  parameters: { type: 'object', properties: { city: { type: 'string' } } },
};

describe('validateOpenaiChatRequest', () => {
  const valid = {
    model: 'test-model',
    stream: true,
    messages: [
      { role: 'system', content: 'You are a weather assistant.' },
      { role: 'user', content: 'What is the weather in Paris?' },
      {
        role: 'assistant',
        content: null,
        tool_calls: [
          {
            id: 'call_1',
            type: 'function',
            function: { name: 'get_weather', arguments: '{"city":"Paris"}' },
          },
        ],
      },
      { role: 'tool', tool_call_id: 'call_1', content: '{"temperature":21}' },
      {
        role: 'user',
        content: [
          { type: 'text', text: 'And this?' },
          { type: 'image_url', image_url: { url: `data:image/png;base64,${TINY_PNG_BASE64}` } },
        ],
      },
    ],
    tools: [{ type: 'function', function: weatherTool }],
  };

  it('accepts the documented shape', () => {
    expect(validateOpenaiChatRequest(valid)).toEqual([]);
  });

  it('names a tool result that answers no call, object arguments and a bare base64 image', () => {
    const messages = structuredClone(valid.messages) as Array<Record<string, unknown>>;
    (messages[2] as { tool_calls: Array<{ function: Record<string, unknown> }> })
      .tool_calls[0]!.function.arguments = {
      city: 'Paris',
    };
    messages[3] = { role: 'tool', tool_call_id: 'call_other', content: 'x' };
    messages[4] = { role: 'user', content: [{ type: 'image_url', image_url: { url: TINY_PNG_BASE64 } }] };
    expect(validateOpenaiChatRequest({ ...valid, messages })).toEqual([
      'messages[2].tool_calls[0]: function.arguments must be JSON text',
      'messages[3]: answers no pending tool call (call_other)',
      'messages[4]: tool calls call_1 have no tool message right after them',
      'messages[4].content[0]: image_url.url must be an http(s) or base64 data URL',
    ]);
  });
});

describe('validateOpenaiResponsesRequest', () => {
  const valid = {
    model: 'test-model',
    stream: true,
    instructions: 'You are a weather assistant.',
    input: [
      { role: 'user', content: [{ type: 'input_text', text: 'What is the weather in Paris?' }] },
      { type: 'function_call', call_id: 'call_1', name: 'get_weather', arguments: '{"city":"Paris"}' },
      { type: 'function_call_output', call_id: 'call_1', output: '{"temperature":21}' },
      {
        role: 'user',
        content: [{ type: 'input_image', image_url: `data:image/png;base64,${TINY_PNG_BASE64}` }],
      },
    ],
    tools: [{ type: 'function', ...weatherTool }],
  };

  it('accepts the documented shape', () => {
    expect(validateOpenaiResponsesRequest(valid)).toEqual([]);
  });

  it('names an output for an unknown call, a chat-style image part and a chat-style tool', () => {
    const input = structuredClone(valid.input) as unknown[];
    input[2] = { type: 'function_call_output', call_id: 'call_2', output: 'x' };
    input[3] = { role: 'user', content: [{ type: 'image_url', image_url: { url: 'https://x/y.png' } }] };
    expect(
      validateOpenaiResponsesRequest({
        ...valid,
        input,
        tools: [{ type: 'function', function: weatherTool }],
      }),
    ).toEqual([
      'input[2]: answers no earlier function_call (call_2)',
      'input[3].content[0]: part type "image_url" is not valid in a user message',
      'input: function_call call_1 is never answered',
      "tools[0]: must be { type: 'function', name, parameters }",
    ]);
  });
});

describe('validateAnthropicRequest', () => {
  const valid = {
    model: 'test-model',
    max_tokens: 1024,
    stream: true,
    system: 'You are a weather assistant.',
    messages: [
      { role: 'user', content: 'What is the weather in Paris?' },
      {
        role: 'assistant',
        content: [{ type: 'tool_use', id: 'toolu_1', name: 'get_weather', input: { city: 'Paris' } }],
      },
      {
        role: 'user',
        content: [
          { type: 'tool_result', tool_use_id: 'toolu_1', content: '{"temperature":21}' },
          { type: 'text', text: 'And in Tokyo?' },
          { type: 'image', source: { type: 'base64', media_type: 'image/png', data: TINY_PNG_BASE64 } },
        ],
      },
    ],
    tools: [{ name: 'get_weather', input_schema: weatherTool.parameters }],
  };

  it('accepts the documented shape', () => {
    expect(validateAnthropicRequest(valid)).toEqual([]);
  });

  it('names a system role, an empty text block, a late tool_result and a missing max_tokens', () => {
    const messages = [
      { role: 'system', content: 'You are a weather assistant.' },
      { role: 'user', content: 'What is the weather in Paris?' },
      {
        role: 'assistant',
        content: [
          { type: 'text', text: '' },
          { type: 'tool_use', id: 'toolu_1', name: 'get_weather', input: { city: 'Paris' } },
        ],
      },
      {
        role: 'user',
        content: [
          { type: 'text', text: 'And in Tokyo?' },
          { type: 'tool_result', tool_use_id: 'toolu_1', content: 'x' },
        ],
      },
    ];
    expect(validateAnthropicRequest({ ...valid, max_tokens: undefined, messages })).toEqual([
      'max_tokens: required, > 0',
      'messages[0]: role must be user or assistant, not system',
      'messages[2].content[0]: text blocks must be non-empty',
      'messages[3].content[1]: tool_result blocks must come first in the message',
    ]);
  });

  it('names a tool_use that the next message does not answer', () => {
    const messages = [...valid.messages.slice(0, 2), { role: 'user', content: 'And in Tokyo?' }];
    expect(validateAnthropicRequest({ ...valid, messages })).toEqual([
      'messages[2]: tool_use toolu_1 is not answered right here',
    ]);
  });
});

describe('validateGeminiRequest', () => {
  const valid = {
    systemInstruction: { parts: [{ text: 'You are a weather assistant.' }] },
    contents: [
      { role: 'user', parts: [{ text: 'What is the weather in Paris?' }] },
      { role: 'model', parts: [{ functionCall: { name: 'get_weather', args: { city: 'Paris' } } }] },
      { role: 'user', parts: [{ functionResponse: { name: 'get_weather', response: { temperature: 21 } } }] },
      {
        role: 'user',
        parts: [{ text: 'And this?' }, { inlineData: { mimeType: 'image/png', data: TINY_PNG_BASE64 } }],
      },
    ],
    tools: [{ functionDeclarations: [weatherTool] }],
  };

  it('accepts the documented shape', () => {
    expect(validateGeminiRequest(valid)).toEqual([]);
  });

  it('names an assistant role, a string function response and a data URL image', () => {
    const contents = structuredClone(valid.contents) as Array<Record<string, unknown>>;
    contents[1] = { role: 'assistant', parts: [{ text: 'calling' }] };
    contents[2] = { role: 'user', parts: [{ functionResponse: { name: 'get_weather', response: '21' } }] };
    contents[3] = {
      role: 'user',
      parts: [{ inlineData: { mimeType: 'image/png', data: `data:image/png;base64,${TINY_PNG_BASE64}` } }],
    };
    expect(validateGeminiRequest({ ...valid, contents })).toEqual([
      'contents[1]: role must be user or model, not "assistant"',
      'contents[2].parts[0]: functionResponse.response must be an object',
      'contents[2]: functionResponse parts answer no functionCall',
      'contents[3].parts[0]: inlineData needs mimeType and base64 data',
    ]);
  });
});

describe('validateOllamaRequest', () => {
  const valid = {
    model: 'test-model',
    stream: true,
    messages: [
      { role: 'system', content: 'You are a weather assistant.' },
      { role: 'user', content: 'What is the weather in Paris?' },
      {
        role: 'assistant',
        content: '',
        tool_calls: [{ function: { name: 'get_weather', arguments: { city: 'Paris' } } }],
      },
      { role: 'tool', content: '{"temperature":21}', tool_name: 'get_weather' },
      { role: 'user', content: 'And this?', images: [TINY_PNG_BASE64] },
    ],
    tools: [{ type: 'function', function: weatherTool }],
  };

  it('accepts the documented shape', () => {
    expect(validateOllamaRequest(valid)).toEqual([]);
  });

  it('names JSON text arguments, a data URL image and an unanswered call', () => {
    const messages = structuredClone(valid.messages) as Array<Record<string, unknown>>;
    messages[2] = {
      role: 'assistant',
      content: '',
      tool_calls: [{ function: { name: 'get_weather', arguments: '{}' } }],
    };
    messages[3] = { role: 'user', content: 'x', images: [`data:image/png;base64,${TINY_PNG_BASE64}`] };
    expect(validateOllamaRequest({ ...valid, messages: messages.slice(0, 4) })).toEqual([
      'messages[2].tool_calls[0]: function.arguments must be an object, not JSON text',
      'messages[3]: images must be bare base64 strings (no data: prefix)',
      'messages[3]: tool calls get_weather have no tool message right after them',
    ]);
  });
});
