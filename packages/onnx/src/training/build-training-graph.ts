import type * as tf from '@tensorflow/tfjs';
import type { OnnxValue } from '../convert/context';
import { NHWC_TO_NCHW } from '../convert/layout';
import { consumerClassesByTensor, orderModelCalls, type ModelCall } from '../convert/model-graph';
import { lastSegment } from '../convert/weights';
import { OnnxExportError } from '../errors';
import { OnnxGraphBuilder } from '../graph/graph-builder';
import { encodeOnnxModel } from '../proto/onnx-codec';
import { ONNX_IR_VERSION, ONNX_OPSET } from '../proto/onnx-schema';
import type { Backward, WeightInput } from './context';
import { GraphOps } from './graph-ops';
import { layerTrainers, trainableLayerClasses } from './layer-trainers';
import { correctCounts, crossEntropy } from './loss';
import { applyOptimizer } from './optimizer-step';
import { resolveTrainingGraphOptions, type TrainingGraph, type TrainingGraphOptions } from './options';
import { inversePermutation, trainingWeightLayouts } from './weight-layout';

/** The names of the per-step inputs. */
const INPUT_NAMES = { images: 'images', labels: 'labels', lr: 'lr', step: 'step', weightDecay: 'weight_decay' } as const;

interface ForwardRecord {
  call: ModelCall;
  backward: Backward;
}

/**
 * Builds ONE ONNX graph (opset 17) for one training step of `model`, with the semantics of the
 * trainer's `trainStep`: forward in training mode (BatchNorm on batch statistics, frozen layers in
 * inference mode), the categorical cross-entropy, a hand-derived backward pass, global-norm
 * clipping and the optimizer's update. Every weight, BatchNorm statistic and optimizer slot is a
 * graph input, and its new value a graph output. Platform-neutral (no runtime). Throws an
 * OnnxExportError naming the first layer it cannot train, or the option it cannot honour.
 */
