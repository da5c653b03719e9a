/**
 * TEMPORARY ADAPTER for `@resnet-ts/zoo` (announced API: createModel, listModels, summarizeModel).
 * A compact Keras-applications ResNet (v1) so the UI can be wired before the package lands.
 * Delete once `@resnet-ts/zoo` exports these.
 */
import * as tf from '@tensorflow/tfjs';

export interface CreateModelOptions {
  inputShape: [number, number, number];
  classes: number;
  includeTop?: boolean;
  pooling?: 'avg' | 'max' | null;
  classifierActivation?: 'softmax' | null;
}

const STAGES: Record<string, { blocks: number[]; bottleneck: boolean }> = {
  resnet18: { blocks: [2, 2, 2, 2], bottleneck: false },
  resnet34: { blocks: [3, 4, 6, 3], bottleneck: false },
  resnet50: { blocks: [3, 4, 6, 3], bottleneck: true },
};

export function listModels(): string[] {
  return Object.keys(STAGES);
}

function convBn(x: tf.SymbolicTensor, filters: number, kernel: number, stride: number, name: string): tf.SymbolicTensor {
  const conv = tf.layers.conv2d({ filters, kernelSize: kernel, strides: stride, padding: 'same', useBias: false, name: `${name}_conv` });
  const bn = tf.layers.batchNormalization({ axis: 3, epsilon: 1.001e-5, name: `${name}_bn` });
  return bn.apply(conv.apply(x)) as tf.SymbolicTensor;
}

function relu(x: tf.SymbolicTensor, name: string): tf.SymbolicTensor {
  return tf.layers.activation({ activation: 'relu', name }).apply(x) as tf.SymbolicTensor;
}

function block(x: tf.SymbolicTensor, filters: number, stride: number, bottleneck: boolean, project: boolean, name: string) {
  const outFilters = bottleneck ? filters * 4 : filters;
  const shortcut = project ? convBn(x, outFilters, 1, stride, `${name}_0`) : x;
  let y: tf.SymbolicTensor;
  if (bottleneck) {
    y = relu(convBn(x, filters, 1, stride, `${name}_1`), `${name}_1_relu`);
    y = relu(convBn(y, filters, 3, 1, `${name}_2`), `${name}_2_relu`);
    y = convBn(y, outFilters, 1, 1, `${name}_3`);
  } else {
    y = relu(convBn(x, filters, 3, stride, `${name}_1`), `${name}_1_relu`);
    y = convBn(y, filters, 3, 1, `${name}_2`);
  }
  const sum = tf.layers.add({ name: `${name}_add` }).apply([shortcut, y]) as tf.SymbolicTensor;
  return relu(sum, `${name}_out`);
}

export function createModel(name: string, options: CreateModelOptions): tf.LayersModel {
  const spec = STAGES[name];
  if (!spec) throw new Error(`Unknown model "${name}"; choose one of ${listModels().join(', ')}`);
  const input = tf.input({ shape: options.inputShape, name: 'input_1' });
  let x = relu(convBn(input, 64, 7, 2, 'conv1'), 'conv1_relu');
  x = tf.layers.maxPooling2d({ poolSize: 3, strides: 2, padding: 'same', name: 'pool1_pool' }).apply(x) as tf.SymbolicTensor;
  spec.blocks.forEach((count, stage) => {
    const filters = 64 * 2 ** stage;
    for (let b = 0; b < count; b++) {
      const stride = b === 0 && stage > 0 ? 2 : 1;
      const project = b === 0 && (stage > 0 || spec.bottleneck);
      x = block(x, filters, stride, spec.bottleneck, project, `conv${stage + 2}_block${b + 1}`);
    }
  });
  x = tf.layers.globalAveragePooling2d({ name: 'avg_pool' }).apply(x) as tf.SymbolicTensor;
  const out = tf.layers
    .dense({ units: options.classes, activation: options.classifierActivation ?? 'softmax', name: 'predictions' })
    .apply(x) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: out, name });
}

export interface SummaryRow {
  name: string;
  className: string;
  outputShape: string;
  params: number;
  trainable: boolean;
}

export interface ModelSummary {
  rows: SummaryRow[];
  totals: { params: number; trainable: number; nonTrainable: number };
}

export function summarizeModel(model: tf.LayersModel): ModelSummary {
  const rows = model.layers.map((layer) => ({
    name: layer.name,
    className: layer.getClassName(),
    outputShape: JSON.stringify(layer.outputShape),
    params: layer.countParams(),
    trainable: layer.trainable,
  }));
  const sum = (ws: tf.LayerVariable[]) => ws.reduce((n, w) => n + (w.shape as number[]).reduce((a, b) => a * b, 1), 0);
  const trainable = sum(model.trainableWeights);
  const nonTrainable = sum(model.nonTrainableWeights);
  return { rows, totals: { params: trainable + nonTrainable, trainable, nonTrainable } };
}
