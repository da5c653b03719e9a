import * as tf from '@tensorflow/tfjs';
import { readOnnxMetadata } from '../metadata';
import { nhwcToNchw } from './nhwc';
import { loadOnnxRuntime } from './onnxruntime';
import { createInferenceSession, type OnnxSessionOptions } from './session';

export interface OnnxVerifyOptions extends OnnxSessionOptions {
  /** Images in the random batch (default 2: also checks the dynamic batch dimension). */
  batchSize?: number;
  /** Seed of the random inputs (default 42). */
  seed?: number;
  /** Range of the uniform random inputs (default [-1, 1]). */
  inputRange?: [number, number];
  /** Largest acceptable absolute difference on any output value (default 1e-4). */
  tolerance?: number;
}

export const defaultOnnxVerifyOptions = {
  batchSize: 2,
  seed: 42,
  inputRange: [-1, 1] as [number, number],
  tolerance: 1e-4,
} as const satisfies OnnxVerifyOptions;

export interface OnnxVerification {
  /** Largest |tfjs - onnxruntime| over every value of every output. */
  maxAbsDiff: number;
  /** Largest |tfjs output| (to judge maxAbsDiff relative to unbounded outputs such as logits). */
  maxAbsExpected: number;
  tolerance: number;
  passed: boolean;
  batchSize: number;
  /** Shape of each output, as onnxruntime returned it. */
  outputShapes: number[][];
}

/**
 * Runs the tfjs model and the exported file with onnxruntime-node on the same random batch and
 * reports the largest difference. Leaves no tfjs tensors behind.
 */
export async function verifyOnnx(model: tf.LayersModel, onnxBytes: Uint8Array, options: OnnxVerifyOptions = {}): Promise<OnnxVerification> {
  const resolved = { ...defaultOnnxVerifyOptions, ...options };
  const { batchSize, seed, inputRange, tolerance } = resolved;
  const inputShape = model.inputs[0].shape.slice(1);
  if (inputShape.some((d) => d == null)) {
    throw new Error(`verifyOnnx: model input shape ${JSON.stringify(model.inputs[0].shape)} has unknown sizes; build the model with a fixed input size`);
  }
  const shape = [batchSize, ...(inputShape as number[])];

  const [input, expected] = tf.tidy(() => {
    const x = tf.randomUniform(shape, inputRange[0], inputRange[1], 'float32', seed);
    const y = model.predict(x);
    const outputs = Array.isArray(y) ? y : [y];
    return [x.dataSync() as Float32Array, outputs.map((t) => t.dataSync() as Float32Array)] as const;
  });

  const metadata = readOnnxMetadata(onnxBytes);
  const ort = await loadOnnxRuntime();
  const session = await createInferenceSession(onnxBytes, resolved);
  try {
    const nchw = metadata.inputLayout === 'nchw' && shape.length === 4;
    const [b, h, w, c] = shape;
    const feed = nchw ? new ort.Tensor('float32', nhwcToNchw(input, b, h, w, c), [b, c, h, w]) : new ort.Tensor('float32', input, shape);
    const results = await session.run({ [session.inputNames[0]]: feed });
    let maxAbsDiff = 0;
    let maxAbsExpected = 0;
    const outputShapes = session.outputNames.map((name, i) => {
      const actual = results[name].data as Float32Array;
      if (actual.length !== expected[i].length) {
        throw new Error(`verifyOnnx: output '${name}' has ${actual.length} values, the tfjs model gives ${expected[i].length}`);
      }
      for (let k = 0; k < actual.length; k++) {
        maxAbsDiff = Math.max(maxAbsDiff, Math.abs(actual[k] - expected[i][k]));
        maxAbsExpected = Math.max(maxAbsExpected, Math.abs(expected[i][k]));
      }
      return [...results[name].dims];
    });
    return { maxAbsDiff, maxAbsExpected, tolerance, passed: maxAbsDiff <= tolerance, batchSize, outputShapes };
  } finally {
    await session.release();
  }
}