export function buildTrainingGraph(model: tf.LayersModel, options: TrainingGraphOptions): TrainingGraph {
  const resolved = resolveTrainingGraphOptions(options);
  if (model.inputs.length !== 1 || model.outputs.length !== 1) {
    throw new OnnxExportError(`Model '${model.name}': the training graph needs one input and one output (has ${model.inputs.length} and ${model.outputs.length})`);
  }
  const [modelInput] = model.inputs;
  const [modelOutput] = model.outputs;
  if (modelInput.shape.length !== 4 && modelInput.shape.length !== 2) {
    throw new OnnxExportError(`Model '${model.name}': the input must be an image batch [B, H, W, C] or a feature batch [B, features], got ${JSON.stringify(modelInput.shape)}`);
  }
  if (modelOutput.shape.length !== 2) {
    throw new OnnxExportError(`Model '${model.name}': the output must be class scores [B, classes] for cross-entropy, got ${JSON.stringify(modelOutput.shape)} (build it with a top)`);
  }
  const classes = Number(modelOutput.shape[1]);
  const graph = new OnnxGraphBuilder();
  const ops = new GraphOps(graph);
  const batch = resolved.batchSize;
  const imageShape = modelInput.shape.slice(1).map(Number);

  // Inputs first, so they keep their exact names.
  const images = graph.addInput(INPUT_NAMES.images, [batch, ...imageShape]);
  const labels = graph.addInput(INPUT_NAMES.labels, [batch, classes]);
  const lr = graph.addInput(INPUT_NAMES.lr, []);
  const step = graph.addInput(INPUT_NAMES.step, []);
  const weightDecay = graph.addInput(INPUT_NAMES.weightDecay, []);
  const trainable = new Set<tf.LayerVariable>(model.trainableWeights);
  const weightInputs = new Map<tf.LayerVariable, WeightInput>();
  const layouts = trainingWeightLayouts(model);
  for (const variable of model.weights) {
    const layout = layouts.get(variable.originalName);
    const shape = layout ? [...layout.shape] : ([...variable.shape] as number[]);
    weightInputs.set(variable, { variable, name: graph.addInput(variable.originalName, shape), shape, layout, trainable: trainable.has(variable) });
  }

  // Shapes carry the batch size only when it is fixed; layers read it at run time otherwise.
  const batchDim = typeof batch === 'number' ? batch : null;
  const values = new Map<number, OnnxValue>();
  // A rank-2 input is a batch of features (a head trained on cached backbone features).
  const input = imageShape.length === 3 ? ops.transpose(images, NHWC_TO_NCHW, 'images/nchw') : images;
  values.set(modelInput.id, { name: input, shape: [batchDim, ...imageShape] });
  const needsGradient = new Map<number, boolean>([[modelInput.id, false]]);
  const updated = new Map<tf.LayerVariable, string>();
  const gradients = new Map<tf.LayerVariable, string>();
  const consumers = consumerClassesByTensor(orderModelCalls(model.outputs));
  const records: ForwardRecord[] = [];

  for (const call of orderModelCalls(model.outputs)) {
    if (call.className === 'InputLayer') {
      if (!values.has(call.outputs[0].id)) throw new OnnxExportError(`Input '${call.layer.name}' is not among the model's inputs`);
      continue;
    }
    const trainer = layerTrainers[call.className];
    if (!trainer) {
      throw new OnnxExportError(
        `Layer '${call.layer.name}' (${call.className}) is not supported by the ONNX training graph; train with the tfjs engine, or use only: ${trainableLayerClasses().join(', ')}`,
      );
    }
    if (call.outputs.length !== 1) throw new OnnxExportError(`Layer '${call.layer.name}' (${call.className}) has ${call.outputs.length} outputs; only single-output layers train`);
    const output = call.outputs[0];
    const layerWeights = call.layer.weights.map((w) => weightInputs.get(w)).filter((w): w is WeightInput => w !== undefined);
    const trained = trainer({
      layer: call.layer,
      className: call.className,
      config: call.layer.getConfig(),
      inputs: call.inputs.map((input) => values.get(input.id)!),
      outputShape: [batchDim, ...output.shape.slice(1)],
      outputName: call.nodeIndex > 0 ? `${call.layer.name}_${call.nodeIndex}` : call.layer.name,
      ops,
      consumerClasses: consumers.get(output.id) ?? [],
      weight: (name) => layerWeights.find((w) => lastSegment(w.variable.originalName) === name),
      setUpdatedValue: (weight, value) => updated.set(weight.variable, value),
    });
    values.set(output.id, trained.output);
    const hasTrainable = layerWeights.some((w) => w.trainable);
    needsGradient.set(output.id, hasTrainable || call.inputs.some((input) => needsGradient.get(input.id)));
    records.push({ call, backward: trained.backward });
  }

  const forwardNodes = graph.nodeCount;
  const outputs = values.get(modelOutput.id)!.name;
  const { loss, outputGradient } = crossEntropy(ops, labels, outputs, classes, resolved);
  const { correct, topKCorrect } = correctCounts(ops, labels, outputs, Math.min(resolved.topK, classes));

  const lossNodes = graph.nodeCount - forwardNodes;
  // Backward: calls in reverse order, summing the gradients of tensors read by several calls.
  const pending = new Map<number, string[]>([[modelOutput.id, [outputGradient]]]);
  for (const { call, backward } of [...records].reverse()) {
    const terms = pending.get(call.outputs[0].id);
    pending.delete(call.outputs[0].id);
    if (!terms || !needsGradient.get(call.outputs[0].id)) continue;
    const dy = ops.sum(terms, `${call.layer.name}/output_grad`);
    const inputGradients = backward({
      dy,
      inputNeedsGradient: call.inputs.map((input) => needsGradient.get(input.id) ?? false),
      setGradient: (weight, gradient) => gradients.set(weight.variable, gradient),
    });
    call.inputs.forEach((input, i) => {
      const gradient = inputGradients[i];
      if (gradient !== undefined) pending.set(input.id, [...(pending.get(input.id) ?? []), gradient]);
    });
  }

  const backwardNodes = graph.nodeCount - forwardNodes - lossNodes;
  const trainableVariables = model.weights.filter((w) => trainable.has(w));
  for (const variable of trainableVariables) {
    if (!gradients.has(variable)) throw new OnnxExportError(`Weight '${variable.originalName}': no gradient reaches it from the loss; freeze its layer (trainable = false)`);
  }
  const step_ = applyOptimizer(ops, {
    options: resolved,
    variables: trainableVariables,
    weightInputs,
    gradients,
    scalars: { lr, step, weightDecay },
  });
  const nodePhases = { forward: forwardNodes, loss: lossNodes, backward: backwardNodes, optimizer: graph.nodeCount - forwardNodes - lossNodes - backwardNodes };

  // Outputs.
  const scalarOutput = (name: string) => {
    graph.addOutput(name, []);
    return name;
  };
  const result: TrainingGraph = {
    bytes: new Uint8Array(),
    inputs: { images, labels, lr, step, weightDecay },
    weights: [],
    slots: step_.slots,
    outputs: { loss: scalarOutput(loss), correct: scalarOutput(correct), topKCorrect: scalarOutput(topKCorrect), gradNorm: scalarOutput(step_.gradNorm) },
    nodePhases,
  };
  for (const variable of model.weights) {
    const input = weightInputs.get(variable)!;
    const newValue = step_.newWeights.get(variable) ?? updated.get(variable);
    if (newValue) graph.addOutput(newValue, input.shape);
    result.weights.push({ key: variable.originalName, shape: [...variable.shape] as number[], layout: input.layout, inputShape: input.shape, input: input.name, output: newValue, trainable: input.trainable });
  }
  for (const slot of step_.slots) graph.addOutput(slot.output, slot.inputShape);
  if (resolved.outputGradients) {
    // In keras's layout, as tfjs computes them: these are for comparing, not for an engine.
    result.gradients = trainableVariables.map((variable) => {
      const { layout } = weightInputs.get(variable)!;
      const gradient = gradients.get(variable)!;
      const base = `grad/${variable.originalName}`;
      const output = layout ? ops.transpose(gradient, inversePermutation(layout.perm), base) : ops.node('Identity', [gradient], base);
      graph.addOutput(output, [...variable.shape] as number[]);
      return { key: variable.originalName, output };
    });
  }
  result.bytes = encodeOnnxModel({
    irVersion: ONNX_IR_VERSION,
    opsetImport: [{ domain: '', version: ONNX_OPSET }],
    producerName: 'resnet-ts',
    producerVersion: 'training-graph',
    graph: graph.build(`${model.name}_train_step`),
    metadataProps: [],
  });
  return result;
}
