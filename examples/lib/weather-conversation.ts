/**
 * The demo's conversation: a question that needs a tool call, the tool's result, then the answer,
 * streamed through any `provider/model`, with what the summary table reports.
 */
import type { Message, Tokenwire, Tool } from '@tokenwire/core';

/** The tool the model is offered; tokenwire runs it when the model calls it. */
export const weatherTool: Tool = {
  name: 'get_weather',
  description: 'The current weather in a city.',
  parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
  execute: (input) => getWeather(input),
};

/** The question every provider is asked. */
export const QUESTION = 'What is the weather in Paris right now? Answer in one sentence.';

/** The tool's implementation: a fixed report, so that every provider gets the same result. */
export function getWeather(input: unknown): { city: string; temperature: number; sky: string } {
  const city = (input as { city?: unknown } | undefined)?.city;
  return { city: typeof city === 'string' ? city : 'Paris', temperature: 21, sky: 'sunny' };
}

/** What one provider's run of the conversation measured. */
export interface ConversationResult {
  /** From the first request to the first text, reasoning or tool-call chunk. */
  firstTokenMs: number | undefined;
  /** Text, reasoning and tool-call chunks, over every turn. */
  chunks: number;
  /** Output tokens over every turn; `estimated` when a provider reported none. */
  outputTokens: number;
  estimated: boolean;
  /** The finish reason of each turn, e.g. `['tool_calls', 'stop']`. */
  finishReasons: string[];
  totalMs: number;
  /** `code: message` of the error that ended the conversation, if one did. */
  error: string | undefined;
}

/** Where the conversation shows what arrives, as it arrives. */
export interface ConversationPrinter {
  text(content: string): void;
  toolCall(name: string, input: string): void;
  toolResult(output: string): void;
}

/** Streams the conversation through `model`, showing tokens and tool calls on `print` as they arrive. */
export async function runWeatherConversation(
  tokenwire: Tokenwire,
  model: string,
  print: ConversationPrinter,
): Promise<ConversationResult> {
  const started = performance.now();
  const result: ConversationResult = {
    firstTokenMs: undefined,
    chunks: 0,
    outputTokens: 0,
    estimated: false,
    finishReasons: [],
    totalMs: 0,
    error: undefined,
  };
  const messages: Message[] = [{ role: 'user', content: QUESTION }];
  // One stream over every step: tokenwire runs get_weather and streams the answer to its result.
  const stream = tokenwire.stream({ model, messages, tools: [weatherTool], maxTokens: 1024, maxSteps: 4 });
  for await (const event of stream) {
    if (event.type === 'token' || event.type === 'reasoning' || event.type === 'tool_call_chunk') {
      result.chunks++;
      result.firstTokenMs ??= performance.now() - started;
    }
    if (event.type === 'token') print.text(event.content);
    if (event.type === 'tool_call_complete') print.toolCall(event.name, event.arguments);
    if (event.type === 'tool_result') print.toolResult(JSON.stringify(event.output));
    if (event.type === 'step_finish') result.finishReasons.push(event.reason);
    if (event.type === 'error') result.error = `${event.error.code}: ${event.error.message}`;
    if (event.type === 'finish') {
      result.outputTokens = event.usage.outputTokens; // summed over the steps
      result.estimated = event.usage.estimated;
    }
  }
  result.totalMs = performance.now() - started;
  return result;
}
