/** Top-k prediction bars: a list of labelled meters, best first. */
import type { ClassScore } from '@resnet-ts/zoo';
import { h } from './dom';

export function renderTopK(ranked: readonly ClassScore[], latencyMs: number): HTMLElement {
  const items = ranked.map((r) => {
    const percent = (r.probability * 100).toFixed(1);
    return h(
      'li',
      { class: 'topk-item', 'data-class': r.className, 'data-probability': r.probability.toPrecision(8) },
      h('span', { class: 'topk-name' }, r.className),
      h('span', { class: 'topk-bar', role: 'meter', 'aria-valuemin': 0, 'aria-valuemax': 100, 'aria-valuenow': percent, 'aria-label': r.className },
        h('span', { class: 'topk-fill', style: `width:${percent}%` })),
      h('span', { class: 'topk-value' }, `${percent} %`),
    );
  });
  return h(
    'div',
    { class: 'topk', 'data-testid': 'topk' },
    h('ol', { class: 'topk-list' }, ...items),
    h('p', { class: 'hint', 'data-testid': 'latency' }, `Latency ${latencyMs.toFixed(1)} ms (decode, resize and forward pass)`),
  );
}
