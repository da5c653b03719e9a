import { it } from 'vitest';
import { expectZooGradientsMatchTfjs } from './training-zoo';

it('resnet50v2 (v2 pre-activation bottlenecks, logits): every gradient equals tfjs cpu within 1e-4, and the BatchNorm statistics', async () => {
  await expectZooGradientsMatchTfjs('resnet50v2', { fromLogits: true, labelSmoothing: 0 });
}, 120_000);
