import { it } from 'vitest';
import { expectZooGradientsMatchTfjs } from './training-zoo';

it('resnet50 (v1 bottlenecks, softmax output): every gradient equals tfjs cpu within 1e-4, and the BatchNorm statistics', async () => {
  await expectZooGradientsMatchTfjs('resnet50', { fromLogits: false, labelSmoothing: 0 });
}, 120_000);
