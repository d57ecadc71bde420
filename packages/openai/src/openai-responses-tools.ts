import type { ResponseOutputItem, Tool as ResponsesTool } from 'openai/resources/responses/responses';

/**
 * The built-in tools of the Responses API that OpenAI leaves to the caller to run, by item type,
 * with the tool name their calls surface under. Every other built-in (web search, file search,
 * code interpreter, image generation, remote MCP, a shell in a hosted container) runs at OpenAI.
 *
 * @see https://developers.openai.com/api/docs/guides/tools-apply-patch
 * @see https://developers.openai.com/api/docs/guides/tools-shell
 * @see https://developers.openai.com/api/docs/guides/tools-local-shell
 */
export const CALLER_RUN_BUILT_INS = {
  apply_patch_call: 'apply_patch',
  local_shell_call: 'local_shell',
  shell_call: 'shell',
} as const;

/** The tool name a caller-run built-in call surfaces under: `apply_patch`, `local_shell` or `shell`. */
export type CallerRunBuiltIn = (typeof CALLER_RUN_BUILT_INS)[keyof typeof CALLER_RUN_BUILT_INS];

/** The names of the tools a request declared for the caller to run, by kind. */
export interface DeclaredTools {
  /** Function tools: `request.tools` and function tools in `providerOptions` (also inside namespaces). */
  readonly functions: ReadonlySet<string>;
  /** Custom (free-form input) tools, declared in `providerOptions.openai.tools` with `type: 'custom'`. */
  readonly custom: ReadonlySet<string>;
}

/** A request without tools. */
export const NO_DECLARED_TOOLS: DeclaredTools = { functions: new Set(), custom: new Set() };

/**
 * The function and custom tools among the `tools` a request sends, also those inside a `namespace`
 * tool (tool search loads them by name). Built-in tools have no name and are not listed.
 */
export function declaredToolsOf(tools: readonly ResponsesTool[] | undefined): DeclaredTools {
  if (tools === undefined || tools.length === 0) return NO_DECLARED_TOOLS;
  const functions = new Set<string>();
  const custom = new Set<string>();
  const add = (tool: { type: string; name?: unknown }) => {
    if (typeof tool.name !== 'string') return;
    if (tool.type === 'function') functions.add(tool.name);
    else if (tool.type === 'custom') custom.add(tool.name);
  };
  for (const tool of tools) {
    if (tool.type === 'namespace' && Array.isArray(tool.tools)) tool.tools.forEach(add);
    else add(tool);
  }
  return { functions, custom };
}

/** A caller-run built-in call: its call id, tool name and input as JSON text. */
export interface BuiltInCall {
  callId: string;
  name: CallerRunBuiltIn;
  /** The JSON of the item's input: the `operation` of an apply-patch call, the `action` of a shell call. */
  arguments: string;
}

/**
 * The call of a caller-run built-in item (`apply_patch_call`, `local_shell_call`, `shell_call` in
 * the caller's environment), or undefined for any other item. A `shell_call` whose environment is a
 * container reference ran in OpenAI's hosted container: its output follows in the same response.
 */
export function builtInCallOf(item: ResponseOutputItem): BuiltInCall | undefined {
  switch (item.type) {
    case 'apply_patch_call':
      return { callId: item.call_id, name: 'apply_patch', arguments: JSON.stringify(item.operation ?? {}) };
    case 'local_shell_call':
      return { callId: item.call_id, name: 'local_shell', arguments: JSON.stringify(item.action ?? {}) };
    case 'shell_call':
      if (item.environment?.type === 'container_reference') return undefined;
      return { callId: item.call_id, name: 'shell', arguments: JSON.stringify(item.action ?? {}) };
    default:
      return undefined;
  }
}

const BUILT_IN_NAMES: ReadonlySet<string> = new Set(Object.values(CALLER_RUN_BUILT_INS));

/** Whether `name` is one of the caller-run built-ins' tool names. */
export function isCallerRunBuiltIn(name: string): name is CallerRunBuiltIn {
  return BUILT_IN_NAMES.has(name);
}

/**
 * Remembers the item id of each `local_shell_call` by call id, for the call sent back on the next
 * request: the API types that item with its `id` (`lsh_…`), which a tokenwire tool call has no field
 * for. Bounded: the oldest entries go first.
 */
export class LocalShellItemIds {
  readonly #ids = new Map<string, string>();
  readonly #capacity: number;

  /** `capacity`: how many calls to remember. Default 1,000. */
  constructor(capacity = 1000) {
    this.#capacity = capacity;
  }

  /** Records the item id of a call. */
  set(callId: string, itemId: string): void {
    this.#ids.delete(callId);
    this.#ids.set(callId, itemId);
    if (this.#ids.size > this.#capacity) {
      const oldest = this.#ids.keys().next();
      if (oldest.done !== true) this.#ids.delete(oldest.value);
    }
  }

  /** The item id of a call seen by this adapter, or undefined. */
  get(callId: string): string | undefined {
    return this.#ids.get(callId);
  }
}
