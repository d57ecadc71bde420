import { type ChatRequest, type Message, TokenwireError } from '@tokenwire/core';
import { describe, expect, it } from 'vitest';
import { toGoogleRequest } from './google-messages.js';

const request = (messages: Message[], extra: Partial<ChatRequest> = {}): ChatRequest => ({
  model: 'gemini-2.5-flash',
  messages,
  ...extra,
});

function errorMessageOf(action: () => unknown): string {
  try {
    action();
  } catch (error) {
    if (TokenwireError.isInstance(error) && error.code === 'invalid_request') return error.message;
    throw error;
  }
  throw new Error('expected an invalid_request TokenwireError');
}

const weatherCall = { id: 'call_1', name: 'weather', arguments: '{"city":"Paris"}' };

describe('toGoogleRequest', () => {
  it('sends system messages as systemInstruction and assistant turns as the model role', () => {
    expect(
      toGoogleRequest(
        request([
          { role: 'system', content: 'Be brief.' },
          { role: 'user', content: 'Hi' },
          { role: 'assistant', content: 'Hello!' },
          { role: 'user', content: 'Bye' },
        ]),
      ),
    ).toEqual({
      systemInstruction: { parts: [{ text: 'Be brief.' }] },
      contents: [
        { role: 'user', parts: [{ text: 'Hi' }] },
        { role: 'model', parts: [{ text: 'Hello!' }] },
        { role: 'user', parts: [{ text: 'Bye' }] },
      ],
      generationConfig: {},
    });
  });

  it('sends tool calls as functionCall parts and results as functionResponse parts named after their call', () => {
    const body = toGoogleRequest(
      request([
        { role: 'user', content: 'Weather in Paris and the time?' },
        {
          role: 'assistant',
          toolCalls: [weatherCall, { id: 'call_2', name: 'clock', arguments: '', input: undefined }],
          reasoning: [{ text: '', signature: 'sig-call' }],
        },
        { role: 'tool', toolCallId: 'call_1', content: '18°C' },
        { role: 'tool', toolCallId: 'call_2', content: 'clock is broken', isError: true },
      ]),
    );
    expect(body.contents.slice(1)).toEqual([
      {
        role: 'model',
        parts: [
          { functionCall: { name: 'weather', args: { city: 'Paris' } }, thoughtSignature: 'sig-call' },
          { functionCall: { name: 'clock', args: {} } },
        ],
      },
      {
        role: 'user',
        parts: [
          { functionResponse: { name: 'weather', response: { output: '18°C' } } },
          { functionResponse: { name: 'clock', response: { error: 'clock is broken' } } },
        ],
      },
    ]);
  });

  it('sends reasoning text as thought parts and a part signature on the answer text', () => {
    const body = toGoogleRequest(
      request([
        {
          role: 'assistant',
          content: 'Three.',
          reasoning: [
            { text: 'Counting.', signature: 'sig-thought' },
            { text: '', signature: 'sig-answer' },
          ],
        },
      ]),
    );
    expect(body.contents).toEqual([
      {
        role: 'model',
        parts: [
          { text: 'Counting.', thought: true, thoughtSignature: 'sig-thought' },
          { text: 'Three.', thoughtSignature: 'sig-answer' },
        ],
      },
    ]);
  });

  it('moves the signature of folded reasoning onto the first function call', () => {
    const body = toGoogleRequest(
      request([
        { role: 'assistant', toolCalls: [weatherCall], reasoning: [{ text: 'Thinking', signature: 'sig' }] },
      ]),
    );
    expect(body.contents).toEqual([
      {
        role: 'model',
        parts: [
          { text: 'Thinking', thought: true },
          { functionCall: { name: 'weather', args: { city: 'Paris' } }, thoughtSignature: 'sig' },
        ],
      },
    ]);
  });

  it('names a tool result after the call it answers, whatever name the message carries', () => {
    const body = toGoogleRequest(
      request([
        { role: 'assistant', toolCalls: [weatherCall] },
        { role: 'tool', toolCallId: 'call_1', name: 'not_the_call', content: '18°C' },
      ]),
    );
    expect(body.contents[1]).toEqual({
      role: 'user',
      parts: [{ functionResponse: { name: 'weather', response: { output: '18°C' } } }],
    });
  });

  it('sends history tool-call arguments that are not a JSON object as {}, as every provider does', () => {
    const calls = [
      { id: 'call_7', name: 'weather', arguments: '{"city": "Par' },
      { id: 'call_8', name: 'weather', arguments: '[1]' },
      { id: 'call_9', name: 'weather', arguments: 'not json', input: { city: 'Oslo' } },
    ];
    const body = toGoogleRequest(request([{ role: 'assistant', toolCalls: calls }]));
    expect(body.contents[0]?.parts).toEqual([
      { functionCall: { name: 'weather', args: {} } },
      { functionCall: { name: 'weather', args: {} } },
      { functionCall: { name: 'weather', args: { city: 'Oslo' } } },
    ]);
  });

  it('sends images as inlineData, or fileData for a URL', () => {
    const body = toGoogleRequest(
      request([
        {
          role: 'user',
          content: [
            { type: 'text', text: 'Compare' },
            { type: 'image', url: 'data:image/webp;base64,UklGRgAA' },
            { type: 'image', data: 'iVBORw0KGgoAAAA', mediaType: 'image/png' },
            { type: 'image', data: 'AAAA', mediaType: 'image/heic' },
            { type: 'image', url: 'https://example.com/cat.JPG?size=2' },
          ],
        },
      ]),
    );
    expect(body.contents[0]?.parts).toEqual([
      { text: 'Compare' },
      { inlineData: { mimeType: 'image/webp', data: 'UklGRgAA' } },
      { inlineData: { mimeType: 'image/png', data: 'iVBORw0KGgoAAAA' } },
      { inlineData: { mimeType: 'image/heic', data: 'AAAA' } },
      { fileData: { fileUri: 'https://example.com/cat.JPG?size=2', mimeType: 'image/jpeg' } },
    ]);
  });

  it('refuses an image URL of unknown media type, naming the part: Gemini needs a mimeType', () => {
    const content = [
      { type: 'text' as const, text: 'What is it?' },
      { type: 'image' as const, url: 'https://x.test/photo' },
    ];
    expect(errorMessageOf(() => toGoogleRequest(request([{ role: 'user', content }])))).toBe(
      "Invalid request: messages[0].content[1].mediaType is required for an image URL without a known extension (png, jpg, jpeg, gif, webp, heic, heif): Gemini's fileData needs a mimeType; got nothing. Nothing was sent.",
    );
  });

  it('refuses tool parameters that are not one object schema, naming the tool', () => {
    const parameters = { type: 'object', anyOf: [{ properties: { a: { type: 'string' } } }, {}] };
    const tools = [
      { name: 'ok', parameters: { type: 'object' } },
      { name: 'either', parameters },
    ];
    expect(errorMessageOf(() => toGoogleRequest(request([], { tools }), 'gemini'))).toBe(
      'Invalid request: tools[1].parameters must be one object schema for Gemini (no anyOf or oneOf at its top); got an object. Nothing was sent.',
    );
  });

  it('declares tools with reduced schemas and maps each tool choice', () => {
    const tools = [
      {
        name: 'weather',
        description: 'Current weather',
        parameters: { type: 'object', properties: { city: { type: 'string' } }, additionalProperties: false },
      },
      { name: 'clock', parameters: { type: 'object', properties: {} } },
    ];
    const configs = (['auto', 'required', 'none', { name: 'clock' }] as const).map(
      (toolChoice) => toGoogleRequest(request([], { tools, toolChoice })).toolConfig,
    );
    expect(toGoogleRequest(request([], { tools })).tools).toEqual([
      {
        functionDeclarations: [
          {
            name: 'weather',
            description: 'Current weather',
            parameters: { type: 'OBJECT', properties: { city: { type: 'STRING' } } },
          },
          { name: 'clock' },
        ],
      },
    ]);
    expect(configs).toEqual([
      { functionCallingConfig: { mode: 'AUTO' } },
      { functionCallingConfig: { mode: 'ANY' } },
      { functionCallingConfig: { mode: 'NONE' } },
      { functionCallingConfig: { mode: 'ANY', allowedFunctionNames: ['clock'] } },
    ]);
  });

  it('maps sampling settings, the response format and reasoning to generationConfig', () => {
    const body = toGoogleRequest(
      request([], {
        temperature: 0.2,
        topP: 0.9,
        maxTokens: 256,
        stop: ['END'],
        seed: 7,
        responseFormat: {
          type: 'json_schema',
          name: 'city',
          schema: { type: 'object', properties: { n: { type: 'string' } } },
        },
        reasoning: { budgetTokens: 1024, effort: 'high', includeThoughts: true },
      }),
    );
    expect(body.generationConfig).toEqual({
      temperature: 0.2,
      topP: 0.9,
      maxOutputTokens: 256,
      stopSequences: ['END'],
      seed: 7,
      responseMimeType: 'application/json',
      responseSchema: { type: 'OBJECT', properties: { n: { type: 'STRING' } } },
      thinkingConfig: { thinkingBudget: 1024, includeThoughts: true },
    });
    expect(
      toGoogleRequest(request([], { reasoning: { effort: 'low' }, responseFormat: { type: 'json' } }))
        .generationConfig,
    ).toEqual({
      responseMimeType: 'application/json',
      thinkingConfig: { thinkingLevel: 'LOW' },
    });
  });

  it('merges providerOptions.google last, generationConfig field by field', () => {
    const body = toGoogleRequest(
      request([], {
        temperature: 1,
        providerOptions: {
          google: {
            safetySettings: [{ category: 'HARM_CATEGORY_HARASSMENT', threshold: 'BLOCK_NONE' }],
            generationConfig: { topK: 3 },
          },
        },
      }),
    );
    expect([body.safetySettings, body.generationConfig]).toEqual([
      [{ category: 'HARM_CATEGORY_HARASSMENT', threshold: 'BLOCK_NONE' }],
      { temperature: 1, topK: 3 },
    ]);
  });
});
