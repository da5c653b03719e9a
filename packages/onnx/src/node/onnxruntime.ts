import type * as Ort from 'onnxruntime-node';

export type OnnxRuntime = typeof Ort;

/** onnxruntime-node is an optional peer: this error says how to get it. */
export class OnnxRuntimeUnavailableError extends Error {
  override readonly name = 'OnnxRuntimeUnavailableError';
}

let loading: Promise<OnnxRuntime> | undefined;

/** Loads onnxruntime-node once; throws OnnxRuntimeUnavailableError when it is not installed. */
export function loadOnnxRuntime(): Promise<OnnxRuntime> {
  loading ??= import('onnxruntime-node').then(
    (module) => ((module as { default?: OnnxRuntime }).default ?? module) as OnnxRuntime,
    (cause: unknown) => {
      loading = undefined;
      throw new OnnxRuntimeUnavailableError(
        `onnxruntime-node could not be loaded (${cause instanceof Error ? cause.message : String(cause)}). ` +
          'Install it with `npm install onnxruntime-node@1.30.0` (`ONNXRUNTIME_NODE_INSTALL=skip` in the environment skips its CUDA download), or use the tfjs engine.',
        { cause },
      );
    },
  );
  return loading;
}

/** Whether onnxruntime-node can be loaded here (what `--engine auto` asks). */
export async function isOnnxRuntimeAvailable(): Promise<boolean> {
  try {
    await loadOnnxRuntime();
    return true;
  } catch {
    return false;
  }
}
