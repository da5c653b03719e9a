// Mapping between the layer names of the Keras ResNet50 notebook (fchollet's
// `deep-learning-models/resnet50.py`, the Coursera "Residual Networks" notebook, and the original
// Caffe models) and the Keras-applications names our blocks use. Only layers that carry weights
// (plus `avg_pool`) have a counterpart: the notebook leaves its activations and adds unnamed.

/** How block indices are spelled on the notebook side. */
export type NotebookBlockNaming =
  /** `a`, `b`, `c`, ... (fchollet / Coursera ResNet50). */
  | 'letters'
  /** `a`, `b1`, `b2`, ... (Caffe ResNet101/152: `res4b22_branch2a`). */
  | 'numbered';

export interface KerasToNotebookOptions {
  /** Classes of the classifier: `predictions` maps to `fc{classes}`. Default 1000 (`fc1000`). */
  classes?: number;
  /** Spelling of block indices. Default 'letters'. */
  blockNaming?: NotebookBlockNaming;
}

const BRANCH_TO_INDEX: Readonly<Record<string, number>> = { '1': 0, '2a': 1, '2b': 2, '2c': 3 };
const INDEX_TO_BRANCH = ['1', '2a', '2b', '2c'] as const;

const NOTEBOOK_BLOCK_LAYER = /^(res|bn)([2-5])([a-z])(\d*)_branch(1|2a|2b|2c)$/;
const KERAS_BLOCK_LAYER = /^conv([2-5])_block(\d+)_([0-3])_(conv|bn)$/;
const NOTEBOOK_CLASSIFIER = /^fc(\d+)$/;

/** Block number (1-based) of a notebook block id: `a` -> 1, `c` -> 3, `b22` -> 23. */
function notebookBlockNumber(letter: string, digits: string): number | undefined {
  if (digits === '') return letter.charCodeAt(0) - 'a'.charCodeAt(0) + 1;
  // Caffe spells blocks after the first as b1, b2, ...; any other letter with digits is foreign.
  return letter === 'b' ? Number(digits) + 1 : undefined;
}

function notebookBlockId(block: number, naming: NotebookBlockNaming): string | undefined {
  if (block < 1) return undefined;
  if (naming === 'numbered') return block === 1 ? 'a' : `b${block - 1}`;
  return block <= 26 ? String.fromCharCode('a'.charCodeAt(0) + block - 1) : undefined;
}

/**
 * Our (Keras applications) name for a notebook layer name, or undefined when the name has no
 * counterpart. `res2a_branch2a` -> `conv2_block1_1_conv`, `bn4f_branch2c` -> `conv4_block6_3_bn`,
 * `res3a_branch1` -> `conv3_block1_0_conv`, `conv1` -> `conv1_conv`, `bn_conv1` -> `conv1_bn`,
 * `fc1000` (or `fc6`) -> `predictions`, `res4b22_branch2a` -> `conv4_block23_1_conv`.
 */
export function notebookToKerasName(name: string): string | undefined {
  if (name === 'conv1') return 'conv1_conv';
  if (name === 'bn_conv1') return 'conv1_bn';
  if (name === 'avg_pool') return 'avg_pool';
  if (NOTEBOOK_CLASSIFIER.test(name)) return 'predictions';
  const match = NOTEBOOK_BLOCK_LAYER.exec(name);
  if (!match) return undefined;
  const [, kind, stage, letter, digits, branch] = match;
  const block = notebookBlockNumber(letter, digits);
  if (block === undefined) return undefined;
  return `conv${stage}_block${block}_${BRANCH_TO_INDEX[branch]}_${kind === 'res' ? 'conv' : 'bn'}`;
}

/**
 * The notebook's name for one of our layer names, or undefined when the notebook has no such
 * layer (activations, adds, paddings, v2-only layers). Inverse of {@link notebookToKerasName}.
 */
export function kerasToNotebookName(name: string, options: KerasToNotebookOptions = {}): string | undefined {
  const { classes = 1000, blockNaming = 'letters' } = options;
  if (name === 'conv1_conv') return 'conv1';
  if (name === 'conv1_bn') return 'bn_conv1';
  if (name === 'avg_pool') return 'avg_pool';
  if (name === 'predictions') return `fc${classes}`;
  const match = KERAS_BLOCK_LAYER.exec(name);
  if (!match) return undefined;
  const [, stage, block, index, kind] = match;
  const blockId = notebookBlockId(Number(block), blockNaming);
  if (blockId === undefined) return undefined;
  return `${kind === 'conv' ? 'res' : 'bn'}${stage}${blockId}_branch${INDEX_TO_BRANCH[Number(index)]}`;
}
