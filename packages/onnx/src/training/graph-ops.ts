import type { AttributeValue, OnnxGraphBuilder } from '../graph/graph-builder';

/**
 * Thin helpers over {@link OnnxGraphBuilder} for the training graph: shared scalar and int64
 * constants (one initializer per distinct value) and the ops whose opset-18 signatures are easy to
 * get wrong (the reductions take their axes as an input; Slice takes int64 inputs).
 */
export class GraphOps {
  private readonly floats = new Map<number, string>();
  private readonly int64s = new Map<string, string>();
  private readonly sharedValues = new Map<string, string>();

  constructor(readonly graph: OnnxGraphBuilder) {}

  node(op: string, inputs: string[], base: string, attributes: Record<string, AttributeValue> = {}, floatAttributes: readonly string[] = []): string {
    return this.graph.addNode(op, inputs, base, attributes, floatAttributes);
  }

  /** A float32 scalar constant of shape []. */
  scalar(value: number): string {
    const key = Object.is(value, -0) ? Number.NaN : value; // -0 keeps its own initializer
    let name = this.floats.get(key);
    if (!name) {
      name = this.graph.addFloatInitializer(`const/${Object.is(value, -0) ? '-0' : value}`, [], [value]);
      this.floats.set(key, name);
    }
    return name;
  }

  /** An int64 vector constant. */
  ints(values: readonly number[]): string {
    const key = values.join(',');
    let name = this.int64s.get(key);
    if (!name) {
      name = this.graph.addInt64Initializer(`const/i64[${key}]`, [...values]);
      this.int64s.set(key, name);
    }
    return name;
  }

  /**
   * The value `build` makes, built once per `key` and shared by every later caller: scalars
   * derived from the step's inputs that many weights use (a node per weight costs runtime too).
   */
  shared(key: string, build: () => string): string {
    let name = this.sharedValues.get(key);
    if (!name) {
      name = build();
      this.sharedValues.set(key, name);
    }
    return name;
  }

  add(a: string, b: string, base: string): string {
    return this.node('Add', [a, b], base);
  }

  sub(a: string, b: string, base: string): string {
    return this.node('Sub', [a, b], base);
  }

  mul(a: string, b: string, base: string): string {
    return this.node('Mul', [a, b], base);
  }

  div(a: string, b: string, base: string): string {
    return this.node('Div', [a, b], base);
  }

  transpose(x: string, perm: readonly number[], base: string): string {
    return this.node('Transpose', [x], base, { perm: [...perm] });
  }

  reshape(x: string, shape: readonly number[], base: string): string {
    return this.node('Reshape', [x, this.ints(shape)], base);
  }

  reduceSum(x: string, axes: readonly number[], keepdims: boolean, base: string): string {
    return this.node('ReduceSum', [x, this.ints(axes)], base, { keepdims: keepdims ? 1 : 0 });
  }

  reduceMean(x: string, axes: readonly number[], keepdims: boolean, base: string): string {
    return this.node('ReduceMean', [x, this.ints(axes)], base, { keepdims: keepdims ? 1 : 0 });
  }

  slice(x: string, starts: readonly number[], ends: readonly number[], axes: readonly number[], base: string, steps?: readonly number[]): string {
    const inputs = [x, this.ints(starts), this.ints(ends), this.ints(axes)];
    if (steps) inputs.push(this.ints(steps));
    return this.node('Slice', inputs, base);
  }

  /** Sum of one or more values (Identity-free for one). */
  sum(terms: readonly string[], base: string): string {
    if (terms.length === 1) return terms[0];
    if (terms.length === 2) return this.add(terms[0], terms[1], base);
    return this.node('Sum', [...terms], base);
  }
}
