/**
 * "Start from": the pretrained model a run starts from, loaded from a URL or from files the user
 * picks: a tfjs folder (model.json + .bin shards, its own architecture and model card), or Keras
 * .h5 / torchvision-timm .safetensors weights loaded into the form's architecture (the zoo's
 * loaders, as the CLI's `--weights`). Its backbone computes the features the head trains on; a
 * run's classifier is a copy of it with a new head for the user's classes.
 */
import type { NormalizationPreset } from '@resnet-ts/data';
import { splitAtHead, startingNormalization } from '@resnet-ts/trainer';
import { createModel, loadModelWeights, modelCardFor, type ModelCard, type LoadKerasWeightsResult } from '@resnet-ts/zoo';
import { safeHttpIO } from '@resnet-ts/zoo/browser';
import * as tf from '@tensorflow/tfjs';
import { loadFromFiles, type LoadedModel } from '../storage/model-storage';
import { adoptLoadedModel } from '../views/storage-view';
import { describeError } from '../ui/notices';

export type StartSource = { kind: 'url'; url: string } | { kind: 'files'; files: File[] };

export interface PretrainedStart {
  /** The URL or file names, for messages. */
  label: string;
  kind: 'tfjs' | 'keras-h5' | 'safetensors';
  /** The loaded model with its original head; owned by the start (see `disposeStart`). */
  model: tf.LayersModel;
  /** `model` up to its pooled features (shares its layers). */
  backbone: tf.LayersModel;
  /** Name of the first layer of `model`'s head (the classifier a run replaces). */
  headLayer: string;
  architecture: string;
  inputSize: number;
  normalization: NormalizationPreset;
  /** A tfjs start's model card (as read: what it lacked is assumed, see `readModelCard`). */
  card?: ModelCard;
  /** One line: what was loaded, what was left out (the head) and which normalization. */
  report: string;
}

export interface StartFormModel {
  /** The registry architecture that .h5 / .safetensors weights are loaded into. */
  architecture: string;
  inputSize: number;
}

const WEIGHT_FILE = /\.(h5|hdf5|safetensors)$/i;

function weightKind(name: string): 'keras-h5' | 'safetensors' {
  return /\.safetensors$/i.test(name) ? 'safetensors' : 'keras-h5';
}

/** Loads the start; errors name the URL or file and say what to pick instead. */
export async function loadStart(source: StartSource, form: StartFormModel): Promise<PretrainedStart> {
  const label = source.kind === 'url' ? source.url : source.files.map((f) => f.name).join(', ');
  try {
    if (source.kind === 'url') {
      const url = new URL(source.url, location.href);
      if (WEIGHT_FILE.test(url.pathname)) return await weightsStart(url.href, label, weightKind(url.pathname), form);
      const modelJson = url.pathname.endsWith('.json') ? url.href : `${url.href.replace(/\/$/, '')}/model.json`;
      return tfjsStart({ model: await tf.loadLayersModel(safeHttpIO(modelJson)) }, label);
    }
    const weights = source.files.filter((f) => WEIGHT_FILE.test(f.name));
    if (weights.length > 1) throw new Error('pick one .h5 or .safetensors file (or a model.json with its .bin files).');
    if (weights.length === 1) return await weightsStart(new Uint8Array(await weights[0].arrayBuffer()), label, weightKind(weights[0].name), form);
    return tfjsStart(await loadFromFiles(source.files), label);
  } catch (error) {
    const message = describeError(error);
    // The model loaders already name the URL or file; say it once.
    throw new Error(message.startsWith(label) ? `Start from ${message}` : `Start from ${label}: ${message}`);
  }
}

/** A tfjs model: its own architecture, input size and (from its card) normalization. */
function tfjsStart(loaded: LoadedModel, label: string): PretrainedStart {
  const { entry, notice } = adoptLoadedModel(loaded, label);
  const hasCard = !notice;
  let headLayer: string | undefined;
  try {
    const split = splitAtHead(entry.model);
    const { backbone, featureSize } = split;
    headLayer = split.headLayer;
    const { normalization, reason } = startingNormalization(
      { spec: label, kind: 'tfjs', path: label, ...(hasCard ? { card: entry.card } : {}) },
      { model: entry.architecture, fallback: entry.normalization },
    );
    const report =
      `Loaded ${entry.architecture} (${entry.inputSize}×${entry.inputSize}, ${entry.model.layers.length} layers) from ${label}; ` +
      `its head "${headLayer}" (${entry.classNames.length} classes) is replaced by one for your classes, on ${featureSize} features; normalization ${normalization} from ${reason}. ` +
      'Its architecture and input size are used, whatever the Model fields say.';
    return {
      label,
      kind: 'tfjs',
      model: entry.model,
      backbone,
      headLayer,
      architecture: entry.architecture,
      inputSize: entry.inputSize,
      normalization,
      card: entry.card,
      report: notice ? `${report} It has ${notice}.` : report,
    };
  } catch (error) {
    disposeWithHead(entry.model, headLayer);
    throw error;
  }
}

