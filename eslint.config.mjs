// Lint for every project. Besides TypeScript hygiene, it enforces the layering of the workspace:
// kernels at the bottom (tfjs only); blocks <- zoo <- trainer; data beside them; inference over
// trainer and onnx; apps on top.
import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';

const depConstraints = [
  { sourceTag: 'layer:kernels', onlyDependOnLibsWithTags: [] },
  { sourceTag: 'layer:blocks', onlyDependOnLibsWithTags: ['layer:kernels'] },
  { sourceTag: 'layer:zoo', onlyDependOnLibsWithTags: ['layer:blocks', 'layer:kernels'] },
  { sourceTag: 'layer:data', onlyDependOnLibsWithTags: ['layer:kernels'] },
  { sourceTag: 'layer:onnx', onlyDependOnLibsWithTags: ['layer:zoo', 'layer:blocks', 'layer:kernels'] },
  {
    sourceTag: 'layer:trainer',
    onlyDependOnLibsWithTags: ['layer:zoo', 'layer:blocks', 'layer:data', 'layer:kernels'],
  },
  {
    sourceTag: 'layer:inference',
    onlyDependOnLibsWithTags: ['layer:trainer', 'layer:onnx', 'layer:zoo', 'layer:blocks', 'layer:data', 'layer:kernels'],
  },
  {
    sourceTag: 'layer:app',
    onlyDependOnLibsWithTags: ['layer:inference', 'layer:trainer', 'layer:zoo', 'layer:blocks', 'layer:data', 'layer:kernels', 'layer:onnx'],
  },
  {
    sourceTag: 'layer:tools',
    onlyDependOnLibsWithTags: ['layer:inference', 'layer:trainer', 'layer:zoo', 'layer:blocks', 'layer:data', 'layer:kernels', 'layer:onnx'],
  },
];

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
