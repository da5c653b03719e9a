/**
 * The Model tab: the stages/blocks diagram and the layer summary table with parameter counts,
 * both from the zoo's `summarizeModel` (Keras-applications layer names:
 * `conv3_block2_1_conv` belongs to stage 3, block 2).
 */
import { summarizeModel, type ModelSummary, type SummaryRow, type SummaryShape } from '@resnet-ts/zoo';
import type { AppState, ModelEntry } from '../state/app-state';
import { formatCount, h } from '../ui/dom';

interface StageGroup {
  label: string;
  blocks: number;
  params: number;
  outputShape: SummaryShape;
}

const BLOCK_NAME = /^conv(\d+)_block(\d+)_/;

/** Groups layers into stem, one entry per stage and head, in model order. */
export function groupStages(rows: SummaryRow[]): StageGroup[] {
  const groups: StageGroup[] = [];
  const blocksPerStage = new Map<string, Set<string>>();
  let current: StageGroup | undefined;
  for (const row of rows) {
    const match = BLOCK_NAME.exec(row.name);
    const label = match ? `Stage conv${match[1]}` : groups.some((g) => g.label.startsWith('Stage')) ? 'Head' : 'Stem';
    if (current?.label !== label) {
      current = { label, blocks: 0, params: 0, outputShape: row.outputShape };
      groups.push(current);
    }
    current.params += row.params;
    current.outputShape = row.outputShape;
    if (match) {
      const blocks = blocksPerStage.get(label) ?? new Set();
      blocks.add(match[2]);
      blocksPerStage.set(label, blocks);
      current.blocks = blocks.size;
    }
  }
  return groups;
}

/** `[null, 8, 8, 64]` -> `8 × 8 × 64` (the batch dimension left out); several outputs joined by ` | `. */
export function shapeText(shape: SummaryShape): string {
  const one = (dims: (number | null)[]) => dims.slice(1).join(' × ');
  return Array.isArray(shape[0]) ? (shape as (number | null)[][]).map(one).join(' | ') : one(shape as (number | null)[]);
}

function renderDiagram(groups: StageGroup[]): HTMLElement {
  return h(
    'ol',
    { class: 'diagram', 'aria-label': 'Stages of the network, input to output' },
    ...groups.map((g) =>
      h(
        'li',
        { class: `stage ${g.label === 'Stem' || g.label === 'Head' ? 'edge' : ''}` },
        h('strong', {}, g.label),
        g.blocks > 0 ? h('span', { class: 'blocks', 'aria-label': `${g.blocks} blocks` }, ...Array.from({ length: g.blocks }, () => h('span', { class: 'block' }))) : null,
        h('span', { class: 'hint' }, `${g.blocks > 0 ? `${g.blocks} blocks · ` : ''}out ${shapeText(g.outputShape)} · ${formatCount(g.params)} params`),
      ),
    ),
  );
}

/**
 * `text` with a line-break opportunity (`<wbr>`) before each match of `at`, so a narrow table wraps
 * `conv2_block1_1_conv` after its `_`s and `BatchNormalization` at its words, not mid-word.
 */
function breakable(text: string, at: RegExp): (string | HTMLElement)[] {
  return text.split(at).flatMap((part, i) => (i === 0 ? [part] : [h('wbr'), part]));
}
const AFTER_UNDERSCORE = /(?<=_)/;
const BEFORE_CAPITAL = /(?=[A-Z])/;

function renderTable({ rows, totalParams, trainableParams, nonTrainableParams }: ModelSummary): HTMLElement {
  return h(
    'div',
    { class: 'table-scroll', tabindex: 0, role: 'region', 'aria-label': 'Layer summary' },
    h(
      'table',
      { class: 'summary', 'data-testid': 'summary' },
      h('caption', {}, `${rows.length} layers`),
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Layer'), h('th', { scope: 'col' }, 'Type'), h('th', { scope: 'col' }, 'Output shape'), h('th', { scope: 'col', class: 'num' }, 'Params'))),
      h('tbody', {}, ...rows.map((r) => h('tr', {}, h('td', {}, ...breakable(r.name, AFTER_UNDERSCORE)), h('td', {}, ...breakable(r.className, BEFORE_CAPITAL)), h('td', {}, shapeText(r.outputShape)), h('td', { class: 'num' }, formatCount(r.params))))),
      h(
        'tfoot',
        {},
        h('tr', {}, h('th', { scope: 'row', colspan: 3 }, 'Total parameters'), h('td', { class: 'num', 'data-testid': 'total-params' }, formatCount(totalParams))),
        h('tr', {}, h('th', { scope: 'row', colspan: 3 }, 'Trainable'), h('td', { class: 'num' }, formatCount(trainableParams))),
        h('tr', {}, h('th', { scope: 'row', colspan: 3 }, 'Non-trainable'), h('td', { class: 'num' }, formatCount(nonTrainableParams))),
      ),
    ),
  );
}

export function createModelView(state: AppState): HTMLElement {
  const body = h('div', { class: 'model-body' });
  const render = (entry: ModelEntry | undefined) => {
    if (!entry) {
      body.replaceChildren(h('p', { class: 'hint' }, 'No model yet: train one or load one in the Save/load tab.'));
      return;
    }
    const summary = summarizeModel(entry.model);
    body.replaceChildren(
      h('h2', {}, `${entry.architecture} · ${entry.inputSize}×${entry.inputSize} input · ${entry.classNames.length} classes`),
      renderDiagram(groupStages(summary.rows)),
      renderTable(summary),
    );
  };
  state.onModelChange(render);
  render(state.current);
  return h('div', { class: 'view model-view' }, body);
}
