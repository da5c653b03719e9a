import type * as Ort from 'onnxruntime-node';
import { topKClasses, type ClassScore } from '@resnet-ts/zoo';
import { fixedInputSize, readOnnxMetadata, type OnnxFileMetadata } from '../metadata';
import { readOnnxMetadataFile } from './metadata-file';
import { softmaxRows } from '../softmax';
import { nhwcToNchw } from './nhwc';
import { loadOnnxRuntime } from './onnxruntime';
import { createInferenceSession, type OnnxSessionOptions } from './session';

export type OnnxEngineOptions = OnnxSessionOptions;

export interface OnnxClassifyOptions {
  /** How many classes to keep per image (default 5, capped at the class count). */
  topK?: number;
  /** Names of the classes, one per output; default: those stored in the file, else the indices. */
  classNames?: readonly string[];
}

/**
 * Batch inference on an exported ResNet with onnxruntime-node. Inputs are preprocessed images in
 * NHWC float32 (as the tfjs path feeds them), whatever layout the file was exported with.
 */
export class OnnxEngine {
  private constructor(
    private readonly ort: typeof Ort,
    private readonly session: Ort.InferenceSession,
    /** What the exporter stored: class names, input size and layout, preprocessing. */
    readonly metadata: OnnxFileMetadata,
  ) {}

  /** Opens an ONNX file (path or bytes). A path is read by onnxruntime itself, not copied through JS. */
  static async load(source: string | Uint8Array, options: OnnxEngineOptions = {}): Promise<OnnxEngine> {
    const metadata = typeof source === 'string' ? await readOnnxMetadataFile(source) : readOnnxMetadata(source);
    const ort = await loadOnnxRuntime();
    return new OnnxEngine(ort, await createInferenceSession(source, options), metadata);
  }

  get inputName(): string {
    return this.session.inputNames[0];
  }

  get outputName(): string {
    return this.session.outputNames[0];
  }

  /** [height, width, channels] of one image, from the file's metadata. */
  get inputSize(): [number, number, number] {
    return fixedInputSize(this.metadata);
  }

  get classNames(): string[] | undefined {
    return this.metadata.classNames;
  }

  /** Runs a batch of NHWC images ([batch, h, w, c] flattened) and returns the raw first output. */
  async run(images: Float32Array, batchSize: number): Promise<Float32Array> {
    const [height, width, channels] = this.inputSize;
    const perImage = height * width * channels;
    if (images.length !== batchSize * perImage) {
      throw new RangeError(`OnnxEngine.run: expected ${batchSize} x ${height}x${width}x${channels} = ${batchSize * perImage} values, got ${images.length}`);
    }
    const nchw = this.metadata.inputLayout === 'nchw';
    const data = nchw ? nhwcToNchw(images, batchSize, height, width, channels) : images;
    const dims = nchw ? [batchSize, channels, height, width] : [batchSize, height, width, channels];
    const feeds = { [this.inputName]: new this.ort.Tensor('float32', data, dims) };
    const results = await this.session.run(feeds);
    const output = results[this.outputName];
    const values = output.data as Float32Array;
    for (const tensor of Object.values(results)) tensor.dispose();
    return values;
  }

  /**
   * Runs a batch and ranks the classes of each image, as the tfjs path does: probabilities, with a
   * softmax applied here when the file says its output is not one (a logits head).
   */
  async classify(images: Float32Array, batchSize: number, options: OnnxClassifyOptions = {}): Promise<ClassScore[][]> {
    const output = await this.run(images, batchSize);
    const scores = this.metadata.outputIsProbabilities === false ? softmaxRows(output, batchSize) : output;
    const classNames = options.classNames ?? this.classNames;
    return topKClasses(scores, batchSize, { k: options.topK ?? 5, ...(classNames ? { classNames } : {}) });
  }

  async dispose(): Promise<void> {
    await this.session.release();
  }
}
