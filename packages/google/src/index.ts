export type { GoogleAdapter, GoogleAdapterSettings } from './google-adapter.js';
export { createAdapter, createGoogleAdapter } from './google-adapter.js';
export type { GenAIClientLike, GenerativeAIClientLike, GoogleClient, GoogleSdk } from './google-clients.js';
export { googleErrorFromBody, normalizeGoogleError, retryAfterMsFromDetails } from './google-errors.js';
export { toGoogleRequest } from './google-messages.js';
export { toGoogleSchema } from './google-schema.js';
export type { GoogleStreamState } from './google-stream.js';
export {
  createGoogleStreamState,
  finishGoogleStream,
  translateGoogleChunk,
  usageFromMetadata,
} from './google-stream.js';
export type {
  GoogleCandidate,
  GoogleChunk,
  GoogleContent,
  GoogleErrorBody,
  GoogleFunctionCall,
  GoogleFunctionDeclaration,
  GoogleGenerationConfig,
  GooglePart,
  GooglePartialArg,
  GoogleRequest,
  GoogleSchema,
  GoogleUsageMetadata,
} from './google-types.js';
export { mapGoogleFinishReason } from './map-google-finish-reason.js';
