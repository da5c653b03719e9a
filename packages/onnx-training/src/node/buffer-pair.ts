import type * as Ort from 'onnxruntime-node';

type TensorCtor = typeof Ort.Tensor;

/**
 * One weight or optimizer slot held by the engine: the current values and, for values the step
 * updates, a second buffer the session writes the new values into (preallocated output). A step
 * whose loss is finite swaps the two; a non-finite one leaves `current` as it was, so nothing is
 * copied either way.
 */
export class BufferPair {
  current: Float32Array;
  private spare: Float32Array | undefined;
  private currentTensor: Ort.Tensor;
  private spareTensor: Ort.Tensor | undefined;

  constructor(
    private readonly Tensor: TensorCtor,
    readonly key: string,
    readonly shape: readonly number[],
  ) {
    this.current = new Float32Array(shape.reduce((a, b) => a * b, 1));
    this.currentTensor = new Tensor('float32', this.current, [...shape]);
  }

  /** The session input: a view of `current`, not a copy. */
  get input(): Ort.Tensor {
    return this.currentTensor;
  }

  /** The preallocated output the next step writes into (allocated on first use: frozen weights never need one). */
  get output(): Ort.Tensor {
    if (!this.spareTensor) {
      this.spare = new Float32Array(this.current.length);
      this.spareTensor = new this.Tensor('float32', this.spare, [...this.shape]);
    }
    return this.spareTensor;
  }

  /** Takes the values the step wrote into the output buffer. */
  adopt(): void {
    if (!this.spare || !this.spareTensor) throw new Error(`BufferPair ${this.key}: adopt() before the output buffer was used`);
    [this.current, this.spare] = [this.spare, this.current];
    [this.currentTensor, this.spareTensor] = [this.spareTensor, this.currentTensor];
  }

  /** Overwrites the current values (a resume or a callback wrote the model's weights). */
  load(values: ArrayLike<number>, what: string): void {
    if (values.length !== this.current.length) {
      throw new Error(`${what} ${this.key}: expected ${this.current.length} values (shape [${this.shape.join(', ')}]), got ${values.length}`);
    }
    this.current.set(values);
  }

  fill(value: number): void {
    this.current.fill(value);
  }
}
