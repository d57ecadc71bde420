export type { GoogleAdapter, GoogleAdapterSettings, GoogleStreamChunk } from './google-adapter.js';
export { createAdapter, createGoogleAdapter } from './google-adapter.js';
export type { GenAIClientLike, GenerativeAIClientLike, GoogleClient, GoogleSdk } from './google-clients.js';