/** Keras .h5 or .safetensors weights loaded into the form's architecture; only the head may be left out. */
async function weightsStart(source: string | Uint8Array, label: string, kind: 'keras-h5' | 'safetensors', form: StartFormModel): Promise<PretrainedStart> {
  const { architecture, inputSize } = form;
  // Two classes: the head is replaced for each run, so its size here does not matter.
  const model = createModel(architecture, { inputShape: [inputSize, inputSize, 3], classes: 2 });
  let headLayer: string | undefined;
  try {
    const result = await loadModelWeights(model, source, { skipMismatch: true });
    const split = splitAtHead(model);
    const backbone = split.backbone;
    headLayer = split.headLayer;
    assertOnlyHeadSkipped(result, headLayer, architecture);
    const { normalization, reason } = startingNormalization({ spec: label, kind, path: label }, { model: architecture, fallback: 'unit' });
    const report =
      `Loaded ${kind === 'keras-h5' ? 'Keras' : 'safetensors'} weights from ${label} into ${architecture} (${inputSize}×${inputSize}): ` +
      `${result.loaded.length} layers loaded, ${result.skipped.length > 0 ? `skipped ${result.skipped.map((s) => s.layer).join(', ')} (the head, new for your classes)` : 'nothing skipped'}` +
      `${result.unusedFileLayers.length > 0 ? `, unused in the file: ${result.unusedFileLayers.join(', ')}` : ''}; normalization ${normalization} from ${reason}.`;
    return { label, kind, model, backbone, headLayer, architecture, inputSize, normalization, report };
  } catch (error) {
    disposeWithHead(model, headLayer);
    throw error;
  }
}

/** A skipped backbone layer means the file is for another network: refuse it, naming the layer. */
function assertOnlyHeadSkipped(result: LoadKerasWeightsResult, headLayer: string, architecture: string): void {
  const backboneSkips = result.skipped.filter((s) => s.layer !== headLayer);
  if (backboneSkips.length > 0) {
    const first = backboneSkips[0];
    throw new Error(
      `layer ${first.layer}${first.fileLayer ? ` (file layer ${first.fileLayer})` : ''}: ${first.reason}; ` +
        `${backboneSkips.length} backbone layer${backboneSkips.length === 1 ? '' : 's'} of ${architecture} did not load. Pick the architecture the weights were made for, or another file.`,
    );
  }
}

/**
 * A fresh classifier for `classNames`: a copy of the start's backbone (its own weights, so
 * training or disposing it leaves the start as it is) with a new softmax head, initialised from
 * `seed` (the recipe's model seed), so that two runs from one start begin identical.
 */
export async function classifierFromStart(start: PretrainedStart, classNames: readonly string[], { seed }: { seed: number }): Promise<{ model: tf.LayersModel; card: ModelCard }> {
  let artifacts: tf.io.ModelArtifacts | undefined;
  await start.model.save(
    tf.io.withSaveHandler(async (saved) => {
      artifacts = saved;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  const copy = await tf.loadLayersModel(tf.io.fromMemory(artifacts!));
  const headStart = copy.layers.findIndex((l) => l.name === start.headLayer);
  const features = copy.layers[headStart].input as tf.SymbolicTensor;
  // The copy's old head is not part of the classifier: free its weights now.
  copy.layers.slice(headStart).forEach((layer) => layer.dispose());
  // Keras's glorot_uniform, seeded (a uniform draw takes any seed, 0 included).
  const kernelInitializer = tf.initializers.glorotUniform({ seed });
  const predictions = tf.layers.dense({ units: classNames.length, activation: 'softmax', name: 'predictions', kernelInitializer });
  const model = tf.model({ inputs: copy.inputs, outputs: predictions.apply(features) as tf.SymbolicTensor, name: copy.name });
  const card = cardFor(start, classNames);
  return { model, card };
}

function cardFor(start: PretrainedStart, classNames: readonly string[]): ModelCard {
  const preprocessing = { normalization: start.normalization };
  if (start.card) {
    const { options: _options, ...architecture } = start.card.architecture;
    return { ...start.card, architecture, classNames: [...classNames], preprocessing: { ...start.card.preprocessing, ...preprocessing }, weights: { source: 'trained' } };
  }
  // Weights files load into a registry architecture.
  const options = { inputShape: [start.inputSize, start.inputSize, 3] as [number, number, number], classes: classNames.length };
  return modelCardFor(start.architecture, options, { classNames, preprocessing, weights: { source: 'trained' } });
}

/** The name prefix of the model's last residual stage (`conv5_` for a ResNet), for fine-tuning it. */
export function lastStagePrefix(model: tf.LayersModel): string {
  const stages = model.layers.map((l) => /^(conv\d+)_block/.exec(l.name)?.[1]).filter((s): s is string => s !== undefined);
  const last = stages.at(-1);
  if (!last) throw new Error(`Model "${model.name}" has no layers named conv<N>_block…: the last stage to fine-tune is unknown; untick "Fine-tune the last stage".`);
  return `${last}_`;
}

export function disposeStart(start: PretrainedStart | undefined): void {
  if (start) disposeWithHead(start.model, start.headLayer);
}

/**
 * Disposes a model that `splitAtHead` cut: tfjs counts each symbolic call of a layer, and the split
 * called the head layers once more (on the features input), so `model.dispose()` alone leaves
 * their weights allocated.
 */
function disposeWithHead(model: tf.LayersModel, headLayer: string | undefined): void {
  model.dispose();
  if (headLayer === undefined) return;
  const start = model.layers.findIndex((l) => l.name === headLayer);
  model.layers.slice(start).forEach((layer) => layer.dispose());
}
