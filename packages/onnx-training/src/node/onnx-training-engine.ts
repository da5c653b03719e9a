import { availableParallelism } from 'node:os';
import * as tf from '@tensorflow/tfjs';
import type * as Ort from 'onnxruntime-node';
import { toGraphLayout, trainingWeightLayouts, type GraphLayout } from '@resnet-ts/onnx';
import { loadOnnxRuntime, type OnnxSessionOptions } from '@resnet-ts/onnx/node';
import {
  evaluate,
  preciseBnBatches,
  type Batch,
  type EvaluateOptions,
  type OptimizerState,
  type PreciseBnOptions,
  type StepEngine,
  type StepEngineFactory,
  type StepOptions,
  type StepResult,
  type TrainingDataset,
} from '@resnet-ts/trainer';
import { onnxTrainingSupport } from '../support';
import { BufferPair } from './buffer-pair';
import { OnnxTrainingError } from './errors';
import { ForwardSessions, type ForwardSession } from './forward-sessions';
import { kerasCopy } from './keras-copy';
import { StepSessions, type StepSession } from './step-sessions';
import { GraphWeightAverage } from './weight-average';

export interface OnnxTrainingEngineOptions {
  /**
   * onnxruntime execution providers in order of preference. Default `['cpu']`. `['cuda']` needs
   * onnxruntime-node's CUDA build (see the README); ops it lacks run on the cpu.
   */
  executionProviders?: string[];
  /** Threads inside one op. Default: every core (`os.availableParallelism()`). */
  intraOpThreads?: number;
  /** Graph optimizations onnxruntime applies when it opens a step graph. Default `all`. */
  graphOptimizationLevel?: OnnxSessionOptions['graphOptimizationLevel'];
}

/**
 * The trainer's step on onnxruntime-node: one ONNX graph per run (forward, backward, optimizer;
 * built by `buildTrainingGraph` of @resnet-ts/onnx) and one session call per step. Weights, BatchNorm
 * statistics and optimizer slots live in Float32Arrays the engine owns, fed without copies; the
 * step's new values (the buffers onnxruntime returns) are adopted only when the loss is finite. The tfjs model is
 * the exchange format (`syncToModel`/`syncFromModel`) and the optimizer state has the trainer's
 * format, so checkpoints, EMA, precise BN and resume work as on the tfjs engine, across engines.
 * Validation and precise BN run forward-only graphs on the engine's own buffers (no sync, no tfjs forward).
 */
export function onnxTrainingEngine(options: OnnxTrainingEngineOptions = {}): StepEngineFactory {
  return async ({ model, optimizer }) => {
    const ort = await loadOnnxRuntime();
    const support = onnxTrainingSupport(model, optimizer);
    if (!support.supported) throw new OnnxTrainingError(`The onnxruntime engine cannot train ${model.name}: ${support.reason}. Train it with the tfjs engine (--engine tfjs).`);
    const { executionProviders, intraOpThreads } = resolveOptions(options);
    const sessionOptions = { executionProviders, intraOpThreads, graphOptimizationLevel: options.graphOptimizationLevel ?? 'all' };
    const sessions = new StepSessions(model, optimizer, sessionOptions);
    const engine = new OnnxStepEngine(ort, model, optimizer.type, sessions, new ForwardSessions(model, sessionOptions), onnxTrainingEngineName(options));
    await engine.syncFromModel();
    return engine;
  };
}

function resolveOptions(options: OnnxTrainingEngineOptions): { executionProviders: string[]; intraOpThreads: number } {
  return { executionProviders: options.executionProviders ?? ['cpu'], intraOpThreads: options.intraOpThreads ?? availableParallelism() };
}

/** The engine's `name` for these options, e.g. `onnxruntime (cpu, 2 threads)`: what a start-up line shows. */
export function onnxTrainingEngineName(options: OnnxTrainingEngineOptions = {}): string {
  const { executionProviders, intraOpThreads } = resolveOptions(options);
  return `onnxruntime (${executionProviders.join('+')}, ${intraOpThreads} thread${intraOpThreads === 1 ? '' : 's'})`;
}

class OnnxStepEngine implements StepEngine {
  private iterations = 0;
  /** By weight key: `model.weights` lists trainable weights first, so its order changes when a layer is frozen or unfrozen. */
  private readonly weights = new Map<string, BufferPair>();
  private readonly slots = new Map<string, BufferPair>();
  /**
   * The weights the step graph holds transposed (Conv2D kernels, OIHW), by weight key: buffers hold
   * graph layout, converted to and from keras's only where the model or the optimizer state is read or written.
   */
  private readonly layouts: Map<string, GraphLayout>;
  private readonly kerasShapes = new Map<string, number[]>();
  /** Whether the engine's weights changed since the model last held them. */
  private dirty = false;

