import type * as tf from '@tensorflow/tfjs';

type SymbolicTensor = tf.SymbolicTensor;

/** One call of a layer in the model graph (a keras "node"): its inputs and outputs. */
export interface ModelCall {
  layer: tf.layers.Layer;
  className: string;
  /** Which call of the layer this is (non-zero only for shared layers). */
  nodeIndex: number;
  inputs: SymbolicTensor[];
  outputs: SymbolicTensor[];
}

/**
 * Lists the layer calls that produce `outputs`, each after the calls it reads from, by walking the
 * symbolic graph backwards. Works for Sequential and functional models (with merges) alike.
 */
export function orderModelCalls(outputs: readonly SymbolicTensor[]): ModelCall[] {
  const order: ModelCall[] = [];
  const done = new Set<string>();
  // Iterative post-order DFS: deep models (ResNet152 has ~500 calls) should not recurse.
  const stack: Array<{ tensor: SymbolicTensor; expanded: boolean }> = outputs.map((tensor) => ({ tensor, expanded: false })).reverse();
  while (stack.length > 0) {
    const top = stack[stack.length - 1];
    const call = callOf(top.tensor);
    const key = callKey(call);
    if (done.has(key)) {
      stack.pop();
      continue;
    }
    if (top.expanded) {
      stack.pop();
      done.add(key);
      order.push(call);
      continue;
    }
    top.expanded = true;
    for (const input of [...call.inputs].reverse()) {
      if (!done.has(callKey(callOf(input)))) stack.push({ tensor: input, expanded: false });
    }
  }
  return order;
}

function callOf(tensor: SymbolicTensor): ModelCall {
  const layer = tensor.sourceLayer;
  const node = layer.inboundNodes[tensor.nodeIndex];
  return {
    layer,
    className: layer.getClassName(),
    nodeIndex: tensor.nodeIndex,
    // An InputLayer's node lists its own tensor as input; it reads nothing.
    inputs: node.inboundLayers.length === 0 ? [] : node.inputTensors,
    outputs: node.outputTensors,
  };
}

function callKey(call: ModelCall): string {
  return `${call.layer.name}#${call.nodeIndex}`;
}

/** Class names of the calls reading each tensor (by id), in call order. */
export function consumerClassesByTensor(calls: readonly ModelCall[]): Map<number, string[]> {
  const consumers = new Map<number, string[]>();
  for (const call of calls) {
    for (const input of call.inputs) consumers.set(input.id, [...(consumers.get(input.id) ?? []), call.className]);
  }
  return consumers;
}
