// Run by google-unhandled-rejection.test.ts with plain `node`, whose default is
// --unhandled-rejections=throw: an unhandled rejection crashes this process (exit code 1).
// Modes: 'adapter-destroy' and 'adapter-abort' stream through the built adapter and the legacy
// SDK; 'raw-destroy' uses the legacy SDK alone, the way its README shows, as the control.
import { createServer } from 'node:http';

const mode = process.argv[2];
const record = (text) =>
  `data: ${JSON.stringify({ candidates: [{ content: { role: 'model', parts: [{ text }] } }] })}\r\n\r\n`;
const server = createServer((request, response) => {
  request.resume();
  request.on('end', () => {
    response.writeHead(200, { 'content-type': 'text/event-stream' });
    response.write(record('Hel'));
    // 'adapter-abort' stalls here until the client closes the connection.
    if (mode.endsWith('destroy')) setTimeout(() => response.socket?.destroy(), 20);
  });
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const baseURL = `http://127.0.0.1:${server.address().port}`;

let outcome = 'none';
if (mode === 'raw-destroy') {
  const { GoogleGenerativeAI } = await import('@google/generative-ai');
  const model = new GoogleGenerativeAI('key').getGenerativeModel({ model: 'm' }, { baseUrl: baseURL });
  const result = await model.generateContentStream('Hi');
  try {
    for await (const _chunk of result.stream) {
      // read to the failure
    }
  } catch {
    outcome = 'the stream threw';
  }
} else {
  const { createTokenwire } = await import('@tokenwire/core');
  const { createGoogleAdapter } = await import('../dist/index.js');
  const adapter = createGoogleAdapter({ apiKey: 'key', baseURL, sdk: 'generative-ai' });
  const stream = createTokenwire({ providers: { google: adapter }, retries: 0 }).stream({
    model: 'google/m',
    messages: [{ role: 'user', content: 'Hi' }],
  });
  for await (const event of stream) {
    if (mode === 'adapter-abort' && event.type === 'token') stream.cancel();
    if (event.type === 'finish') outcome = `finish ${event.reason}`;
    if (event.type === 'error') outcome = `error ${event.error.code}`;
  }
}
// Give a stray rejection of the SDK's `response` promise the time to surface.
await new Promise((resolve) => setTimeout(resolve, 200));
server.closeAllConnections();
server.close();
console.log(`outcome: ${outcome}`);
