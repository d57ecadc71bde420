import type { SpendRow } from './gateway-store.js';
import { importOptional } from './optional-import.js';

// `/metrics` in Prometheus text, through prom-client (an optional peer dependency, imported once).
// Labels are key ids, model names, providers and codes: never a key or anything a client wrote.

interface Counter {
  inc(labels: Record<string, string>, value?: number): void;
}
interface Histogram {
  observe(labels: Record<string, string>, value: number): void;
}
interface Registry {
  metrics(): Promise<string>;
  readonly contentType: string;
}
interface PromClient {
  Registry: new () => Registry;
  Counter: new (options: Record<string, unknown>) => Counter;
  Histogram: new (options: Record<string, unknown>) => Histogram;
}

interface Instruments {
  registry: Registry;
  requests: Counter;
  tokens: Counter;
  cost: Counter;
  errors: Counter;
  latency: Histogram;
}

/** The gateway's metrics: requests, tokens, cost, errors and latency, by key id, model and provider. */
export class GatewayMetrics {
  private instruments: Promise<Instruments | undefined> | undefined;

  /** Counts one ended (or refused) request. */
  record(row: SpendRow): void {
    void this.load().then((instruments) => {
      if (instruments === undefined) return;
      const labels = { key_id: row.keyId, model: row.model, provider: row.provider };
      instruments.requests.inc({ ...labels, status: row.status });
      if (row.inputTokens > 0) instruments.tokens.inc({ ...labels, type: 'input' }, row.inputTokens);
      if (row.outputTokens > 0) instruments.tokens.inc({ ...labels, type: 'output' }, row.outputTokens);
      if (row.costUsd !== null && row.costUsd > 0) instruments.cost.inc(labels, row.costUsd);
      if (row.errorCode !== null) instruments.errors.inc({ ...labels, code: row.errorCode });
      if (row.status !== 'refused') instruments.latency.observe(labels, row.latencyMs / 1000);
    });
  }

  /** The exposition text and its content type; undefined when prom-client is not installed. */
  async text(): Promise<{ body: string; contentType: string } | undefined> {
    const instruments = await this.load();
    if (instruments === undefined) return undefined;
    return { body: await instruments.registry.metrics(), contentType: instruments.registry.contentType };
  }

  private load(): Promise<Instruments | undefined> {
    this.instruments ??= importOptional('prom-client').then(
      (module) =>
        create(((module as unknown as { default?: PromClient }).default ?? module) as unknown as PromClient),
      () => undefined,
    );
    return this.instruments;
  }
}

function create(prom: PromClient): Instruments {
  const registry = new prom.Registry();
  const base = ['key_id', 'model', 'provider'];
  const counter = (name: string, help: string, labelNames: string[]) =>
    new prom.Counter({ name, help, labelNames, registers: [registry] });
  return {
    registry,
    requests: counter('tokenwire_gateway_requests_total', 'Requests by end status.', [...base, 'status']),
    tokens: counter('tokenwire_gateway_tokens_total', 'Tokens by type (input, output).', [...base, 'type']),
    cost: counter('tokenwire_gateway_cost_usd_total', 'Cost in USD, where a price is known.', base),
    errors: counter('tokenwire_gateway_errors_total', 'Errors and refusals by code.', [...base, 'code']),
    latency: new prom.Histogram({
      name: 'tokenwire_gateway_request_duration_seconds',
      help: 'Request duration, first byte in to last byte out.',
      labelNames: base,
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120],
      registers: [registry],
    }),
  };
}
