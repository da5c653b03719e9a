import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from './run-cli';

const work = mkdtempSync(path.join(tmpdir(), 'resnet-train-engine-'));
const runDir = path.join(work, 'run');
// Tiny budget: resnet18 at the smallest input, 2 steps of 4 images per epoch.
const tiny = ['--model', 'resnet18', '--input-size', '32', '--batch-size', '4', '--steps-per-epoch', '2', '--synthetic-train', '8', '--synthetic-val', '8'];
const wasm = ['--backend', 'wasm', '--threads', '1'];

afterAll(() => rmSync(work, { recursive: true, force: true }));

const cli = (args: readonly string[]) => runCli(args, {}, { cwd: work, timeoutMs: 300_000 });

describe('resnet train --engine', () => {
  it('trains on onnxruntime with --engine auto, names the engine in the start-up line, and resumes the run on tfjs', () => {
    const first = cli([...wasm, 'train', ...tiny, '--engine', 'auto', '--epochs', '1', '--out', runDir, '--json']);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stderr).toMatch(/on wasm, engine onnxruntime \(cpu, 1 thread\); run folder/);
    expect(JSON.parse(first.stdout)).toMatchObject({ steps: 2, epochs: 1, evaluation: { count: 8 } });
    // The engine is not part of the recipe: run.json records none.
    expect(JSON.stringify(JSON.parse(readFileSync(path.join(runDir, 'run.json'), 'utf8')).recipe)).not.toMatch(/engine/i);

    const resumed = cli([...wasm, 'train', '--resume', runDir, '--engine', 'tfjs', '--epochs', '2', '--json']);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stderr).toMatch(/resuming .* on wasm, engine tfjs \(wasm\)/);
    expect(JSON.parse(resumed.stdout)).toMatchObject({ steps: 4, epochs: 2 });
  });

  it('refuses flag combinations and values that cannot work, naming the flag or the file and key', () => {
    const provider = cli(['train', '--engine', 'tfjs', '--execution-provider', 'cuda']);
    expect(provider.code).toBe(2);
    expect(provider.stderr).toMatch(/--execution-provider cuda .* needs --engine onnx or auto/);
    const engine = cli(['train', '--engine', 'fast']);
    expect(engine.code).toBe(2);
    expect(engine.stderr).toMatch(/--engine <name>.*Allowed choices are auto, onnx, tfjs/);
    const file = path.join(work, 'flat.yaml');
    writeFileSync(file, 'engine: fast\nepochs: 1\n');
    const config = cli(['train', '--config', file, '--print-recipe']);
    expect(config.code).toBe(2);
    expect(config.stderr).toContain(`--config ${file}: engine: expected one of auto, onnx, tfjs, got "fast"`);
  });
});
