import type { GatewayProblem } from './gateway-problem.js';

/** The models a gateway serves: its aliases, and any `provider/model` string. */
export class ModelTable {
  private readonly aliases: ReadonlyMap<string, string | string[]>;
  /** The configured names, in order. */
  readonly names: readonly string[];

  constructor(models: Record<string, string | readonly string[]> = {}) {
    this.aliases = new Map(
      Object.entries(models).map(([name, target]) => [
        name,
        typeof target === 'string' ? target : [...target],
      ]),
    );
    this.names = Object.keys(models);
  }

  /** The tokenwire model (or fallback list) of a requested name, or undefined when none serves it. */
  resolve(name: string): string | string[] | undefined {
    const alias = this.aliases.get(name);
    if (alias !== undefined) return alias;
    const slash = name.indexOf('/');
    return slash > 0 && slash < name.length - 1 ? name : undefined;
  }

  /** The 404 of a model nobody serves, listing the configured names. */
  unknown(name: string): GatewayProblem {
    const known = this.names.length === 0 ? 'none' : this.names.join(', ');
    return {
      status: 404,
      code: 'not_found',
      param: 'model',
      message:
        `The model '${name}' is not served by this gateway. Configured models: ${known}. ` +
        "Name one of them, or a tokenwire model string such as 'openai/gpt-4.1'.",
    };
  }

  /** The provider a name resolves to first, for `owned_by`. */
  private ownerOf(name: string): string {
    const target = this.aliases.get(name);
    const first = typeof target === 'string' ? target : (target?.[0] ?? name);
    return first.slice(0, Math.max(0, first.indexOf('/'))) || 'tokenwire';
  }

  /** `GET /v1/models` in OpenAI's shape. */
  openaiList(): unknown {
    return {
      object: 'list',
      data: this.names.map((id) => ({ id, object: 'model', created: 0, owned_by: this.ownerOf(id) })),
    };
  }

  /** `GET /v1/models` in Anthropic's shape (a client that sends `anthropic-version`). */
  anthropicList(): unknown {
    const data = this.names.map((id) => ({
      type: 'model',
      id,
      display_name: id,
      created_at: '1970-01-01T00:00:00Z',
    }));
    return { data, has_more: false, first_id: data[0]?.id ?? null, last_id: data.at(-1)?.id ?? null };
  }
}
