import { describe, expect, it } from 'vitest';
import { PartialArguments, parseJsonPath } from './google-partial-args.js';

describe('parseJsonPath', () => {
  it('splits dotted names, indexes and quoted names', () => {
    expect(parseJsonPath(`$.recipe.steps[1]['odd.key']["x y"]`)).toEqual([
      'recipe',
      'steps',
      1,
      'odd.key',
      'x y',
    ]);
  });

  it.each(['recipe', '$..a', '$.a[]', '$.a[-1]', "$['open"])('refuses %s', (path) => {
    expect(parseJsonPath(path)).toBeUndefined();
  });
});

describe('PartialArguments', () => {
  it('joins a string value from pieces that continue, and replaces one that does not', () => {
    const args = new PartialArguments();
    args.apply({ jsonPath: '$.a', stringValue: 'Hel', willContinue: true });
    args.apply({ jsonPath: '$.a', stringValue: 'lo' });
    args.apply({ jsonPath: '$.b', stringValue: 'first' });
    args.apply({ jsonPath: '$.b', stringValue: 'second' });
    expect(args.toJSON()).toBe('{"a":"Hello","b":"second"}');
  });

  it('keeps __proto__ as an ordinary key instead of touching the prototype', () => {
    const args = new PartialArguments();
    args.apply({ jsonPath: '$.__proto__.polluted', boolValue: true });
    expect([args.toJSON(), ({} as { polluted?: unknown }).polluted]).toEqual([
      '{"__proto__":{"polluted":true}}',
      undefined,
    ]);
  });

  it('ignores pieces with an unreadable path, no value, or an index far past the end of an array', () => {
    const args = new PartialArguments();
    args.apply({ jsonPath: 'nope', stringValue: 'x' });
    args.apply({ jsonPath: '$.a' });
    args.apply({ jsonPath: '$.list[0]', numberValue: 1 });
    args.apply({ jsonPath: '$.list[999999999]', numberValue: 2 });
    expect(args.toJSON()).toBe('{"list":[1]}');
  });
});
