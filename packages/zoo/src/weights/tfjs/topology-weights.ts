/**
 * The weights a layers-model topology (model.json's `modelTopology`) will create, estimated from its
 * layer configs before tfjs builds it: building allocates every kernel, so a `filters: 1000000`
 * in a stranger's model.json would cost gigabytes (or fail with "Invalid typed array length")
 * before any check on the weight files could run.
 *
 * The estimate is a lower bound: channels are followed through the graph where the config tells
 * them (inputs, convolutions, dense layers, concatenations) and taken as 1 where it does not
 * (custom layers, reshapes), so a valid model is never refused.
 */

interface LayerJson {
  class_name?: unknown;
  name?: unknown;
  config?: Record<string, unknown> | unknown[];
  inbound_nodes?: unknown;
}

/** What one layer contributes: its weight count, the channels it outputs, and the key that sized it. */
interface LayerWeights {
  count: number;
  channels: number;
  key?: string;
}

export interface TopologyWeights {
  /** Lower bound on the number of weights (elements) the built model holds. */
  count: number;
  /** The layer with the most weights, with the config key that sized it. */
  largest?: { layer: string; className: string; key: string; count: number };
}

const CONV_RANK: Record<string, number> = { Conv1D: 1, Conv2D: 2, Conv3D: 3, Conv2DTranspose: 2, Conv3DTranspose: 3 };
const SEPARABLE_RANK: Record<string, number> = { SeparableConv1D: 1, SeparableConv2D: 2 };
const RNN_GATES: Record<string, number> = { SimpleRNN: 1, GRU: 3, LSTM: 4 };
const MERGE_MAX = new Set(['Add', 'Multiply', 'Average', 'Maximum', 'Minimum', 'Subtract']);

class Walker {
  count = 0;
  largest: TopologyWeights['largest'];

  constructor(private readonly label: string) {}

  /** A size key of a layer config: a positive integer, else an error naming the layer and the key. */
  size(layer: string, config: Record<string, unknown>, key: string, fallback?: number): number {
    const value = config[key] ?? fallback;
    if (!Number.isSafeInteger(value) || (value as number) < 1) {
      throw new Error(`${this.label}: layer ${JSON.stringify(layer)}: "${key}" must be a positive integer, got ${JSON.stringify(config[key])}`);
    }
    return value as number;
  }

  /** Product of a kernel size (a number, repeated `rank` times, or a list). */
  kernel(layer: string, config: Record<string, unknown>, rank: number): number {
    const raw = config.kernel_size;
    const dims = Array.isArray(raw) ? raw : new Array(rank).fill(raw);
    return dims.reduce((product: number, dim: unknown, i: number) => {
      if (!Number.isSafeInteger(dim) || (dim as number) < 1) {
        throw new Error(`${this.label}: layer ${JSON.stringify(layer)}: "kernel_size" must be positive integers, got ${JSON.stringify(raw)} (entry ${i})`);
      }
      return product * (dim as number);
    }, 1);
  }

  add(layer: string, className: string, weights: LayerWeights): number {
    this.count += weights.count;
    if (weights.key && weights.count > (this.largest?.count ?? 0)) this.largest = { layer, className, key: weights.key, count: weights.count };
    return weights.channels;
  }

  /** Weights and output channels of one layer given its input channels. */
  layer(json: LayerJson, inChannels: number[]): number {
    const className = typeof json.class_name === 'string' ? json.class_name : '';
    const config = (json.config && !Array.isArray(json.config) ? json.config : {}) as Record<string, unknown>;
    const name = String(config.name ?? json.name ?? className);
    const input = inChannels.length === 0 ? 1 : Math.max(...inChannels);
    const bias = (units: number) => (config.use_bias === false ? 0 : units);
    if (Array.isArray((json.config as { layers?: unknown })?.layers) || Array.isArray(json.config)) {
      return this.model(json);
    }
    if (className in CONV_RANK) {
      const filters = this.size(name, config, 'filters');
      // Keras's grouped convolutions see a 1/groups slice of the input channels.
      const seen = Math.max(1, Math.floor(input / this.size(name, config, 'groups', 1)));
      return this.add(name, className, { count: this.kernel(name, config, CONV_RANK[className]) * seen * filters + bias(filters), channels: filters, key: 'filters' });
    }
    if (className in SEPARABLE_RANK) {
      const filters = this.size(name, config, 'filters');
      const multiplier = this.size(name, config, 'depth_multiplier', 1);
      const depthwise = this.kernel(name, config, SEPARABLE_RANK[className]) * input * multiplier;
      return this.add(name, className, { count: depthwise + input * multiplier * filters + bias(filters), channels: filters, key: 'filters' });
    }
    if (className === 'DepthwiseConv2D') {
      const multiplier = this.size(name, config, 'depth_multiplier', 1);
      const out = input * multiplier;
      return this.add(name, className, { count: this.kernel(name, config, 2) * out + bias(out), channels: out, key: 'depth_multiplier' });
    }
    if (className === 'Dense') {
      const units = this.size(name, config, 'units');
      return this.add(name, className, { count: input * units + bias(units), channels: units, key: 'units' });
    }
    if (className === 'Embedding') {
      const dims = this.size(name, config, 'input_dim') * this.size(name, config, 'output_dim');
      return this.add(name, className, { count: dims, channels: config.output_dim as number, key: 'input_dim' });
    }
    if (className in RNN_GATES) {
      const units = this.size(name, config, 'units');
      return this.add(name, className, { count: RNN_GATES[className] * units * (input + units), channels: units, key: 'units' });
    }
    if (className === 'BatchNormalization') {
      // gamma and beta may be switched off; the moving mean and variance never are. On another
      // axis than the channels (the notebook's axis 1: image rows) the size is unknown here.
      const onChannels = config.axis === undefined || config.axis === -1 || (Array.isArray(config.axis) && config.axis.length === 1 && config.axis[0] === -1);
      return this.add(name, className, { count: onChannels ? 2 * input : 0, channels: input });
    }
    if (className === 'InputLayer') {
      const shape = config.batch_input_shape ?? config.batchInputShape;
      const last = Array.isArray(shape) ? shape[shape.length - 1] : undefined;
      return Number.isSafeInteger(last) && (last as number) > 0 ? (last as number) : 1;
    }
    if (className === 'Concatenate' && (config.axis === undefined || config.axis === -1)) return inChannels.reduce((a, b) => a + b, 0) || 1;
    if (className === 'TimeDistributed' || className === 'Bidirectional') {
      const inner = config.layer as LayerJson | undefined;
      if (!inner || typeof inner !== 'object') return input;
      const before = this.count;
      const out = this.layer(inner, [input]);
      if (className === 'Bidirectional') this.count += this.count - before;
      return out;
    }
    if (MERGE_MAX.has(className)) return input;
    // Batch-norm-like, pooling, activation, padding, dropout, flatten (at least the channels), custom...
    return input;
  }

