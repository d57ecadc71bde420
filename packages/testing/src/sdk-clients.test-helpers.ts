/**
 * The real vendor SDKs, each pointed at a replay server, behind one small interface so the tests
 * can run every fault against every SDK. Test-only (excluded from the build).
 */
import Anthropic from '@anthropic-ai/sdk';
import { GoogleGenAI } from '@google/genai';
import { GoogleGenerativeAI } from '@google/generative-ai';
import { Ollama } from 'ollama';
import OpenAI from 'openai';
import type { WireProtocol } from './wire-formats.js';

export interface SdkRun {
  chunks: unknown[];
  /** What the SDK threw, if anything. */
  error: unknown;
}

export interface SdkClient {
  name: string;
  protocol: WireProtocol;
  /** Streams one request; aborts through the SDK's own cancel path when `signal` aborts. */
  run(url: string, signal?: AbortSignal): Promise<SdkRun>;
  /** The answer text one chunk carries (thoughts excluded). */
  text(chunk: unknown): string;
}

type Loose = Record<string, unknown> & {
  choices?: Array<{ delta?: { content?: string | null } }>;
  candidates?: Array<{ content?: { parts?: Array<{ text?: string; thought?: boolean }> } }>;
  message?: { content?: string };
  delta?: unknown;
};

async function drain(open: () => Promise<AsyncIterable<unknown>>): Promise<SdkRun> {
  const chunks: unknown[] = [];
  try {
    for await (const chunk of await open()) chunks.push(chunk);
    return { chunks, error: undefined };
  } catch (error) {
    return { chunks, error };
  }
}

const messages = [{ role: 'user' as const, content: 'Hi' }];
const openai = (url: string) => new OpenAI({ apiKey: 'test-key', baseURL: `${url}/v1`, maxRetries: 0 });

function geminiText(chunk: unknown): string {
  const parts = (chunk as Loose).candidates?.[0]?.content?.parts ?? [];
  return parts.map((part) => (part.thought ? '' : (part.text ?? ''))).join('');
}

export const openaiChatClient: SdkClient = {
  name: 'openai chat.completions',
  protocol: 'openai-chat',
  run: (url, signal) =>
    drain(() =>
      openai(url).chat.completions.create(
        { model: 'test-model', messages, stream: true },
        signal ? { signal } : {},
      ),
    ),
  text: (chunk) => (chunk as Loose).choices?.[0]?.delta?.content ?? '',
};

export const openaiResponsesClient: SdkClient = {
  name: 'openai responses',
  protocol: 'openai-responses',
  run: (url, signal) =>
    drain(() =>
      openai(url).responses.create(
        { model: 'test-model', input: 'Hi', stream: true },
        signal ? { signal } : {},
      ),
    ),
  text: (chunk) => {
    const event = chunk as Loose;
    return event.type === 'response.output_text.delta' ? String(event.delta) : '';
  },
};

export const anthropicClient: SdkClient = {
  name: 'anthropic messages',
  protocol: 'anthropic',
  run: (url, signal) =>
    drain(() =>
      new Anthropic({ apiKey: 'test-key', baseURL: url, maxRetries: 0 }).messages.create(
        { model: 'test-model', max_tokens: 64, messages, stream: true },
        signal ? { signal } : {},
      ),
    ),
  text: (chunk) => {
    const delta = (chunk as Loose).delta as { type?: string; text?: string } | undefined;
    return (chunk as Loose).type === 'content_block_delta' && delta?.type === 'text_delta'
      ? (delta.text ?? '')
      : '';
  },
};

export const generativeAiClient: SdkClient = {
  name: '@google/generative-ai',
  protocol: 'gemini',
  run: (url, signal) =>
    drain(async () => {
      const model = new GoogleGenerativeAI('test-key').getGenerativeModel(
        { model: 'test-model' },
        { baseUrl: url },
      );
      const result = await model.generateContentStream('Hi', signal ? { signal } : {});
      // Without this, a failed stream also rejects result.response unhandled (VENDOR-NOTES §3).
      result.response.catch(() => {});
      return result.stream;
    }),
  text: geminiText,
};

export const genaiClient: SdkClient = {
  name: '@google/genai',
  protocol: 'gemini',
  run: (url, signal) =>
    drain(() =>
      new GoogleGenAI({ apiKey: 'test-key', httpOptions: { baseUrl: url } }).models.generateContentStream({
        model: 'test-model',
        contents: 'Hi',
        config: signal ? { abortSignal: signal } : {},
      }),
    ),
  text: geminiText,
};

export const ollamaClient: SdkClient = {
  name: 'ollama',
  protocol: 'ollama',
  run: (url, signal) =>
    drain(async () => {
      const stream = await new Ollama({ host: url }).chat({ model: 'test-model', messages, stream: true });
      // ollama takes no AbortSignal: its iterator has abort()
      signal?.addEventListener('abort', () => stream.abort(), { once: true });
      return stream;
    }),
  text: (chunk) => (chunk as Loose).message?.content ?? '',
};

/** Every SDK path, in the order of DESIGN.md's layer list. */
export const sdkClients: SdkClient[] = [
  openaiChatClient,
  openaiResponsesClient,
  anthropicClient,
  generativeAiClient,
  genaiClient,
  ollamaClient,
];

/** The SDKs that read a protocol. */
export function clientsOf(protocol: WireProtocol): SdkClient[] {
  return sdkClients.filter((client) => client.protocol === protocol);
}

/** The concatenated answer text of a run. */
export function textOf(client: SdkClient, run: SdkRun): string {
  return run.chunks.map((chunk) => client.text(chunk)).join('');
}

/** The error's message, also for non-Error values. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
