// Lint for every project. Besides TypeScript hygiene, it enforces the layering of the workspace
// (README.md, "Layering"): blocks <- zoo <- trainer and onnx <- inference; data and kernels are leaves beside
// blocks (kernels is the wasm backend plugin that the trainer and the apps use, not a base under
// the other packages); apps and tools on top.
import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';

/** Each layer (the `layer:*` tag in a project's package.json) and the layers it may import. */
const MAY_IMPORT = {
  kernels: [],
  blocks: [],
  data: [],
  zoo: ['blocks'],
  onnx: ['zoo'],
  trainer: ['zoo', 'data', 'kernels'],
  inference: ['trainer', 'onnx', 'zoo', 'data'],
  // kernels: its tests check the step against the tfjs step on wasm, where the training kernels live.
  'onnx-training': ['trainer', 'onnx', 'zoo', 'data', 'kernels'],
  app: ['inference', 'onnx-training', 'trainer', 'onnx', 'zoo', 'data', 'kernels'],
  tools: ['inference', 'onnx-training', 'trainer', 'onnx', 'zoo', 'data', 'kernels'],
};

const depConstraints = Object.entries(MAY_IMPORT).map(([layer, allowed]) => ({
  sourceTag: `layer:${layer}`,
  onlyDependOnLibsWithTags: allowed.map((target) => `layer:${target}`),
}));

/** The layering rule; tests may also import the root test-support helpers by path. */
const moduleBoundaries = (allow) => [
  'error',
  { enforceBuildableLibDependency: false, allow, depConstraints },
];

export default [
  { ignores: ['**/dist/**', '**/node_modules/**', '**/.nx/**', '**/test-output/**', '**/*.wasm', '**/generated/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // Build configs import the shared root presets by path; the layering applies to source and tests.
    files: ['**/src/**/*.ts', 'tools/**/*.mjs', 'tools/**/*.ts'],
    plugins: { '@nx': nx },
    rules: { '@nx/enforce-module-boundaries': moduleBoundaries([]) },
  },
  {
    files: ['**/test/**/*.ts'],
    plugins: { '@nx': nx },
    rules: { '@nx/enforce-module-boundaries': moduleBoundaries(['../../../test-support/*']) },
  },
];
