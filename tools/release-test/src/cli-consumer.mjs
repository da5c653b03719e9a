import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ConsumerError, INSTALL_ENV, installAlone, scopedNpmrc, step } from './consumers.mjs';
import { run, tail } from './proc.mjs';

/**
 * A stand-in for `@tensorflow/tfjs-node`, whose real install downloads libtensorflow (nothing may
 * download here): like the real package it is CommonJS and registers a backend named `tensorflow`
 * on the tfjs next to it when loaded, here tfjs's own cpu kernels under that name. It shows that the
 * CLI's dynamic import finds a package the user installed next to it.
 */
const TFJS_NODE_STAND_IN = {
  'package.json': `${JSON.stringify({ name: '@tensorflow/tfjs-node', version: '4.22.0', main: 'index.js' }, null, 2)}\n`,
  'index.js': "const tf = require('@tensorflow/tfjs');\ntf.registerBackend('tensorflow', tf.findBackendFactory('cpu'));\nmodule.exports = tf;\n",
};

/**
 * The CLI as a user gets it: `npm install` of the CLI alone in an empty folder (no native package
 * beyond its own sharp and onnxruntime-node: no tfjs-node), `npx <cli> info` there (tfjs 4.22 and,
 * without a native backend, how to install one), then with a tfjs-node stand-in installed next to
 * it, `--backend tensorflow` must start that backend. Returns the output of `info`.
 */
export async function checkCli({ dir, manifest, version, registry }) {
  const { name } = manifest;
  await mkdir(dir, { recursive: true });
  const consumer = { name: 'consumer-cli', private: true, type: 'module', dependencies: { [name]: version } };
  await writeFile(join(dir, 'package.json'), `${JSON.stringify(consumer, null, 2)}\n`);
  await writeFile(join(dir, '.npmrc'), scopedNpmrc(registry));
  await installAlone({ dir, manifest });

  const npx = (args) => run('npx', ['--yes', name, ...args], { cwd: dir, env: INSTALL_ENV, timeoutMs: 300_000 });
  const info = await step(name, `npx ${name} info`, () => npx(['info']));
  if (!/tfjs\s+4\.22/.test(info)) throw new ConsumerError(name, `npx ${name} info`, `no tfjs 4.22 line:\n${tail(info, 20)}`);
  if (!info.includes('npm i @tensorflow/tfjs-node')) {
    throw new ConsumerError(name, `npx ${name} info`, `no hint saying how to install a native backend:\n${tail(info, 20)}`);
  }

  const standIn = join(dir, 'node_modules', '@tensorflow', 'tfjs-node');
  await mkdir(standIn, { recursive: true });
  for (const [file, text] of Object.entries(TFJS_NODE_STAND_IN)) await writeFile(join(standIn, file), text);
  const native = await step(name, 'info --backend tensorflow with tfjs-node installed next to the CLI', () => npx(['--backend', 'tensorflow', 'info', '--json']));
  const backend = JSON.parse(native.slice(native.indexOf('{'), native.lastIndexOf('}') + 1)).backend;
  if (backend?.backend !== 'tensorflow' || backend?.tfjsBackend !== 'tensorflow') {
    throw new ConsumerError(name, 'info --backend tensorflow with tfjs-node installed next to the CLI', `got backend ${JSON.stringify(backend)}`);
  }
  return info;
}
