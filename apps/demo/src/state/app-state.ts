/**
 * The one piece of shared state: the current model with what is needed to use it (its class names
 * and input size). Views subscribe to changes; replacing the model disposes the previous one.
 */
import type { NormalizationPreset } from '@resnet-ts/data';
import type { ModelCard } from '@resnet-ts/zoo';
import type * as tf from '@tensorflow/tfjs';

export interface ModelEntry {
  model: tf.LayersModel;
  architecture: string;
  inputSize: number;
  classNames: string[];
  /** How pixels were scaled for training; prediction must do the same. */
  normalization: NormalizationPreset;
  /** The model card the model was loaded or built with (architecture, weights' origin...). */
  card: ModelCard;
}

/** The card to save with the entry's model: its card with the entry's current class names and normalization. */
export function entryCard(entry: ModelEntry): ModelCard {
  return { ...entry.card, classNames: [...entry.classNames], preprocessing: { ...entry.card.preprocessing, normalization: entry.normalization } };
}

type Listener = (entry: ModelEntry | undefined) => void;
type BackendListener = (backend: string) => void;

export class AppState {
  private entry: ModelEntry | undefined;
  private readonly listeners = new Set<Listener>();
  private readonly backendListeners = new Set<BackendListener>();
  /** True while training runs: the backend must not change under it. */
  busy = false;

  get current(): ModelEntry | undefined {
    return this.entry;
  }

  setModel(entry: ModelEntry | undefined): void {
    if (this.entry && this.entry.model !== entry?.model) this.entry.model.dispose();
    this.entry = entry;
    this.listeners.forEach((listener) => listener(entry));
  }

  onModelChange(listener: Listener): void {
    this.listeners.add(listener);
  }

  /** Whoever switches backend (the picker, the Train tab's "try the next backend") reports it here. */
  backendChanged(backend: string): void {
    this.backendListeners.forEach((listener) => listener(backend));
  }

  onBackendChange(listener: BackendListener): void {
    this.backendListeners.add(listener);
  }
}

/** The input size of a model, read from its input layer ([null, size, size, 3]). */
export function modelInputSize(model: tf.LayersModel): number {
  const shape = model.inputs[0].shape;
  if (shape.length !== 4 || shape[1] !== shape[2] || shape[3] !== 3 || typeof shape[1] !== 'number') {
    throw new Error(`This model takes input ${JSON.stringify(shape)}; the demo needs square RGB images [null, size, size, 3].`);
  }
  return shape[1];
}
