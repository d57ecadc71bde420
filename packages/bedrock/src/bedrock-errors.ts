import { TokenwireError, type TokenwireErrorCode } from '@tokenwire/core';
import { errorCodeFromStatus, isConnectionError, retryAfterMsFromHeaders } from '@tokenwire/core/adapter';
import { bodyExcerpt } from '@tokenwire/core/internal';

/**
 * The fields of the SDK's `BedrockRuntimeServiceException` this module reads, matched by shape (a
 * second copy of the SDK throws its own classes). `$response` is the SDK's hidden raw response.
 */
interface BedrockServiceErrorShape extends Error {
  $fault?: 'client' | 'server';
  $metadata?: { httpStatusCode?: number; requestId?: string };
  $response?: { statusCode?: number; headers?: Record<string, string | undefined> };
  originalStatusCode?: number;
  originalMessage?: string;
}

/** How one Bedrock exception is normalized: its code, and retryability when not the code's default. */
interface ExceptionKind {
  code: TokenwireErrorCode;
  retryable?: boolean;
  hint?: string;
}

const CREDENTIALS_HINT =
  ' Check the credentials setting or the AWS default credential chain (AWS_ACCESS_KEY_ID, AWS_PROFILE, …).';

/**
 * Bedrock Runtime's exceptions by name, whether thrown for an HTTP error (the `x-amzn-errortype`
 * header) or sent in-band inside the 200 event stream (`throttlingException`, …, which the SDK
 * throws as the same classes).
 * @see https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_ConverseStream.html#API_runtime_ConverseStream_Errors
 * @see https://docs.aws.amazon.com/bedrock/latest/APIReference/CommonErrors.html
 */
const KIND_OF_EXCEPTION: Readonly<Record<string, ExceptionKind>> = {
  ThrottlingException: { code: 'rate_limit' },
  ServiceUnavailableException: { code: 'overloaded' },
  ModelNotReadyException: { code: 'overloaded' },
  InternalServerException: { code: 'server' },
  // "An error occurred while streaming the response. Retry your request."
  ModelStreamErrorException: { code: 'server' },
  ModelErrorException: { code: 'server' },
  ModelTimeoutException: { code: 'timeout' },
  ValidationException: { code: 'invalid_request' },
  ConflictException: { code: 'invalid_request' },
  ResourceNotFoundException: { code: 'not_found' },
  ServiceQuotaExceededException: {
    code: 'quota_exceeded',
    hint: ' Raise the Bedrock service quota of your account, or lower the request rate.',
  },
  AccessDeniedException: {
    code: 'permission',
    hint: ' Check the IAM policy (bedrock:InvokeModelWithResponseStream) and that model access is granted.',
  },
  UnrecognizedClientException: { code: 'authentication', hint: CREDENTIALS_HINT },
  InvalidSignatureException: { code: 'authentication', hint: CREDENTIALS_HINT },
  ExpiredTokenException: { code: 'authentication', hint: CREDENTIALS_HINT },
  IncompleteSignatureException: { code: 'authentication', hint: CREDENTIALS_HINT },
  MissingAuthenticationTokenException: { code: 'authentication', hint: CREDENTIALS_HINT },
  CredentialsProviderError: { code: 'authentication', retryable: false, hint: CREDENTIALS_HINT },
};

/** The in-band exception members of a ConverseStream event, with the class names the SDK throws for them. */
export const IN_BAND_EXCEPTIONS: Readonly<Record<string, string>> = {
  internalServerException: 'InternalServerException',
  modelStreamErrorException: 'ModelStreamErrorException',
  validationException: 'ValidationException',
  throttlingException: 'ThrottlingException',
  serviceUnavailableException: 'ServiceUnavailableException',
};

const CONTEXT_LENGTH_MESSAGE = /too long|context (window|length)|too many (input )?tokens|max(imum)? tokens/i;

/**
 * Maps anything `@aws-sdk/client-bedrock-runtime` throws to a `TokenwireError`: its service
 * exceptions by name (see `KIND_OF_EXCEPTION`), else by HTTP status; a `ValidationException` about
 * the input's length is `context_length`; a `ModelStreamErrorException` keeps the model's original
 * status. Keeps `retry-after` as `retryAfterMs` and `x-amzn-requestid` as `requestId`, quotes the
 * message only as an excerpt, and chains the original as `cause` (kept by core as a sanitized copy).
 * Raw network failures are `connection`. Returns undefined for what it does not recognise (an
 * abort, which the runtime knows about), so the runtime decides.
 */
export function normalizeBedrockError(error: unknown, provider = 'bedrock'): TokenwireError | undefined {
  if (TokenwireError.isInstance(error)) return error;
  if (!(error instanceof Error) || error.name === 'AbortError') return undefined;
  const shaped = error as BedrockServiceErrorShape;
  const kind = KIND_OF_EXCEPTION[error.name];
  const status = shaped.$metadata?.httpStatusCode ?? shaped.$response?.statusCode;
  if (kind === undefined && status === undefined) {
    if (!isConnectionError(error) && error.name !== 'TimeoutError') return undefined;
    return new TokenwireError({
      code: error.name === 'TimeoutError' ? 'timeout' : 'connection',
      provider,
      message: `The connection to Bedrock failed: ${bodyExcerpt(error.message)}`,
      cause: error,
    });
  }
  return serviceError(shaped, kind, status, provider);
}

/**
 * The error of an in-band exception member of a ConverseStream event (`{ throttlingException: {
 * message } }`), for a stream that yields it rather than throwing it.
 */
export function bedrockStreamError(member: string, value: unknown, provider = 'bedrock'): TokenwireError {
  const name = IN_BAND_EXCEPTIONS[member] ?? member;
  const fields = (
    typeof value === 'object' && value !== null ? value : {}
  ) as Partial<BedrockServiceErrorShape>;
  const error = Object.assign(new Error(typeof fields.message === 'string' ? fields.message : ''), fields, {
    name,
  });
  return serviceError(error, KIND_OF_EXCEPTION[name], undefined, provider);
}

function serviceError(
  error: BedrockServiceErrorShape,
  kind: ExceptionKind | undefined,
  status: number | undefined,
  provider: string,
): TokenwireError {
  const code = codeOf(error, kind, status);
  const detail = bodyExcerpt(error.originalMessage ?? (error.message || 'no message'));
  const where = status === undefined ? 'The Bedrock stream reported' : `Bedrock answered HTTP ${status} with`;
  const sentence = `${where} ${error.name}: ${detail}`;
  const hint =
    code === 'context_length' ? ' Shorten the conversation or lower maxTokens.' : (kind?.hint ?? '');
  return new TokenwireError({
    code,
    provider,
    message: (/[.!?…]$/.test(sentence) ? sentence : `${sentence}.`) + hint,
    status,
    retryable: kind?.retryable,
    retryAfterMs: retryAfterMsFromHeaders(error.$response?.headers),
    requestId: error.$metadata?.requestId ?? error.$response?.headers?.['x-amzn-requestid'],
    cause: error,
  });
}

function codeOf(
  error: BedrockServiceErrorShape,
  kind: ExceptionKind | undefined,
  status: number | undefined,
): TokenwireErrorCode {
  const code = kind?.code ?? errorCodeFromStatus(status);
  if (code === 'invalid_request' && CONTEXT_LENGTH_MESSAGE.test(error.message)) return 'context_length';
  // The model behind the stream failed with its own status (a 429 from the model is throttling).
  if (error.name === 'ModelStreamErrorException' && error.originalStatusCode === 429) return 'rate_limit';
  return code;
}
