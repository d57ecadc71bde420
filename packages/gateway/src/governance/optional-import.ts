/**
 * Imports one of governance's optional peers (`@electric-sql/pglite`, `postgres`, `prom-client`)
 * when it is first needed. The specifier is computed, so bundlers leave it alone: a Worker or edge
 * bundle of the gateway without governance needs none of them installed or resolvable.
 */
export function importOptional(specifier: string): Promise<unknown> {
  return import(specifier);
}
