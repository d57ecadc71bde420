// A typed answer: a zod schema in, a validated object out, and the partial object on the way (a
// form that fills in as the model writes).
// Run: pnpm example structured-output [--live]; TOKENWIRE_MODEL=anthropic/claude-haiku-4-5 (google/…, ollama/…) swaps
import { createTokenwire } from '@tokenwire/core';
import { z } from 'zod';

const Trip = z.object({
  city: z.string(),
  days: z.array(z.object({ day: z.number().int(), plan: z.string() })),
  budgetEuros: z.number().positive(),
});

const tokenwire = createTokenwire();
const stream = tokenwire.stream({
  model: process.env.TOKENWIRE_MODEL ?? 'openai/gpt-4.1-mini',
  messages: [{ role: 'user', content: 'Plan two days in Lisbon on a small budget.' }],
  responseFormat: { type: 'json_schema', name: 'trip', schema: Trip },
});

let daysShown = 0;
for await (const event of stream) {
  // The partial object only grows: a day, once listed, stays; its plan string gets longer.
  if (event.type === 'partial_object') {
    const days = event.object.days ?? [];
    // A day is complete once the next one has started.
    while (daysShown < days.length - 1) console.log(`… day ${days[daysShown++]?.day} planned`);
  }
}

const finish = await stream.result(); // rejects with the TokenwireError if the stream failed
if (finish.object === undefined) {
  // The answer broke the schema or was cut off: the text is kept, the problem named.
  console.log(`[${finish.objectError?.code}] ${finish.objectError?.message}`);
  console.log(finish.content);
} else {
  const trip = finish.object; // typed by the schema: { city: string; days: …; budgetEuros: number }
  console.log(`${trip.city}, ${trip.days.length} days, €${trip.budgetEuros.toFixed(2)}:`);
  for (const { day, plan } of trip.days) console.log(`  day ${day}: ${plan}`);
}
