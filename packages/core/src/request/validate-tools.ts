import type { TokenwireError } from '../model/errors.js';
import { isPlainObject, requestProblem } from './request-problem.js';
import { isStandardSchema } from './structured-output.js';

export const TOOL_NAME = /^[A-Za-z0-9_-]{1,64}$/;
/** The most model steps one stream may take. */
const MAX_STEPS_LIMIT = 1000;

/** The first problem of `tools`: names, duplicates, schemas, `execute`. */
export function toolsProblem(tools: unknown): TokenwireError | undefined {
  if (tools === undefined) return undefined;
  if (!Array.isArray(tools))
    return requestProblem('tools', 'must be a list of { name, parameters } tools', tools);
  for (let index = 0; index < tools.length; index++) {
    const tool: unknown = tools[index];
    if (!isPlainObject(tool))
      return requestProblem(`tools[${index}]`, 'must be a { name, parameters } object', tool);
    const { name, parameters } = tool;
    if (typeof name !== 'string' || !TOOL_NAME.test(name)) {
      return requestProblem(
        `tools[${index}].name`,
        'must be 1–64 characters of A-Z, a-z, 0-9, _ and -',
        name,
      );
    }
    for (let earlier = 0; earlier < index; earlier++) {
      if ((tools[earlier] as { name: string }).name === name) {
        return requestProblem(`tools[${index}].name`, `repeats the name of tools[${earlier}]`, name);
      }
    }
    const schemaOk =
      parameters === undefined ||
      isStandardSchema(parameters) ||
      (isPlainObject(parameters) && parameters.type === 'object');
    if (!schemaOk) {
      const rule =
        "must be a JSON Schema object with type: 'object', or a Standard Schema (zod, valibot, arktype)";
      const path = `tools[${index}].parameters`;
      // A schema of another type is named by it: `got type: "string"`, not `got an object`.
      if (isPlainObject(parameters) && parameters.type !== undefined)
        return requestProblem(path, `${rule}; got type: ${JSON.stringify(parameters.type)}`);
      return requestProblem(path, rule, parameters);
    }
    if (tool.execute !== undefined && typeof tool.execute !== 'function') {
      return requestProblem(
        `tools[${index}].execute`,
        'must be a function (input, { signal, toolCallId, messages })',
        tool.execute,
      );
    }
    const approval = tool.needsApproval;
    if (approval !== undefined && typeof approval !== 'boolean' && typeof approval !== 'function') {
      return requestProblem(
        `tools[${index}].needsApproval`,
        'must be true, false or a function (input) => boolean',
        approval,
      );
    }
    if (tool.description !== undefined && typeof tool.description !== 'string') {
      return requestProblem(`tools[${index}].description`, 'must be a string', tool.description);
    }
    if (tool.strict !== undefined && typeof tool.strict !== 'boolean') {
      return requestProblem(`tools[${index}].strict`, 'must be a boolean', tool.strict);
    }
  }
  return undefined;
}

/** `maxSteps`: a whole number of model steps, at least 1. */
export function maxStepsProblem(maxSteps: unknown): TokenwireError | undefined {
  if (maxSteps === undefined) return undefined;
  if (
    typeof maxSteps === 'number' &&
    Number.isInteger(maxSteps) &&
    maxSteps >= 1 &&
    maxSteps <= MAX_STEPS_LIMIT
  )
    return undefined;
  return requestProblem(
    'maxSteps',
    `must be a whole number of model steps from 1 to ${MAX_STEPS_LIMIT}`,
    maxSteps,
  );
}
