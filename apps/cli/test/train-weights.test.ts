// `resnet train --weights`: fine-tuning from a Keras .h5, a tfjs model folder or a run folder.
import * as tf from '@tensorflow/tfjs';
import { createModel, readModelCard, saveKerasWeights } from '@resnet-ts/zoo';
import { fileIO } from '@resnet-ts/zoo/node';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, runCliOk } from './run-cli';

const work = mkdtempSync(path.join(tmpdir(), 'resnet-train-weights-'));
const pretrained = path.join(work, 'pretrained');
// Tiny budget: resnet18 at the smallest input, one step of 4 images, on wasm (training kernels).
const tiny = ['--model', 'resnet18', '--input-size', '32', '--batch-size', '4', '--steps-per-epoch', '1', '--epochs', '1'];
const wasm = ['--backend', 'wasm', '--threads', '1'];
/** Four synthetic classes instead of the pretrained run's six: the head does not fit. */
const fourClasses = path.join(work, 'four-classes.json');

afterAll(() => rmSync(work, { recursive: true, force: true }));

const inWork = { cwd: work, timeoutMs: 300_000 };
const cli = (args: readonly string[]) => runCli(args, {}, inWork);
const ok = (args: readonly string[]) => runCliOk(args, {}, inWork);

const runJson = (run: string) => JSON.parse(readFileSync(path.join(run, 'run.json'), 'utf8'));
const printedRecipe = (args: readonly string[]) => JSON.parse(ok(['train', ...tiny, ...args, '--print-recipe']).stdout);

async function weightsByName(folder: string): Promise<Map<string, Float32Array>> {
  const model = await tf.loadLayersModel(fileIO(folder));
  const weights = new Map(model.weights.map((w) => [w.originalName, w.read().dataSync() as Float32Array]));
  model.dispose();
  return weights;
}

beforeAll(async () => {
  await tf.setBackend('cpu');
  writeFileSync(fourClasses, JSON.stringify({ data: { kind: 'synthetic', synthetic: { classes: 4, trainCount: 4, valCount: 4 } } }));
  ok([...wasm, 'train', ...tiny, '--synthetic-train', '4', '--synthetic-val', '4', '--out', pretrained]);
}, 300_000);

