import type * as tf from '@tensorflow/tfjs';
import { readBatchNormParameters, planBatchNormFolding } from './convert/batch-norm-folding';
import type { KerasShape, OnnxValue } from './convert/context';
import { layerConverters, supportedLayerClasses } from './convert/converters';
import { NCHW_TO_NHWC, NHWC_TO_NCHW } from './convert/layout';
import { consumerClassesByTensor, orderModelCalls, type ModelCall } from './convert/model-graph';
import { OnnxExportError } from './errors';
import { OnnxGraphBuilder, type Dimension } from './graph/graph-builder';
import { buildMetadataProps } from './metadata';
import { resolveOnnxExportOptions, type OnnxExportOptions, type ResolvedOnnxExportOptions } from './options';
import { encodeOnnxModel } from './proto/onnx-codec';
import { ONNX_IR_VERSION, ONNX_OPSET } from './proto/onnx-schema';

/**
 * Converts a tfjs LayersModel (Sequential or functional, as the zoo builds and the trainer saves)
 * into an ONNX file (opset 17) and returns its bytes. Platform-neutral: no file system, no runtime.
 * Throws an OnnxExportError naming the first layer it cannot convert.
 */
export function exportOnnx(model: tf.LayersModel, options: OnnxExportOptions = {}): Uint8Array {
  const resolved = resolveOnnxExportOptions(options);
  const graph = new OnnxGraphBuilder();
  const values = new Map<number, OnnxValue>();
  const outputIds = new Set(model.outputs.map((output) => output.id));

  for (const input of model.inputs) values.set(input.id, addGraphInput(graph, input, resolved));

  const calls = orderModelCalls(model.outputs);
  const foldPlan = resolved.foldBatchNorm ? planBatchNormFolding(calls, outputIds) : new Map<ModelCall, ModelCall>();
  const foldedAway = new Set(foldPlan.values());
  const consumers = consumerClassesByTensor(calls);
  for (const call of calls) {
    if (call.className === 'InputLayer') {
      if (!values.has(call.outputs[0].id)) throw new OnnxExportError(`Input '${call.layer.name}' is not among the model's inputs`);
      continue;
    }
    const converter = layerConverters[call.className];
    if (!converter) {
      throw new OnnxExportError(
        `Layer '${call.layer.name}' (${call.className}) is not supported by the ONNX exporter. Supported layers: ${supportedLayerClasses().join(', ')}`,
      );
    }
    if (call.outputs.length !== 1) {
      throw new OnnxExportError(`Layer '${call.layer.name}' (${call.className}) has ${call.outputs.length} outputs; only single-output layers export`);
    }
    const output = call.outputs[0];
    const foldedInto = foldPlan.get(call);
    const value = converter({
      layer: call.layer,
      className: call.className,
      config: call.layer.getConfig(),
      inputs: call.inputs.map((input) => values.get(input.id)!),
      outputShape: output.shape,
      outputName: internalOutputName(call, outputIds.has(output.id), resolved),
      graph,
      consumerClasses: consumers.get(output.id) ?? [],
      options: resolved,
      foldedBatchNorm: foldedInto ? readBatchNormParameters(foldedInto.layer) : undefined,
      isFoldedAway: foldedAway.has(call),
    });
    values.set(output.id, value);
  }

  const outputNames = model.outputs.map((output) => addGraphOutput(graph, output, values.get(output.id)!, resolved));
  const inputShape = model.inputs[0].shape.slice(1);
  return encodeOnnxModel({
    irVersion: ONNX_IR_VERSION,
    opsetImport: [{ domain: '', version: ONNX_OPSET }],
    producerName: 'resnet-ts',
    producerVersion: resolved.producerVersion,
    graph: graph.build(resolved.graphName ?? model.name),
    metadataProps: buildMetadataProps(resolved.metadata, {
      inputSize: inputShape,
      layout: resolved.layout,
      inputName: model.inputs[0].sourceLayer.name,
      outputName: outputNames[0],
      foldBatchNorm: resolved.foldBatchNorm,
      outputIsProbabilities: isSoftmaxOutput(model.outputs[0]),
    }),
  });
}

function addGraphInput(graph: OnnxGraphBuilder, input: tf.SymbolicTensor, options: ResolvedOnnxExportOptions): OnnxValue {
  const shape = input.shape;
  const layerName = input.sourceLayer.name;
  if (shape.length !== 4) {
    return { name: graph.addInput(layerName, dimensions(shape, options)), shape };
  }
  if (options.layout === 'nchw') {
    return { name: graph.addInput(layerName, dimensions(permute(shape, NHWC_TO_NCHW), options)), shape };
  }
  const name = graph.addInput(layerName, dimensions(shape, options));
  return { name: graph.addNode('Transpose', [name], `${layerName}/nchw`, { perm: NHWC_TO_NCHW }), shape };
}

function addGraphOutput(graph: OnnxGraphBuilder, output: tf.SymbolicTensor, value: OnnxValue, options: ResolvedOnnxExportOptions): string {
  const shape = output.shape;
  const layerName = output.sourceLayer.name;
  let name = value.name;
  if (shape.length === 4 && options.layout === 'nhwc') {
    name = graph.addNode('Transpose', [name], layerName, { perm: NCHW_TO_NHWC });
  } else if (name !== layerName || graph.isGraphInput(name)) {
    name = graph.addNode('Identity', [name], layerName);
  }
  const dims = shape.length === 4 && options.layout === 'nchw' ? permute(shape, NHWC_TO_NCHW) : shape;
  graph.addOutput(name, dimensions(dims, options));
  return name;
}

/** A rank-4 model output in NHWC mode keeps the layer's name free for the final Transpose. */
function internalOutputName(call: ModelCall, isModelOutput: boolean, options: ResolvedOnnxExportOptions): string {
  const base = call.nodeIndex > 0 ? `${call.layer.name}_${call.nodeIndex}` : call.layer.name;
  const needsTranspose = isModelOutput && call.outputs[0].shape.length === 4 && options.layout === 'nhwc';
  return needsTranspose ? `${base}/nchw` : base;
}

/** As the trainer decides it: a Softmax layer, or any layer with a softmax activation. */
function isSoftmaxOutput(output: tf.SymbolicTensor): boolean {
  const layer = output.sourceLayer;
  return layer.getClassName() === 'Softmax' || (layer.getConfig() as { activation?: string }).activation === 'softmax';
}


function dimensions(shape: KerasShape, options: ResolvedOnnxExportOptions): Dimension[] {
  return shape.map((size, axis) => (axis === 0 ? options.batchDimension : (size ?? `dim_${axis}`)));
}

function permute(shape: KerasShape, perm: readonly number[]): KerasShape {
  return perm.map((axis) => shape[axis]);
}
