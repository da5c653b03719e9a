import type { EpochLogs } from '../callbacks/types';
import type { StepRecord } from '../checkpoint';
import type { EvaluationResult } from '../evaluate';
import { base64, encodePng, toDisplayRgb, type ZlibDeflate } from './png';
import { confusionHeatmap, escapeHtml, lineChart } from './svg';

export interface ReportInput {
  title: string;
  history: readonly EpochLogs[];
  steps?: readonly StepRecord[];
  evaluation?: EvaluationResult;
  /** Shown as a key/value table (model, data, optimizer...). */
  summary?: Record<string, unknown>;
  /** Compression for embedded PNGs (node:zlib deflateSync in Node). Default: stored. */
  deflate?: ZlibDeflate;
  /** Largest number of misclassified images shown. Default 32. */
  maxImages?: number;
}

const STYLE = `body{font:14px system-ui,sans-serif;margin:24px;color:#222;max-width:1100px}
h1{font-size:22px}h2{font-size:17px;margin-top:28px;border-bottom:1px solid #ddd}
.charts{display:flex;flex-wrap:wrap;gap:16px}.chart{margin:0}.chart figcaption{font-weight:600;margin-bottom:4px}
svg text{font-size:11px;fill:#444}.grid{stroke:#eee}table{border-collapse:collapse}
td,th{padding:3px 10px;border-bottom:1px solid #eee;text-align:right}th:first-child,td:first-child{text-align:left}
.grid-images{display:flex;flex-wrap:wrap;gap:10px}.grid-images figure{margin:0;width:104px;font-size:11px}
.grid-images img{width:96px;height:96px;image-rendering:pixelated;border:1px solid #ccc}.bad{color:#b00}`;

function table(rows: Array<Array<string | number>>, header: string[]): string {
  const cell = (v: string | number) => (typeof v === 'number' ? v.toFixed(4).replace(/\.?0+$/, '') || '0' : escapeHtml(v));
  return `<table><thead><tr>${header.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr></thead><tbody>${rows
    .map((r) => `<tr>${r.map((v) => `<td>${cell(v)}</td>`).join('')}</tr>`)
    .join('')}</tbody></table>`;
}

function curves(history: readonly EpochLogs[], steps: readonly StepRecord[]): string {
  const epochX = (e: EpochLogs) => e.epoch + 1;
  const pick = (key: keyof EpochLogs) =>
    history.filter((h) => typeof h[key] === 'number').map((h) => [epochX(h), h[key] as number] as [number, number]);
  const charts = [
    lineChart('Loss', [
      { name: 'train', color: '#1f77b4', points: pick('loss') },
      { name: 'validation', color: '#ff7f0e', points: pick('val_loss') },
    ], 'epoch'),
    lineChart('Accuracy', [
      { name: 'train', color: '#1f77b4', points: pick('accuracy') },
      { name: 'validation', color: '#ff7f0e', points: pick('val_accuracy') },
      ...(history.some((h) => h.val_top5 !== undefined) ? [{ name: 'val top-5', color: '#2ca02c', points: pick('val_top5') }] : []),
    ], 'epoch'),
  ];
  if (steps.length > 1) {
    charts.push(lineChart('Learning rate', [{ name: 'lr', color: '#9467bd', points: steps.map((s) => [s.step, s.lr]) }], 'step'));
    charts.push(lineChart('Training loss per step', [{ name: 'batch loss', color: '#1f77b4', points: steps.map((s) => [s.step, s.loss]) }], 'step', { logY: true }));
  } else {
    charts.push(lineChart('Learning rate', [{ name: 'lr', color: '#9467bd', points: pick('lr') }], 'epoch'));
  }
  return `<div class="charts">${charts.join('')}</div>`;
}

function misclassifiedGrid(evaluation: EvaluationResult, deflate: ZlibDeflate | undefined, max: number): string {
  const samples = evaluation.misclassified.slice(0, max);
  if (samples.length === 0) return '<p>No misclassified images were kept.</p>';
  const figures = samples.map((s) => {
    const [h, w, c] = s.shape;
    const png = encodePng(toDisplayRgb(s.pixels, c), w, h, 3, deflate);
    const truth = evaluation.classNames[s.label];
    const guess = evaluation.classNames[s.predicted];
    return `<figure><img alt="true ${escapeHtml(truth)}, predicted ${escapeHtml(guess)}" src="data:image/png;base64,${base64(png)}"><figcaption>#${s.index} true <b>${escapeHtml(truth)}</b><br><span class="bad">→ ${escapeHtml(guess)}</span> ${(s.confidence * 100).toFixed(0)}%</figcaption></figure>`;
  });
  return `<div class="grid-images">${figures.join('')}</div>`;
}

/**
 * A self-contained HTML report (inline SVG charts and data: URI images, no scripts or network):
 * loss / accuracy / learning-rate curves, confusion matrix, per-class table, misclassified images.
 */
export function renderReport(input: ReportInput): string {
  const sections: string[] = [`<h1>${escapeHtml(input.title)}</h1>`];
  if (input.summary) {
    const rows = Object.entries(input.summary).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]);
    sections.push(`<h2>Run</h2>${table(rows, ['setting', 'value'])}`);
  }
  const ev = input.evaluation;
  if (ev) {
    const headline: Array<[string, number]> = [['loss', ev.loss], ['accuracy', ev.accuracy]];
    if (ev.top5 !== undefined) headline.push(['top-5 accuracy', ev.top5]);
    headline.push(['macro F1', ev.macro.f1], ['images', ev.count]);
    sections.push(`<h2>Evaluation</h2>${table(headline, ['metric', 'value'])}`);
  }
  if (input.history.length > 0) {
    sections.push(`<h2>Curves</h2>${curves(input.history, input.steps ?? [])}`);
    const cols = ['epoch', 'loss', 'accuracy', 'val_loss', 'val_accuracy', 'lr', 'seconds'] as const;
    const rows = input.history.map((h) => cols.map((c) => (c === 'epoch' ? String(h.epoch + 1) : ((h[c] as number | undefined) ?? NaN))));
    sections.push(table(rows.map((r) => r.map((v) => (typeof v === 'number' && Number.isNaN(v) ? '' : v))), [...cols]));
  }
  if (ev) {
    sections.push(`<h2>Confusion matrix</h2>${confusionHeatmap(ev.confusion, ev.classNames)}`);
    sections.push(
      `<h2>Per class</h2>${table(
        ev.perClass.map((m) => [m.className, m.precision, m.recall, m.f1, m.support]),
        ['class', 'precision', 'recall', 'F1', 'support'],
      )}`,
    );
    sections.push(`<h2>Misclassified images</h2>${misclassifiedGrid(ev, input.deflate, input.maxImages ?? 32)}`);
  }
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(input.title)}</title><style>${STYLE}</style></head><body>${sections.join('\n')}</body></html>\n`;
}
