/**
 * An incremental, best-effort JSON parser: fed the text of a JSON answer as it streams, it keeps a
 * live value that holds everything complete so far plus the string being written. Each character is
 * read once, so the whole answer costs time linear in its length (re-parsing the prefix on every
 * delta, as most partial-JSON parsers do, is quadratic).
 *
 * What the live value shows: objects and arrays as soon as they open, keys once their value starts,
 * strings as they grow, numbers, `true`, `false` and `null` once complete (so a value, once shown,
 * only grows: strings and arrays get longer, objects get keys). Text before the first `{` or `[`
 * (a code fence, a sentence) and after the value is ignored. `value` is mutated in place;
 * `snapshot()` returns a copy that later text never changes, sharing the parts already closed.
 */
export class PartialJsonParser {
  /** The best-effort value so far: undefined until an object or array has opened. */
  value: unknown = undefined;
  private readonly stack: Frame[] = [];
  private mode: Mode = 'start';
  /** The text of the string, number or literal being read (a string: decoded so far). */
  private buffer = '';
  /** An escape being read inside a string: '' for none, '\\' after a backslash, or '\\u12' so far. */
  private escape = '';
  private stringIsKey = false;
  /** Where the string being read stands, to update its partial text. */
  private slot: Frame | undefined;
  private changed = false;

  /** Reads more of the text; true when the live value changed. */
  push(text: string): boolean {
    this.changed = false;
    let index = 0;
    while (index < text.length) {
      if (this.mode === 'string') index = this.readString(text, index);
      else if (this.mode === 'done') return this.changed;
      else this.readToken(text.charCodeAt(index++));
    }
    if (this.mode === 'string' && !this.stringIsKey) this.publishString();
    return this.changed;
  }

  /**
   * The value as it stands, as a copy that later text never changes: the containers still open are
   * copied (shallowly, from the innermost out), the closed ones shared, since the parser never
   * touches them again.
   */
  snapshot(): unknown {
    let child: unknown;
    for (let depth = this.stack.length - 1; depth >= 0; depth--) {
      const frame = this.stack[depth] as Frame;
      const inner = depth < this.stack.length - 1;
      if (frame.kind === 'array') {
        const copy = frame.value.slice();
        if (inner) copy[copy.length - 1] = child;
        child = copy;
      } else {
        const copy: Record<string, unknown> = {};
        for (const key of Object.keys(frame.value)) setKey(copy, key, frame.value[key]);
        if (inner) setKey(copy, frame.key as string, child);
        child = copy;
      }
    }
    return this.stack.length === 0 ? this.value : child;
  }

  /** True once the outermost value has closed. */
  get complete(): boolean {
    return this.mode === 'done';
  }

  private readToken(code: number): void {
    if (this.mode === 'number' || this.mode === 'literal') {
      if (isScalarPart(code)) {
        this.buffer += String.fromCharCode(code);
        return;
      }
      this.endScalar();
    }
    if (code === SPACE || code === TAB || code === NEWLINE || code === RETURN) return;
    const frame = this.stack.at(-1);
    if (this.mode === 'start') {
      if (code === OPEN_BRACE || code === OPEN_BRACKET) this.openContainer(code);
      return; // text before the JSON value
    }
    if (frame === undefined) return;
    switch (code) {
      case OPEN_BRACE:
      case OPEN_BRACKET:
        if (expectsValue(frame)) this.openContainer(code);
        return;
      case CLOSE_BRACE:
      case CLOSE_BRACKET:
        this.closeContainer();
        return;
      case QUOTE:
        this.stringIsKey = frame.kind === 'object' && frame.expect === 'key';
        if (!this.stringIsKey && !expectsValue(frame)) return;
        this.mode = 'string';
        this.buffer = '';
        if (!this.stringIsKey) {
          this.place('');
          this.slot = frame;
        }
        return;
      case COLON:
        if (frame.kind === 'object' && frame.expect === 'colon') frame.expect = 'value';
        return;
      case COMMA:
        if (frame.expect === 'comma') frame.expect = frame.kind === 'object' ? 'key' : 'value';
        return;
      default:
        if (expectsValue(frame) && isScalarPart(code)) {
          this.mode = isLiteralStart(code) ? 'literal' : 'number';
          this.buffer = String.fromCharCode(code);
        }
    }
  }

  /** Reads string characters from `index`; returns where it stopped (past the closing quote, or the end). */
  private readString(text: string, index: number): number {
    let position = index;
    while (position < text.length) {
      if (this.escape !== '') {
        position = this.readEscape(text, position);
        continue;
      }
      let end = position;
      while (end < text.length) {
        const code = text.charCodeAt(end);
        if (code === QUOTE || code === BACKSLASH) break;
        end++;
      }
      if (end > position) this.buffer += text.slice(position, end);
      if (end === text.length) return end;
      if (text.charCodeAt(end) === BACKSLASH) {
        this.escape = '\\';
        position = end + 1;
        continue;
      }
      this.endString();
      return end + 1;
    }
    return position;
  }

