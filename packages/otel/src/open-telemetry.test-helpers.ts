import type { Attributes, HrTime } from '@opentelemetry/api';
import { DataPointType, MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import type { StreamEvent } from '@tokenwire/core';

/** A reader whose `collect()` the test calls: no timer, no exporter. */
class CollectingReader extends MetricReader {
  protected override async onShutdown(): Promise<void> {}
  protected override async onForceFlush(): Promise<void> {}
}

/** What a test asserts of a span: small and explicit, no ids or timestamps. */
export interface SpanSummary {
  name: string;
  kind: number;
  /** The parent span's name; undefined for a root span. */
  parent?: string;
  status: { code: number; message?: string };
  attributes: Attributes;
  events: Array<{ name: string; attributes: Attributes }>;
}

/** One histogram point: its attributes, how many values it holds and their sum. */
export interface HistogramPoint {
  name: string;
  unit: string;
  attributes: Attributes;
  count: number;
  sum: number;
  boundaries: number[];
}

/** An SDK tracer provider and meter provider that keep everything in memory. */
export interface Telemetry {
  tracerProvider: BasicTracerProvider;
  meterProvider: MeterProvider;
  readableSpans(): ReadableSpan[];
  spans(): SpanSummary[];
  histograms(): Promise<HistogramPoint[]>;
}

/** Fresh in-memory providers for one test. */
export function inMemoryTelemetry(): Telemetry {
  const exporter = new InMemorySpanExporter();
  const tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  const reader = new CollectingReader();
  const meterProvider = new MeterProvider({ readers: [reader] });
  const readableSpans = () => exporter.getFinishedSpans();
  return {
    tracerProvider,
    meterProvider,
    readableSpans,
    spans: () => summarize(readableSpans()),
    async histograms() {
      const { resourceMetrics } = await reader.collect();
      const points: HistogramPoint[] = [];
      for (const scope of resourceMetrics.scopeMetrics) {
        for (const metric of scope.metrics) {
          if (metric.dataPointType !== DataPointType.HISTOGRAM) continue;
          for (const point of metric.dataPoints) {
            points.push({
              name: metric.descriptor.name,
              unit: metric.descriptor.unit,
              attributes: point.attributes,
              count: point.value.count,
              sum: point.value.sum ?? 0,
              boundaries: point.value.buckets.boundaries,
            });
          }
        }
      }
      return points;
    },
  };
}

function summarize(spans: ReadableSpan[]): SpanSummary[] {
  const names = new Map(spans.map((span) => [span.spanContext().spanId, span.name]));
  return spans.map((span) => {
    const parentId = span.parentSpanContext?.spanId;
    const summary: SpanSummary = {
      name: span.name,
      kind: span.kind,
      status: span.status.message === undefined ? { code: span.status.code } : { ...span.status },
      attributes: { ...span.attributes },
      events: span.events.map((event) => ({ name: event.name, attributes: { ...event.attributes } })),
    };
    if (parentId !== undefined) summary.parent = names.get(parentId) ?? parentId;
    return summary;
  });
}

/** Milliseconds since the epoch of an OpenTelemetry time. */
export function millisecondsOf(time: HrTime): number {
  return time[0] * 1000 + time[1] / 1e6;
}

/** Every event of a stream, read to its end. */
export async function drain(stream: AsyncIterable<StreamEvent>): Promise<StreamEvent[]> {
  const events: StreamEvent[] = [];
  for await (const event of stream) events.push(event);
  return events;
}

/**
 * Everything a span or a metric point exported, as one string: names, attributes, events and their
 * attributes, status messages, so that a test can search it for a secret.
 */
export async function everythingExported(telemetry: Telemetry): Promise<string> {
  const spans = telemetry.readableSpans().map((span) => ({
    name: span.name,
    attributes: span.attributes,
    events: span.events,
    status: span.status,
    links: span.links,
  }));
  return JSON.stringify({ spans, metrics: await telemetry.histograms() });
}
