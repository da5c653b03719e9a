/**
 * What each published package must do for a consumer that installed it alone: one typed line
 * that runs. `imports` come from the package's root entry; the result is printed, so a package
 * that throws, loads a second tfjs or lacks a dependency fails the run. Packages without an entry
 * here (the CLI) are exercised otherwise.
 */
export const ONE_LINE_USES = {
  '@resnet-ts/kernels': {
    imports: ['trainingKernelNames'],
    use: 'trainingKernelNames().kernels.length',
  },
  '@resnet-ts/blocks': {
    imports: ['notebookToKerasName'],
    use: "notebookToKerasName('res2a_branch2a') ?? 'unmapped'",
  },
  '@resnet-ts/zoo': {
    imports: ['createModel'],
    use: "createModel('resnet18', { inputShape: [32, 32, 3], classes: 3 }).countParams()",
  },
  '@resnet-ts/data': {
    imports: ['oneHot'],
    use: 'Array.from(oneHot([0, 2], 3))',
  },
  '@resnet-ts/trainer': {
    imports: ['resolveTrainConfig'],
    use: 'resolveTrainConfig({ epochs: 1 }).epochs',
  },
  '@resnet-ts/onnx': {
    imports: ['supportedLayerClasses'],
    use: 'supportedLayerClasses().length',
  },
  '@resnet-ts/onnx-training': {
    imports: ['onnxTrainingSupport'],
    use: "onnxTrainingSupport(tf.sequential({ layers: [tf.layers.flatten({ inputShape: [1, 1, 3] }), tf.layers.dense({ units: 2, activation: 'softmax' })] })).supported",
  },
  '@resnet-ts/inference': {
    imports: ['tfjsPredictor'],
    use: "(await tfjsPredictor(tf.sequential({ layers: [tf.layers.flatten({ inputShape: [1, 1, 3] }), tf.layers.dense({ units: 2, activation: 'softmax' })] })).classify(new Float32Array(3)))[0].length",
  },
};

/** The line a consumer prints when its check ran to the end. */
export const USAGE_OK = 'release-test usage ok';

/**
 * The consumer's `usage.ts`: imports every export entry of the package (the `/browser` entry
 * type-only, since it may touch the DOM when loaded), runs the one-line use with the real tfjs and
 * prints the result. Namespace imports are printed too, so TypeScript cannot elide them. Then it
 * `require()`s each non-browser entry through `createRequire`, as a CommonJS caller would (Node
 * 20.19+ loads ESM that way, through the `default` export condition), and prints how many names
 * each gave, or why it failed: `checkConsumer` compares them with the ESM imports.
 */
export function usageSource(manifest) {
  const entries = Object.keys(manifest.exports ?? {}).filter((key) => key !== './package.json' && !key.includes('*'));
  const spec = ONE_LINE_USES[manifest.name];
  const lines = ["import * as tf from '@tensorflow/tfjs';", "import { createRequire } from 'node:module';"];
  const required = [];
  const shown = [];
  entries.forEach((entry, index) => {
    const specifier = entry === '.' ? manifest.name : `${manifest.name}/${entry.slice(2)}`;
    if (entry.endsWith('/browser')) {
      lines.push(`import type * as entry${index} from '${specifier}';`);
      lines.push(`export type BrowserEntry${index} = keyof typeof entry${index};`);
    } else {
      lines.push(`import * as entry${index} from '${specifier}';`);
      shown.push(`'${specifier}': Object.keys(entry${index}).length`);
      required.push(specifier);
    }
  });
  if (spec) lines.push(`import { ${spec.imports.join(', ')} } from '${manifest.name}';`);
  lines.push('', "await tf.setBackend('cpu');");
  lines.push(`const exportsPerEntry: Record<string, number> = { ${shown.join(', ')} };`);
  lines.push(`const result: unknown = ${spec ? spec.use : 'null'};`);
  lines.push('const requireFromCommonJs = createRequire(import.meta.url);');
  lines.push('const requiredPerEntry: Record<string, number | string> = {};');
  lines.push(`for (const specifier of ${JSON.stringify(required)}) {`);
  lines.push('  try {');
  lines.push('    requiredPerEntry[specifier] = Object.keys(requireFromCommonJs(specifier) as object).length;');
  lines.push('  } catch (error) {');
  lines.push("    requiredPerEntry[specifier] = String((error as Error).message).split('\\n')[0];");
  lines.push('  }');
  lines.push('}');
  lines.push(`console.log(JSON.stringify({ tfjs: tf.version.tfjs, exportsPerEntry, requiredPerEntry, result }));`);
  lines.push(`console.log('${USAGE_OK}');`, '');
  return lines.join('\n');
}

/** The README's first ```ts block (its usage example), or null when it has none. */
export function readmeUsage(readme) {
  return /```ts\n([\s\S]*?)```/.exec(readme)?.[1] ?? null;
}