  private readEscape(text: string, position: number): number {
    const character = text[position] as string;
    if (this.escape === '\\') {
      if (character === 'u') this.escape = '\\u';
      else {
        this.buffer += ESCAPES[character] ?? character;
        this.escape = '';
      }
      return position + 1;
    }
    this.escape += character;
    if (this.escape.length === 6) {
      this.buffer += String.fromCharCode(Number.parseInt(this.escape.slice(2), 16));
      this.escape = '';
    }
    return position + 1;
  }

  private endString(): void {
    this.mode = 'between';
    const frame = this.stack.at(-1) as Frame;
    if (this.stringIsKey && frame.kind === 'object') {
      frame.key = this.buffer;
      frame.expect = 'colon';
    } else {
      this.publishString();
      frame.expect = 'comma';
    }
    this.slot = undefined;
    this.buffer = '';
  }

  /** Writes the partial text of the string being read into its place. */
  private publishString(): void {
    const slot = this.slot;
    if (slot === undefined) return;
    if (slot.kind === 'object') {
      if (slot.value[slot.key as string] !== this.buffer) {
        setKey(slot.value, slot.key as string, this.buffer);
        this.changed = true;
      }
    } else if (slot.value[slot.value.length - 1] !== this.buffer) {
      slot.value[slot.value.length - 1] = this.buffer;
      this.changed = true;
    }
  }

  private endScalar(): void {
    this.mode = 'between';
    const text = this.buffer;
    this.buffer = '';
    const value = text === 'true' ? true : text === 'false' ? false : text === 'null' ? null : Number(text);
    if (typeof value === 'number' && !Number.isFinite(value)) return; // not a JSON number: ignored
    this.place(value);
    const frame = this.stack.at(-1);
    if (frame !== undefined) frame.expect = 'comma';
  }

  private openContainer(code: number): void {
    const container: Record<string, unknown> | unknown[] = code === OPEN_BRACE ? {} : [];
    this.place(container);
    this.stack.push(
      Array.isArray(container)
        ? { kind: 'array', value: container, expect: 'value' }
        : { kind: 'object', value: container, key: undefined, expect: 'key' },
    );
    this.mode = 'between';
  }

  private closeContainer(): void {
    this.stack.pop();
    const parent = this.stack.at(-1);
    if (parent === undefined) this.mode = 'done';
    else parent.expect = 'comma';
  }

  /** Puts a value where the parser stands: the root, the current key, or the next array item. */
  private place(value: unknown): void {
    this.changed = true;
    const frame = this.stack.at(-1);
    if (frame === undefined) this.value = value;
    else if (frame.kind === 'array') frame.value.push(value);
    else setKey(frame.value, frame.key as string, value);
  }
}

/** Sets an own property, as JSON.parse does: `__proto__` included (an assignment would set the prototype). */
function setKey(object: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__')
    Object.defineProperty(object, key, { value, writable: true, enumerable: true, configurable: true });
  else object[key] = value;
}

type Mode = 'start' | 'between' | 'string' | 'number' | 'literal' | 'done';
type Frame =
  | { kind: 'object'; value: Record<string, unknown>; key: string | undefined; expect: Expect }
  | { kind: 'array'; value: unknown[]; expect: Expect };
type Expect = 'key' | 'colon' | 'value' | 'comma';

const SPACE = 32;
const TAB = 9;
const NEWLINE = 10;
const RETURN = 13;
const QUOTE = 34;
const BACKSLASH = 92;
const COMMA = 44;
const COLON = 58;
const OPEN_BRACE = 123;
const CLOSE_BRACE = 125;
const OPEN_BRACKET = 91;
const CLOSE_BRACKET = 93;
const ESCAPES: Readonly<Record<string, string>> = { n: '\n', t: '\t', r: '\r', b: '\b', f: '\f' };

function expectsValue(frame: Frame): boolean {
  return frame.expect === 'value';
}

/** Digits, signs, `.`, exponents and the letters of `true`, `false`, `null`. */
function isScalarPart(code: number): boolean {
  return (
    (code >= 48 && code <= 57) ||
    code === 45 ||
    code === 43 ||
    code === 46 ||
    (code >= 97 && code <= 122) ||
    code === 69
  );
}

function isLiteralStart(code: number): boolean {
  return code === 116 || code === 102 || code === 110; // t, f, n
}
