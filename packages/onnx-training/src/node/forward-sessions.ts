import type * as tf from '@tensorflow/tfjs';
import type * as Ort from 'onnxruntime-node';
import { buildForwardGraph, type ForwardGraph, type ForwardGraphOptions } from '@resnet-ts/onnx';
import type { OnnxSessionOptions } from '@resnet-ts/onnx/node';
import { openGraphSession } from './open-graph-session';

/** A forward graph and the onnxruntime session that runs it. */
export interface ForwardSession {
  graph: ForwardGraph;
  session: Ort.InferenceSession;
}

type Purpose = ForwardGraphOptions['outputs'];

/**
 * The engine's forward-only sessions (validation scores, precise BN's batch statistics), built on
 * first use with a symbolic batch size, so a short last batch needs no second session. The
 * statistics graph depends on which BatchNorm layers train, so it is rebuilt when that changes.
 */
export class ForwardSessions {
  private readonly cache = new Map<Purpose, { key: string; entry: Promise<ForwardSession> }>();

  constructor(
    private readonly model: tf.LayersModel,
    private readonly sessionOptions: OnnxSessionOptions,
  ) {}

  get(purpose: Purpose): Promise<ForwardSession> {
    const key = purpose === 'scores' ? '' : this.model.trainableWeights.map((w) => w.originalName).join('\n');
    const cached = this.cache.get(purpose);
    if (cached?.key === key) return cached.entry;
    if (cached) void cached.entry.then(({ session }) => session.release(), () => {});
    const entry = this.open(purpose);
    // A failed build is not cached: the next call reports it again.
    entry.catch(() => this.cache.delete(purpose));
    this.cache.set(purpose, { key, entry });
    return entry;
  }

  private async open(purpose: Purpose): Promise<ForwardSession> {
    const graph = buildForwardGraph(this.model, { outputs: purpose });
    const what = purpose === 'scores' ? `the forward pass of ${this.model.name}` : `the batch-statistics pass of ${this.model.name}`;
    return { graph, session: await openGraphSession(graph.bytes, this.sessionOptions, what) };
  }

  async dispose(): Promise<void> {
    const entries = [...this.cache.values()];
    this.cache.clear();
    await Promise.all(entries.map(({ entry }) => entry.then(({ session }) => session.release(), () => {})));
  }
}
