import { describe, expect, it } from 'vitest';
import type { ModelSummary } from '@resnet-ts/zoo';
import type { ModelListing } from '../src/commands/models';
import { runCli, runCliJson } from './run-cli';

// The cpu backend keeps these runs independent of the wasm build and prints nothing on stderr.
const cpu = ['--backend', 'cpu'];

describe('resnet models', () => {
  it('lists the registry with parameter counts and default input sizes', () => {
    const { value } = runCliJson<ModelListing[]>([...cpu, 'models', '--json']);
    expect(value.map((model) => model.name)).toEqual([
      'resnet18',
      'resnet34',
      'resnet50',
      'resnet101',
      'resnet152',
      'resnet50v2',
      'resnet101v2',
      'resnet152v2',
      'resnet18.tv_in1k',
      'resnet34.tv_in1k',
      'resnet50.tv_in1k',
      'resnet101.tv_in1k',
      'resnet152.tv_in1k',
      'resnet50.tv2_in1k',
      'resnet101.tv2_in1k',
      'resnet152.tv2_in1k',
    ]);
    expect(value.find((model) => model.name === 'resnet50.tv_in1k')).toMatchObject({ params: 25_610_152, preprocessing: 'torch' });
    const resnet50 = value.find((model) => model.name === 'resnet50');
    expect(resnet50).toMatchObject({ params: 25_636_712, inputSize: [224, 224, 3], classes: 1000 });
    expect(value.find((model) => model.name === 'resnet152v2')?.params).toBe(60_380_648);
  });

  it('filters by a wildcard pattern and prints a table', () => {
    const result = runCli([...cpu, 'models', '*50*']);
    expect(result.code).toBe(0);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(6); // header, rule, resnet50, resnet50v2, resnet50.tv_in1k, resnet50.tv2_in1k
    expect(lines[2]).toMatch(/^resnet50\s+25,636,712\s+224x224x3\s+1000/);
  });

  it('fails in one line, listing the models, when the pattern matches none', () => {
    const result = runCli([...cpu, 'models', 'vgg*']);
    expect(result.code).toBe(1);
    expect(result.stderr.trimEnd().split('\n')).toEqual([expect.stringMatching(/no model matches "vgg\*"; available: resnet18, /)]);
  });
});

describe('resnet summary', () => {
  it('counts 23,608,202 parameters for resnet50 at 64x64 with 10 classes (--json)', () => {
    const { value } = runCliJson<ModelSummary>([...cpu, 'summary', 'resnet50', '--input-size', '64', '--classes', '10', '--json']);
    expect(value.totalParams).toBe(23_608_202);
    expect(value.trainableParams + value.nonTrainableParams).toBe(23_608_202);
    expect(value.rows[0].name).toBe('input_1');
    expect(value.rows.at(-1)).toMatchObject({ name: 'predictions', outputShape: [null, 10], params: 20_490 });
  });

  it('prints a Keras-style table with the totals', () => {
    const result = runCli([...cpu, 'summary', 'resnet50', '--input-size', '64', '--classes', '10']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('conv2_block1_1_conv (Conv2D)');
    expect(result.stdout).toContain('Total params: 23,608,202');
  });

  it('builds the headless variant with --no-top and --pooling', () => {
    const { value } = runCliJson<ModelSummary>([
      ...cpu,
      'summary',
      'resnet18',
      '--input-size',
      '32',
      '--no-top',
      '--pooling',
      'max',
      '--json',
    ]);
    expect(value.rows.at(-1)).toMatchObject({ name: 'max_pool', outputShape: [null, 512] });
    expect(value.rows.some((row) => row.name === 'predictions')).toBe(false);
  });
});

describe('commands that only hold weights', () => {
  // No --backend: `auto`, which for a computing command would print its fallback line when the
  // native backend is missing (as `info` does). Listing and summarizing compute nothing.
  it('print no backend line on stderr for models and summary', () => {
    const listing = runCli(['models', 'resnet18', '--json']);
    expect({ code: listing.code, stderr: listing.stderr }).toEqual({ code: 0, stderr: '' });
    const summary = runCli(['summary', 'resnet18', '--input-size', '32', '--classes', '3', '--json']);
    expect({ code: summary.code, stderr: summary.stderr }).toEqual({ code: 0, stderr: '' });
    expect((JSON.parse(summary.stdout) as ModelSummary).totalParams).toBe(11_187_651);
  });

  it('still start a backend asked for by name: a missing one is refused, not replaced by cpu', () => {
    const missing = runCli(['--backend', 'tensorflow-gpu', 'models', 'resnet18']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('npm i @tensorflow/tfjs-node-gpu');
  });
});
