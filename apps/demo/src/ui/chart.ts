/**
 * A live training chart on a canvas: loss (own scale, left) and accuracy (0–1, right) per step.
 * The canvas carries a text summary for screen readers, and `data-points` and `data-losses` (each
 * step's loss) for tests.
 */
import { h } from './dom';

export interface ChartPoint {
  step: number;
  loss: number;
  accuracy: number;
}

const COLORS = { loss: '#e0793a', accuracy: '#2f7dd6', grid: '#d7dce2', text: '#4a5361' };

export class TrainingChart {
  readonly element: HTMLElement;
  private readonly canvas: HTMLCanvasElement;
  private points: ChartPoint[] = [];

  constructor() {
    this.canvas = h('canvas', { class: 'chart', role: 'img', 'aria-label': 'Training chart: no steps yet', 'data-testid': 'chart', 'data-points': 0 });
    const legend = h(
      'p',
      { class: 'legend' },
      h('span', { class: 'swatch', style: `background:${COLORS.loss}` }),
      ' loss (left scale) ',
      h('span', { class: 'swatch', style: `background:${COLORS.accuracy}` }),
      ' accuracy (right scale, 0–100 %)',
    );
    this.element = h('figure', { class: 'chart-figure' }, this.canvas, legend);
    new ResizeObserver(() => this.draw()).observe(this.canvas);
  }

  reset(): void {
    this.points = [];
    this.draw();
  }

  add(point: ChartPoint): void {
    this.points.push(point);
    this.draw();
  }

  private draw(): void {
    const { canvas, points } = this;
    const ratio = window.devicePixelRatio || 1;
    const width = canvas.clientWidth || 600;
    const height = canvas.clientHeight || 220;
    canvas.width = Math.round(width * ratio);
    canvas.height = Math.round(height * ratio);
    const ctx = canvas.getContext('2d');
    if (!ctx) return;
    ctx.scale(ratio, ratio);
    ctx.clearRect(0, 0, width, height);
    const pad = { left: 44, right: 44, top: 10, bottom: 24 };
    const plotW = width - pad.left - pad.right;
    const plotH = height - pad.top - pad.bottom;
    const maxLoss = Math.max(1e-6, ...points.map((p) => p.loss));
    const firstStep = points[0]?.step ?? 0;
    const span = Math.max(1, (points.at(-1)?.step ?? 0) - firstStep);
    const x = (step: number) => pad.left + (plotW * (step - firstStep)) / span;

    ctx.font = '11px system-ui, sans-serif';
    if (points.length === 0) {
      ctx.fillStyle = COLORS.text;
      ctx.textAlign = 'center';
      // Two lines where one does not fit (a phone).
      const lines = ['Loss and accuracy appear here, step by step,', 'once training starts.'];
      if (ctx.measureText(lines.join(' ')).width < width - 16) ctx.fillText(lines.join(' '), width / 2, height / 2);
      else lines.forEach((line, i) => ctx.fillText(line, width / 2, height / 2 + (i - 0.5) * 14));
      canvas.dataset.points = '0';
      canvas.dataset.losses = '';
      canvas.setAttribute('aria-label', 'Training chart: no steps yet');
      return;
    }
    ctx.strokeStyle = COLORS.grid;
    ctx.fillStyle = COLORS.text;
    ctx.lineWidth = 1;
    for (let i = 0; i <= 4; i++) {
      const y = pad.top + (plotH * i) / 4;
      ctx.beginPath();
      ctx.moveTo(pad.left, y);
      ctx.lineTo(pad.left + plotW, y);
      ctx.stroke();
      ctx.textAlign = 'right';
      ctx.fillText((maxLoss * (1 - i / 4)).toFixed(2), pad.left - 6, y + 4);
      ctx.textAlign = 'left';
      ctx.fillText(`${100 - i * 25}%`, pad.left + plotW + 6, y + 4);
    }
    ctx.textAlign = 'center';
    ctx.fillText(`steps ${firstStep}–${points.at(-1)!.step}`, pad.left + plotW / 2, height - 6);

    const line = (value: (p: ChartPoint) => number, color: string) => {
      ctx.strokeStyle = color;
      ctx.fillStyle = color;
      ctx.lineWidth = 2;
      ctx.beginPath();
      points.forEach((p, i) => {
        const y = pad.top + plotH * (1 - value(p));
        if (i === 0) ctx.moveTo(x(p.step), y);
        else ctx.lineTo(x(p.step), y);
      });
      ctx.stroke();
      if (points.length === 1) ctx.fillRect(x(points[0].step) - 2, pad.top + plotH * (1 - value(points[0])) - 2, 4, 4);
    };
    line((p) => p.loss / maxLoss, COLORS.loss);
    line((p) => p.accuracy, COLORS.accuracy);

    const last = points.at(-1);
    canvas.dataset.points = String(points.length);
    canvas.dataset.losses = points.map((p) => p.loss).join(',');
    canvas.setAttribute(
      'aria-label',
      last
        ? `Training chart: ${points.length} steps, last loss ${last.loss.toFixed(3)}, accuracy ${(last.accuracy * 100).toFixed(0)} %`
        : 'Training chart: no steps yet',
    );
  }
}