describe('resnet train --weights', () => {
  it('fine-tunes a run folder\'s model with a new head and a frozen backbone that stays bit-identical', async () => {
    const out = path.join(work, 'tuned');
    const result = ok([...wasm, 'train', ...tiny, '--config', fourClasses, '--weights', 'pretrained', '--skip-mismatch', '--freeze-backbone', '--verbose', '--out', out]);
    expect(result.stderr).toMatch(
      new RegExp(`resnet: starting weights ${path.join(pretrained, 'model')} \\(run\\): \\d+ layers loaded, skipped predictions \\(left at their initial weights\\); normalization unit from the starting weights \\(model card of`),
    );
    expect(result.stderr).toMatch(/resnet: {3}skipped predictions \(file layer predictions\): expected kernel \[512,4\], file has \[512,6\]/);
    const start = { spec: pretrained, kind: 'run', path: path.join(pretrained, 'model'), sha256: expect.stringMatching(/^[0-9a-f]{64}$/), bytes: expect.any(Number), skipped: ['predictions'] };
    expect(runJson(out)).toMatchObject({ recipe: { model: { weights: pretrained, skipMismatch: true }, data: { normalization: 'unit' } }, startingWeights: start });
    const card = readModelCard(JSON.parse(readFileSync(path.join(out, 'model', 'model.json'), 'utf8'))).card;
    // The card also lists the folder's shard checksums (`shards`), which describe the files, not where the weights came from.
    const { shards: _shards, ...weights } = card.weights;
    expect(weights).toEqual({ source: 'trained', start });

    const before = await weightsByName(path.join(pretrained, 'model'));
    const after = await weightsByName(path.join(out, 'model'));
    let compared = 0;
    for (const [name, values] of after) {
      if (name.startsWith('predictions/')) continue;
      expect(Buffer.from(values.buffer).equals(Buffer.from(before.get(name)!.buffer)), name).toBe(true);
      compared += 1;
    }
    expect(compared).toBe(after.size - 2); // all but the head's kernel and bias
  });

  it('refuses a head that does not fit without --skip-mismatch, naming the layer, and leaves no run folder', () => {
    const out = path.join(work, 'refused');
    const result = cli([...wasm, 'train', ...tiny, '--config', fourClasses, '--weights', 'pretrained', '--out', out]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/--weights .*pretrained: Layer predictions: expected kernel \[512,4\], file has \[512,6\] \(skipMismatch \/ --skip-mismatch to ignore\)/);
    expect(existsSync(out)).toBe(false);
  });

  it('names the path and the flag when the weights do not exist', () => {
    const result = cli(['train', ...tiny, '--weights', 'missing.h5']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`--weights (model.weights): ${path.join(work, 'missing.h5')}: no such file or folder (expected a Keras .h5 or .safetensors file`);
  });

  // Training from a Keras .h5 (loaded, head skipped, into run.json and the card) is in round-trip.test.ts.
  it('takes a Keras .h5\'s normalization from the variant\'s registry, since it has no card', async () => {
    const file = path.join(work, 'resnet18.h5');
    const model = createModel('resnet18', { inputShape: [32, 32, 3], classes: 6, seed: 7 });
    await saveKerasWeights(model, file);
    model.dispose();
    expect(printedRecipe(['--weights', file]).data.normalization).toBe('torch');
    expect(printedRecipe(['--weights', file, '--normalization', 'unit']).data.normalization).toBe('unit');
  });

  it('loads an exported tfjs model folder and keeps its normalization: asking for another is refused', () => {
    const exported = path.join(work, 'exported');
    ok(['export', 'pretrained', '--out', exported]);
    const refused = cli(['train', ...tiny, '--weights', exported, '--normalization', 'caffe']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/--normalization \(data\.normalization\): normalization "caffe" is not the "unit" that the starting weights \(model card of .*exported\) expect/);
    const out = path.join(work, 'from-tfjs');
    const result = ok([...wasm, 'train', ...tiny, '--synthetic-train', '4', '--synthetic-val', '4', '--weights', path.join(exported, 'model.json'), '--out', out]);
    expect(result.stderr).toMatch(/starting weights .*exported.model\.json \(tfjs\): \d+ layers loaded, nothing skipped/);
    expect(runJson(out).startingWeights).toMatchObject({ kind: 'tfjs', skipped: [] });
  });

  it('puts --unfreeze-from, --unfreeze-epoch and --backbone-lr-scale in the recipe, and checks them', () => {
    const recipe = printedRecipe(['--weights', 'pretrained', '--freeze-backbone', '--unfreeze-from', 'conv5_', '--unfreeze-epoch', '1', '--backbone-lr-scale', '0.1']);
    expect(recipe.training.transfer).toEqual({ freezeBackbone: true, unfreezeFrom: 'conv5_', unfreezeEpoch: 1, backboneLrScale: 0.1 });
    const refused = cli(['train', ...tiny, '--unfreeze-from', 'conv5_', '--unfreeze-epoch', '1', '--print-recipe']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/--unfreeze-epoch \(training\.transfer\.unfreezeEpoch\): before epoch 1 every layer would train/);
    expect(cli(['train', ...tiny, '--skip-mismatch', '--print-recipe']).stderr).toMatch(/--skip-mismatch \(model\.skipMismatch\): needs starting weights \(--weights\)/);
    // The run's model card says resnet18: another architecture (the default resnet50 when --model is left out) is refused.
    const other = cli(['train', ...tiny, '--model', 'resnet34', '--weights', 'pretrained', '--skip-mismatch', '--print-recipe']);
    expect(other.code).toBe(2);
    expect(other.stderr).toMatch(/--model \(model\.name\): the starting weights .*pretrained are a resnet18 \(their model card\), not a resnet34: add --model resnet18/);
  });
});