  constructor(
    private readonly ort: typeof Ort,
    private readonly model: tf.LayersModel,
    private readonly optimizerType: string,
    private readonly sessions: StepSessions,
    private readonly forward: ForwardSessions,
    readonly name: string,
  ) {
    this.layouts = trainingWeightLayouts(model);
    for (const w of model.weights) {
      if (this.weights.has(w.originalName)) throw new OnnxTrainingError(`${model.name}: two weights are named ${w.originalName}; the engine keys weights and optimizer slots by name.`);
      const shape = w.shape as number[];
      this.kerasShapes.set(w.originalName, shape);
      this.weights.set(w.originalName, new BufferPair(ort.Tensor, w.originalName, this.layouts.get(w.originalName)?.shape ?? shape));
    }
  }

  get optimizerSteps(): number {
    return this.iterations;
  }

  async step(batch: Batch, options: StepOptions): Promise<StepResult> {
    const count = batch.xs.shape[0];
    const { graph, session } = await this.sessions.get(count, options);
    const [images, labels] = await Promise.all([batch.xs.data(), batch.ys.data()]);
    const scalar = (value: number) => new this.ort.Tensor('float32', Float32Array.of(value), []);
    const feeds: Record<string, Ort.Tensor> = {
      [graph.inputs.images]: new this.ort.Tensor('float32', asFloat32(images), batch.xs.shape),
      [graph.inputs.labels]: new this.ort.Tensor('float32', asFloat32(labels), batch.ys.shape),
      [graph.inputs.lr]: scalar(options.lr),
      [graph.inputs.step]: scalar(this.iterations + 1),
      [graph.inputs.weightDecay]: scalar(options.weightDecay),
    };
    const { loss: lossName, correct: correctName, topKCorrect: topKName, gradNorm: normName } = graph.outputs;
    const fetches: Record<string, Ort.Tensor | null> = { [lossName]: null, [correctName]: null, [topKName]: null, [normName]: null };
    const updated = this.bind(graph, feeds, fetches);
    const results = await session.run(feeds, fetches);
    const read = (name: string) => Number((results[name].data as Float32Array)[0]);
    const result = { loss: read(lossName), correct: read(correctName), topKCorrect: read(topKName), gradNorm: read(normName), count };
    for (const name of [lossName, correctName, topKName, normName]) results[name].dispose();
    // As trainStep: a NaN/Inf loss or gradient leaves weights, statistics, slots and the step count as they were.
    if (!Number.isFinite(result.loss) || !Number.isFinite(result.gradNorm)) return { ...result, finite: false };
    for (const [pair, output] of updated) pair.adopt(results[output]);
    this.iterations += 1;
    this.dirty = true;
    return { ...result, finite: true };
  }

  /** Puts every weight and slot of `graph` into the feeds and their new values into the fetches; returns what each updates. */
  private bind(graph: StepSession['graph'], feeds: Record<string, Ort.Tensor>, fetches: Record<string, Ort.Tensor | null>): [BufferPair, string][] {
    const updated: [BufferPair, string][] = [];
    for (const spec of graph.weights) {
      const pair = this.weightPair(spec.key, 'step');
      feeds[spec.input] = pair.input;
      if (spec.output) {
        fetches[spec.output] = null;
        updated.push([pair, spec.output]);
      }
    }
    for (const spec of graph.slots) {
      let pair = this.slots.get(spec.key);
      // A slot starts at zeros on first use, as the trainer's Optimizer creates it.
      if (!pair) this.slots.set(spec.key, (pair = new BufferPair(this.ort.Tensor, spec.key, spec.inputShape)));
      if (pair.shape.join() !== spec.inputShape.join()) throw new OnnxTrainingError(`Optimizer slot ${spec.key}: the state holds ${pair.shape[0]} values, the model needs ${spec.inputShape[0]} (shape [${spec.shape.join(', ')}])`);
      feeds[spec.input] = pair.input;
      fetches[spec.output] = null;
      updated.push([pair, spec.output]);
    }
    return updated;
  }

  async evaluate(data: TrainingDataset, options: EvaluateOptions) {
    const forward = await this.forward.get('scores');
    return evaluate(this.model, data, options, async (xs) => {
      const results = await this.runForward(forward, xs);
      const scores = results[forward.graph.scores!];
      // A copy: the cpu backend would keep a reference to onnxruntime's buffer.
      return tf.tensor2d((scores.data as Float32Array).slice(), scores.dims as [number, number]);
    });
  }

