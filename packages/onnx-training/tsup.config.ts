import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.base';

// onnxruntime-node is an optional peer, loaded at run time by @resnet-ts/onnx/node: never bundled.
export default defineConfig(packageBuild({ index: 'src/index.ts', node: 'src/node/index.ts' }, { external: [/^@tensorflow\//, /^@resnet-ts\//, 'onnxruntime-node'] }));
