import * as tf from '@tensorflow/tfjs';
import { headIndex, type TransferOptions } from '../transfer';

/** A classifier cut where its head starts: the backbone's pooled features feed the head. */
export interface SplitModel {
  /** The model's input -> the head's input (`[batch, featureSize]`), on the model's own layers. */
  backbone: tf.LayersModel;
  /**
   * `[batch, featureSize]` -> the model's output, applying the model's own head layers to a new
   * input: the two share weights, so training `head` trains the full model's head in place.
   */
  head: tf.LayersModel;
  featureSize: number;
  /** Name of the head's first layer (e.g. `predictions`). */
  headLayer: string;
}

function singleInput(layer: tf.layers.Layer, modelName: string): tf.SymbolicTensor {
  const nodes = layer.inboundNodes;
  const inputs = nodes.length === 1 ? nodes[0].inputTensors : [];
  if (inputs.length !== 1) {
    throw new Error(
      `Cannot cache features of model "${modelName}": head layer "${layer.name}" does not take exactly one input from one place; ` +
        'the head must be a chain of layers after the global pooling (turn feature caching off for this model).',
    );
  }
  return inputs[0];
}

/**
 * Splits `model` before its head (the layer `transfer.headFrom` names, default the last layer with
 * weights). The head must be a chain (e.g. dropout + dense) fed by one rank-2 tensor: the globally
 * pooled features of a zoo ResNet (`avg_pool`). Throws naming the layer otherwise.
 *
 * Applying the head layers to a new input adds a node to each; a model's saved topology only lists
 * its own nodes, so saving `model` is unaffected. Do not dispose `backbone` or `head`: they own no
 * weights of their own (disposing them would free the full model's).
 */
export function splitAtHead(model: tf.LayersModel, transfer: Pick<TransferOptions, 'headFrom'> = {}): SplitModel {
  const start = headIndex(model, transfer);
  const chain = model.layers.slice(start);
  const features = singleInput(chain[0], model.name);
  const shape = features.shape;
  if (shape.length !== 2 || typeof shape[1] !== 'number') {
    throw new Error(
      `Cannot cache features of model "${model.name}": its head layer "${chain[0].name}" takes shape [${shape.join(', ')}], ` +
        'not pooled features [batch, size]; cache features only for models whose backbone ends in global pooling.',
    );
  }
  for (let i = 1; i < chain.length; i++) {
    if (singleInput(chain[i], model.name) !== chain[i - 1].output) {
      throw new Error(
        `Cannot cache features of model "${model.name}": layer "${chain[i].name}" does not take the output of "${chain[i - 1].name}"; ` +
          'the head must be a chain of layers after the global pooling.',
      );
    }
  }
  if (chain[chain.length - 1].output !== model.outputs[0]) {
    throw new Error(`Cannot cache features of model "${model.name}": its last layer "${chain[chain.length - 1].name}" is not its output.`);
  }
  const featureSize = shape[1];
  const backbone = tf.model({ inputs: model.inputs, outputs: features, name: `${model.name}_backbone` });
  const input = tf.input({ shape: [featureSize], name: `${model.name}_features` });
  const output = chain.reduce<tf.SymbolicTensor>((x, layer) => layer.apply(x) as tf.SymbolicTensor, input);
  const head = tf.model({ inputs: input, outputs: output, name: `${model.name}_head` });
  return { backbone, head, featureSize, headLayer: chain[0].name };
}
