/**
 * Class names (`classNames`, a CLI's `--class-names` or `--labels`) that do not fit the model: one
 * name per output is needed. Typed so that a caller can name the option that gave them without
 * matching the message.
 */
export class ClassNamesMismatchError extends Error {
  override readonly name = 'ClassNamesMismatchError';

  constructor(
    readonly given: number,
    readonly outputs: number,
    /** Where the model came from (its path), when known: the message starts with it. */
    readonly source?: string,
  ) {
    super(`${source ? `${source}: ` : ''}class names: ${given} given for a model with ${outputs} outputs (one name per output)`);
  }

  /** The same mismatch, said of the model at `source`. */
  from(source: string): ClassNamesMismatchError {
    return new ClassNamesMismatchError(this.given, this.outputs, source);
  }
}
