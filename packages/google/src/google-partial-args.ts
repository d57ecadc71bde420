import type { GooglePartialArg } from './google-types.js';

type Container = Record<string, unknown> | unknown[];

const MAX_ARRAY_GAP = 1024;

/**
 * Rebuilds the argument object of a function call whose arguments Gemini streams as
 * `partialArgs` pieces (`{ jsonPath: '$.recipe.steps[1]', stringValue: '…', willContinue }`).
 * A string value may come in several pieces with the same path: they are concatenated while the
 * previous piece said `willContinue`. The JSON text is produced once, by `toJSON()`, when the
 * call ends.
 */
export class PartialArguments {
  // A null-prototype object, so that a path segment like `__proto__` is an ordinary key.
  private readonly root: Record<string, unknown> = Object.create(null);
  private continuingPath: string | undefined;

  /** Applies one piece; a piece with an unreadable path or no value is ignored. */
  apply(piece: GooglePartialArg): void {
    const path = piece.jsonPath;
    const value = pieceValue(piece);
    const continues = this.continuingPath !== undefined && this.continuingPath === path;
    this.continuingPath = typeof value === 'string' && piece.willContinue === true ? path : undefined;
    if (path === undefined || value === undefined) return;
    const segments = parseJsonPath(path);
    if (segments === undefined || segments.length === 0) return;
    let container: Container = this.root;
    for (let position = 0; position < segments.length - 1; position++) {
      const segment = segments[position] as string | number;
      const next = segments[position + 1];
      let child = read(container, segment);
      if (typeof child !== 'object' || child === null) {
        child = typeof next === 'number' ? [] : Object.create(null);
        write(container, segment, child);
      }
      container = child as Container;
    }
    const last = segments[segments.length - 1] as string | number;
    const previous = read(container, last);
    write(container, last, continues && typeof previous === 'string' ? previous + (value as string) : value);
  }

  /** The arguments as JSON text: `{}` when no piece arrived. */
  toJSON(): string {
    return JSON.stringify(this.root);
  }
}

function pieceValue(piece: GooglePartialArg): unknown {
  if (piece.stringValue !== undefined) return piece.stringValue;
  if (piece.numberValue !== undefined) return piece.numberValue;
  if (piece.boolValue !== undefined) return piece.boolValue;
  if (piece.nullValue !== undefined) return null;
  return undefined;
}

function read(container: Container, segment: string | number): unknown {
  if (Array.isArray(container)) return typeof segment === 'number' ? container[segment] : undefined;
  return Object.hasOwn(container, segment) ? container[segment] : undefined;
}

function write(container: Container, segment: string | number, value: unknown): void {
  if (Array.isArray(container)) {
    // A key into an array means the pieces contradict each other: keep what we have. An index far
    // beyond the end would make a huge sparse array: ignore it too (Gemini counts up from 0).
    if (typeof segment === 'number' && segment <= container.length + MAX_ARRAY_GAP)
      container[segment] = value;
    return;
  }
  container[String(segment)] = value;
}

/**
 * Splits a JSONPath like `$.a.b[0]['c d']` into `['a', 'b', 0, 'c d']`; undefined when it is not
 * of that simple form (the only one Gemini sends).
 */
export function parseJsonPath(path: string): Array<string | number> | undefined {
  if (!path.startsWith('$')) return undefined;
  const segments: Array<string | number> = [];
  let position = 1;
  while (position < path.length) {
    const character = path[position];
    if (character === '.') {
      let end = position + 1;
      while (end < path.length && path[end] !== '.' && path[end] !== '[') end++;
      if (end === position + 1) return undefined;
      segments.push(path.slice(position + 1, end));
      position = end;
    } else if (character === '[') {
      const quote = path[position + 1];
      if (quote === "'" || quote === '"') {
        const end = path.indexOf(`${quote}]`, position + 2);
        if (end < 0) return undefined;
        segments.push(path.slice(position + 2, end));
        position = end + 2;
      } else {
        const end = path.indexOf(']', position);
        if (end <= position + 1) return undefined;
        const index = Number(path.slice(position + 1, end));
        if (!Number.isInteger(index) || index < 0) return undefined;
        segments.push(index);
        position = end + 1;
      }
    } else {
      return undefined;
    }
  }
  return segments;
}
