import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { installCommand } from './install-command.js';

afterEach(() => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

describe('installCommand', () => {
  it.each([
    ['npm/11.19.1 node/v20.20.2 linux x64 workspaces/false', 'npm install'],
    ['pnpm/10.34.9 npm/? node/v20.20.2 linux x64', 'pnpm add'],
    ['yarn/4.5.0 npm/? node/v20.20.2 linux x64', 'yarn add'],
    ['bun/1.2.0 npm/? node/v20.20.2 linux x64', 'bun add'],
  ])('names the command of the package manager running the script (%s)', async (agent, command) => {
    vi.stubEnv('npm_config_user_agent', agent);
    expect(await installCommand(['@tokenwire/openai', 'openai'])).toBe(`${command} @tokenwire/openai openai`);
  });

  it('reads the lock file of the application folder when no package manager runs the script, else says npm', async () => {
    vi.stubEnv('npm_config_user_agent', '');
    const folder = await mkdtemp(join(tmpdir(), 'tokenwire-lock-'));
    vi.spyOn(process, 'cwd').mockReturnValue(folder);
    expect(await installCommand(['ollama'])).toBe('npm install ollama');
    await writeFile(join(folder, 'yarn.lock'), '');
    expect(await installCommand(['ollama'])).toBe('yarn add ollama');
    await rm(folder, { recursive: true, force: true });
  });
});
