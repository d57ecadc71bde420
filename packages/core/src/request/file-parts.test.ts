import { describe, expect, it } from 'vitest';
import type { ChatRequest, Message } from '../model/types.js';
import { base64ByteLength, fileSourceOf, inlineSizeProblem, toolResultText } from './file-helpers.js';
import { findMessagesProblem } from './validate-messages.js';

const call: Message = {
  role: 'assistant',
  content: null,
  toolCalls: [{ id: 'call_1', name: 'screenshot', arguments: '{}' }],
};

function problemOf(messages: unknown[]): string | undefined {
  return findMessagesProblem(messages)?.message;
}

describe('file parts', () => {
  it('accepts a PDF by data, a file by URL and a tool result of parts', () => {
    expect(
      problemOf([
        {
          role: 'user',
          content: [
            { type: 'file', data: 'JVBERi0=', mediaType: 'application/pdf', filename: 'a.pdf' },
            { type: 'file', url: 'gs://bucket/call.mp3', mediaType: 'audio/mpeg' },
          ],
        },
        call,
        {
          role: 'tool',
          toolCallId: 'call_1',
          content: [
            { type: 'text', text: 'done' },
            { type: 'image', data: 'iVBOR', mediaType: 'image/png' },
          ],
        },
      ]),
    ).toBeUndefined();
  });

  it('names the field of a file part without a media type, without bytes, or with both', () => {
    expect(problemOf([{ role: 'user', content: [{ type: 'file', data: 'JVBERi0=' }] }])).toContain(
      'messages[0].content[0].mediaType',
    );
    expect(
      problemOf([{ role: 'user', content: [{ type: 'file', mediaType: 'application/pdf' }] }]),
    ).toContain('messages[0].content[0] is a file part and needs url or data');
    expect(
      problemOf([
        { role: 'user', content: [{ type: 'file', data: 'x', url: 'https://a', mediaType: 'text/plain' }] },
      ]),
    ).toContain('messages[0].content[0] must have url or data, not both');
  });

  it('names a bad part of a tool result by its path', () => {
    const message = problemOf([call, { role: 'tool', toolCallId: 'call_1', content: [{ type: 'video' }] }]);
    expect(message).toContain('messages[1].content[0].type must be one of text, image, file');
    expect(problemOf([call, { role: 'tool', toolCallId: 'call_1', content: 42 }])).toContain(
      'messages[1].content must be a string',
    );
  });
});

describe('file helpers', () => {
  it('resolves a data URL to base64 and keeps any other URL', () => {
    expect(
      fileSourceOf({ type: 'file', url: 'data:application/pdf;base64,JVBE', mediaType: 'application/pdf' }),
    ).toEqual({ kind: 'base64', data: 'JVBE', mediaType: 'application/pdf' });
    expect(
      fileSourceOf({ type: 'file', url: 's3://b/k.pdf', mediaType: 'application/pdf', filename: 'k.pdf' }),
    ).toEqual({ kind: 'url', url: 's3://b/k.pdf', mediaType: 'application/pdf', filename: 'k.pdf' });
  });

  it('counts the bytes of base64 without decoding it', () => {
    expect([base64ByteLength('TWFu'), base64ByteLength('TWE='), base64ByteLength('TQ==')]).toEqual([3, 2, 1]);
  });

  it('refuses the first inline file over the limit, naming it and the limit', () => {
    const data = 'A'.repeat(8 * 1024 * 1024); // 6 MB
    const request: ChatRequest = {
      model: 'm',
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'hi' },
            { type: 'file', data, mediaType: 'application/pdf' },
          ],
        },
      ],
    };
    const problem = inlineSizeProblem(
      request,
      { perFileBytes: 4.5 * 1024 * 1024, source: 'the test limit' },
      'p',
    );
    expect(problem?.message).toBe(
      'Invalid request: messages[0].content[1].data must be at most 4.5 MB per file (the test limit): send a smaller file, or a URL; got "6 MB of data". Nothing was sent.',
    );
    expect(inlineSizeProblem(request, { perFileBytes: 7 * 1024 * 1024, source: 'x' }, 'p')).toBeUndefined();
  });

  it('joins the text parts of a tool result', () => {
    expect(
      toolResultText([
        { type: 'text', text: 'a' },
        { type: 'image', url: 'https://x' },
        { type: 'text', text: 'b' },
      ]),
    ).toBe('ab');
  });
});