  async recalibrateBatchNorm(data: TrainingDataset, options: PreciseBnOptions): Promise<number> {
    const forward = await this.forward.get('batchStatistics');
    const statistics = forward.graph.batchStatistics;
    if (statistics.length === 0) return 0;
    const averages = new Map<string, Float32Array>();
    let k = 0;
    for await (const xs of preciseBnBatches(data, options)) {
      k += 1;
      const results = await this.runForward(forward, xs);
      for (const { key, output } of statistics) {
        const batchValue = results[output].data as Float32Array;
        const average = averages.get(key);
        if (!average) averages.set(key, batchValue.slice());
        // The running mean of the k batch statistics, as the tfjs path's momentum 1 - 1/k computes it.
        else for (let i = 0; i < average.length; i++) average[i] -= (average[i] - batchValue[i]) / k;
      }
    }
    for (const [key, average] of averages) this.weights.get(key)!.load(average, 'BatchNorm statistic');
    if (k > 0) this.dirty = true;
    return k;
  }

  /** One forward-only session call on the engine's current weights. */
  private async runForward({ graph, session }: ForwardSession, xs: tf.Tensor): Promise<Ort.InferenceSession.OnnxValueMapType> {
    const feeds: Record<string, Ort.Tensor> = {
      [graph.inputs.images]: new this.ort.Tensor('float32', asFloat32(await xs.data()), xs.shape),
    };
    for (const spec of graph.weights) feeds[spec.input] = this.weightPair(spec.key, 'forward').input;
    return session.run(feeds);
  }

  /** The engine's buffers of the weight a graph reads. */
  private weightPair(key: string, graphKind: 'step' | 'forward'): BufferPair {
    const pair = this.weights.get(key);
    if (!pair) throw new OnnxTrainingError(`${this.model.name}: the ${graphKind} graph reads a weight ${key} the model did not have when the engine started`);
    return pair;
  }

  optimizerState(): OptimizerState {
    const slots: tf.NamedTensorMap = {};
    for (const [key, pair] of this.slots) {
      const weightKey = weightKeyOfSlot(key);
      const shape = this.kerasShapes.get(weightKey) ?? [...pair.shape];
      slots[key] = tf.tensor(kerasCopy(pair.current, shape, this.layouts.get(weightKey)), shape);
    }
    return { type: this.optimizerType, iterations: this.iterations, slots } as OptimizerState;
  }

  loadOptimizerState(state: OptimizerState): void {
    if (state.type !== this.optimizerType) {
      throw new Error(`Checkpoint optimizer state is for "${state.type}" but the run uses "${this.optimizerType}": resume with the same optimizer.`);
    }
    const slots = new Map<string, BufferPair>();
    for (const [key, tensor] of Object.entries(state.slots)) {
      // A slot has its weight's shape; the graph holds it flat, in the weight's layout.
      const weightKey = weightKeyOfSlot(key);
      const fits = tensor.shape.join() === this.kerasShapes.get(weightKey)?.join();
      const pair = new BufferPair(this.ort.Tensor, key, [tensor.size]);
      pair.load(toGraphLayout(Float32Array.from(tensor.dataSync()), tensor.shape, fits ? this.layouts.get(weightKey) : undefined), 'Optimizer slot');
      slots.set(key, pair);
    }
    this.slots.clear();
    for (const [key, pair] of slots) this.slots.set(key, pair);
    this.iterations = state.iterations;
  }

  async syncToModel(): Promise<void> {
    if (!this.dirty) return;
    tf.tidy(() =>
      this.model.weights.forEach((w) => {
        const shape = w.shape as number[];
        w.write(tf.tensor(kerasCopy(this.pairOf(w).current, shape, this.layouts.get(w.originalName)), shape));
      }),
    );
    this.dirty = false;
  }

  weightAverage(model: tf.LayersModel): GraphWeightAverage | undefined {
    return model === this.model ? new GraphWeightAverage({ weights: this.weights, layouts: this.layouts, kerasShapes: this.kerasShapes, changed: () => (this.dirty = true) }) : undefined;
  }

  async syncFromModel(): Promise<void> {
    for (const w of this.model.weights) {
      const values = Float32Array.from(await w.read().data());
      this.pairOf(w).load(toGraphLayout(values, w.shape as number[], this.layouts.get(w.originalName)), 'Weight');
    }
    this.dirty = false;
  }


  private pairOf(w: tf.LayerVariable): BufferPair {
    const pair = this.weights.get(w.originalName);
    if (!pair) throw new OnnxTrainingError(`${this.model.name}: weight ${w.originalName} was added after the engine started`);
    return pair;
  }

  dispose(): void {
    void this.sessions.dispose();
    void this.forward.dispose();
  }
}

/** tfjs `data()` already gave a copy; onnxruntime reads a Float32Array in place. */
function asFloat32(values: ArrayLike<number>): Float32Array {
  return values instanceof Float32Array ? values : Float32Array.from(values);
}

/** `conv1_conv/kernel/m` -> `conv1_conv/kernel`: slots are keyed `<weight key>/<slot>`, as the trainer's Optimizer keys them. */
function weightKeyOfSlot(slotKey: string): string {
  return slotKey.slice(0, slotKey.lastIndexOf('/'));
}
