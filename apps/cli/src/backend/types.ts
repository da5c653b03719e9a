/** Values accepted by `--backend` and `RESNET_BACKEND`. */
export const BACKEND_CHOICES = ['auto', 'tensorflow-gpu', 'tensorflow', 'wasm', 'cpu'] as const;

/** What the user asked for: a concrete backend, or `auto` (the best one that loads). */
export type BackendChoice = (typeof BACKEND_CHOICES)[number];

/** A backend the CLI can run on. */
export type BackendName = Exclude<BackendChoice, 'auto'>;

/** The order `auto` tries backends in: fastest first. */
export const AUTO_ORDER: readonly BackendName[] = ['tensorflow-gpu', 'tensorflow', 'wasm', 'cpu'];

export interface BackendOptions {
  /** Worker threads for wasm, intra-op threads for the TensorFlow backends; their default when unset. */
  threads?: number;
}

/** What a loaded backend says about itself. */
export interface LoadedBackend {
  /** The name tfjs knows it by (`tf.getBackend()`): `tensorflow`, `wasm` or `cpu`. */
  tfjsBackend: string;
  /** Whether wasm SIMD is in use; null where it does not apply. */
  simd: boolean | null;
  /** Threads the backend computes with; null where tfjs cannot tell. */
  threads: number | null;
  /** Whether the backend has the gradient kernels that training convolutions needs. */
  canTrain: boolean;
  /** Things worth knowing about this backend (an option it ignored, a fallback it took). */
  notes: string[];
}

/** A backend `auto` tried and passed over, and why. */
export interface SkippedBackend {
  backend: BackendName;
  reason: string;
  /** The command that would make it available, when there is one. */
  installHint?: string;
}

/** The outcome of backend selection, as `resnet info` reports it. */
export interface BackendReport extends LoadedBackend {
  requested: BackendChoice;
  backend: BackendName;
  skipped: SkippedBackend[];
}
