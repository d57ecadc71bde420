import type { Message } from '@tokenwire/core';
import { TINY_PNG_BASE64, toolConversation } from './conversation.js';

/** A one-page, empty PDF, base64: the document the file scenarios send. */
export const TINY_PDF_BASE64 =
  'JVBERi0xLjQKMSAwIG9iajw8L1R5cGUvQ2F0YWxvZy9QYWdlcyAyIDAgUj4+ZW5kb2JqCjIgMCBvYmo8PC9UeXBlL1BhZ2VzL0tpZHNbMyAwIFJdL0NvdW50IDE+PmVuZG9iagozIDAgb2JqPDwvVHlwZS9QYWdlL1BhcmVudCAyIDAgUi9NZWRpYUJveFswIDAgNzIgNzJdPj5lbmRvYmoKdHJhaWxlcjw8L1Jvb3QgMSAwIFI+PgolJUVPRgo=';

/** Eight samples of 8 kHz mono WAV silence, base64: the audio clip the file scenarios send. */
export const TINY_WAV_BASE64 = 'UklGRiwAAABXQVZFZm10IBAAAAABAAEAQB8AAEAfAAABAAgAZGF0YQgAAACAgICAgICAgA==';

/** A user message with a question and a PDF. */
export const pdfConversation: Message[] = [
  {
    role: 'user',
    content: [
      { type: 'text', text: 'Summarize this contract.' },
      { type: 'file', data: TINY_PDF_BASE64, mediaType: 'application/pdf', filename: 'contract.pdf' },
    ],
  },
];

/** A user message with a question and a WAV clip. */
export const audioConversation: Message[] = [
  {
    role: 'user',
    content: [
      { type: 'text', text: 'Transcribe this clip.' },
      { type: 'file', data: TINY_WAV_BASE64, mediaType: 'audio/wav', filename: 'clip.wav' },
    ],
  },
];

/** The tool conversation whose tool result is text and a screenshot (`messages[3].content[1]`). */
export const toolImageConversation: Message[] = toolConversation.map((message) =>
  message.role === 'tool'
    ? {
        ...message,
        content: [
          { type: 'text', text: '{"temperature":21}' },
          { type: 'image', data: TINY_PNG_BASE64, mediaType: 'image/png' },
        ],
      }
    : message,
);

/** A PDF of `megabytes` MB (zero bytes, base64), for the size refusals. */
export function largePdfConversation(megabytes: number): Message[] {
  const data = 'A'.repeat(Math.ceil((megabytes * 1024 * 1024) / 3) * 4);
  return [
    {
      role: 'user',
      content: [
        { type: 'text', text: 'Summarize this contract.' },
        { type: 'file', data, mediaType: 'application/pdf', filename: 'large.pdf' },
      ],
    },
  ];
}
