import { TokenwireError } from '../model/errors.js';
import { unknownNameMessage } from './did-you-mean.js';
import { isPlainObject, requestProblem } from './request-problem.js';
import { isStandardSchema } from './structured-output.js';
import { hooksProblem } from './validate-hooks.js';
import { findMessagesProblem } from './validate-messages.js';
import { findTimeoutsProblem } from './validate-settings.js';
import { maxStepsProblem, TOOL_NAME, toolsProblem } from './validate-tools.js';

/** The fields `tokenwire.stream()` takes; anything else is refused with the closest of these. */
const REQUEST_FIELDS = [
  'model',
  'messages',
  'tools',
  'toolChoice',
  'temperature',
  'maxTokens',
  'topP',
  'stop',
  'seed',
  'responseFormat',
  'reasoning',
  'headers',
  'providerOptions',
  'signal',
  'timeouts',
  'maxSteps',
  'hooks',
] as const;
const KNOWN_FIELDS: ReadonlySet<string> = new Set(REQUEST_FIELDS);
const EFFORTS: ReadonlySet<unknown> = new Set(['minimal', 'low', 'medium', 'high']);

/**
 * The first problem of a `tokenwire.stream()` request, or undefined: an `invalid_request` error
 * naming the field by its path, or a `configuration` error for `timeouts`. The model string is
 * checked where it is parsed. Nothing is sent for a request with a problem.
 */
export function findRequestProblem(request: unknown): TokenwireError | undefined {
  if (!isPlainObject(request)) return requestProblem('the request', 'must be an object', request);
  for (const key in request) {
    if (!KNOWN_FIELDS.has(key)) {
      return new TokenwireError({
        code: 'invalid_request',
        message: `Invalid request: ${unknownNameMessage('request field', key, REQUEST_FIELDS)} Nothing was sent.`,
      });
    }
  }
  return (
    findMessagesProblem(request.messages) ??
    toolsProblem(request.tools) ??
    toolChoiceProblem(request.toolChoice, request.tools) ??
    samplingProblem(request) ??
    responseFormatProblem(request.responseFormat) ??
    reasoningProblem(request.reasoning) ??
    stringMapProblem(request.headers, 'headers') ??
    providerOptionsProblem(request.providerOptions) ??
    signalProblem(request.signal) ??
    maxStepsProblem(request.maxSteps) ??
    hooksProblem(request.hooks, 'request') ??
    findTimeoutsProblem(request.timeouts, 'timeouts')
  );
}

function toolChoiceProblem(choice: unknown, tools: unknown): TokenwireError | undefined {
  if (choice === undefined || choice === 'auto' || choice === 'none') return undefined;
  const declared = Array.isArray(tools) ? (tools as Array<{ name: string }>) : [];
  if (choice === 'required') {
    return declared.length > 0 ? undefined : requestProblem('toolChoice', "is 'required' but tools is empty");
  }
  if (!isPlainObject(choice) || typeof choice.name !== 'string') {
    return requestProblem('toolChoice', "must be 'auto', 'required', 'none' or { name }", choice);
  }
  if (declared.some((tool) => tool.name === choice.name)) return undefined;
  return requestProblem('toolChoice.name', 'must name one of the tools', choice.name);
}

function samplingProblem(request: Record<string, unknown>): TokenwireError | undefined {
  const { temperature, topP, maxTokens, seed, stop } = request;
  if (temperature !== undefined && !inRange(temperature, 0, 2)) {
    return requestProblem('temperature', 'must be a number from 0 to 2', temperature);
  }
  if (topP !== undefined && !inRange(topP, 0, 1))
    return requestProblem('topP', 'must be a number from 0 to 1', topP);
  if (maxTokens !== undefined && !(Number.isSafeInteger(maxTokens) && (maxTokens as number) >= 1)) {
    return requestProblem('maxTokens', 'must be a whole number of at least 1', maxTokens);
  }
  if (seed !== undefined && !Number.isSafeInteger(seed))
    return requestProblem('seed', 'must be a whole number', seed);
  if (stop !== undefined) {
    if (!Array.isArray(stop)) return requestProblem('stop', 'must be a list of strings', stop);
    for (let index = 0; index < stop.length; index++) {
      if (typeof stop[index] !== 'string' || stop[index] === '') {
        return requestProblem(`stop[${index}]`, 'must be a non-empty string', stop[index]);
      }
    }
  }
  return undefined;
}

