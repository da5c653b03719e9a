import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import h5wasm, { type Dataset } from 'h5wasm';

/** `../shared/fixtures/keras` relative to the repository root. */
export const KERAS_FIXTURES = resolve(dirname(fileURLToPath(import.meta.url)), '../../../../shared/fixtures/keras');

export const haveKerasFixtures = existsSync(join(KERAS_FIXTURES, 'HappyModel.h5'));

if (!haveKerasFixtures) {
  console.warn(`SKIPPING Keras fixture tests: ${KERAS_FIXTURES} is absent (needs ../shared beside the repository)`);
}

export const fixture = (name: string) => join(KERAS_FIXTURES, name);

/** Reads one dataset straight through h5wasm, independently of the code under test. */
export async function readDatasetDirectly(file: string, path: string): Promise<{ shape: number[]; values: Float32Array }> {
  const { FS } = await h5wasm.ready;
  const scratch = `/fixture-check-${Math.random().toString(36).slice(2)}.h5`;
  FS.writeFile(scratch, new Uint8Array(readFileSync(file)));
  const h5 = new h5wasm.File(scratch, 'r');
  try {
    const dataset = h5.get(path) as Dataset;
    return { shape: dataset.shape!.map(Number), values: dataset.value as Float32Array };
  } finally {
    h5.close();
    FS.unlink(scratch);
  }
}

/** Row-major flat index of a position in a tensor of `shape`. */
export function flatIndex(shape: number[], position: number[]): number {
  return position.reduce((acc, p, i) => acc * shape[i] + p, 0);
}
