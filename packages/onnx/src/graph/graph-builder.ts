import { OnnxAttributeType, OnnxDataType } from '../proto/onnx-schema';
import type { OnnxAttribute, OnnxDimension, OnnxGraph, OnnxNode, OnnxTensor, OnnxValueInfo } from '../proto/types';
import { float32LittleEndian, int64LittleEndian } from './tensor-bytes';

/** An attribute value: numbers are INT unless listed in `floatAttributes` of `addNode`. */
export type AttributeValue = number | string | number[];

/** A tensor dimension: a fixed size, or a symbolic name such as `batch` for dynamic sizes. */
export type Dimension = number | string;

/**
 * Accumulates the nodes, initializers, inputs and outputs of one ONNX graph, keeping every value
 * name unique (ONNX requires single assignment).
 */
export class OnnxGraphBuilder {
  private readonly nodes: OnnxNode[] = [];
  private readonly initializers: OnnxTensor[] = [];
  private readonly inputs: OnnxValueInfo[] = [];
  private readonly outputs: OnnxValueInfo[] = [];
  private readonly usedNames = new Set<string>();

  /** Returns `base` if unused, else `base_1`, `base_2`, ...; reserves the name. */
  uniqueName(base: string): string {
    let name = base;
    for (let i = 1; this.usedNames.has(name); i++) name = `${base}_${i}`;
    this.usedNames.add(name);
    return name;
  }

  addInput(name: string, dims: Dimension[]): string {
    const unique = this.uniqueName(name);
    this.inputs.push(floatValueInfo(unique, dims));
    return unique;
  }

  /** How many nodes the graph has so far. */
  get nodeCount(): number {
    return this.nodes.length;
  }

  isGraphInput(name: string): boolean {
    return this.inputs.some((input) => input.name === name);
  }

  addOutput(name: string, dims: Dimension[]): void {
    this.outputs.push(floatValueInfo(name, dims));
  }

  addFloatInitializer(name: string, dims: number[], values: ArrayLike<number>): string {
    const unique = this.uniqueName(name);
    this.initializers.push({ name: unique, dims, dataType: OnnxDataType.FLOAT, rawData: float32LittleEndian(values) });
    return unique;
  }

  addInt64Initializer(name: string, values: number[]): string {
    const unique = this.uniqueName(name);
    this.initializers.push({ name: unique, dims: [values.length], dataType: OnnxDataType.INT64, rawData: int64LittleEndian(values) });
    return unique;
  }

  /**
   * Appends a node with one output named after `outputBase` (made unique) and returns that name.
   * Attributes named in `floatAttributes` are written as FLOAT(S), other numbers as INT(S).
   */
  addNode(
    opType: string,
    inputs: string[],
    outputBase: string,
    attributes: Record<string, AttributeValue> = {},
    floatAttributes: readonly string[] = [],
  ): string {
    return this.addMultiOutputNode(opType, inputs, [outputBase], attributes, floatAttributes)[0];
  }

  /** As {@link addNode} for ops with several outputs (MaxPool with Indices): one name per base, in order. */
  addMultiOutputNode(
    opType: string,
    inputs: string[],
    outputBases: readonly string[],
    attributes: Record<string, AttributeValue> = {},
    floatAttributes: readonly string[] = [],
  ): string[] {
    const outputs = outputBases.map((base) => this.uniqueName(base));
    const attribute = Object.entries(attributes).map(([name, value]) => toAttribute(name, value, floatAttributes.includes(name)));
    this.nodes.push({ name: outputs[0], opType, input: inputs, output: outputs, attribute });
    return outputs;
  }

  build(name: string): OnnxGraph {
    return { name, node: this.nodes, initializer: this.initializers, input: this.inputs, output: this.outputs };
  }
}

function floatValueInfo(name: string, dims: Dimension[]): OnnxValueInfo {
  const dim: OnnxDimension[] = dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d }));
  return { name, type: { tensorType: { elemType: OnnxDataType.FLOAT, shape: { dim } } } };
}

function toAttribute(name: string, value: AttributeValue, isFloat: boolean): OnnxAttribute {
  if (typeof value === 'string') return { name, type: OnnxAttributeType.STRING, s: new TextEncoder().encode(value) };
  if (Array.isArray(value)) {
    return isFloat ? { name, type: OnnxAttributeType.FLOATS, floats: value } : { name, type: OnnxAttributeType.INTS, ints: value };
  }
  return isFloat ? { name, type: OnnxAttributeType.FLOAT, f: value } : { name, type: OnnxAttributeType.INT, i: value };
}