  /** A functional model or Sequential: walks its layers in order; returns its output channels. */
  model(json: LayerJson): number {
    const config = json.config as { layers?: unknown; output_layers?: unknown } | unknown[];
    const layers = (Array.isArray(config) ? config : config.layers) as LayerJson[];
    if (!Array.isArray(layers)) return 1;
    const sequential = json.class_name === 'Sequential' || Array.isArray(config);
    const channels = new Map<string, number>();
    let previous: number | undefined;
    let lastName: string | undefined;
    for (const layer of layers) {
      if (!layer || typeof layer !== 'object') continue;
      const inputs = sequential ? (previous === undefined ? [] : [previous]) : inboundChannels(layer.inbound_nodes, channels);
      const shape = (layer.config as Record<string, unknown> | undefined)?.batch_input_shape;
      const first = sequential && previous === undefined && Array.isArray(shape) ? [Number(shape[shape.length - 1]) || 1] : inputs;
      previous = this.layer(layer, first);
      lastName = String(layer.name ?? (layer.config as Record<string, unknown> | undefined)?.name ?? '');
      channels.set(lastName, previous);
    }
    const outputs = Array.isArray(config) ? undefined : (config.output_layers as unknown[][] | undefined);
    const outName = outputs?.[0]?.[0];
    return (typeof outName === 'string' ? channels.get(outName) : undefined) ?? previous ?? 1;
  }
}

/** Channels of a layer's inputs: the layers its first inbound node names. */
function inboundChannels(nodes: unknown, channels: Map<string, number>): number[] {
  const first = Array.isArray(nodes) ? nodes[0] : undefined;
  if (!Array.isArray(first)) return [];
  return first.map((entry) => (Array.isArray(entry) && typeof entry[0] === 'string' ? channels.get(entry[0]) ?? 1 : 1));
}

/** The lower bound on the weights `topology` creates (see the file comment). */
export function topologyWeights(topology: unknown, label: string): TopologyWeights {
  const root = (topology as { model_config?: unknown } | null)?.model_config ?? topology;
  const walker = new Walker(label);
  if (root && typeof root === 'object') walker.layer(root as LayerJson, []);
  return { count: walker.count, ...(walker.largest ? { largest: walker.largest } : {}) };
}

/**
 * Refuses a topology whose layers need more float32 weights than `maxWeightBytes` allows, or more
 * than the manifest holds (`manifestElements`), naming the layer and the config key that sized it.
 */
export function assertTopologyWeights(topology: unknown, manifestElements: number, label: string, maxWeightBytes: number): void {
  const { count, largest } = topologyWeights(topology, label);
  const culprit = largest
    ? `; layer ${JSON.stringify(largest.layer)} (${largest.className}) alone needs ${largest.count} from its "${largest.key}"`
    : '';
  if (count * 4 > maxWeightBytes) {
    throw new Error(`${label}: the topology needs at least ${count} float32 weights (${count * 4} bytes)${culprit}, over the ${maxWeightBytes}-byte limit (maxWeightBytes); refusing to build it`);
  }
  if (count > manifestElements) {
    throw new Error(`${label}: the topology needs at least ${count} weights${culprit}, but "weightsManifest" holds only ${manifestElements}; the model.json does not match its weights`);
  }
}
