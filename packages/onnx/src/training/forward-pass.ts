import type * as tf from '@tensorflow/tfjs';
import type { OnnxValue } from '../convert/context';
import { NHWC_TO_NCHW } from '../convert/layout';
import { consumerClassesByTensor, orderModelCalls, type ModelCall } from '../convert/model-graph';
import { lastSegment } from '../convert/weights';
import { OnnxExportError } from '../errors';
import type { OnnxGraphBuilder } from '../graph/graph-builder';
import { encodeOnnxModel } from '../proto/onnx-codec';
import { ONNX_IR_VERSION, TRAINING_OPSET } from '../proto/onnx-schema';
import type { Backward, BatchNormMode, WeightInput } from './context';
import type { GraphOps } from './graph-ops';
import { layerTrainers, trainableLayerClasses } from './layer-trainers';
import type { TrainingGraphWeight } from './options';
import { trainingWeightLayouts } from './weight-layout';

export interface ForwardRecord {
  call: ModelCall;
  backward: Backward;
}

/** What {@link emitForward} leaves in the graph. */
export interface ForwardPass {
  /** The model's output value (scores [B, classes]). */
  output: string;
  /** Every call in order, with how to differentiate it. */
  records: ForwardRecord[];
  /** By tensor id: whether a trainable weight lies upstream (the backward skips the rest). */
  needsGradient: Map<number, boolean>;
  /** New values the forward itself computes (BatchNorm moving statistics in training mode). */
  updated: Map<tf.LayerVariable, string>;
}

/** Checks the model has the one image (or feature) input and the one score output a step graph needs. */
export function checkStepModel(model: tf.LayersModel): { imageShape: number[]; classes: number } {
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
  return { imageShape: modelInput.shape.slice(1).map(Number), classes: Number(modelOutput.shape[1]) };
}

/** One graph input per model weight (trainable weights and BatchNorm statistics), Conv2D kernels in OIHW. */
export function addWeightInputs(model: tf.LayersModel, graph: OnnxGraphBuilder): Map<tf.LayerVariable, WeightInput> {
  const trainable = new Set<tf.LayerVariable>(model.trainableWeights);
  const layouts = trainingWeightLayouts(model);
  const weightInputs = new Map<tf.LayerVariable, WeightInput>();
  for (const variable of model.weights) {
    const layout = layouts.get(variable.originalName);
    const shape = layout ? [...layout.shape] : ([...variable.shape] as number[]);
    weightInputs.set(variable, { variable, name: graph.addInput(variable.originalName, shape), shape, layout, trainable: trainable.has(variable) });
  }
  return weightInputs;
}

/** How a graph built on {@link addWeightInputs} reports one weight; `output` is its new value, if the graph computes one. */
export function graphWeight(input: WeightInput, output?: string): TrainingGraphWeight {
  const { variable } = input;
  return { key: variable.originalName, shape: [...variable.shape] as number[], layout: input.layout, inputShape: input.shape, input: input.name, output, trainable: input.trainable };
}

/** The ONNX ModelProto of a graph the training builders made (opset 18, no metadata). */
export function encodeBuiltGraph(graph: OnnxGraphBuilder, name: string, producerVersion: string): Uint8Array {
  return encodeOnnxModel({
    irVersion: ONNX_IR_VERSION,
    opsetImport: [{ domain: '', version: TRAINING_OPSET }],
    producerName: 'resnet-ts',
    producerVersion,
    graph: graph.build(name),
    metadataProps: [],
  });
}

export interface ForwardOptions {
  /** The graph input holding the NHWC images (or the [B, features] batch). */
  images: string;
  weightInputs: Map<tf.LayerVariable, WeightInput>;
  batchSize: number | string;
  /** How trainable BatchNorm layers normalize (frozen ones always use their moving statistics). */
  batchNorm: BatchNormMode;
  /** Receives each trainable BatchNorm's batch mean and variance ([C]) against its moving statistic. */
  onBatchStatistic?: (movingStatistic: WeightInput, batchValue: string) => void;
}

/** Emits the forward of every layer call of `model` in order. Throws naming the first layer it cannot handle. */
export function emitForward(model: tf.LayersModel, ops: GraphOps, options: ForwardOptions): ForwardPass {
  const [modelInput] = model.inputs;
  const [modelOutput] = model.outputs;
  const imageShape = modelInput.shape.slice(1).map(Number);
  // Shapes carry the batch size only when it is fixed; layers read it at run time otherwise.
  const batchDim = typeof options.batchSize === 'number' ? options.batchSize : null;
  const values = new Map<number, OnnxValue>();
  // A rank-2 input is a batch of features (a head trained on cached backbone features).
  const input = imageShape.length === 3 ? ops.transpose(options.images, NHWC_TO_NCHW, 'images/nchw') : options.images;
  values.set(modelInput.id, { name: input, shape: [batchDim, ...imageShape] });
  const needsGradient = new Map<number, boolean>([[modelInput.id, false]]);
  const updated = new Map<tf.LayerVariable, string>();
  const calls = orderModelCalls(model.outputs);
  const consumers = consumerClassesByTensor(calls);
  const records: ForwardRecord[] = [];

  for (const call of calls) {
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
    const layerWeights = call.layer.weights.map((w) => options.weightInputs.get(w)).filter((w): w is WeightInput => w !== undefined);
    const trained = trainer({
      layer: call.layer,
      className: call.className,
      config: call.layer.getConfig(),
      inputs: call.inputs.map((i) => values.get(i.id)!),
      outputShape: [batchDim, ...output.shape.slice(1)],
      outputName: call.nodeIndex > 0 ? `${call.layer.name}_${call.nodeIndex}` : call.layer.name,
      ops,
      consumerClasses: consumers.get(output.id) ?? [],
      batchNorm: options.batchNorm,
      weight: (name) => layerWeights.find((w) => lastSegment(w.variable.originalName) === name),
      setUpdatedValue: (weight, value) => updated.set(weight.variable, value),
      setBatchStatistic: (weight, value) => options.onBatchStatistic?.(weight, value),
    });
    values.set(output.id, trained.output);
    const hasTrainable = layerWeights.some((w) => w.trainable);
    needsGradient.set(output.id, hasTrainable || call.inputs.some((i) => needsGradient.get(i.id)));
    records.push({ call, backward: trained.backward });
  }
  return { output: values.get(modelOutput.id)!.name, records, needsGradient, updated };
}
