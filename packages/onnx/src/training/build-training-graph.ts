import type * as tf from '@tensorflow/tfjs';
import { OnnxGraphBuilder } from '../graph/graph-builder';
import { OnnxExportError } from '../errors';
import { addWeightInputs, checkStepModel, emitForward, encodeBuiltGraph, graphWeight } from './forward-pass';
import { GraphOps } from './graph-ops';
import { correctCounts, crossEntropy } from './loss';
import { applyOptimizer } from './optimizer-step';
import { resolveTrainingGraphOptions, type TrainingGraph, type TrainingGraphOptions } from './options';
import { inversePermutation } from './weight-layout';

/** The names of the per-step inputs. */
const INPUT_NAMES = { images: 'images', labels: 'labels', lr: 'lr', step: 'step', weightDecay: 'weight_decay' } as const;

/**
 * Builds ONE ONNX graph (opset 18) for one training step of `model`, with the semantics of the
 * trainer's `trainStep`: forward in training mode (BatchNorm on batch statistics, frozen layers in
 * inference mode), the categorical cross-entropy, a hand-derived backward pass, global-norm
 * clipping and the optimizer's update. Every weight, BatchNorm statistic and optimizer slot is a
 * graph input, and its new value a graph output. Platform-neutral (no runtime). Throws an
 * OnnxExportError naming the first layer it cannot train, or the option it cannot honour.
 */
export function buildTrainingGraph(model: tf.LayersModel, options: TrainingGraphOptions): TrainingGraph {
  const resolved = resolveTrainingGraphOptions(options);
  const { imageShape, classes } = checkStepModel(model);
  const graph = new OnnxGraphBuilder();
  const ops = new GraphOps(graph);
  const batch = resolved.batchSize;

  // Inputs first, so they keep their exact names.
  const images = graph.addInput(INPUT_NAMES.images, [batch, ...imageShape]);
  const labels = graph.addInput(INPUT_NAMES.labels, [batch, classes]);
  const lr = graph.addInput(INPUT_NAMES.lr, []);
  const step = graph.addInput(INPUT_NAMES.step, []);
  const weightDecay = graph.addInput(INPUT_NAMES.weightDecay, []);
  const trainable = new Set<tf.LayerVariable>(model.trainableWeights);
  const weightInputs = addWeightInputs(model, graph);
  const { output: outputs, records, needsGradient, updated } = emitForward(model, ops, { images, weightInputs, batchSize: batch, batchNorm: 'batch' });
  const modelOutput = model.outputs[0];
  const gradients = new Map<tf.LayerVariable, string>();

  const forwardNodes = graph.nodeCount;
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
    result.weights.push(graphWeight(input, newValue));
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
  result.bytes = encodeBuiltGraph(graph, `${model.name}_train_step`, 'training-graph');
  return result;
}
