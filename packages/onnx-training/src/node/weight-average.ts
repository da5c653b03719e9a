import { toGraphLayout, type GraphLayout } from '@resnet-ts/onnx';
import type { EngineWeightAverage } from '@resnet-ts/trainer';
import type { BufferPair } from './buffer-pair';
import { kerasCopy } from './keras-copy';

/** What the average needs of the engine: its weights (graph layout) and how to turn them into keras's. */
export interface AveragedWeights {
  weights: ReadonlyMap<string, BufferPair>;
  layouts: ReadonlyMap<string, GraphLayout>;
  kerasShapes: ReadonlyMap<string, number[]>;
  /** Tells the engine its weights changed without a step (the model no longer holds them). */
  changed(): void;
}

/**
 * Weight EMA on the engine's own buffers, in the graph's layout: one pass over each weight per update
 * in plain JS (about 25.6M multiply-adds for ResNet50), where averaging the tfjs model would first
 * copy every weight into it through the layout transposes. Converted to keras's layout only when
 * read (validation, checkpoints, the end of the run).
 */
export class GraphWeightAverage implements EngineWeightAverage {
  private readonly averages = new Map<string, Float32Array>();
  /** The engine's own weights while it holds the averages ({@link swapIn}). */
  private live: Map<string, Float32Array> | undefined;

  constructor(private readonly engine: AveragedWeights) {
    for (const [key, pair] of engine.weights) this.averages.set(key, pair.current.slice());
  }

  update(decay: number, frozen: ReadonlySet<string>): void {
    const take = 1 - decay;
    for (const [key, average] of this.averages) {
      if (frozen.has(key)) continue;
      const current = this.engine.weights.get(key)!.current;
      // As the trainer's WeightEma: a frozen weight's average stays bit-identical to it.
      for (let i = 0; i < average.length; i++) average[i] += (current[i] - average[i]) * take;
    }
  }

  swapIn(): void {
    if (this.live) throw new Error('EMA: the engine already holds the averaged weights');
    this.live = new Map();
    for (const [key, average] of this.averages) {
      const pair = this.engine.weights.get(key)!;
      this.live.set(key, pair.current);
      // A copy: precise BN writes the statistics it recomputes into the engine's buffers.
      pair.hold(average.slice());
    }
    this.engine.changed();
  }

  swapOut(): void {
    if (!this.live) return;
    for (const [key, values] of this.live) this.engine.weights.get(key)!.hold(values);
    this.live = undefined;
    this.engine.changed();
  }

  read(): Map<string, Float32Array> {
    const out = new Map<string, Float32Array>();
    for (const [key, average] of this.averages) out.set(key, kerasCopy(average, this.engine.kerasShapes.get(key)!, this.engine.layouts.get(key)));
    return out;
  }

  load(values: ReadonlyMap<string, ArrayLike<number>>): void {
    for (const [key, average] of this.averages) {
      const given = values.get(key);
      if (!given || given.length !== average.length) {
        throw new Error(`EMA weight ${key}: expected ${average.length} values, got ${given ? given.length : 'none'}`);
      }
      average.set(toGraphLayout(given instanceof Float32Array ? given : Float32Array.from(given), this.engine.kerasShapes.get(key)!, this.engine.layouts.get(key)));
    }
  }
}