function responseFormatProblem(format: unknown): TokenwireError | undefined {
  if (format === undefined) return undefined;
  if (!isPlainObject(format))
    return requestProblem('responseFormat', "must be { type: 'text' | 'json' | 'json_schema' }", format);
  if (format.type === 'text' || format.type === 'json') return undefined;
  if (format.type !== 'json_schema') {
    return requestProblem('responseFormat.type', 'must be one of text, json, json_schema', format.type);
  }
  if (!isPlainObject(format.schema) && !isStandardSchema(format.schema)) {
    return requestProblem(
      'responseFormat.schema',
      'must be a JSON Schema object or a Standard Schema (zod 4, valibot, arktype)',
      format.schema,
    );
  }
  if (format.jsonSchema !== undefined && !isPlainObject(format.jsonSchema)) {
    return requestProblem('responseFormat.jsonSchema', 'must be a JSON Schema object', format.jsonSchema);
  }
  if (format.name !== undefined && (typeof format.name !== 'string' || !TOOL_NAME.test(format.name))) {
    return requestProblem(
      'responseFormat.name',
      'must be 1–64 characters of A-Z, a-z, 0-9, _ and -',
      format.name,
    );
  }
  if (format.strict !== undefined && typeof format.strict !== 'boolean') {
    return requestProblem('responseFormat.strict', 'must be a boolean', format.strict);
  }
  return undefined;
}

function reasoningProblem(reasoning: unknown): TokenwireError | undefined {
  if (reasoning === undefined) return undefined;
  if (!isPlainObject(reasoning)) return requestProblem('reasoning', 'must be an object', reasoning);
  const { effort, budgetTokens, includeThoughts } = reasoning;
  if (effort !== undefined && !EFFORTS.has(effort)) {
    return requestProblem('reasoning.effort', 'must be one of minimal, low, medium, high', effort);
  }
  if (budgetTokens !== undefined && !(Number.isSafeInteger(budgetTokens) && (budgetTokens as number) >= 0)) {
    return requestProblem('reasoning.budgetTokens', 'must be a whole number of at least 0', budgetTokens);
  }
  if (includeThoughts !== undefined && typeof includeThoughts !== 'boolean') {
    return requestProblem('reasoning.includeThoughts', 'must be a boolean', includeThoughts);
  }
  return undefined;
}

/** `headers`: an object of header names to string values. */
export function stringMapProblem(value: unknown, path: string): TokenwireError | undefined {
  if (value === undefined) return undefined;
  if (!isPlainObject(value))
    return requestProblem(path, 'must be an object of header names to strings', value);
  for (const name in value) {
    if (typeof value[name] !== 'string')
      return requestProblem(`${path}.${name}`, 'must be a string', value[name]);
  }
  return undefined;
}

function providerOptionsProblem(options: unknown): TokenwireError | undefined {
  if (options === undefined) return undefined;
  if (!isPlainObject(options))
    return requestProblem('providerOptions', 'must be an object keyed by provider', options);
  for (const provider in options) {
    if (!isPlainObject(options[provider])) {
      return requestProblem(
        `providerOptions.${provider}`,
        'must be an object of vendor parameters',
        options[provider],
      );
    }
  }
  return undefined;
}

function signalProblem(signal: unknown): TokenwireError | undefined {
  if (signal === undefined) return undefined;
  const candidate = signal as { aborted?: unknown; addEventListener?: unknown } | null;
  if (typeof candidate?.aborted === 'boolean' && typeof candidate.addEventListener === 'function')
    return undefined;
  return requestProblem('signal', 'must be an AbortSignal', signal);
}

function inRange(value: unknown, low: number, high: number): boolean {
  return typeof value === 'number' && value >= low && value <= high; // false for NaN
}
