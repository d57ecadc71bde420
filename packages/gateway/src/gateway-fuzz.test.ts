import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type GatewayFixture, startGateway } from './gateway.test-helpers.js';

// 1,000 bad requests, fuzzed: each gets a 4xx in its dialect's shape, none reaches the upstream,
// and the gateway keeps serving. Seeded, so every run sends the same requests.

const MAX_BODY_BYTES = 64 * 1024;
let fixture: GatewayFixture;
beforeAll(async () => {
  fixture = await startGateway({ maxBodyBytes: MAX_BODY_BYTES, models: { fast: 'openai/test-model' } });
});
afterAll(() => fixture.close());

const ROUTES = {
  '/v1/chat/completions': {
    valid: { model: 'fast', messages: [{ role: 'user', content: 'Hi' }] },
    typed: [
      'model',
      'messages',
      'max_tokens',
      'temperature',
      'top_p',
      'stop',
      'seed',
      'tools',
      'tool_choice',
      'stream',
      'response_format',
      'n',
    ],
  },
  '/v1/messages': {
    valid: { model: 'fast', max_tokens: 8, messages: [{ role: 'user', content: 'Hi' }] },
    typed: [
      'model',
      'messages',
      'max_tokens',
      'temperature',
      'system',
      'tools',
      'tool_choice',
      'thinking',
      'stream',
      'stop_sequences',
    ],
  },
  '/v1/responses': {
    valid: { model: 'fast', input: 'Hi' },
    typed: [
      'model',
      'input',
      'max_output_tokens',
      'temperature',
      'tools',
      'tool_choice',
      'text',
      'reasoning',
      'stream',
      'instructions',
    ],
  },
} as const;
type Route = keyof typeof ROUTES;
const routes = Object.keys(ROUTES) as Route[];

const STRING_FIELDS = new Set(['model', 'system', 'instructions', 'stop', 'stop_sequences', 'input']);

/** A value of a type no typed field takes (a number where a string goes, an object for a number, …). */
const wrongValue = fc.oneof(
  fc.constant(true),
  fc.double({ noNaN: true, min: 1000, max: 1e6 }).filter((value) => !Number.isInteger(value)),
  fc.constant({ unexpected: [1, 2] }),
  fc.constant('not-a-valid-value'),
  fc.constant([{ role: 42 }]),
);

/** One bad request: [path, body text]. */
const badRequest = fc.oneof(
  // Not JSON at all.
  fc.tuple(fc.constantFrom(...routes), fc.string({ minLength: 1 }).filter(notJson)),
  // JSON, but not a request object.
  fc.tuple(
    fc.constantFrom(...routes),
    fc
      .jsonValue()
      .filter((value) => !isRequestLike(value))
      .map(stringify),
  ),
  // A valid request with one typed field of the wrong type.
  fc
    .tuple(fc.constantFrom(...routes), fc.nat(), wrongValue)
    .map(([path, index, value]) => {
      const { valid, typed } = ROUTES[path];
      const field = typed[index % typed.length] as string;
      // A string is right where a field takes text, and true where it takes a boolean: give those a number.
      const wrong =
        (STRING_FIELDS.has(field) && typeof value === 'string') || (field === 'stream' && value === true);
      return [path, JSON.stringify({ ...valid, [field]: wrong ? 42 : value })] as const;
    })
    .filter(([, body]) => body !== undefined),
  // A valid request with an unknown field.
  fc
    .tuple(
      fc.constantFrom(...routes),
      fc.string({ minLength: 1, maxLength: 12 }).filter((key) => /^[a-z_]+$/.test(key)),
    )
    .filter(([path, key]) => !knownField(path, key))
    .map(([path, key]) => [path, JSON.stringify({ ...ROUTES[path].valid, [`x_${key}`]: 1 })] as const),
  // A valid request whose body is over the cap.
  fc
    .tuple(fc.constantFrom(...routes), fc.integer({ min: 1, max: 4096 }))
    .map(
      ([path, extra]) =>
        [
          path,
          JSON.stringify({ ...ROUTES[path].valid, padding: 'x'.repeat(MAX_BODY_BYTES + extra) }),
        ] as const,
    ),
);

function notJson(text: string): boolean {
  try {
    JSON.parse(text);
    return false;
  } catch {
    return true;
  }
}

function stringify(value: unknown): string {
  return JSON.stringify(value);
}

function isRequestLike(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && 'model' in value;
}

const KNOWN_NAMES = ['metadata', 'user', 'store', 'include', 'truncation', 'service_tier', 'stream_options'];
function knownField(_path: Route, key: string): boolean {
  return KNOWN_NAMES.includes(`x_${key}`);
}

function inDialectShape(path: Route, body: unknown): boolean {
  const record = body as { type?: unknown; error?: { type?: unknown; message?: unknown } };
  const shaped = typeof record.error?.message === 'string' && typeof record.error.type === 'string';
  return path === '/v1/messages' ? shaped && record.type === 'error' : shaped;
}

it('answers 1,000 fuzzed bad requests with a 4xx in the dialect shape, sending nothing upstream', async () => {
  const samples = fc.sample(badRequest, { numRuns: 1000, seed: 28 });
  const statuses = new Set<number>();
  for (const [path, body] of samples) {
    const response = await fetch(`${fixture.server.url}${path}`, { method: 'POST', body });
    statuses.add(response.status);
    const answer = await response.json();
    if (response.status < 400 || response.status >= 500 || !inDialectShape(path, answer))
      throw new Error(`${path} ${body.slice(0, 200)} → ${response.status} ${JSON.stringify(answer)}`);
  }
  expect([...statuses].sort()).toEqual([400, 413]);
  expect(fixture.upstream.requests).toEqual([]);
  expect((await fetch(`${fixture.server.url}/health`)).status).toBe(200);
});

it('refuses a body over the default 32 MiB cap from its content-length, before reading it', async () => {
  const local = await startGateway();
  try {
    const response = await fetch(`${local.server.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: 'x'.repeat(32 * 1024 * 1024 + 1),
    });
    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({
      error: { message: expect.stringContaining('33554432 bytes') },
    });
    expect(local.upstream.requests).toEqual([]);
  } finally {
    await local.close();
  }
});

it('stops reading a chunked body at the cap, with no content-length to go by', async () => {
  let pulled = 0;
  const chunk = new Uint8Array(16 * 1024).fill(32);
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      pulled++;
      controller.enqueue(chunk);
    },
  });
  const request = new Request('http://gateway.test/v1/messages', {
    method: 'POST',
    body,
    duplex: 'half',
  } as RequestInit);
  const response = await fixture.gateway.fetch(request);
  expect(response.status).toBe(413);
  expect(await response.json()).toMatchObject({ type: 'error', error: { type: 'request_too_large' } });
  expect(pulled).toBeLessThanOrEqual(MAX_BODY_BYTES / chunk.byteLength + 2);
});
