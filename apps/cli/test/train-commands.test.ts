import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { encodePng } from '@resnet-ts/trainer';
import type { EvaluateJson } from '../src/commands/evaluate';
import type { PredictJson } from '../src/commands/predict';
import { runCli, runCliJson } from './run-cli';

const cliRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
// The signal tests below spawn it themselves, to signal it mid-run.
const binary = path.join(cliRoot, 'dist', 'cli.js');
const work = mkdtempSync(path.join(tmpdir(), 'resnet-train-cli-'));
const runDir = path.join(work, 'run');
// Tiny budget: resnet18 at the smallest input, 2 steps per epoch of 4 images, on wasm (training kernels).
const tiny = ['--model', 'resnet18', '--input-size', '32', '--batch-size', '4', '--steps-per-epoch', '2', '--synthetic-train', '8', '--synthetic-val', '8'];
const wasm = ['--backend', 'wasm', '--threads', '1'];

afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Training on a shared 2-core machine can take a while, hence the long timeout. */
const inWork = { cwd: work, timeoutMs: 300_000 };
const cli = (args: readonly string[]) => runCli(args, {}, inWork);
const json = <T>(args: readonly string[]): T => runCliJson<T>(args, {}, inWork).value;

describe('resnet train / evaluate / predict / export', () => {
  it('trains on synthetic shapes into a run folder with checkpoints, metrics and report', () => {
    const result = json<{ runDir: string; steps: number; epochs: number; evaluation: { accuracy: number; count: number }; report: string }>([
      ...wasm, 'train', ...tiny, '--epochs', '1', '--out', runDir, '--json',
    ]);
    expect(result).toMatchObject({ runDir, steps: 2, epochs: 1, evaluation: { count: 8 } });
    for (const file of ['run.json', 'metrics.jsonl', 'history.csv', 'report.html', 'model/model.json', 'checkpoints/last/state.json']) {
      expect(existsSync(path.join(runDir, file)), file).toBe(true);
    }
    expect(readFileSync(result.report, 'utf8')).toContain('Confusion matrix');
    expect(JSON.parse(readFileSync(path.join(runDir, 'run.json'), 'utf8'))).toMatchObject({
      format: 'resnet-ts/run',
      version: 2,
      recipe: {
        model: { name: 'resnet18', zeroInitResidual: true },
        data: { kind: 'synthetic', imageSize: [32, 32], synthetic: { trainCount: 8, valCount: 8 } },
        training: { epochs: 1, batchSize: 4, maxStepsPerEpoch: 2, clipNorm: 1 },
      },
      recipeHash: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
  });

  it('resumes the run for more epochs', () => {
    const result = json<{ steps: number; epochs: number; history: unknown[] }>([...wasm, 'train', '--resume', runDir, '--epochs', '2', '--json']);
    expect(result).toMatchObject({ steps: 4, epochs: 2 });
    expect(result.history).toHaveLength(2);
  });

  it('evaluate --json prints metrics, per-class table and confusion matrix', () => {
    const result = json<EvaluateJson>([...wasm, 'evaluate', runDir, '--json']);
    expect(result).toMatchObject({ split: 'val', count: 8, data: 'synthetic' });
    expect(result.classNames).toHaveLength(6);
    expect(result.perClass.map((c) => Object.keys(c).sort())).toEqual(result.classNames.map(() => ['className', 'f1', 'precision', 'recall', 'support']));
    expect(result.confusion.flat().reduce((a, b) => a + b, 0)).toBe(8);
    expect(result.top5).toBeGreaterThanOrEqual(result.accuracy);
  });

  it("predict --json gives top-k class names with probabilities and latency, normalized as the model card says", () => {
    const pixels = new Uint8Array(40 * 40 * 3).map((_, i) => (i * 7) % 256);
    const image = path.join(work, 'image.png');
    writeFileSync(image, encodePng(pixels, 40, 40, 3));
    const predicted = cli([...wasm, 'predict', runDir, image, '--top-k', '3', '--json']);
    expect(predicted.code, predicted.stderr).toBe(0);
    expect(predicted.stderr).not.toMatch(/model card/);
    const result = JSON.parse(predicted.stdout) as PredictJson;
    expect(result.normalization).toBe('unit');
    expect(result.images).toBe(1);
    expect(result.latencyMs).toBeGreaterThan(0);
    expect(result.predictions[0].file).toBe(image);
    expect(result.predictions[0].top).toHaveLength(3);
    expect(result.predictions[0].top[0]).toEqual({ index: expect.any(Number), className: expect.any(String), probability: expect.any(Number) });
  });

  it("export writes a tfjs model folder with class names, keeping the run's model card", () => {
    const out = path.join(work, 'exported');
    const result = cli([...wasm, 'export', runDir, '--out', out]);
    expect(result.code, result.stderr).toBe(0);
    const card = JSON.parse(readFileSync(path.join(out, 'model.json'), 'utf8')).userDefinedMetadata.modelCard;
    expect(card).toEqual(JSON.parse(readFileSync(path.join(runDir, 'model', 'model.json'), 'utf8')).userDefinedMetadata.modelCard);
    expect(card).toMatchObject({
      architecture: { name: 'resnet18', options: { classes: 6, zeroInitResidual: true } },
      inputSize: [32, 32, 3],
      preprocessing: { normalization: 'unit' },
      weights: { source: 'trained' },
    });
    expect(card.classNames).toEqual(JSON.parse(readFileSync(path.join(out, 'classes.json'), 'utf8')));
  });

  it('rejects bad flags and config keys with a usage error (exit 2) naming them', () => {
    const bad = cli(['train', '--optimizer', 'adagrad']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--optimizer <name>' argument 'adagrad' is invalid/);
    const config = path.join(work, 'bad.yaml');
    writeFileSync(config, 'epochs: 1\nbatchsize: 4\n');
    const badConfig = cli(['train', '--config', config]);
    expect(badConfig.code).toBe(2);
    expect(badConfig.stderr).toMatch(/unknown setting "batchsize"/);
    const resume = cli(['train', '--resume', runDir, '--lr', '0.1']);
    expect(resume.code).toBe(2);
    expect(resume.stderr).toMatch(/only --epochs, --workers, --precise-bn, --keep-checkpoints, --engine and --execution-provider may change \(got --lr\)/);
  });

  it('SIGTERM (docker stop, systemd) saves a checkpoint and exits 143; a second run on the busy folder is refused', async () => {
    const dir = path.join(work, 'terminated');
    const start = (args: string[]) => spawn(process.execPath, [binary, ...wasm, 'train', ...tiny, ...args, '--out', dir], { cwd: work, stdio: ['ignore', 'pipe', 'pipe'] });
    const ended = (child: ReturnType<typeof start>) => {
      let stderr = '';
      child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
      return new Promise<{ code: number | null; stderr: string }>((resolve) => child.on('exit', (code) => resolve({ code, stderr })));
    };
    const first = start(['--steps-per-epoch', '50', '--synthetic-train', '200', '--epochs', '1']);
    const firstEnded = ended(first);
    let out = '';
    let second: Promise<{ code: number | null; stderr: string }> | undefined;
    first.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (second || !/epoch 1\/1 \d+\/50/.test(out)) return;
      // The first run is training: a second one on its folder is refused, then SIGTERM stops the first.
      second = ended(start([]));
      void second.then(() => first.kill('SIGTERM'));
    });
    const { code, stderr } = await firstEnded;
    const refused = await second!;
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`${dir} is in use by another training run (pid ${first.pid} `);
    expect(code).toBe(143);
    expect(stderr).toMatch(/terminated \(SIGTERM\); saving a checkpoint/);
    const state = JSON.parse(readFileSync(path.join(dir, 'checkpoints', 'last', 'state.json'), 'utf8')).state;
    expect(state.step).toBeGreaterThan(0);
    expect(existsSync(path.join(dir, 'run.lock'))).toBe(false);
  });

  it('names a run folder that cannot be created, and leaves nothing behind', () => {
    const file = path.join(work, 'in-the-way');
    writeFileSync(file, 'not a folder');
    const result = cli([...wasm, 'train', ...tiny, '--out', path.join(file, 'run')]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`${path.join(file, 'run')}: cannot create the run folder (a file is in the way`);
    expect(readFileSync(file, 'utf8')).toBe('not a folder');
  });

  it('Ctrl-C saves a mid-epoch checkpoint and exits with 130', async () => {
    const dir = path.join(work, 'interrupted');
    const child = spawn(process.execPath, [binary, ...wasm, 'train', ...tiny, '--steps-per-epoch', '50', '--synthetic-train', '200', '--epochs', '1', '--out', dir], {
      cwd: work,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (/epoch 1\/1 \d+\/50/.test(out) && !child.killed) child.kill('SIGINT');
    });
    const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
    expect(code).toBe(130);
    const state = JSON.parse(readFileSync(path.join(dir, 'checkpoints', 'last', 'state.json'), 'utf8')).state;
    expect(state.step).toBeGreaterThan(0);
    expect(state.batchInEpoch).toBe(state.step);
  });
});
