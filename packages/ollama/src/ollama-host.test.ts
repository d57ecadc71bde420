import { redactSecrets } from '@tokenwire/core';
import { describe, expect, it } from 'vitest';
import { splitHostCredentials } from './ollama-host.js';

const basic = (userInfo: string) => `Basic ${Buffer.from(userInfo).toString('base64')}`;

describe('splitHostCredentials', () => {
  it('leaves a host without credentials as it is', () => {
    for (const host of ['http://127.0.0.1:11434', 'gpu-box:11434', ':11434', 'https://proxy/ollama?x=a@b']) {
      expect(splitHostCredentials(host)).toEqual({ host, authorization: undefined });
    }
  });

  it('takes user:password@ out of the host, keeping the rest as written', () => {
    expect(splitHostCredentials('http://admin:pw@gpu-box:11434/ollama')).toEqual({
      host: 'http://gpu-box:11434/ollama',
      authorization: basic('admin:pw'),
    });
    // No scheme written: ollama-js then adds http:// and port 11434, so none is added here.
    expect(splitHostCredentials('admin:pw@gpu-box')).toEqual({
      host: 'gpu-box',
      authorization: basic('admin:pw'),
    });
  });

  it('decodes percent-encoded credentials, splits at the last @, and takes a user alone', () => {
    expect(splitHostCredentials('https://me%40corp:p%3Ass@w@proxy').authorization).toBe(
      basic('me@corp:p:ss@w'),
    );
    expect(splitHostCredentials('https://token-abcdef@proxy')).toEqual({
      host: 'https://proxy',
      authorization: basic('token-abcdef:'),
    });
  });

  it('registers the credentials as secrets, in every form they could show in', () => {
    const { authorization } = splitHostCredentials('http://admin:s3cret-pass@gpu-box:11434');
    const token = authorization?.slice('Basic '.length) ?? '';
    expect(redactSecrets(`pw s3cret-pass, admin:s3cret-pass, ${token}`)).not.toMatch(
      /s3cret-pass|[A-Za-z0-9+/]{20,}=*/,
    );
  });
});
