import type * as Ort from 'onnxruntime-node';

type TensorCtor = typeof Ort.Tensor;

/**
 * One weight or optimizer slot held by the engine: its current values and the onnxruntime tensor
 * that feeds them to the session without a copy. A step's new value is adopted by taking the
 * output tensor onnxruntime returned (its buffer becomes `current`); a step that is not adopted
 * (non-finite loss) leaves `current` as it was.
 *
 * Why not preallocated outputs: onnxruntime-node 1.30 writes into a preallocated output and then
 * still copies it into a fresh buffer for the returned tensor, so preallocating costs a second
 * full set of buffers and saves no copy (measured: the returned tensor shares no memory with the
 * preallocated one). Taking the returned buffer is the one copy the binding makes anyway.
 */
export class BufferPair {
  current: Float32Array;
  private currentTensor: Ort.Tensor;

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

  /** Takes a step's output as the current values. */
  adopt(output: Ort.Tensor): void {
    const values = output.data;
    if (!(values instanceof Float32Array) || values.length !== this.current.length) {
      throw new Error(`${this.key}: the step returned ${output.type} [${output.dims.join(', ')}], expected float32 [${this.shape.join(', ')}]`);
    }
    this.current = values;
    this.currentTensor = output;
  }

  /** Makes `values` (not a copy) the current values, e.g. a weight average for a validation window. */
  hold(values: Float32Array): void {
    if (values.length !== this.current.length) throw new Error(`${this.key}: expected ${this.current.length} values, got ${values.length}`);
    this.current = values;
    this.currentTensor = new this.Tensor('float32', values, [...this.shape]);
  }

  /** Overwrites the current values (a resume or a callback wrote the model's weights). */
  load(values: ArrayLike<number>, what: string): void {
    if (values.length !== this.current.length) {
      throw new Error(`${what} ${this.key}: expected ${this.current.length} values (shape [${this.shape.join(', ')}]), got ${values.length}`);
    }
    this.current.set(values);
  }
}
