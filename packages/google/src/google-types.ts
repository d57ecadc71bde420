// The Gemini REST shapes both Google SDKs send and receive. They are declared here, structurally,
// because both SDKs are optional peers: a public type must not depend on a package the user may
// not have installed. `@google/genai` and `@google/generative-ai` chunks are assignable to them.

/** A streamed function-call argument piece (Vertex `streamFunctionCallArguments`, Gemini 3). */
export interface GooglePartialArg {
  /** Where the value goes in the argument object, e.g. `$.recipe.steps[1]`. */
  jsonPath?: string;
  stringValue?: string;
  numberValue?: number;
  boolValue?: boolean;
  nullValue?: string;
  /** More of this (string) value follows in a later piece. */
  willContinue?: boolean;
}

/** A function call as Gemini sends it: whole (`args`) or streamed (`willContinue` + `partialArgs`). */
export interface GoogleFunctionCall {
  id?: string;
  name?: string;
  args?: object;
  partialArgs?: GooglePartialArg[];
  willContinue?: boolean;
}

/** A media part: inline bytes or a file URI (also a function response's parts). */
export interface GoogleMediaPart {
  inlineData?: { mimeType?: string; data?: string; displayName?: string };
  fileData?: { mimeType?: string; fileUri?: string; displayName?: string };
}

/** One part of a Gemini `Content`. */
export interface GooglePart {
  text?: string;
  thought?: boolean;
  thoughtSignature?: string;
  functionCall?: GoogleFunctionCall;
  functionResponse?: { id?: string; name?: string; response?: object; parts?: GoogleMediaPart[] };
  inlineData?: { mimeType?: string; data?: string };
  fileData?: { mimeType?: string; fileUri?: string };
}

/** A turn of the conversation: `user` or `model`. */
export interface GoogleContent {
  role?: string;
  parts?: GooglePart[];
}

/** One candidate of a streamed chunk; tokenwire reads the first only. */
export interface GoogleCandidate {
  content?: GoogleContent;
  finishReason?: string;
  finishMessage?: string;
  index?: number;
}

/** Token counts; a running total, so the last one of a stream is the answer. */
export interface GoogleUsageMetadata {
  promptTokenCount?: number;
  candidatesTokenCount?: number;
  totalTokenCount?: number;
  thoughtsTokenCount?: number;
  cachedContentTokenCount?: number;
  toolUsePromptTokenCount?: number;
}

/** The `error` object of a Gemini error body (`google.rpc.Status`). */
export interface GoogleErrorBody {
  code?: number;
  message?: string;
  status?: string;
  details?: unknown[];
}

/** One `GenerateContentResponse` chunk of `streamGenerateContent`, or an in-band `{ error }` record. */
export interface GoogleChunk {
  candidates?: GoogleCandidate[];
  usageMetadata?: GoogleUsageMetadata;
  promptFeedback?: { blockReason?: string; blockReasonMessage?: string };
  modelVersion?: string;
  responseId?: string;
  /** The legacy SDK yields a mid-stream error record as an ordinary chunk. */
  error?: GoogleErrorBody;
}

/** A function the model may call, with its parameters as a Gemini `Schema`. */
export interface GoogleFunctionDeclaration {
  name: string;
  description?: string;
  parameters?: GoogleSchema;
}

/** The OpenAPI 3.0 subset of JSON Schema that Gemini accepts for parameters and response schemas. */
export interface GoogleSchema {
  type?: string;
  format?: string;
  title?: string;
  description?: string;
  nullable?: boolean;
  enum?: string[];
  items?: GoogleSchema;
  properties?: Record<string, GoogleSchema>;
  required?: string[];
  anyOf?: GoogleSchema[];
  minItems?: number;
  maxItems?: number;
  minLength?: number;
  maxLength?: number;
  minProperties?: number;
  maxProperties?: number;
  minimum?: number;
  maximum?: number;
  pattern?: string;
  propertyOrdering?: string[];
}

/** The `generationConfig` of a request. */
export interface GoogleGenerationConfig {
  temperature?: number;
  topP?: number;
  maxOutputTokens?: number;
  stopSequences?: string[];
  seed?: number;
  responseMimeType?: string;
  responseSchema?: GoogleSchema;
  thinkingConfig?: { thinkingBudget?: number; thinkingLevel?: string; includeThoughts?: boolean };
  [setting: string]: unknown;
}

/** The body of a `streamGenerateContent` request, as the REST API (and the legacy SDK) takes it. */
export interface GoogleRequest {
  contents: GoogleContent[];
  systemInstruction?: GoogleContent;
  tools?: Array<{ functionDeclarations: GoogleFunctionDeclaration[] }>;
  toolConfig?: { functionCallingConfig: { mode: 'AUTO' | 'ANY' | 'NONE'; allowedFunctionNames?: string[] } };
  generationConfig: GoogleGenerationConfig;
  [field: string]: unknown;
}
