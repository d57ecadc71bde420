// The published packages, in dependency order: what pack:all packs and check:packages installs.
export const PACKAGES = [
  'core',
  'testing',
  'openai',
  'anthropic',
  'google',
  'ollama',
  'bedrock',
  'otel',
  'redis',
  'gateway',
  'mcp',
  'react',
];
