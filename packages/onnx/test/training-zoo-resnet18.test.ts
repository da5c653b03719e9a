import { it } from 'vitest';
import { expectZooGradientsMatchTfjs } from './training-zoo';

it('resnet18 (basic blocks, softmax output, label smoothing): every gradient equals tfjs cpu within 1e-4, and the BatchNorm statistics', async () => {
  await expectZooGradientsMatchTfjs('resnet18', { fromLogits: false, labelSmoothing: 0.1 });
}, 120_000);
