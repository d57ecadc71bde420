import { readFile } from 'node:fs/promises';
import {
  ADAPTER_OF_PROVIDER,
  API_KEY_ENVIRONMENT_VARIABLES,
  adapterNameOf,
  VENDOR_SDK_OF_ADAPTER,
} from '@tokenwire/core/internal';
import { findOpenAICompatibleService, OPENAI_COMPATIBLE_SERVICES } from '@tokenwire/openai/internal';
import { describe, expect, it } from 'vitest';

// One table of providers: core's provider → package table, its SDK names and API-key variables,
// the openai package's compatible services and the README's lists say the same.

const FIRST_PARTY = Object.keys(VENDOR_SDK_OF_ADAPTER);
const readme = readFile(new URL('../README.md', import.meta.url), 'utf8');

describe('the provider tables', () => {
  it('sends every compatible service of @tokenwire/openai, and its aliases, to @tokenwire/openai', () => {
    const services = Object.keys(OPENAI_COMPATIBLE_SERVICES).filter((name) => name !== 'openai');
    expect(services.filter((name) => adapterNameOf(name, undefined) !== 'openai')).toEqual([]);
    const toOpenAI = Object.entries(ADAPTER_OF_PROVIDER).filter(([, adapter]) => adapter === 'openai');
    expect(
      toOpenAI.map(([name]) => name).filter((name) => findOpenAICompatibleService(name) === undefined),
    ).toEqual([]);
  });

  it('redacts the key variable of every compatible service', () => {
    const variables = Object.values(OPENAI_COMPATIBLE_SERVICES).flatMap((service) =>
      service.apiKeyEnv === '' ? [] : [service.apiKeyEnv],
    );
    expect(variables.filter((name) => !API_KEY_ENVIRONMENT_VARIABLES.includes(name))).toEqual([]);
  });

  it('names in the README the providers core loads, with the package it loads', async () => {
    const text = await readme;
    const bullet = /- \*\*Providers\*\* not listed in `providers`[\s\S]*?(?=\n- \*\*)/.exec(text)?.[0] ?? '';
    const named = (before: string) =>
      [
        ...(new RegExp(`([^.;]*?)load\\s+\`@tokenwire/${before}\``).exec(bullet)?.[1] ?? '').matchAll(
          /`([a-z0-9]+)`/g,
        ),
      ].map((match) => match[1] as string);
    expect(named('google').every((name) => ADAPTER_OF_PROVIDER[name] === 'google')).toBe(true);
    expect(named('google')).toEqual(['gemini', 'vertex']);
    const compatible = named('openai');
    expect(compatible.length).toBeGreaterThan(10);
    expect(compatible.filter((name) => ADAPTER_OF_PROVIDER[name] !== 'openai')).toEqual([]);
    expect(bullet).toContain('`bedrock` loads `@tokenwire/bedrock`');
    // Every first-party adapter is in the opening line or the package table.
    for (const adapter of FIRST_PARTY) expect(text).toContain(`packages/${adapter}`);
  });

  it('uses in the README only model strings whose provider core knows or the example configures', async () => {
    const blocks = [...(await readme).matchAll(/```ts\n([\s\S]*?)```/g)].map((match) => match[1] as string);
    const unknown: string[] = [];
    for (const block of blocks) {
      for (const [, provider] of block.matchAll(/'([a-z0-9._-]+)\/[^'\s]+'/g)) {
        const name = provider as string;
        const configured = new RegExp(`['"]?${name}['"]?:`).test(block);
        const mediaType = ['application', 'text', 'image'].includes(name);
        if (!FIRST_PARTY.includes(name) && !(name in ADAPTER_OF_PROVIDER) && !configured && !mediaType)
          unknown.push(name);
      }
    }
    expect(unknown).toEqual([]);
  });
});
