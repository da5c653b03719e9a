/**
 * Named definitions (optimizer rules, learning-rate schedules), timm's OptimizerRegistry pattern:
 * the list of valid names is read from here, so no caller keeps its own copy that can drift.
 */
export class Registry<D extends { readonly name: string }> {
  private readonly entries = new Map<string, D>();

  /** `kind` names the entries in messages ("optimizer", "schedule"). */
  constructor(private readonly kind: string, builtins: readonly D[]) {
    for (const definition of builtins) this.register(definition);
  }

  register(definition: D): void {
    if (this.entries.has(definition.name)) {
      throw new Error(`The ${this.kind} "${definition.name}" is already registered: pick another name.`);
    }
    this.entries.set(definition.name, definition);
  }

  /** Registered names, built-ins first, in registration order. */
  names(): string[] {
    return [...this.entries.keys()];
  }

  get(name: string): D {
    const definition = this.entries.get(name);
    if (!definition) {
      throw new Error(`Unknown ${this.kind} "${name}": registered ${this.kind}s are ${this.names().join(', ')}.`);
    }
    return definition;
  }
}

/**
 * `{ type: name } & options` for each entry of a name -> options map: how a registry's
 * user-extensible spec interface (filled by declaration merging) becomes a union of specs.
 */
export type SpecsOf<M> = { [K in keyof M & string]: { type: K } & M[K] }[keyof M & string];
