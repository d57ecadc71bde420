import { unknownNameMessage } from '@tokenwire/core/internal';
import { RequestRefusal } from '../gateway-problem.js';

// Readers of a request body's fields for the dialects' decoders: each checks one field's type and
// throws a `RequestRefusal` naming it by path (`messages[2].content[0].type`) when it is wrong.

/** A request's JSON object. */
export type Fields = Record<string, unknown>;

/** `base.key`, or `key` at the top level. */
export function pathOf(base: string, key: string | number): string {
  if (typeof key === 'number') return `${base}[${key}]`;
  return base === '' ? key : `${base}.${key}`;
}

/** Refuses the request: `param` (the field) and what it must be. */
export function refuse(param: string, rule: string, value: unknown): never {
  throw new RequestRefusal(param, `${param} ${rule} (got ${describe(value)}). Nothing was sent.`);
}

/** Refuses a field the gateway knows but cannot carry to any provider. */
export function unsupported(param: string, what: string): never {
  throw new RequestRefusal(param, `${param}: ${what} is not supported by the gateway. Nothing was sent.`);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string')
    return value.length > 40 ? `a string of ${value.length} characters` : `'${value}'`;
  return typeof value === 'number' || typeof value === 'boolean' ? String(value) : typeof value;
}

/** The value as an object, or a refusal. */
export function objectAt(value: unknown, param: string): Fields {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    refuse(param, 'must be an object', value);
  return value as Fields;
}

/** Refuses the first field of `object` that is not in `known`, with the closest known name. */
export function onlyFields(object: Fields, param: string, known: readonly string[]): void {
  for (const key in object) {
    if (known.includes(key)) continue;
    const field = pathOf(param, key);
    throw new RequestRefusal(field, `${unknownNameMessage('field', field, known)} Nothing was sent.`);
  }
}

/** The value as an array, or a refusal. */
export function arrayAt(value: unknown, param: string): unknown[] {
  if (!Array.isArray(value)) refuse(param, 'must be an array', value);
  return value;
}

/** The value as a string, or a refusal. */
export function stringAt(value: unknown, param: string): string {
  if (typeof value !== 'string') refuse(param, 'must be a string', value);
  return value;
}

/** The value as a non-empty string, or a refusal. */
export function nameAt(value: unknown, param: string): string {
  if (typeof value !== 'string' || value === '') refuse(param, 'must be a non-empty string', value);
  return value;
}

/** The value as a finite number (an integer when asked), or a refusal. Ranges are core's to check. */
export function numberAt(value: unknown, param: string, integer = false): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || (integer && !Number.isInteger(value)))
    refuse(param, integer ? 'must be an integer' : 'must be a number', value);
  return value;
}

/** The value as a boolean, or a refusal. */
export function booleanAt(value: unknown, param: string): boolean {
  if (typeof value !== 'boolean') refuse(param, 'must be true or false', value);
  return value;
}

/** The value as one of `allowed`, or a refusal listing them. */
export function oneOf<Value extends string>(value: unknown, param: string, allowed: readonly Value[]): Value {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value))
    refuse(param, `must be one of ${allowed.map((item) => `'${item}'`).join(', ')}`, value);
  return value as Value;
}

/** Whether a field is set: JSON `null` counts as absent, as the vendors' APIs treat it. */
export function isSet(value: unknown): boolean {
  return value !== undefined && value !== null;
}

/**
 * Refuses a field set to anything but its neutral value (`n: 1`, `logprobs: false`,
 * `frequency_penalty: 0`): the gateway cannot carry it, and would otherwise drop it silently.
 */
export function neutralOnly(object: Fields, key: string, neutral: readonly unknown[]): void {
  const value = object[key];
  if (!isSet(value) || neutral.includes(value)) return;
  if (typeof value === 'object' && Object.keys(value as object).length === 0 && neutral.includes('{}'))
    return;
  unsupported(key, `a value other than ${neutral.map((item) => JSON.stringify(item)).join(' or ')}`);
}

/** The text of a string or of an array of `{ type: 'text', text }` parts (`kind` is the part type). */
export function textOf(value: unknown, param: string, kinds: readonly string[] = ['text']): string {
  if (typeof value === 'string') return value;
  let text = '';
  arrayAt(value, param).forEach((item, index) => {
    const partParam = pathOf(param, index);
    const part = objectAt(item, partParam);
    oneOf(part.type, pathOf(partParam, 'type'), kinds);
    text += stringAt(part.text, pathOf(partParam, 'text'));
  });
  return text;
}
