import { loadCpu } from './cpu';
import { BackendUnavailableError } from './errors';
import { loadTensorflow } from './tensorflow';
import { AUTO_ORDER, type BackendChoice, type BackendName, type BackendOptions, type BackendReport, type LoadedBackend, type SkippedBackend } from './types';
import { loadWasm } from './wasm';

const LOADERS: Record<BackendName, (options: BackendOptions) => Promise<LoadedBackend>> = {
  'tensorflow-gpu': (options) => loadTensorflow('tensorflow-gpu', options),
  tensorflow: (options) => loadTensorflow('tensorflow', options),
  wasm: loadWasm,
  cpu: loadCpu,
};

/**
 * Makes `requested` the active tfjs backend. A concrete backend that cannot load throws
 * {@link BackendUnavailableError} (never a silent fallback); `auto` takes the first of
 * {@link AUTO_ORDER} that loads and records why it passed over the others.
 */
export async function selectBackend(requested: BackendChoice, options: BackendOptions = {}): Promise<BackendReport> {
  if (requested !== 'auto') {
    const loaded = await LOADERS[requested](options);
    return { ...loaded, requested, backend: requested, skipped: [] };
  }
  const skipped: SkippedBackend[] = [];
  for (const backend of AUTO_ORDER) {
    try {
      const loaded = await LOADERS[backend](options);
      return { ...loaded, requested, backend, skipped };
    } catch (error) {
      // Only "cannot run here" moves on to the next backend; anything else is a real error.
      if (!(error instanceof BackendUnavailableError)) throw error;
      skipped.push({ backend, reason: error.reason, installHint: error.installHint });
    }
  }
  throw new Error(`no tfjs backend could start: ${skipped.map(describeSkip).join('; ')}`);
}

/**
 * The one stderr line `auto` owes the user when it passed over a faster backend, or undefined
 * when it got the best one.
 */
export function fallbackNotice(report: BackendReport): string | undefined {
  if (report.skipped.length === 0) return undefined;
  const hint = report.skipped.find((skip) => skip.backend === 'tensorflow')?.installHint ?? report.skipped[0].installHint;
  const advice = hint ? `; for the native backend: ${hint}` : '';
  return `resnet: using the ${report.backend} backend; skipped ${report.skipped.map(describeSkip).join(', ')}${advice}`;
}

function describeSkip(skip: SkippedBackend): string {
  return `${skip.backend} (${skip.reason})`;
}
