/**
 * Starts a long-running example (a server) as a user would, with tsx, and resolves with the URL it
 * prints once it listens. For the browser test.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { cleanEnvironment, EXAMPLES_DIRECTORY } from './run-example.js';

/** A running example server. */
export interface ExampleServer {
  url: string;
  /** Everything it printed so far. */
  output(): string;
  stop(): Promise<void>;
}

/** Runs `examples/<file>` and waits (up to 20 s) for it to print `http://127.0.0.1:<port>`. */
export function startExampleServer(
  file: string,
  environment: Record<string, string>,
): Promise<ExampleServer> {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', file], {
    cwd: EXAMPLES_DIRECTORY,
    env: { ...cleanEnvironment(), ...environment },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill();
    });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void stop();
      reject(new Error(`${file} printed no URL within 20 s:\n${output}`));
    }, 20_000);
    const onData = (text: string) => {
      output += text;
      const url = /http:\/\/127\.0\.0\.1:\d+/.exec(output)?.[0];
      if (url === undefined) return;
      clearTimeout(timer);
      resolve({ url, output: () => output, stop });
    };
    child.stdout?.setEncoding('utf8').on('data', onData);
    child.stderr?.setEncoding('utf8').on('data', (text: string) => {
      output += text;
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${file} exited with ${code} before listening:\n${output}`));
    });
  });
}
