// What tokenwire's own tests, benchmarks and sister packages need from @tokenwire/google and users
// do not: the request mapping, the stream translator, the error mapping and the Gemini wire types.
// Not a stable API. Import it as `@tokenwire/google/internal`.
export { googleErrorFromBody, normalizeGoogleError, retryAfterMsFromDetails } from './google-errors.js';
export { toGoogleRequest } from './google-messages.js';
export { checkGoogleRequest } from './google-request-check.js';
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
