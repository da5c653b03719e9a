import { describe, expect, it } from 'vitest';
import { kerasToNotebookName, notebookToKerasName } from '../src/index';

/** Every weight-carrying layer name of fchollet's ResNet50 (`resnet50_weights_tf_dim_ordering_tf_kernels.h5`). */
function fcholletResNet50Names(): string[] {
  const names = ['conv1', 'bn_conv1'];
  const blocksPerStage: Record<number, number> = { 2: 3, 3: 4, 4: 6, 5: 3 };
  for (const [stage, blocks] of Object.entries(blocksPerStage)) {
    for (let b = 0; b < blocks; b++) {
      const letter = 'abcdef'[b];
      const branches = b === 0 ? ['2a', '2b', '2c', '1'] : ['2a', '2b', '2c'];
      for (const branch of branches) names.push(`res${stage}${letter}_branch${branch}`, `bn${stage}${letter}_branch${branch}`);
    }
  }
  return [...names, 'fc1000'];
}

describe('notebook <-> Keras layer names', () => {
  it.each([
    ['conv1', 'conv1_conv'],
    ['bn_conv1', 'conv1_bn'],
    ['res2a_branch2a', 'conv2_block1_1_conv'],
    ['bn2a_branch2a', 'conv2_block1_1_bn'],
    ['res2a_branch1', 'conv2_block1_0_conv'],
    ['bn2a_branch1', 'conv2_block1_0_bn'],
    ['res3d_branch2b', 'conv3_block4_2_conv'],
    ['bn4f_branch2c', 'conv4_block6_3_bn'],
    ['res5c_branch2c', 'conv5_block3_3_conv'],
    ['fc1000', 'predictions'],
    ['fc6', 'predictions'],
    ['avg_pool', 'avg_pool'],
    ['res4b22_branch2a', 'conv4_block23_1_conv'],
  ])('maps %s to %s', (notebook, keras) => {
    expect(notebookToKerasName(notebook)).toBe(keras);
  });

  it.each(['activation_1', 'add_3', 'input_1', 'res6a_branch2a', 'res2a_branch3', 'res4c1_branch2a', 'max_pooling2d_1'])(
    'has no Keras name for %s',
    (name) => {
      expect(notebookToKerasName(name)).toBeUndefined();
    },
  );

  it('maps all 107 weight layers of fchollet ResNet50 one-to-one and back', () => {
    const names = fcholletResNet50Names();
    expect(names).toHaveLength(107);
    const keras = names.map((n) => notebookToKerasName(n));
    expect(keras.every((k) => k !== undefined)).toBe(true);
    expect(new Set(keras).size).toBe(names.length);
    expect(keras.map((k) => kerasToNotebookName(k as string))).toEqual(names);
  });

  it('spells classifiers and Caffe block numbers on request', () => {
    expect(kerasToNotebookName('predictions', { classes: 6 })).toBe('fc6');
    expect(kerasToNotebookName('conv4_block23_1_conv', { blockNaming: 'numbered' })).toBe('res4b22_branch2a');
    expect(kerasToNotebookName('conv4_block1_0_bn', { blockNaming: 'numbered' })).toBe('bn4a_branch1');
    expect(kerasToNotebookName('conv4_block23_1_conv')).toBe('res4w_branch2a');
    expect(kerasToNotebookName('conv4_block27_1_conv')).toBeUndefined();
  });

  it.each(['conv2_block1_1_relu', 'conv2_block1_add', 'conv2_block1_preact_bn', 'post_bn', 'pool1_pool'])(
    'has no notebook name for %s',
    (name) => {
      expect(kerasToNotebookName(name)).toBeUndefined();
    },
  );
});
