import { TokenwireError } from '@tokenwire/core';
import type { AdapterDelta } from '@tokenwire/core/adapter';
import { describe, expect, it } from 'vitest';
import {
  createGoogleStreamState,
  finishGoogleStream,
  translateGoogleChunk,
  usageFromMetadata,
} from './google-stream.js';
import type { GoogleChunk, GooglePart } from './google-types.js';

function translateAll(chunks: GoogleChunk[]): AdapterDelta[] {
  const state = createGoogleStreamState();
  const deltas = chunks.flatMap((chunk) => translateGoogleChunk(chunk, state));
  return [...deltas, ...finishGoogleStream(state)];
}

const parts = (...items: GooglePart[]): GoogleChunk => ({
  candidates: [{ content: { role: 'model', parts: items } }],
});
const finishing = (finishReason: string, ...items: GooglePart[]): GoogleChunk => ({
  candidates: [{ content: { role: 'model', parts: items }, finishReason }],
});

describe('translateGoogleChunk', () => {
  it('reports the model version and response id once, as the start', () => {
    const chunk = { ...parts({ text: 'Hi' }), modelVersion: 'gemini-2.5-flash', responseId: 'resp-1' };
    expect(translateAll([chunk, chunk])).toEqual([
      { type: 'start', model: 'gemini-2.5-flash', responseId: 'resp-1' },
      { type: 'text', delta: 'Hi' },
      { type: 'text', delta: 'Hi' },
    ]);
  });

  it('turns text parts into text deltas and skips empty ones', () => {
    expect(translateAll([parts({ text: 'Hel' }, { text: '' }), finishing('STOP', { text: 'lo' })])).toEqual([
      { type: 'text', delta: 'Hel' },
      { type: 'text', delta: 'lo' },
      { type: 'finish', reason: 'stop', rawReason: 'STOP' },
    ]);
  });

  it('turns thought parts into reasoning and keeps their signature', () => {
    expect(
      translateAll([
        parts({ text: 'Counting letters', thought: true }),
        parts({ text: '.', thought: true, thoughtSignature: 'sig-1' }),
        finishing('STOP', { text: 'Three.' }),
      ]),
    ).toEqual([
      { type: 'reasoning', delta: 'Counting letters' },
      { type: 'reasoning', delta: '.', signature: 'sig-1' },
      { type: 'text', delta: 'Three.' },
      { type: 'finish', reason: 'stop', rawReason: 'STOP' },
    ]);
  });

  it('keeps the signature of an empty answer part as a signature-only reasoning delta', () => {
    expect(translateAll([finishing('STOP', { text: '', thoughtSignature: 'sig-2' })])).toEqual([
      { type: 'reasoning', delta: '', signature: 'sig-2' },
      { type: 'finish', reason: 'stop', rawReason: 'STOP' },
    ]);
  });

  it('sends a whole function call as one complete tool call, its signature first', () => {
    const call = { functionCall: { name: 'weather', args: { city: 'Paris' } }, thoughtSignature: 'sig-3' };
    expect(translateAll([parts(call), finishing('STOP', { text: '' })])).toEqual([
      { type: 'reasoning', delta: '', signature: 'sig-3' },
      { type: 'tool_call', index: 0, name: 'weather', argumentsDelta: '{"city":"Paris"}' },
      { type: 'tool_call_end', index: 0 },
      { type: 'finish', reason: 'stop', rawReason: 'STOP' },
    ]);
  });

  it('numbers parallel calls, keeps an API call id and sends a call without args as {}', () => {
    const chunk = parts(
      { functionCall: { id: 'fc-1', name: 'clock' } },
      { functionCall: { name: 'weather', args: { city: 'Oslo' } } },
    );
    expect(translateAll([chunk])).toEqual([
      { type: 'tool_call', index: 0, id: 'fc-1', name: 'clock', argumentsDelta: '{}' },
      { type: 'tool_call_end', index: 0 },
      { type: 'tool_call', index: 1, name: 'weather', argumentsDelta: '{"city":"Oslo"}' },
      { type: 'tool_call_end', index: 1 },
    ]);
  });

  it('rebuilds streamed arguments and sends them once, at the terminal record', () => {
    const piece = (jsonPath: string, value: object, willContinue = true) => ({
      functionCall: { partialArgs: [{ jsonPath, ...value }], willContinue },
    });
    expect(
      translateAll([
        parts({ functionCall: { name: 'plan', willContinue: true } }),
        parts(piece('$.steps[0].title', { stringValue: 'Pre', willContinue: true })),
        parts(piece('$.steps[0].title', { stringValue: 'heat' })),
        parts(piece('$.steps[0].minutes', { numberValue: 10 })),
        parts({ functionCall: { willContinue: true } }),
        parts(piece('$.done', { boolValue: false }), piece("$['odd key']", { nullValue: 'NULL_VALUE' })),
        parts({ functionCall: {} }),
        finishing('STOP'),
      ]),
    ).toEqual([
      { type: 'tool_call', index: 0, name: 'plan' },
      {
        type: 'tool_call',
        index: 0,
        argumentsDelta: '{"steps":[{"title":"Preheat","minutes":10}],"done":false,"odd key":null}',
      },
      { type: 'tool_call_end', index: 0 },
      { type: 'finish', reason: 'stop', rawReason: 'STOP' },
    ]);
  });

  it('ends a streamed call at its last piece when the terminal record is left out', () => {
    expect(
      translateAll([
        parts({ functionCall: { name: 'write', willContinue: true } }),
        parts({ functionCall: { partialArgs: [{ jsonPath: '$.items[0]', numberValue: 1 }] } }),
        finishing('STOP', { text: '' }),
      ]),
    ).toEqual([
      { type: 'tool_call', index: 0, name: 'write' },
      { type: 'tool_call', index: 0, argumentsDelta: '{"items":[1]}' },
      { type: 'tool_call_end', index: 0 },
      { type: 'finish', reason: 'stop', rawReason: 'STOP' },
    ]);
  });

  it('ends a streamed call that is still open before the finish, and at the end of the stream', () => {
    const open = [
      parts({ functionCall: { name: 'write', willContinue: true } }),
      parts({ functionCall: { partialArgs: [{ jsonPath: '$.a', stringValue: 'x' }], willContinue: true } }),
    ];
    const ended = [
      { type: 'tool_call', index: 0, name: 'write' },
      { type: 'tool_call', index: 0, argumentsDelta: '{"a":"x"}' },
      { type: 'tool_call_end', index: 0 },
    ];
    expect(translateAll([...open, finishing('STOP')])).toEqual([
      ...ended,
      { type: 'finish', reason: 'stop', rawReason: 'STOP' },
    ]);
    expect(translateAll(open)).toEqual(ended);
  });

  it('ends a streamed call when the next call starts', () => {
    expect(
      translateAll([
        parts({ functionCall: { name: 'first', willContinue: true } }),
        parts({ functionCall: { name: 'second', args: {} } }),
      ]),
    ).toEqual([
      { type: 'tool_call', index: 0, name: 'first' },
      { type: 'tool_call', index: 0, argumentsDelta: '{}' },
      { type: 'tool_call_end', index: 0 },
      { type: 'tool_call', index: 1, name: 'second', argumentsDelta: '{}' },
      { type: 'tool_call_end', index: 1 },
    ]);
  });

  it.each([
    ['MAX_TOKENS', 'length'],
    ['SAFETY', 'content_filter'],
    ['RECITATION', 'content_filter'],
    ['BLOCKLIST', 'content_filter'],
    ['PROHIBITED_CONTENT', 'content_filter'],
    ['SPII', 'content_filter'],
    ['IMAGE_SAFETY', 'content_filter'],
    ['LANGUAGE', 'other'],
    ['OTHER', 'other'],
    ['FINISH_REASON_UNSPECIFIED', 'other'],
  ])('maps finishReason %s to %s and keeps the raw reason', (rawReason, reason) => {
    expect(translateAll([finishing(rawReason)])).toEqual([{ type: 'finish', reason, rawReason }]);
  });

  it('reports MALFORMED_FUNCTION_CALL as an invalid_response error', () => {
    const chunk: GoogleChunk = {
      candidates: [
        { finishReason: 'MALFORMED_FUNCTION_CALL', finishMessage: 'Malformed function call: weather(' },
      ],
    };
    const error = captureError(() => translateGoogleChunk(chunk, createGoogleStreamState()));
    expect([error.code, error.message]).toEqual([
      'invalid_response',
      'google produced a malformed function call (finishReason MALFORMED_FUNCTION_CALL): Malformed function call: weather(.',
    ]);
  });

  it('finishes with content_filter when the prompt was blocked', () => {
    const chunk: GoogleChunk = {
      promptFeedback: { blockReason: 'PROHIBITED_CONTENT' },
      usageMetadata: { promptTokenCount: 7, totalTokenCount: 7 },
    };
    expect(translateAll([chunk])).toEqual([
      { type: 'usage', usage: { inputTokens: 7, totalTokens: 7 } },
      { type: 'finish', reason: 'content_filter', rawReason: 'PROHIBITED_CONTENT' },
    ]);
  });

  it('reports the last cumulative usage once, before the finish, and a later one at the end', () => {
    const usage = (candidatesTokenCount: number) => ({
      promptTokenCount: 10,
      candidatesTokenCount,
      thoughtsTokenCount: 4,
      cachedContentTokenCount: 6,
      totalTokenCount: 14 + candidatesTokenCount,
    });
    expect(
      translateAll([
        { ...parts({ text: 'a' }), usageMetadata: usage(1) },
        { ...finishing('STOP', { text: 'b' }), usageMetadata: usage(2) },
        { usageMetadata: usage(3) },
      ]),
    ).toEqual([
      { type: 'text', delta: 'a' },
      { type: 'text', delta: 'b' },
      {
        type: 'usage',
        usage: {
          inputTokens: 10,
          outputTokens: 6,
          totalTokens: 16,
          cachedInputTokens: 6,
          reasoningTokens: 4,
        },
      },
      { type: 'finish', reason: 'stop', rawReason: 'STOP' },
      {
        type: 'usage',
        usage: {
          inputTokens: 10,
          outputTokens: 7,
          totalTokens: 17,
          cachedInputTokens: 6,
          reasoningTokens: 4,
        },
      },
    ]);
  });

  it('sends no finish when no finishReason came, so the runtime reports the stream as truncated', () => {
    expect(
      translateAll([parts({ text: 'cut' }), { usageMetadata: { trafficType: 'ON_DEMAND' } as object }]),
    ).toEqual([{ type: 'text', delta: 'cut' }]);
  });

  it('throws an in-band error record as a TokenwireError with the code of its status', () => {
    const error = captureError(() =>
      translateGoogleChunk(
        { error: { code: 503, message: 'The model is overloaded.', status: 'UNAVAILABLE' } },
        createGoogleStreamState('gemini'),
      ),
    );
    expect([error.code, error.status, error.provider, error.retryable, error.message]).toEqual([
      'overloaded',
      503,
      'gemini',
      true,
      'gemini API error 503 UNAVAILABLE: The model is overloaded.',
    ]);
  });

  it('marks the finishReason chunk terminal, after closing the streamed call its parts end', () => {
    const state = createGoogleStreamState();
    const seen = (chunk: GoogleChunk) => {
      const deltas = translateGoogleChunk(chunk, state);
      return [state.finished, deltas.map((delta) => delta.type)];
    };
    expect([
      seen({ ...parts(), usageMetadata: { promptTokenCount: 3 } }),
      seen(parts({ functionCall: { name: 'f', willContinue: true } })),
      seen(finishing('STOP', { functionCall: {} })),
    ]).toEqual([
      [false, []],
      [false, ['tool_call']],
      [true, ['tool_call', 'tool_call_end', 'usage', 'finish']],
    ]);
  });

  it('ignores parts it does not know', () => {
    const chunk = parts({ executableCode: {} } as GooglePart);
    expect(translateAll([chunk])).toEqual([]);
  });

  it('turns an inline image the model made into a file delta', () => {
    const chunk = parts({ text: 'Here:' }, { inlineData: { mimeType: 'image/png', data: 'iVBOR' } });
    expect(translateAll([chunk])).toEqual([
      { type: 'text', delta: 'Here:' },
      { type: 'file', mediaType: 'image/png', data: 'iVBOR' },
    ]);
  });
});

describe('usageFromMetadata', () => {
  it('counts thinking as output and tool-use prompt tokens as input', () => {
    expect(
      usageFromMetadata({
        promptTokenCount: 9,
        toolUsePromptTokenCount: 3,
        candidatesTokenCount: 23,
        thoughtsTokenCount: 185,
        totalTokenCount: 220,
      }),
    ).toEqual({ inputTokens: 12, outputTokens: 208, totalTokens: 220, reasoningTokens: 185 });
  });
});

function captureError(action: () => unknown): TokenwireError {
  try {
    action();
  } catch (error) {
    if (TokenwireError.isInstance(error)) return error;
    throw error;
  }
  throw new Error('expected a TokenwireError');
}
