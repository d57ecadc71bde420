// OpenTelemetry: a `chat {model}` span per stream with the GenAI attributes (provider, models,
// finish reason, token usage), printed by the console exporter. In an application, NodeSDK with an
// OTLP exporter sends the same spans to Jaeger, Grafana or Honeycomb: `openTelemetry()` alone then
// uses its global providers.
// Run: pnpm example observability [--live]; TOKENWIRE_MODEL=anthropic/claude-haiku-4-5 (google/…, ollama/…) swaps
import { BasicTracerProvider, BatchSpanProcessor, ConsoleSpanExporter } from '@opentelemetry/sdk-trace-base';
import { createTokenwire } from '@tokenwire/core';
import { openTelemetry } from '@tokenwire/otel';

const tracerProvider = new BasicTracerProvider({
  spanProcessors: [new BatchSpanProcessor(new ConsoleSpanExporter())],
});
// captureContent: true would add the prompt and the answer (gen_ai.input/output.messages).
const tokenwire = createTokenwire({ hooks: [openTelemetry({ tracerProvider })] });

const stream = tokenwire.stream({
  model: process.env.TOKENWIRE_MODEL ?? 'openai/gpt-4.1-mini',
  messages: [{ role: 'user', content: 'Why is the sky blue? One sentence.' }],
  maxTokens: 100,
});
for await (const event of stream) {
  if (event.type === 'token') process.stdout.write(event.content);
  if (event.type === 'error') console.log(`[${event.error.code}] ${event.error.message}`);
}
console.log('\n');

await tracerProvider.shutdown(); // exports the batch: prints the span
