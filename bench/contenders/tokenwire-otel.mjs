// tokenwire with the hooks of @tokenwire/otel on: a span and metrics per stream, recorded by the
// OpenTelemetry SDK into exporters that discard them (the cost of tracing, not of a network).
import { setupsWith } from './tokenwire.mjs';

/** An exporter that accepts and drops everything: what is measured is the tracing itself. */
const discard = {
  export(_items, done) {
    done({ code: 0 });
  },
  shutdown: () => Promise.resolve(),
  forceFlush: () => Promise.resolve(),
};

async function tracedClient(adapter) {
  const { createTokenwire } = await import('@tokenwire/core');
  const { openTelemetry } = await import('@tokenwire/otel');
  const { BasicTracerProvider, SimpleSpanProcessor } = await import('@opentelemetry/sdk-trace-base');
  const { MeterProvider, PeriodicExportingMetricReader } = await import('@opentelemetry/sdk-metrics');
  const tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(discard)] });
  const reader = new PeriodicExportingMetricReader({ exporter: discard, exportIntervalMillis: 60_000 });
  const meterProvider = new MeterProvider({ readers: [reader] });
  return createTokenwire({
    providers: { bench: adapter },
    hooks: [openTelemetry({ tracerProvider, meterProvider })],
  });
}

export const setups = setupsWith(tracedClient);
