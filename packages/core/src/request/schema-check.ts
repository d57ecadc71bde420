import type { StandardSchemaV1 } from '@standard-schema/spec';
import type { JsonSchema } from '../model/types.js';

/** How many issues a message lists; the rest are counted. */
const LISTED_ISSUES = 5;

/** What a value is checked against: a Standard Schema (which may transform it), or a JSON Schema. */
export interface SchemaCheck {
  standard?: StandardSchemaV1;
  jsonSchema?: JsonSchema;
}

/**
 * Checks a value: its (possibly transformed) value, or its issues by path
 * (`/days/0/day: Expected number`). A JSON Schema is checked with @cfworker/json-schema, imported
 * on first use; with neither schema the value passes as it is.
 */
export async function checkSchema(
  value: unknown,
  { standard, jsonSchema }: SchemaCheck,
): Promise<{ value: unknown } | { issues: string[] }> {
  if (standard !== undefined) {
    const outcome = await standard['~standard'].validate(value);
    return outcome.issues === undefined
      ? { value: outcome.value }
      : { issues: outcome.issues.map(describeIssue) };
  }
  if (jsonSchema === undefined) return { value };
  const { Validator } = await import('@cfworker/json-schema');
  const outcome = new Validator(jsonSchema as never, '2020-12', false).validate(value);
  if (outcome.valid) return { value };
  const issues = outcome.errors
    .filter((issue) => issue.keyword !== 'properties' && issue.keyword !== 'items')
    .map((issue) => `${issue.instanceLocation.replace(/^#/, '') || '/'}: ${issue.error.replace(/\.$/, '')}`);
  return { issues: issues.length > 0 ? issues : ['/: the value does not match the schema'] };
}

/** The first issues, joined, and how many more there are. */
export function listIssues(issues: readonly string[]): string {
  const more = issues.length > LISTED_ISSUES ? `; and ${issues.length - LISTED_ISSUES} more` : '';
  return `${issues.slice(0, LISTED_ISSUES).join('; ')}${more}`;
}

function describeIssue(issue: StandardSchemaV1.Issue): string {
  const path = (issue.path ?? []).map((segment) =>
    String(typeof segment === 'object' ? segment.key : segment),
  );
  return `${path.length === 0 ? '/' : `/${path.join('/')}`}: ${issue.message}`;
}
