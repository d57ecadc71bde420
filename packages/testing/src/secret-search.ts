import { inspect } from 'node:util';

/**
 * Where any of `secrets` can be found from `value`: every own property (enumerable or not) of every
 * object reachable from it — the `cause` chain, nested objects and arrays, `Headers` and `Map`
 * entries, a stack — plus what `util.inspect(value, { depth: 10 })` and `JSON.stringify` print.
 * Returns the paths where a secret was found (`cause.error.message`, `inspect`), empty when none.
 */
export function findSecrets(value: unknown, secrets: readonly string[]): string[] {
  const found: string[] = [];
  const seen = new Set<unknown>();
  const visit = (current: unknown, path: string, depth: number) => {
    if (typeof current === 'string') {
      if (secrets.some((secret) => current.includes(secret))) found.push(path);
      return;
    }
    if (typeof current !== 'object' || current === null || seen.has(current) || depth > 12) return;
    seen.add(current);
    if (current instanceof Map || isHeaders(current)) {
      (current as Map<unknown, unknown>).forEach((entry, key) => {
        visit(entry, `${path}[${String(key)}]`, depth + 1);
      });
    }
    for (const key of Reflect.ownKeys(current)) {
      let entry: unknown;
      try {
        entry = (current as Record<string | symbol, unknown>)[key];
      } catch {
        continue;
      }
      visit(entry, `${path}.${String(key)}`, depth + 1);
    }
  };
  visit(value, 'error', 0);
  if (secrets.some((secret) => inspect(value, { depth: 10 }).includes(secret))) found.push('inspect');
  let json = '';
  try {
    json = JSON.stringify(value) ?? '';
  } catch {
    // circular: the walk above covered it
  }
  if (secrets.some((secret) => json.includes(secret))) found.push('JSON');
  return found;
}

function isHeaders(value: object): boolean {
  return typeof (value as Headers).forEach === 'function' && typeof (value as Headers).get === 'function';
}
