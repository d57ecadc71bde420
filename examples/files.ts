// Files in a message: a PDF (or text, audio, video) as base64 `data` or a `url`, with its media
// type. Each adapter sends it in its provider's own form (Anthropic `document`, OpenAI `file` /
// `input_file`, Gemini `inlineData`, Bedrock `document`), or refuses it before sending, naming the
// field. Pass a PDF's path to send your own: `pnpm example files -- contract.pdf`.
import { readFile } from 'node:fs/promises';
import { createTokenwire } from '@tokenwire/core';

// A one-page, empty PDF, so the example runs without a file of your own.
const BLANK_PDF =
  'JVBERi0xLjQKMSAwIG9iajw8L1R5cGUvQ2F0YWxvZy9QYWdlcyAyIDAgUj4+ZW5kb2JqCjIgMCBvYmo8PC9UeXBlL1BhZ2VzL0tpZHNbMyAwIFJdL0NvdW50IDE+PmVuZG9iagozIDAgb2JqPDwvVHlwZS9QYWdlL1BhcmVudCAyIDAgUi9NZWRpYUJveFswIDAgNzIgNzJdPj5lbmRvYmoKdHJhaWxlcjw8L1Jvb3QgMSAwIFI+PgolJUVPRgo=';
const path = process.argv[2];
const data = path === undefined ? BLANK_PDF : (await readFile(path)).toString('base64');

const tokenwire = createTokenwire();
const stream = tokenwire.stream({
  model: process.env.TOKENWIRE_MODEL ?? 'openai/gpt-4.1-mini',
  messages: [
    {
      role: 'user',
      content: [
        { type: 'text', text: 'In one sentence: what is in this document?' },
        { type: 'file', data, mediaType: 'application/pdf', filename: path ?? 'blank.pdf' },
      ],
    },
  ],
});

for await (const event of stream) {
  if (event.type === 'token') process.stdout.write(event.content);
  if (event.type === 'finish') console.log(`\n(${event.usage.inputTokens} input tokens)`);
  if (event.type === 'error') console.log(`${event.error.code}: ${event.error.message}`);
}
