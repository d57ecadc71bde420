// The floor of any async-iterator wrapper: what one more async layer over an async iterator costs
// per step, before it does any work. tokenwire's runtime is such a layer (the consumer awaits its
// `next()`, which awaits the adapter's), so this bounds what its overhead could ever shrink to.
//   base   `for await` straight over a source that yields resolved Promises (like an SDK's stream)
//   then-wrapper  the thinnest wrapper: `next()` returns a new Promise that the source's `.then()` settles
//          with a new event object (the shape of TokenwireStream's pull loop, without its work)
//   pump-wrapper  the same through an `async` loop that `await`s the source and hands events over
// Prints ns per step, medians of 9 rounds after 3 warm-up rounds.
//   node bench/async-layer-floor.mjs
const STEPS = 200_000;
const ROUNDS = 12;
const WARM_UP = 3;

function source() {
  let index = 0;
  return {
    [Symbol.asyncIterator]() {
      return this;
    },
    next: () =>
      Promise.resolve(index < STEPS ? { value: index++, done: false } : { value: undefined, done: true }),
  };
}

const DONE = { value: undefined, done: true };

class ThenWrapper {
  constructor(inner) {
    this.inner = inner;
    this.waiting = undefined;
    this.onResult = (result) => {
      const waiting = this.waiting;
      this.waiting = undefined;
      waiting(result.done ? DONE : { value: { type: 'token', content: result.value }, done: false });
    };
    this.startWaiting = (resolve) => {
      this.waiting = resolve;
      this.inner.next().then(this.onResult);
    };
  }
  [Symbol.asyncIterator]() {
    return this;
  }
  next() {
    return new Promise(this.startWaiting);
  }
}

class PumpWrapper {
  constructor(inner) {
    this.inner = inner;
    this.waiting = undefined;
    this.buffered = undefined;
    this.resume = undefined;
    this.finished = false;
    this.started = false;
    this.startWaiting = (resolve) => {
      this.waiting = resolve;
      if (!this.started) {
        this.started = true;
        void this.pump();
      } else if (this.resume !== undefined) {
        const resume = this.resume;
        this.resume = undefined;
        resume();
      }
    };
  }
  [Symbol.asyncIterator]() {
    return this;
  }
  next() {
    if (this.buffered !== undefined) {
      const event = this.buffered;
      this.buffered = undefined;
      return Promise.resolve({ value: event, done: false });
    }
    if (this.finished) return Promise.resolve(DONE);
    return new Promise(this.startWaiting);
  }
  async pump() {
    for (;;) {
      const result = await this.inner.next();
      const waiting = this.waiting;
      this.waiting = undefined;
      if (result.done) {
        this.finished = true;
        waiting?.(DONE);
        return;
      }
      const event = { type: 'token', content: result.value };
      if (waiting !== undefined) waiting({ value: event, done: false });
      else {
        this.buffered = event;
        await new Promise((resolve) => {
          this.resume = resolve;
        });
      }
    }
  }
}

async function timeSteps(iterable) {
  const started = process.hrtime.bigint();
  for await (const _step of iterable) {
    // consume only
  }
  return Number(process.hrtime.bigint() - started) / STEPS;
}

const variants = {
  base: () => source(),
  'then-wrapper': () => new ThenWrapper(source()),
  'pump-wrapper': () => new PumpWrapper(source()),
};
const times = Object.fromEntries(Object.keys(variants).map((name) => [name, []]));
for (let round = 0; round < ROUNDS; round++) {
  for (const [name, make] of Object.entries(variants)) {
    const nanoseconds = await timeSteps(make());
    if (round >= WARM_UP) times[name].push(nanoseconds);
  }
}
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const base = median(times.base);
console.log(`Node ${process.version}; ns per step, median of ${ROUNDS - WARM_UP} rounds\n`);
console.log('| variant | ns/step | added over base |\n| --- | ---: | ---: |');
for (const name of Object.keys(variants)) {
  const value = median(times[name]);
  console.log(
    `| ${name} | ${value.toFixed(0)} | ${name === 'base' ? '—' : `+${(value - base).toFixed(0)}`} |`,
  );
}
