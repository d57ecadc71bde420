/**
 * Runs an example as a user would (`tsx examples/<file>`), in a child process whose vendor SDKs
 * are pointed at a replay server, and returns what it printed. For the examples' tests and
 * `pnpm example`.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { replayEnvironment } from './replay-environment.js';

/** What an example printed and how it exited. */
export interface ExampleRun {
  stdout: string;
  stderr: string;
  exitCode: number | null;
}

/** The examples folder. */
export const EXAMPLES_DIRECTORY = fileURLToPath(new URL('..', import.meta.url));

/** Environment variables of real providers, removed so that a developer's keys are never used by a test. */
const REAL_PROVIDER_VARIABLES = /^(OPENAI|ANTHROPIC|GEMINI|GOOGLE|OLLAMA|DEEPSEEK|AWS|TOKENWIRE)_/;

/** The current environment without any provider key, base URL or tokenwire setting. */
export function cleanEnvironment(): Record<string, string> {
  const environment: Record<string, string> = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (value !== undefined && !REAL_PROVIDER_VARIABLES.test(name)) environment[name] = value;
  }
  return environment;
}

/**
 * Runs `examples/<file>` with tsx against the replay server at `replayURL`. `environment` adds or
 * overrides variables (e.g. TOKENWIRE_MODEL). Rejects after `timeoutMs` (default 20 s).
 */
export function runExample(
  file: string,
  options: { replayURL?: string; environment?: Record<string, string>; args?: string[]; timeoutMs?: number },
): Promise<ExampleRun> {
  const environment = {
    ...cleanEnvironment(),
    ...(options.replayURL === undefined ? {} : replayEnvironment(options.replayURL)),
    ...options.environment,
  };
  const child = spawn(process.execPath, ['--import', 'tsx', file, ...(options.args ?? [])], {
    cwd: EXAMPLES_DIRECTORY,
    env: environment,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (text: string) => {
    stdout += text;
  });
  child.stderr.setEncoding('utf8').on('data', (text: string) => {
    stderr += text;
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill();
      reject(
        new Error(
          `${file} did not exit within ${options.timeoutMs ?? 20_000} ms. Output:\n${stdout}\n${stderr}`,
        ),
      );
    }, options.timeoutMs ?? 20_000);
    child.on('error', reject);
    child.on('close', (exitCode) => {
      clearTimeout(timer);
      resolve({ stdout, stderr, exitCode });
    });
  });
}
