import type { StandardSchemaV1 } from '@standard-schema/spec';
import type { Tool, ToolDefinition, ToolExecutionContext } from '../model/tool-types.js';
import type { JsonSchema } from '../model/types.js';
import { isStandardSchema, standardJsonSchema } from '../request/structured-output.js';

/** What the tool loop keeps of an executable tool: how to check its input and run it. */
export interface ToolRunner {
  name: string;
  execute: (input: unknown, context: ToolExecutionContext) => unknown;
  /** The Standard Schema that checks (and may transform) the input, if `parameters` is one. */
  standard?: StandardSchemaV1;
  /** The JSON Schema that checks the input otherwise. */
  jsonSchema?: JsonSchema;
  /** Whether a call waits for the user's decision (`Tool.needsApproval`). */
  needsApproval?: boolean | ((input: unknown) => boolean);
}

/** The request's tools as adapters get them, and the runners of those with `execute`. */
export interface ResolvedTools {
  definitions: ToolDefinition[] | undefined;
  runners: Map<string, ToolRunner>;
}

/**
 * Splits the caller's tools into the definitions adapters map (a Standard Schema replaced by its
 * JSON Schema, `execute` left out) and the runners the loop calls. Throws the `invalid_request` of a
 * Standard Schema whose JSON Schema cannot be had.
 */
export function resolveTools(tools: readonly Tool[] | undefined): ResolvedTools {
  const runners = new Map<string, ToolRunner>();
  if (tools === undefined) return { definitions: undefined, runners };
  const definitions = tools.map((tool, index): ToolDefinition => {
    const { execute, parameters, needsApproval, ...rest } = tool;
    const standard = isStandardSchema(parameters) ? parameters : undefined;
    const jsonSchema =
      standard === undefined
        ? (parameters as JsonSchema | undefined)
        : standardJsonSchema(standard, `tools[${index}].parameters`);
    if (execute !== undefined) {
      const runner: ToolRunner = { name: tool.name, execute: execute.bind(tool) as ToolRunner['execute'] };
      if (needsApproval !== undefined) runner.needsApproval = needsApproval as ToolRunner['needsApproval'];
      if (standard !== undefined) runner.standard = standard;
      else if (jsonSchema !== undefined) runner.jsonSchema = jsonSchema;
      runners.set(tool.name, runner);
    }
    return jsonSchema === undefined ? rest : { ...rest, parameters: jsonSchema };
  });
  return { definitions, runners };
}

/**
 * Types a tool by its schema: with a Standard Schema as `parameters`, `execute` and `needsApproval`
 * get its output type as input. Returns the tool as given.
 *
 * @example
 * const weather = tool({
 *   name: 'get_weather',
 *   parameters: z.object({ city: z.string() }),
 *   execute: async ({ city }) => ({ city, temperature: 21 }),
 * });
 */
export function tool<Input, Output>(
  definition: Omit<Tool<Input, Output>, 'needsApproval'> & {
    /** Ask the user before running a call: `true`, or whether this call's input needs it. */
    needsApproval?: boolean | ((input: Input) => boolean);
  },
): Tool<Input, Output> {
  return definition as Tool<Input, Output>;
}
