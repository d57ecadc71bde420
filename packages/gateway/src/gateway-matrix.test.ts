import Anthropic from '@anthropic-ai/sdk';
import type { StreamScenario } from '@tokenwire/testing';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Assembled, assembledOf, CLIENTS, type DialectName } from './clients.test-helpers.js';
import { type GatewayFixture, startGateway, tokenwireFinish, UPSTREAMS } from './gateway.test-helpers.js';

// The cross-dialect matrix: {chat, messages, responses} in × six providers out, the real openai and
// anthropic SDKs as clients, the replay server upstream. What a client assembles must equal what
// tokenwire's own stream gives for the same upstream payloads.

let fixture: GatewayFixture;
beforeAll(async () => {
  fixture = await startGateway();
});
afterAll(() => fixture.close());

const DIALECTS: DialectName[] = ['chat', 'messages', 'responses'];

/** The reference answer, with generated tool-call ids (providers that send none) left open. */
function expectedOf(reference: Assembled, scenario: StreamScenario, dialect: DialectName): unknown {
  const toolCalls = reference.toolCalls.map((call, index) => ({
    ...call,
    id: scenario.expected.toolCalls?.[index]?.id === undefined ? expect.any(String) : call.id,
  }));
  const expected: Record<string, unknown> = { ...reference, toolCalls };
  // Chat Completions has no place for a reasoning signature.
  if (dialect === 'chat' || reference.signature === undefined) delete expected.signature;
  return expected;
}

async function assembledThroughGateway(
  dialect: DialectName,
  provider: string,
  scenario: StreamScenario,
  tools: boolean,
) {
  const reference = assembledOf(await tokenwireFinish(fixture.upstream, provider, scenario.payloads, tools));
  fixture.upstream.enqueue({ payloads: scenario.payloads, split: { min: 1, max: 40, seed: 7 } });
  const assembled = await CLIENTS[dialect](fixture.server.url, `${provider}/test-model`, tools);
  if (dialect === 'chat' || reference.signature === undefined) delete assembled.signature;
  return { reference, assembled };
}

for (const { provider, scenarios } of UPSTREAMS) {
  describe(`to ${provider}`, () => {
    for (const dialect of DIALECTS) {
      it(`${dialect}: streams text and usage as tokenwire does`, async () => {
        const { reference, assembled } = await assembledThroughGateway(
          dialect,
          provider,
          scenarios.text,
          false,
        );
        expect(assembled).toEqual(expectedOf(reference, scenarios.text, dialect));
        expect(assembled.content).toBe(scenarios.text.expected.content);
      });

      it(`${dialect}: streams a tool call with fragmented arguments`, async () => {
        const scenario = scenarios.toolCall;
        if ('skip' in scenario) throw new Error(`${provider} has tool calls`);
        const { reference, assembled } = await assembledThroughGateway(dialect, provider, scenario, true);
        expect(assembled).toEqual(expectedOf(reference, scenario, dialect));
        expect(assembled.toolCalls.map((call) => call.input)).toEqual([{ city: 'Paris' }]);
      });

      it(`${dialect}: carries reasoning`, async () => {
        const scenario = scenarios.reasoning;
        if ('skip' in scenario) throw new Error(`${provider} has reasoning`);
        const { reference, assembled } = await assembledThroughGateway(dialect, provider, scenario, false);
        expect(assembled).toEqual(expectedOf(reference, scenario, dialect));
        expect(assembled.reasoning).toBe(scenario.expected.reasoning);
      });

      it(`${dialect}: reports cached and reasoning usage`, async () => {
        const { reference, assembled } = await assembledThroughGateway(
          dialect,
          provider,
          scenarios.usage,
          false,
        );
        expect(assembled.usage).toEqual(reference.usage);
      });

      it(`${dialect}: answers an upstream 429 with 429 and retry-after`, async () => {
        // Gemini says when to retry in a RetryInfo detail of its error body, the others in retry-after.
        const retryInfo = { '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '7s' };
        const errorBody = {
          error: { code: 429, message: 'Slow down', status: 'RESOURCE_EXHAUSTED', details: [retryInfo] },
        };
        fixture.upstream.enqueue({
          status: 429,
          headers: { 'retry-after': '7' },
          ...(provider === 'google' ? { errorBody } : {}),
        });
        const error = await CLIENTS[dialect](fixture.server.url, `${provider}/test-model`, false).catch(
          (caught: unknown) => caught,
        );
        const status = (error as { status?: number }).status;
        expect(status).toBe(429);
        const headers = (error as { headers?: Headers }).headers;
        expect(headers?.get('retry-after')).toBe('7');
        const type =
          dialect === 'messages'
            ? (error as InstanceType<typeof Anthropic.APIError>).type
            : (error as InstanceType<typeof OpenAI.APIError>).type;
        expect(type).toBe('rate_limit_error');
      });

      it(`${dialect}: sends an in-band error after the text already streamed`, async () => {
        const { text } = scenarios;
        fixture.upstream.enqueue({
          payloads: text.payloads,
          inBandError: { after: text.cut.after, message: 'boom' },
        });
        const received = await partialThroughGateway(dialect, `${provider}/test-model`);
        expect(received).toEqual({ content: text.cut.content, failed: true });
      });
    }
  });
}

/** The text a client received before the in-band error, and whether it saw the error. */
async function partialThroughGateway(
  dialect: DialectName,
  model: string,
): Promise<{ content: string; failed: boolean }> {
  const url = fixture.server.url;
  let content = '';
  try {
    if (dialect === 'messages') {
      const client = new Anthropic({ apiKey: 'gateway-client', baseURL: url, maxRetries: 0 });
      const stream = client.messages.stream({
        model,
        max_tokens: 64,
        messages: [{ role: 'user', content: 'Hi' }],
      });
      for await (const event of stream) {
        if (event.type === 'content_block_delta' && event.delta.type === 'text_delta')
          content += event.delta.text;
      }
    } else if (dialect === 'chat') {
      const client = new OpenAI({ apiKey: 'gateway-client', baseURL: `${url}/v1`, maxRetries: 0 });
      const stream = await client.chat.completions.create({
        model,
        messages: [{ role: 'user', content: 'Hi' }],
        stream: true,
      });
      for await (const chunk of stream) content += chunk.choices[0]?.delta.content ?? '';
    } else {
      const client = new OpenAI({ apiKey: 'gateway-client', baseURL: `${url}/v1`, maxRetries: 0 });
      const stream = await client.responses.create({ model, input: 'Hi', stream: true });
      for await (const event of stream) {
        if (event.type === 'response.output_text.delta') content += event.delta;
        if (event.type === 'response.failed')
          return { content, failed: event.response.error?.message !== undefined };
      }
    }
  } catch (error) {
    return { content, failed: error instanceof Error };
  }
  return { content, failed: false };
}
