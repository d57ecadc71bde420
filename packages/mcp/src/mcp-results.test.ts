import { describe, expect, it } from 'vitest';
import { DEFAULT_MAX_RESULT_CHARS, resultText, truncate } from './mcp-results.js';

const IMAGE_MARKER = '[image (image/png), 3 bytes, not sent: tokenwire tool results carry text only]';

describe('resultText()', () => {
  it('joins text blocks, one a line', () => {
    const text = resultText({
      content: [
        { type: 'text', text: 'first' },
        { type: 'text', text: 'second' },
      ],
    });
    expect(text).toBe('first\nsecond');
  });

  it('puts a marker with the media type and the size where an image was', () => {
    const text = resultText({
      content: [
        { type: 'text', text: 'Here:' },
        { type: 'image', data: 'AAAA', mimeType: 'image/png' },
      ],
    });
    expect(text).toBe(`Here:\n${IMAGE_MARKER}`);
  });

  it('sends the structured content as JSON when the result has no text block', () => {
    const text = resultText({
      content: [{ type: 'image', data: 'AAAA', mimeType: 'image/png' }],
      structuredContent: { temperature: 21 },
    });
    expect(text).toBe(`${IMAGE_MARKER}\n{"temperature":21}`);
  });

  it("sends the text blocks alone when there are some: the server's text version of the structured content", () => {
    const text = resultText({
      content: [{ type: 'text', text: 'Buy milk.' }],
      structuredContent: { content: 'Buy milk.' },
    });
    expect(text).toBe('Buy milk.');
  });

  it('sends the text of an embedded resource and links by their uri', () => {
    const text = resultText({
      content: [
        { type: 'resource', resource: { uri: 'file:///notes.txt', text: 'hello' } },
        { type: 'resource_link', uri: 'file:///big.bin', name: 'big.bin' },
      ],
    });
    expect(text).toBe('[resource file:///notes.txt]\nhello\n[resource link: file:///big.bin (big.bin)]');
  });

  it(`cuts a result longer than the cap (${DEFAULT_MAX_RESULT_CHARS} characters by default) with a marker`, () => {
    const long = 'x'.repeat(DEFAULT_MAX_RESULT_CHARS + 5);
    const text = resultText({ content: [{ type: 'text', text: long }] });
    expect(text).toBe(
      `${'x'.repeat(DEFAULT_MAX_RESULT_CHARS)}\n[truncated by @tokenwire/mcp: the result had ${DEFAULT_MAX_RESULT_CHARS + 5} characters, the first ${DEFAULT_MAX_RESULT_CHARS} are kept]`,
    );
    expect(truncate('short', 10)).toBe('short');
  });
});
