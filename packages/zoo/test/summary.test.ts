import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createModel, formatSummary, summarizeModel, type ModelSummary } from '../src/index';

describe('model summary', () => {
  let summary: ModelSummary;
  let before = 0;
  beforeAll(() => {
    before = tf.memory().numTensors;
    const model = createModel('resnet50', { inputShape: [64, 64, 3], classes: 10 });
    summary = summarizeModel(model);
    model.dispose();
  });
  afterAll(() => {
    expect(tf.memory().numTensors).toBe(before);
  });

  it('counts parameters as Keras does', () => {
    expect(summary.name).toBe('resnet50');
    expect(summary.totalParams).toBe(23_608_202);
    expect(summary.nonTrainableParams).toBe(53_120);
    expect(summary.trainableParams).toBe(23_608_202 - 53_120);
    expect(summary.rows.reduce((n, row) => n + row.params, 0)).toBe(summary.totalParams);
  });

  it('has one row per layer with class, shape and inbound layers', () => {
    expect(summary.rows).toHaveLength(177);
    expect(summary.rows[0]).toEqual({ name: 'input_1', className: 'InputLayer', outputShape: [null, 64, 64, 3], params: 0, inbound: [] });
    const add = summary.rows.find((row) => row.name === 'conv2_block1_add');
    expect(add).toEqual({
      name: 'conv2_block1_add',
      className: 'Add',
      outputShape: [null, 16, 16, 256],
      params: 0,
      inbound: ['conv2_block1_0_bn', 'conv2_block1_3_bn'],
    });
    expect(summary.rows.find((row) => row.name === 'predictions')).toMatchObject({ className: 'Dense', outputShape: [null, 10], params: 20_490 });
  });

  it('is plain JSON', () => {
    expect(JSON.parse(JSON.stringify(summary))).toEqual(summary);
  });

  it('formats a Keras-like table with totals', () => {
    const text = formatSummary(summary);
    const lines = text.split('\n');
    expect(lines[0]).toBe('Model: "resnet50"');
    expect(lines[2]).toMatch(/^Layer \(type\)\s+Output Shape\s+Param #\s+Connected to$/);
    expect(lines.every((line) => line.length <= 98)).toBe(true);
    expect(text).toContain('conv1_conv (Conv2D)');
    expect(text).toMatch(/predictions \(Dense\)\s+\(None, 10\)\s+20490\s+avg_pool/);
    expect(lines.slice(-4)).toEqual([
      'Total params: 23,608,202',
      'Trainable params: 23,555,082',
      'Non-trainable params: 53,120',
      '_'.repeat(98),
    ]);
  });

  it('wraps long cells to fit a narrow width', () => {
    const lines = formatSummary(summary, { width: 60 }).split('\n');
    expect(lines.every((line) => line.length <= 60)).toBe(true);
    // `conv2_block1_0_bn (BatchNormalization)` does not fit 19 columns: it continues on the next line.
    const at = lines.findIndex((line) => line.startsWith('conv2_block1_0_bn'));
    expect(at).toBeGreaterThan(0);
    expect(lines[at + 1].trim().length).toBeGreaterThan(0);
  });
});
