import * as tf from '@tensorflow/tfjs';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPretrainedModel, readSafetensors } from '../src/index';

// Loads torchvision's own state dicts (written by test/torchvision/write_state_dict.py, random
// seeded weights) and compares logits with PyTorch's. Needs torchvision for /usr/bin/python3
// (Debian: apt-get install python3-torchvision); without it the test is skipped, loudly.
const PYTHON = '/usr/bin/python3';
const SCRIPT = fileURLToPath(new URL('./torchvision/write_state_dict.py', import.meta.url));
const hasTorchvision = spawnSync(PYTHON, ['-c', 'import torchvision'], { stdio: 'ignore' }).status === 0;
if (!hasTorchvision) {
  console.warn(`SKIPPED torchvision parity: ${PYTHON} cannot import torchvision (apt-get install python3-torchvision to run it)`);
}

const CLASSES = 10;
const SIZE = 32;

describe.skipIf(!hasTorchvision)('torchvision state dicts give PyTorch logits', () => {
  let dir: string;
  beforeAll(async () => {
    await tf.setBackend('cpu');
    dir = mkdtempSync(join(tmpdir(), 'torchvision-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each([
    ['resnet18', 'resnet18.tv_in1k'],
    ['resnet50', 'resnet50.tv_in1k'],
  ])('torchvision %s -> %s', async (torchName, zooName) => {
    const out = mkdtempSync(join(dir, `${torchName}-`));
    execFileSync(PYTHON, [SCRIPT, torchName, out, String(CLASSES), String(SIZE)], { stdio: 'inherit', timeout: 120_000 });
    const model = await createPretrainedModel(zooName, {
      inputShape: [SIZE, SIZE, 3],
      classes: CLASSES,
      classifierActivation: null,
      weights: join(out, 'state_dict.safetensors'),
    });
    try {
      const io = await readSafetensors(join(out, 'io.safetensors'));
      const expected = io.float32('logits');
      const actual = tf.tidy(() => {
        const nchw = tf.tensor4d(io.float32('input'), [2, 3, SIZE, SIZE]);
        return (model.predict(nchw.transpose([0, 2, 3, 1])) as tf.Tensor).dataSync();
      });
      const largest = Math.max(...expected.map(Math.abs));
      const scale = Math.max(1, largest);
      const worst = Math.max(...actual.map((v, i) => Math.abs(v - expected[i])));
      console.log(`${torchName}: max |logit difference| ${worst.toExponential(2)} (largest |logit| ${largest.toFixed(3)})`);
      expect(worst).toBeLessThanOrEqual(1e-4 * scale);
    } finally {
      model.dispose();
    }
  }, 180_000);
});
