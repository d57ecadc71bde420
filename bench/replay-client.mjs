// The parent's side of replay-process.mjs: starts it and talks to it over IPC.
import { fork } from 'node:child_process';

/** Starts the replay process (`server`: 'slices' or 'package'); resolves once it listens. */
export async function startReplay(server = 'slices', env = process.env) {
  const child = fork(new URL('./replay-process.mjs', import.meta.url), [`--server=${server}`], {
    stdio: 'inherit',
    env,
  });
  const waiting = [];
  child.on('message', (message) => waiting.shift()?.(message));
  const next = () => new Promise((resolve) => waiting.push(resolve));
  const ask = async (message, expected) => {
    child.send(message);
    const answer = await next();
    if (answer.type !== expected) throw new Error(`replay process: ${answer.message}`);
    return answer;
  };
  const ready = await next();
  return {
    url: ready.url,
    /** Drops what is queued and queues `count` responses of the workload; resolves with the url to use. */
    enqueue: async (workload, count) => (await ask({ type: 'enqueue', workload, count }, 'enqueued')).url,
    /** The replay process's CPU time so far, in ms. */
    cpuMs: async () => (await ask({ type: 'usage' }, 'usage')).cpuMs,
    close: () => child.send({ type: 'close' }),
  };
}
