// Three ways to stop a stream, and time limits. Every stop closes the HTTP connection and ends
// the stream with `finish` reason `cancelled`, keeping what arrived; a timeout ends it with an error.
import { createTokenwire, type Message } from '@tokenwire/core';

const tokenwire = createTokenwire({ timeouts: { firstTokenMs: 30_000, idleMs: 10_000, totalMs: 120_000 } });
const model = process.env.TOKENWIRE_MODEL ?? 'openai/gpt-4.1-mini';
const messages: Message[] = [{ role: 'user', content: 'Count from 1 to 200, one number per line.' }];

// 1. cancel(): stop after 10 tokens.
const stream = tokenwire.stream({ model, messages });
let tokens = 0;
for await (const event of stream) {
  if (event.type === 'token' && ++tokens === 10) stream.cancel();
  if (event.type === 'finish')
    console.log(`cancel(): ${event.reason}, kept ${JSON.stringify(event.content)}`);
}

// 2. An AbortSignal, e.g. the one of an incoming request: here it aborts after two seconds.
const signal = AbortSignal.timeout(2_000);
const result = await tokenwire.stream({ model, messages, signal }).result();
console.log(`AbortSignal: ${result.reason} after ${result.content.length} characters`);

// 3. `break` out of the loop.
for await (const event of tokenwire.stream({ model, messages })) {
  if (event.type === 'token') break;
}
console.log('break: the connection is closed');

// Per-request limits override the client's: no delta for one second is a `timeout` error.
for await (const event of tokenwire.stream({ model, messages, timeouts: { idleMs: 1_000 } })) {
  if (event.type === 'error') console.log(`${event.error.code}: ${event.error.message}`);
  if (event.type === 'finish') console.log(`finished in time: ${event.reason}`);
}
