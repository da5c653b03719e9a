import type { ModelSummary, SummaryShape } from './summarize';

export interface FormatSummaryOptions {
  /** Total line width in characters. Default 98 (Keras's width for functional models); at least 60. */
  width?: number;
}

/** Column ends as fractions of the width, as Keras's `print_summary` for functional models. */
const COLUMN_ENDS = [0.33, 0.55, 0.67, 1];
const HEADERS = ['Layer (type)', 'Output Shape', 'Param #', 'Connected to'];
const MIN_WIDTH = 60;

function formatDims(dims: (number | null)[]): string {
  const inner = dims.map((d) => (d === null ? 'None' : String(d))).join(', ');
  return `(${inner}${dims.length === 1 ? ',' : ''})`;
}

function formatShape(shape: SummaryShape): string {
  if (shape.length > 0 && Array.isArray(shape[0])) {
    return `[${(shape as (number | null)[][]).map(formatDims).join(', ')}]`;
  }
  return formatDims(shape as (number | null)[]);
}

const withCommas = (n: number): string => n.toLocaleString('en-US');

/** Splits `text` into pieces that fit `size` characters (one space kept free as the column gap). */
function wrap(text: string, size: number): string[] {
  const room = Math.max(1, size - 1);
  const pieces: string[] = [];
  for (let i = 0; i < text.length; i += room) pieces.push(text.slice(i, i + room));
  return pieces.length > 0 ? pieces : [''];
}

function renderRow(cells: string[][], sizes: number[]): string[] {
  const height = Math.max(...cells.map((c) => c.length));
  const lines: string[] = [];
  for (let line = 0; line < height; line++) {
    lines.push(
      cells
        .map((c, i) => (c[line] ?? '').padEnd(sizes[i]))
        .join('')
        .trimEnd(),
    );
  }
  return lines;
}

/** A Keras-like text table of a {@link ModelSummary}: one row per layer, then the parameter totals. */
export function formatSummary(summary: ModelSummary, options: FormatSummaryOptions = {}): string {
  const width = Math.max(MIN_WIDTH, Math.floor(options.width ?? 98));
  const ends = COLUMN_ENDS.map((f) => Math.floor(width * f));
  const sizes = ends.map((end, i) => end - (i === 0 ? 0 : ends[i - 1]));
  const lines = [`Model: "${summary.name}"`, '_'.repeat(width)];
  lines.push(...renderRow(HEADERS.map((h) => [h]), sizes), '='.repeat(width));
  summary.rows.forEach((row, index) => {
    const connected = row.inbound.length > 0 ? row.inbound.flatMap((name) => wrap(name, sizes[3])) : ['[]'];
    const cells = [
      wrap(`${row.name} (${row.className})`, sizes[0]),
      wrap(formatShape(row.outputShape), sizes[1]),
      wrap(String(row.params), sizes[2]),
      connected,
    ];
    lines.push(...renderRow(cells, sizes));
    lines.push(index === summary.rows.length - 1 ? '='.repeat(width) : '');
  });
  if (summary.rows.length === 0) lines.push('='.repeat(width));
  lines.push(
    `Total params: ${withCommas(summary.totalParams)}`,
    `Trainable params: ${withCommas(summary.trainableParams)}`,
    `Non-trainable params: ${withCommas(summary.nonTrainableParams)}`,
    '_'.repeat(width),
  );
  return lines.join('\n');
}
