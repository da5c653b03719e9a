import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCliJson } from './run-cli';

const work = mkdtempSync(path.join(tmpdir(), 'resnet-train-seed-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

// Two augmented steps of resnet18 at 32x32 on one wasm thread (deterministic like the cpu backend,
// which needs 25-90 s of CPU for the same run; wasm about 5 s).
const tiny = ['--model', 'resnet18', '--input-size', '32', '--epochs', '1', '--steps-per-epoch', '2', '--batch-size', '4',
  '--synthetic-train', '16', '--synthetic-val', '8', '--precise-bn', '0', '--augment'];

/** Trains a tiny run with `seed` and returns the bytes of its final model's weight shards, in manifest order. */
function trainedWeights(seed: number, name: string): Buffer {
  const out = path.join(work, name);
  runCliJson(['--backend', 'wasm', '--threads', '1', 'train', ...tiny, '--seed', String(seed), '--out', out, '--json']);
  const modelDir = path.join(out, 'model');
  const manifest = JSON.parse(readFileSync(path.join(modelDir, 'model.json'), 'utf8')) as { weightsManifest: { paths: string[] }[] };
  return Buffer.concat(manifest.weightsManifest.flatMap((group) => group.paths).map((shard) => readFileSync(path.join(modelDir, shard))));
}

describe('resnet train --seed', () => {
  it('writes bit-identical final weights for the same seed, and other weights for another seed', () => {
    const first = trainedWeights(3, 'seed3-a');
    const again = trainedWeights(3, 'seed3-b');
    expect(first.length).toBeGreaterThan(0);
    expect(again.equals(first)).toBe(true);
    const other = trainedWeights(4, 'seed4');
    expect(other.length).toBe(first.length);
    expect(other.equals(first)).toBe(false);
  });
});
