import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import protobuf from 'protobufjs/light.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { exportOnnx } from '../src/export-onnx';
import { OnnxExportError } from '../src/errors';
import { readOnnxMetadata } from '../src/metadata';
import { readOnnxMetadataFile } from '../src/node/metadata-file';
import { buildMiniResNet, useFastBackend } from './helpers';

describe('unsupported layers', () => {
  beforeAll(useFastBackend);

  it('names the layer and its class, and lists what is supported', () => {
    const input = tf.input({ shape: [8, 8, 3] });
    const x = tf.layers.conv2d({ filters: 2, kernelSize: 3, name: 'stem' }).apply(input) as tf.SymbolicTensor;
    const y = tf.layers.depthwiseConv2d({ kernelSize: 3, name: 'dw_conv' }).apply(x) as tf.SymbolicTensor;
    const model = tf.model({ inputs: input, outputs: y });
    const attempt = () => exportOnnx(model);
    expect(attempt).toThrow(OnnxExportError);
    expect(attempt).toThrow(/Layer 'dw_conv' \(DepthwiseConv2D\) is not supported by the ONNX exporter\. Supported layers: .*Conv2D/);
  });

  it('refuses a nested model used as a layer, naming it', () => {
    const inner = buildMiniResNet();
    const input = tf.input({ shape: [32, 32, 3] });
    const outer = tf.model({ inputs: input, outputs: inner.apply(input) as tf.SymbolicTensor });
    expect(() => exportOnnx(outer)).toThrow(/Layer 'mini_resnet' \(\w+\) is not supported/);
  });

  it('refuses an activation with no ONNX mapping, naming the layer', () => {
    const model = tf.sequential({ layers: [tf.layers.dense({ inputShape: [4], units: 2, activation: 'selu', name: 'odd' })] });
    expect(() => exportOnnx(model)).toThrow(/Layer 'odd': activation 'selu' has no ONNX mapping/);
  });

  it('refuses Dense on a feature map and says how to fix it', () => {
    const model = tf.sequential({ layers: [tf.layers.dense({ inputShape: [4, 4, 3], units: 2, name: 'dense_on_map' })] });
    expect(() => exportOnnx(model)).toThrow(/dense_on_map.*add Flatten or global pooling/);
  });
});

describe('metadata_props', () => {
  beforeAll(useFastBackend);

  it('carries class names, input size and layout, preprocessing and the model name', () => {
    const model = buildMiniResNet({ classes: 3 });
    const preprocessing = { mode: 'caffe', mean: [103.939, 116.779, 123.68], channelOrder: 'bgr' };
    const bytes = exportOnnx(model, {
      layout: 'nchw',
      foldBatchNorm: true,
      metadata: { classNames: ['cat', 'dog', 'fish'], preprocessing, modelName: 'mini', extra: { trained_on: 'signs' } },
    });
    const metadata = readOnnxMetadata(bytes);
    expect(metadata.classNames).toEqual(['cat', 'dog', 'fish']);
    expect(metadata.inputSize).toEqual([32, 32, 3]);
    expect(metadata.inputLayout).toBe('nchw');
    expect(metadata.inputName).toBe('input_1');
    expect(metadata.outputName).toBe('predictions');
    expect(metadata.preprocessing).toEqual(preprocessing);
    expect(metadata.modelName).toBe('mini');
    expect(metadata.batchNormFolded).toBe(true);
    expect(metadata.outputIsProbabilities).toBe(true);
    expect(metadata.props.trained_on).toBe('signs');
  });

  it('always records the input size and layout, even without caller metadata', () => {
    const metadata = readOnnxMetadata(exportOnnx(buildMiniResNet({ inputSize: 40 })));
    expect(metadata.inputSize).toEqual([40, 40, 3]);
    expect(metadata.inputLayout).toBe('nhwc');
    expect(metadata.classNames).toBeUndefined();
  });

  it('reads the same metadata from a file without reading its graph, and names a file that is not ONNX', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'resnet-onnx-meta-'));
    try {
      const bytes = exportOnnx(buildMiniResNet({ classes: 3 }), { metadata: { classNames: ['cat', 'dog', 'fish'], modelName: 'mini' } });
      const file = path.join(dir, 'mini.onnx');
      await writeFile(file, bytes);
      expect(await readOnnxMetadataFile(file)).toEqual(readOnnxMetadata(bytes));
      // Cut inside the graph: the walk finds the graph's length running past the end of the file.
      const truncated = path.join(dir, 'truncated.onnx');
      await writeFile(truncated, bytes.subarray(0, bytes.length >> 1));
      await expect(readOnnxMetadataFile(truncated)).rejects.toThrow(/truncated\.onnx: not an ONNX model file \(unreadable protobuf field at byte \d+\)/);
      const text = path.join(dir, 'notes.onnx');
      await writeFile(text, '\u0007 not protobuf');
      await expect(readOnnxMetadataFile(text)).rejects.toThrow(/notes\.onnx: not an ONNX model file/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('names an empty file, and one cut right after a field, instead of reporting no input size', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'resnet-onnx-meta-'));
    try {
      const empty = path.join(dir, 'empty.onnx');
      await writeFile(empty, new Uint8Array(0));
      await expect(readOnnxMetadataFile(empty)).rejects.toThrow(`${empty}: the file is empty (0 bytes), not an ONNX model`);
      const bytes = exportOnnx(buildMiniResNet({ classes: 3 }));
      // The header fields (ir_version, producer...) come before the graph: cut where the graph starts.
      const reader = protobuf.Reader.create(bytes);
      let graphAt = 0;
      while (reader.pos < reader.len) {
        const at = reader.pos;
        const tag = reader.uint32();
        if (tag >>> 3 === 7) {
          graphAt = at;
          break;
        }
        reader.skipType(tag & 7);
      }
      expect(graphAt).toBeGreaterThan(0);
      const cut = path.join(dir, 'cut.onnx');
      await writeFile(cut, bytes.subarray(0, graphAt));
      await expect(readOnnxMetadataFile(cut)).rejects.toThrow(`${cut}: not a complete ONNX model: no graph and opset_import in its ${graphAt} bytes`);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
