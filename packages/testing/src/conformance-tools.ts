import type { FinishEvent, Message, StreamEvent, Tool, ToolExecutionContext } from '@tokenwire/core';
import { expect, it } from 'vitest';
import { type ConformanceHarness, expectFinish } from './conformance-harness.js';
import { conformanceTools, conversationTexts } from './scenarios/conversation.js';
import type { ConformanceScenarios, StreamScenario } from './scenarios/scenario-types.js';
import type { WireProtocol } from './wire-formats.js';

/** What the executed weather tool returns, and how its result looks in each vendor's request. */
const WEATHER_RESULT = { temperature: 21, unit: 'celsius' };
const RESULT_SHAPES: Record<WireProtocol, string> = {
  'openai-chat': '"role":"tool"',
  'openai-responses': '"type":"function_call_output"',
  anthropic: '"type":"tool_result"',
  gemini: '"functionResponse"',
  ollama: '"role":"tool"',
};

interface ExecutedCall {
  input: unknown;
  context: ToolExecutionContext;
  abortedWhenCalled: boolean;
}

/** The conformance tools, the weather one executable: it records its calls and returns WEATHER_RESULT. */
function executableTools(calls: ExecutedCall[]): Tool[] {
  return conformanceTools.map((tool) =>
    tool.name !== 'get_weather'
      ? tool
      : {
          ...tool,
          execute: (input: unknown, context: ToolExecutionContext) => {
            calls.push({ input, context, abortedWhenCalled: context.signal.aborted });
            return WEATHER_RESULT;
          },
        },
  );
}

/**
 * Registers the tool-loop test: the scenarios' tool call answered by an executed tool, the result
 * sent back in the vendor's own shape, the text answer streamed in the same stream, usage summed,
 * and `finish.messages` accepted as the history of the next request.
 */
export function describeToolLoopConformance(
  harness: ConformanceHarness,
  scenarios: ConformanceScenarios,
): void {
  const title = 'runs an executable tool and streams the answer to its result, in one stream';
  const toolCall = scenarios.toolCall;
  if ('skip' in toolCall) {
    it.skip(`${title} (skipped: ${toolCall.skip})`, () => {});
    return;
  }
  it(title, async () => {
    const calls: ExecutedCall[] = [];
    const events = await harness.run(
      [{ payloads: toolCall.payloads }, { payloads: scenarios.text.payloads }],
      {
        tools: executableTools(calls),
      },
    );
    expectExecuted(calls, events, toolCall);
    const finish = expectFinish(events);
    expect(finish.content).toBe(scenarios.text.expected.content);
    expectUsageSummed(finish);
    expect(harness.server.requests).toHaveLength(2);
    const body = harness.server.requests[1]?.body;
    expect(scenarios.validateRequest(body)).toEqual([]);
    const serialized = JSON.stringify(body);
    expect(serialized, 'the second request carries the tool result').toContain('celsius');
    if (typeof scenarios.protocol === 'string')
      expect(serialized).toContain(RESULT_SHAPES[scenarios.protocol]);

    // The conversation goes on from finish.messages, with no executable tool this time.
    const history: Message[] = [
      { role: 'user', content: 'Hello' },
      ...finish.messages,
      { role: 'user', content: conversationTexts.secondQuestion },
    ];
    const next = await harness.run([{ payloads: scenarios.text.payloads }], {
      messages: history,
      tools: conformanceTools,
    });
    expectFinish(next);
    expect(scenarios.validateRequest(harness.server.requests[2]?.body)).toEqual([]);
    expect(JSON.stringify(harness.server.requests[2]?.body)).toContain('celsius');
  });
}

function expectExecuted(calls: ExecutedCall[], events: StreamEvent[], toolCall: StreamScenario): void {
  const expectedCall = toolCall.expected.toolCalls?.[0];
  expect(calls).toHaveLength(1);
  expect(calls[0]?.input).toEqual(expectedCall?.input);
  expect(calls[0]?.context.signal).toBeInstanceOf(AbortSignal);
  expect(calls[0]?.abortedWhenCalled).toBe(false);
  const results = events.filter((event) => event.type === 'tool_result');
  expect(results).toEqual([
    {
      type: 'tool_result',
      toolCallId: calls[0]?.context.toolCallId,
      name: 'get_weather',
      output: WEATHER_RESULT,
    },
  ]);
  expect(events.filter((event) => event.type === 'step_start').map((event) => event.step)).toEqual([1, 2]);
}

function expectUsageSummed(finish: FinishEvent): void {
  const steps = finish.steps ?? [];
  expect(steps).toHaveLength(2);
  const sum = (key: 'inputTokens' | 'outputTokens') =>
    steps.reduce((total, step) => total + step.usage[key], 0);
  expect(finish.usage.inputTokens).toBe(sum('inputTokens'));
  expect(finish.usage.outputTokens).toBe(sum('outputTokens'));
  expect(steps[0]?.usage.totalTokens).toBeGreaterThan(0);
}
