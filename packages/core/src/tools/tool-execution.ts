import { redactSecrets } from '../model/redact.js';
import type { ToolResultEvent } from '../model/tool-types.js';
import type { Message, ToolCall } from '../model/types.js';
import { checkSchema, listIssues } from '../request/schema-check.js';
import type { ToolRunner } from './resolve-tools.js';

/**
 * Runs one call of an executable tool: its input checked against the tool's schema first, then
 * `execute`. Never rejects: a throw, an input that breaks the schema or is not JSON, and a name
 * no tool has all become `isError` results, which go back to the model.
 */
export async function runToolCall(
  call: ToolCall,
  runner: ToolRunner | undefined,
  signal: AbortSignal,
  messages: readonly Message[],
): Promise<ToolResultEvent> {
  const result = (output: unknown, isError?: boolean): ToolResultEvent =>
    isError
      ? { type: 'tool_result', toolCallId: call.id, name: call.name, output, isError }
      : { type: 'tool_result', toolCallId: call.id, name: call.name, output };
  if (runner === undefined) return result(`There is no tool named '${call.name}'.`, true);
  if (call.input === undefined) {
    return result(
      `The arguments of ${call.name} are not valid JSON: ${JSON.stringify(call.arguments)}.`,
      true,
    );
  }
  try {
    const checked = await checkSchema(call.input, runner);
    if ('issues' in checked)
      return result(`Invalid input for ${call.name}: ${listIssues(checked.issues)}.`, true);
    // The stream ended while the input was checked: the tool is not started.
    if (signal.aborted) return result(`${call.name} was not run: the stream ended.`, true);
    const output = await runner.execute(checked.value, { signal, toolCallId: call.id, messages });
    if (typeof output !== 'string') JSON.stringify(output); // throws for a cycle or a BigInt: an error result
    return result(output);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return result(redactSecrets(`${call.name} failed: ${message}`), true);
  }
}

/** The `tool` message that sends a result back: a string as is, anything else as JSON. */
export function toolMessageOf(result: ToolResultEvent): Message {
  const { output } = result;
  const content = typeof output === 'string' ? output : (JSON.stringify(output) ?? 'null');
  const message: Message = { role: 'tool', toolCallId: result.toolCallId, name: result.name, content };
  if (result.isError === true) message.isError = true;
  return message;
}
