// Gemini through the official `@google/genai` SDK (the deprecated `@google/generative-ai` works too).
// Run: pnpm example google/basic (offline), or GEMINI_API_KEY=… pnpm example google/basic --live
import { GoogleGenAI } from '@google/genai';
import { createTokenwire } from '@tokenwire/core';
import { createGoogleAdapter } from '@tokenwire/google';

// Also reads GOOGLE_GEMINI_BASE_URL. Without `client`, the adapter builds one from GEMINI_API_KEY.
const client = new GoogleGenAI({ apiKey: process.env.GEMINI_API_KEY });
const tokenwire = createTokenwire({ providers: { google: createGoogleAdapter({ client }) } });

const stream = tokenwire.stream({
  model: 'google/gemini-2.5-flash',
  messages: [
    { role: 'system', content: 'Answer in one short paragraph.' }, // sent as `systemInstruction`
    { role: 'user', content: 'Why is the sky blue?' },
  ],
  maxTokens: 300,
});

for await (const event of stream) {
  if (event.type === 'token') process.stdout.write(event.content);
  if (event.type === 'finish') {
    console.log(`\n[${event.reason}] ${event.usage.inputTokens} tokens in, ${event.usage.outputTokens} out`);
  }
  if (event.type === 'error') console.error(`\n[${event.error.code}] ${event.error.message}`);
}
