import { OnnxExportError } from '../../errors';
import { adamGraph } from './adam';
import { lambGraph } from './lamb';
import { lionGraph } from './lion';
import { rmspropGraph } from './rmsprop';
import { sgdGraph } from './sgd';
import type { GraphOptimizer } from './types';

const GRAPH_OPTIMIZERS: readonly GraphOptimizer[] = [adamGraph, sgdGraph, rmspropGraph, lionGraph, lambGraph];

/** The optimizers the training graph implements, in the trainer's order. */
export function graphOptimizerNames(): string[] {
  return GRAPH_OPTIMIZERS.map((o) => o.name);
}

export function graphOptimizer(type: string): GraphOptimizer {
  const found = GRAPH_OPTIMIZERS.find((o) => o.name === type);
  if (!found) {
    throw new OnnxExportError(`buildTrainingGraph: optimizer '${type}' has no ONNX training graph (supported: ${graphOptimizerNames().join(', ')}); train with the tfjs engine`);
  }
  return found;
}
