/**
 * The two ResNet namings in the wild: the original (Caffe / fchollet / notebook) one, e.g.
 * `res2a_branch2a`, `bn2a_branch2a`, `res2a_branch1`, `conv1`, `bn_conv1`, `fc1000`, and the
 * keras-applications one, e.g. `conv2_block1_1_conv`, `conv2_block1_0_bn`, `conv1_conv`, `predictions`.
 */

const BRANCH_TO_INDEX: Record<string, number> = { '1': 0, '2a': 1, '2b': 2, '2c': 3 };
const INDEX_TO_BRANCH = ['1', '2a', '2b', '2c'];

/** Block id of the original naming to a 1-based block number: `a` -> 1, `c` -> 3, `b4` (ResNet-101/152) -> 5. */
function blockNumber(letter: string, digits: string): number {
  if (digits) return Number(digits) + 1;
  return letter.charCodeAt(0) - 'a'.charCodeAt(0) + 1;
}

/** Maps an original/notebook ResNet layer name to its keras-applications name; other names pass through. */
export function notebookToKerasLayerName(name: string): string {
  if (name === 'conv1') return 'conv1_conv';
  if (name === 'bn_conv1') return 'conv1_bn';
  // fchollet's head is `fc1000`; the notebook's is `fc` + number of classes.
  if (/^fc\d+$/.test(name)) return 'predictions';
  const match = /^(res|bn)(\d)([a-z])(\d*)_branch(1|2a|2b|2c)$/.exec(name);
  if (!match) return name;
  const [, kind, stage, letter, digits, branch] = match;
  const suffix = kind === 'res' ? 'conv' : 'bn';
  return `conv${stage}_block${blockNumber(letter, digits)}_${BRANCH_TO_INDEX[branch]}_${suffix}`;
}

/** Maps a keras-applications ResNet layer name to the original naming (letters `a`..`z`); others pass through. */
export function kerasToNotebookLayerName(name: string): string {
  if (name === 'conv1_conv') return 'conv1';
  if (name === 'conv1_bn') return 'bn_conv1';
  if (name === 'predictions') return 'fc1000';
  const match = /^conv(\d)_block(\d+)_([0-3])_(conv|bn)$/.exec(name);
  if (!match) return name;
  const [, stage, block, index, kind] = match;
  const letter = String.fromCharCode('a'.charCodeAt(0) + Number(block) - 1);
  return `${kind === 'conv' ? 'res' : 'bn'}${stage}${letter}_branch${INDEX_TO_BRANCH[Number(index)]}`;
}
