// The entry of the workerd bundle: a Worker whose bindings are the keys; POST the plan, get the results.
import { type RuntimeCase, runCases } from './runtime-cases.js';

export default {
  async fetch(request: Request, env: Record<string, unknown>): Promise<Response> {
    const cases = (await request.json()) as RuntimeCase[];
    return Response.json(await runCases(cases, env));
  },
};
