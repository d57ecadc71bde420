/** Thrown when the store or coordinator did not answer in time, or failed. */
export class StoreUnavailable extends Error {
  constructor(what: string) {
    super(`${what} did not answer`);
    this.name = 'StoreUnavailable';
  }
}

/** `promise`, or a `StoreUnavailable` after `ms`: nothing on the request path waits on a store for long. */
export function withTimeout<Value>(promise: Promise<Value>, ms: number, what: string): Promise<Value> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new StoreUnavailable(what)), ms);
  });
  return Promise.race([promise, timeout]).then(
    (value) => {
      clearTimeout(timer);
      return value;
    },
    (error: unknown) => {
      clearTimeout(timer);
      throw error instanceof StoreUnavailable ? error : new StoreUnavailable(what);
    },
  );
}
