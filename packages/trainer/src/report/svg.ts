export interface Series {
  name: string;
  color: string;
  points: Array<[number, number]>;
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

function niceNumber(v: number): string {
  if (v === 0) return '0';
  const a = Math.abs(v);
  return a >= 1000 || a < 0.01 ? v.toExponential(1) : v.toPrecision(3).replace(/\.?0+$/, '');
}

/** A line chart as inline SVG (axes, 5 ticks per axis, legend). */
export function lineChart(title: string, series: readonly Series[], xLabel: string, options: { logY?: boolean } = {}): string {
  const width = 460;
  const height = 260;
  const pad = { left: 56, right: 12, top: 28, bottom: 40 };
  const all = series.flatMap((s) => s.points).filter(([, y]) => Number.isFinite(y) && (!options.logY || y > 0));
  if (all.length === 0) return `<figure class="chart"><figcaption>${escapeHtml(title)}: no data</figcaption></figure>`;
  const tf = (y: number) => (options.logY ? Math.log10(y) : y);
  const xs = all.map(([x]) => x);
  const ys = all.map(([, y]) => tf(y));
  let [x0, x1] = [Math.min(...xs), Math.max(...xs)];
  let [y0, y1] = [Math.min(...ys), Math.max(...ys)];
  if (x0 === x1) [x0, x1] = [x0 - 1, x1 + 1];
  if (y0 === y1) [y0, y1] = [y0 - 0.5, y1 + 0.5];
  const px = (x: number) => pad.left + ((x - x0) / (x1 - x0)) * (width - pad.left - pad.right);
  const py = (y: number) => height - pad.bottom - ((tf(y) - y0) / (y1 - y0)) * (height - pad.top - pad.bottom);
  const parts: string[] = [];
  for (let i = 0; i <= 4; i++) {
    const yv = y0 + ((y1 - y0) * i) / 4;
    const y = height - pad.bottom - ((yv - y0) / (y1 - y0)) * (height - pad.top - pad.bottom);
    const label = options.logY ? niceNumber(10 ** yv) : niceNumber(yv);
    parts.push(`<line x1="${pad.left}" x2="${width - pad.right}" y1="${y}" y2="${y}" class="grid"/>`);
    parts.push(`<text x="${pad.left - 4}" y="${y + 4}" text-anchor="end">${label}</text>`);
    const xv = x0 + ((x1 - x0) * i) / 4;
    parts.push(`<text x="${px(xv)}" y="${height - pad.bottom + 16}" text-anchor="middle">${niceNumber(xv)}</text>`);
  }
  series.forEach((s, k) => {
    const pts = s.points.filter(([, y]) => Number.isFinite(y) && (!options.logY || y > 0));
    if (pts.length === 0) return;
    const d = pts.map(([x, y], i) => `${i ? 'L' : 'M'}${px(x).toFixed(1)},${py(y).toFixed(1)}`).join('');
    parts.push(`<path d="${d}" stroke="${s.color}" fill="none" stroke-width="2"><title>${escapeHtml(s.name)}</title></path>`);
    if (pts.length <= 60) for (const [x, y] of pts) parts.push(`<circle cx="${px(x).toFixed(1)}" cy="${py(y).toFixed(1)}" r="2.5" fill="${s.color}"><title>${escapeHtml(s.name)} ${niceNumber(x)}: ${y.toPrecision(4)}</title></circle>`);
    parts.push(`<rect x="${pad.left + 8 + k * 110}" y="8" width="10" height="10" fill="${s.color}"/><text x="${pad.left + 22 + k * 110}" y="17">${escapeHtml(s.name)}</text>`);
  });
  parts.push(`<text x="${(pad.left + width - pad.right) / 2}" y="${height - 6}" text-anchor="middle">${escapeHtml(xLabel)}</text>`);
  return `<figure class="chart"><figcaption>${escapeHtml(title)}</figcaption><svg viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img">${parts.join('')}</svg></figure>`;
}

/** Confusion matrix heatmap (rows: true class, columns: predicted), colour by row-normalized rate. */
export function confusionHeatmap(confusion: readonly number[][], classNames: readonly string[]): string {
  const n = classNames.length;
  const cell = Math.max(18, Math.min(48, Math.floor(480 / Math.max(1, n))));
  const labelW = 110;
  const size = labelW + n * cell;
  const parts: string[] = [];
  confusion.forEach((row, r) => {
    const total = row.reduce((a, b) => a + b, 0) || 1;
    row.forEach((count, c) => {
      const rate = count / total;
      const hue = r === c ? 140 : 0;
      const fill = count === 0 ? '#f6f6f6' : `hsl(${hue}, 70%, ${Math.round(95 - rate * 55)}%)`;
      const x = labelW + c * cell;
      const y = labelW + r * cell;
      parts.push(`<rect x="${x}" y="${y}" width="${cell}" height="${cell}" fill="${fill}" stroke="#fff"><title>true ${escapeHtml(classNames[r])}, predicted ${escapeHtml(classNames[c])}: ${count} (${(rate * 100).toFixed(1)}%)</title></rect>`);
      if (cell >= 24) parts.push(`<text x="${x + cell / 2}" y="${y + cell / 2 + 4}" text-anchor="middle">${count}</text>`);
    });
    parts.push(`<text x="${labelW - 4}" y="${labelW + r * cell + cell / 2 + 4}" text-anchor="end">${escapeHtml(classNames[r])}</text>`);
  });
  classNames.forEach((name, c) => {
    const x = labelW + c * cell + cell / 2;
    parts.push(`<text transform="translate(${x},${labelW - 4}) rotate(-60)">${escapeHtml(name)}</text>`);
  });
  return `<figure class="chart"><figcaption>Confusion matrix (rows: true class, columns: predicted)</figcaption><svg viewBox="0 0 ${size + 8} ${size + 8}" width="${size + 8}" height="${size + 8}" role="img">${parts.join('')}</svg></figure>`;
}
