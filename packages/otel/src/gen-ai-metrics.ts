import { type Attributes, type Histogram, type MeterProvider, ValueType } from '@opentelemetry/api';

/**
 * The client metrics of the GenAI conventions, with their recommended bucket boundaries (given as
 * `advice`, which @opentelemetry/api has carried since 1.7 and the SDK applies unless a View says
 * otherwise).
 *
 * @see https://github.com/open-telemetry/semantic-conventions/blob/v1.41.0/docs/gen-ai/gen-ai-metrics.md
 */

/** Tokens per operation, `gen_ai.token.type` `input` or `output`; unit `{token}`. */
export const TOKEN_USAGE_METRIC = 'gen_ai.client.token.usage';
/** Seconds from the start of the stream to its end (retries and tool steps included). */
export const OPERATION_DURATION_METRIC = 'gen_ai.client.operation.duration';
/** Seconds from the start of the stream to its first text, reasoning or tool-call piece. */
export const TIME_TO_FIRST_CHUNK_METRIC = 'gen_ai.client.operation.time_to_first_chunk';

const TOKEN_BUCKETS = [
  1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216, 67108864,
];
const SECONDS_BUCKETS = [
  0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92,
];

/** The three histograms, created once per meter provider. */
export interface GenAiInstruments {
  tokenUsage: Histogram<Attributes>;
  operationDuration: Histogram<Attributes>;
  timeToFirstChunk: Histogram<Attributes>;
}

/** The instrumentation scope of every span and metric of this package. */
export const INSTRUMENTATION_SCOPE = '@tokenwire/otel';

/** Creates the histograms on `provider`'s meter for this package. */
export function createInstruments(provider: MeterProvider): GenAiInstruments {
  const meter = provider.getMeter(INSTRUMENTATION_SCOPE);
  return {
    tokenUsage: meter.createHistogram(TOKEN_USAGE_METRIC, {
      description: 'Number of input and output tokens used.',
      unit: '{token}',
      valueType: ValueType.INT,
      advice: { explicitBucketBoundaries: TOKEN_BUCKETS },
    }),
    operationDuration: meter.createHistogram(OPERATION_DURATION_METRIC, {
      description: 'GenAI operation duration.',
      unit: 's',
      advice: { explicitBucketBoundaries: SECONDS_BUCKETS },
    }),
    timeToFirstChunk: meter.createHistogram(TIME_TO_FIRST_CHUNK_METRIC, {
      description: 'Time to receive the first chunk of a streaming response.',
      unit: 's',
      advice: { explicitBucketBoundaries: SECONDS_BUCKETS },
    }),
  };
}

/**
 * The instruments of the meter provider in force: the given one, or the global one looked up at
 * each stream, so that hooks made before the SDK starts (`metrics.setGlobalMeterProvider`) still
 * record once it has. The API's global meter provider has no proxy, unlike the tracer provider's.
 */
export function instrumentsOf(resolve: () => MeterProvider): () => GenAiInstruments {
  let provider: MeterProvider | undefined;
  let instruments: GenAiInstruments | undefined;
  return () => {
    const current = resolve();
    if (instruments === undefined || current !== provider) {
      provider = current;
      instruments = createInstruments(current);
    }
    return instruments;
  };
}
