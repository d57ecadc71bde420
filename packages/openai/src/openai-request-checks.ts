import type { ChatRequest } from '@tokenwire/core';
import { requestProblem } from '@tokenwire/core/adapter';
import { openAIFileProblem } from './openai-file-parts.js';

/** Where a request goes: the provider (named in errors; `openai` and `azure` get the model checks) and the API. */
export interface OpenAIRequestTarget {
  provider: string;
  api: 'chat' | 'responses';
}

/**
 * The limits the OpenAI APIs add to core's validation, checked before anything is sent; throws the
 * `invalid_request` error of the first one broken (`requestProblem`):
 * - `reasoning.budgetTokens` without `reasoning.effort`: OpenAI-style APIs take an effort, not a
 *   token budget (with an effort, the budget is left to the providers that take one).
 * - the Responses API has no `stop` and no `seed`.
 * - providers `openai` and `azure` only: OpenAI reasoning models refuse `temperature` and `topP`
 *   (see `samplingRefusal`). OpenAI-compatible services are not checked: their models differ.
 * - files and tool-result parts an API cannot take, and the file size limit (`openAIFileProblem`).
 */
export function checkOpenAIRequest(request: ChatRequest, target: OpenAIRequestTarget): void {
  const { provider, api } = target;
  const reasoning = request.reasoning;
  if (reasoning?.budgetTokens !== undefined && reasoning.effort === undefined) {
    throw requestProblem(
      'reasoning.budgetTokens',
      'is not an OpenAI parameter: OpenAI-style APIs take reasoning.effort (minimal, low, medium, high) instead; ' +
        "set that, or pass the service's own field through providerOptions",
      reasoning.budgetTokens,
      provider,
    );
  }
  if (api === 'responses') checkResponsesRequest(request, provider);
  const fileProblem = openAIFileProblem(request, provider, api);
  if (fileProblem !== undefined) throw fileProblem;
  if (provider !== 'openai' && provider !== 'azure') return;
  const refusal = samplingRefusal(request.model, reasoning?.effort !== undefined);
  if (refusal === undefined) return;
  if (request.temperature !== undefined)
    throw requestProblem('temperature', refusal, request.temperature, provider);
  if (request.topP !== undefined) throw requestProblem('topP', refusal, request.topP, provider);
}

const RESPONSES_HAS_NO_SEED =
  "is not supported by the OpenAI Responses API, which has no seed: unset it, or use api: 'chat'";

// The Responses API has neither field: https://platform.openai.com/docs/api-reference/responses/create
function checkResponsesRequest(request: ChatRequest, provider: string): void {
  if (request.stop !== undefined && request.stop.length > 0) {
    throw requestProblem(
      'stop',
      "is not supported by the OpenAI Responses API, which has no stop sequences: unset it, or use api: 'chat'",
      request.stop,
      provider,
    );
  }
  if (request.seed !== undefined) throw requestProblem('seed', RESPONSES_HAS_NO_SEED, request.seed, provider);
}

/**
 * Why an OpenAI model refuses `temperature` and `top_p` (the rule of the error), or undefined when
 * it takes them:
 * - the o-series (`o1`, `o3`, `o3-mini`, `o4-mini`, … with any suffix);
 * - `gpt-5`, `gpt-5-mini`, `gpt-5-nano`, `gpt-5-pro`, … but not `gpt-5-chat*` (not a reasoning model);
 * - `gpt-5.1` and later 5.x models only while `reasoning.effort` is set: their default effort is
 *   `none`, with which OpenAI accepts sampling parameters.
 * The name is the request's model (for Azure, the deployment name).
 *
 * @see https://platform.openai.com/docs/guides/reasoning
 * @see https://platform.openai.com/docs/guides/latest-model#gpt-5-1-parameter-compatibility
 */
export function samplingRefusal(model: string, effortSet: boolean): string | undefined {
  const name = model.toLowerCase();
  const unset = 'unset it (reasoning.effort steers these models)';
  if (/^o\d+(?:-|$)/.test(name)) {
    return `is not supported by '${model}', one of OpenAI's o-series reasoning models (o1, o3, o4-mini, …): ${unset}`;
  }
  const gpt5 = /^gpt-5(?:\.(\d+))?(?:-(.+))?$/.exec(name);
  if (gpt5 === null) return undefined;
  const [, minor, variant] = gpt5;
  if (minor === undefined) {
    if (variant?.startsWith('chat')) return undefined;
    return `is not supported by '${model}', one of OpenAI's gpt-5 reasoning models (all but gpt-5-chat): ${unset}`;
  }
  if (!effortSet) return undefined;
  return (
    `is not supported by '${model}' while reasoning.effort is set ` +
    "(OpenAI's gpt-5.1 and later models take it only without reasoning): unset one of the two"
  );
}
