import { toGraphLayout, type GraphLayout } from '@resnet-ts/onnx';
import type { EngineWeightAverage } from '@resnet-ts/trainer';
import type { BufferPair } from './buffer-pair';
import { kerasCopy } from './keras-copy';

/** What the average needs of the engine: its weights (graph layout) and how to turn them into keras's. */
export interface AveragedWeights {
  weights: ReadonlyMap<string, BufferPair>;
  layouts: ReadonlyMap<string, GraphLayout>;
  kerasShapes: ReadonlyMap<string, number[]>;
}

/**
 * Weight EMA on the engine's own buffers, in the graph's layout: one pass over each weight per step
 * in plain JS (about 25.6M multiply-adds for ResNet50), where averaging the tfjs model would first
 * copy every weight into it through the layout transposes. Converted to keras's layout only when
 * read (validation, checkpoints, the end of the run).
 */
export class GraphWeightAverage implements EngineWeightAverage {
  private readonly averages = new Map<string, Float32Array>();

  constructor(
    private readonly engine: AveragedWeights,
    private readonly decay: number,
  ) {
    for (const [key, pair] of engine.weights) this.averages.set(key, pair.current.slice());
  }

  update(): void {
    const keep = this.decay;
    const take = 1 - this.decay;
    for (const [key, average] of this.averages) {
      const current = this.engine.weights.get(key)!.current;
      for (let i = 0; i < average.length; i++) average[i] = average[i] * keep + current[i] * take;
    }
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
