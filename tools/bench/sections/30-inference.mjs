// Inference: the tfjs wasm engine (1 thread and all threads) against onnxruntime-node on the SAME
// ResNet50 weights, exported with @resnet-ts/onnx; 64x64 and 224x224, batch 1 and 32. Then the
// overhead of our OnnxEngine over a raw onnxruntime session on the same file (224, batch 1).
// Last, the SIGNS folders (1080 images, 64x64) with each engine: `resnet predict` end to end, and
// the same through @resnet-ts/inference in this process (no child process).
// Targets (issue 9): OnnxEngine within 1.2x of raw onnxruntime; onnxruntime >= 5x tfjs wasm at 64x64.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { initNodeWasmBackend } from '@resnet-ts/kernels/node';
import { createModel } from '@resnet-ts/zoo';
import { fileIO } from '@resnet-ts/zoo/node';
import { exportOnnx } from '@resnet-ts/onnx';
import { OnnxEngine, createInferenceSession, exportOnnxFile, isOnnxRuntimeAvailable, loadOnnxRuntime } from '@resnet-ts/onnx/node';
import { classifyFiles, listImageFiles, openPredictor } from '@resnet-ts/inference/node';

export const name = 'inference';

const MODEL = 'resnet50';
const SIZES = [64, 224];
const BATCHES = [1, 32];
const ENGINE_OVERHEAD_TARGET = 1.2;
const PREDICT_REPEATS = 3;

const median = (times) => [...times].sort((a, b) => a - b)[Math.floor(times.length / 2)];

/** Median wall time (ms) of `fn` after `warmup` calls, over at least `minRuns` runs and `minMs`. */
async function medianMs(fn, { warmup = 1, minRuns = 3, minMs = 1000, maxRuns = 50 } = {}) {
  for (let i = 0; i < warmup; i++) await fn();
  const times = [];
  const start = performance.now();
  while (times.length < maxRuns && (times.length < minRuns || performance.now() - start < minMs)) {
    const t0 = performance.now();
    await fn();
    times.push(performance.now() - t0);
  }
  return median(times);
}

/** Runs per batch: the big tfjs batches take seconds each, so fewer of them. */
function runPlan(size, batch) {
  const work = (size / 64) ** 2 * batch;
  return work >= 64 ? { warmup: 1, minRuns: 2, minMs: 0 } : work >= 8 ? { warmup: 1, minRuns: 3, minMs: 2000 } : { warmup: 2, minRuns: 5, minMs: 2000 };
}

function randomImages(batch, size, seed) {
  return tf.tidy(() => tf.randomUniform([batch, size, size, 3], -1, 1, 'float32', seed).dataSync());
}

function buildWithWeights(size, weights) {
  const model = createModel(MODEL, { inputShape: [size, size, 3] });
  if (weights) {
    const tensors = weights.map(({ values, shape }) => tf.tensor(values, shape));
    model.setWeights(tensors);
    tf.dispose(tensors);
  }
  return model;
}

// Stock @tensorflow/tfjs-backend-wasm, as any other TF.js stack runs it in Node (one thread: its
// threaded build needs blob: workers, which Node refuses), in a child process so that none of
// @resnet-ts/kernels is registered. Prints the median ms per batch for each [size, batch].
const STOCK_WASM_SCRIPT = `
import * as tf from '@tensorflow/tfjs';
import { getThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import { createModel } from '@resnet-ts/zoo';
await tf.setBackend('wasm');
const plans = JSON.parse(process.argv[1]);
const out = { threads: getThreadsCount(), ms: {} };
for (const [size, batch, runs] of plans) {
  const model = createModel('${MODEL}', { inputShape: [size, size, 3] });
  const x = tf.randomUniform([batch, size, size, 3], -1, 1, 'float32', 1);
  const times = [];
  for (let i = 0; i < runs + 1; i++) {
    const t0 = performance.now();
    const y = model.predict(x);
    await y.data();
    y.dispose();
    if (i > 0) times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  out.ms[size + '_' + batch] = times[Math.floor(times.length / 2)];
  x.dispose();
  model.dispose();
}
console.log(JSON.stringify(out));
`;

function stockWasmRows(rows, ratios, ms, notes) {
  const plans = [[64, 32, 3], [224, 1, 5]];
  const child = spawnSync(process.execPath, ['--input-type=module', '-e', STOCK_WASM_SCRIPT, JSON.stringify(plans)], {
    cwd: path.dirname(fileURLToPath(import.meta.url)),
    encoding: 'utf8',
  });
  const line = child.stdout.trim().split('\n').pop();
  if (child.status !== 0 || !line?.startsWith('{')) {
    notes.push(`stock tfjs-backend-wasm rows failed (exit ${child.status}): ${child.stderr.trim().split('\n').pop()}`);
    return;
  }
  const stock = JSON.parse(line);
  for (const [size, batch] of plans) {
    const time = stock.ms[`${size}_${batch}`];
    rows.push({ engine: `stock tfjs-backend-wasm (${stock.threads} thr, no @resnet-ts/kernels)`, input: size, batch, msPerBatch: +time.toFixed(1), imagesPerSecond: +((batch * 1000) / time).toFixed(1) });
    ratios[`ort_speedup_vs_stock_tfjs_wasm_${size}_b${batch}`] = +(time / ms[`ort_${size}_${batch}`]).toFixed(2);
  }
}

const cliBinary = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../apps/cli/bin/resnet.js');

/** `resnet predict ... --json` in a child process: start, decode and model, as a user runs it. */
function cliPredict(modelPath, folders, flags) {
  const args = [cliBinary, '--backend', 'wasm', 'predict', modelPath, ...folders, ...flags, '--batch-size', '32', '--top-k', '1', '--json'];
  const result = spawnSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 1 << 26 });
  if (result.status !== 0) throw new Error(`exit ${result.status}: ${result.stderr.trim().split('\n').pop()}`);
  return JSON.parse(result.stdout);
}

/** What `resnet predict` runs, called in this process: openPredictor + classifyFiles, no child process. */
async function packagePredict(modelPath, folders, engine) {
  const predictor = await openPredictor(modelPath, { engine });
  try {
    const files = await listImageFiles(folders);
    const { predictions, modelMs } = await classifyFiles(predictor, files, { batchSize: 32, topK: 1 });
    return { predictions, latencyMs: modelMs / files.length, images: files.length };
  } finally {
    await predictor.dispose();
  }
}

/**
 * Every SIGNS image (1080, 64x64) through each engine: `resnet predict` end to end in a child
 * process (when the CLI is built), and the same work through @resnet-ts/inference in this process.
 */
async function predictFolderRows(context, weights, rows, ratios, notes) {
  const signs = path.join(context.sharedDir, 'datasets', 'signs');
  if (!fs.existsSync(path.join(signs, 'train'))) {
    notes.push(`SIGNS (${signs}) missing: predict-folder rows skipped`);
    return;
  }
  const folders = [path.join(signs, 'train'), path.join(signs, 'val')];
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'resnet-ts-bench-predict-'));
  try {
    const model = buildWithWeights(64, weights);
    const modelDir = path.join(dir, 'model');
    await model.save(fileIO(modelDir));
    // The deployed path: the .onnx file `resnet export --format onnx` writes (no export at start).
    const onnxFile = path.join(dir, 'model.onnx');
    await exportOnnxFile(model, onnxFile, { verify: false, metadata: { modelName: MODEL } });
    model.dispose();
    const runs = [
      { key: 'pkgTfjs', label: 'inference classifyFiles tfjs (in process, wasm all threads)', predict: () => packagePredict(modelDir, folders, 'tfjs') },
      { key: 'pkgOnnxFile', label: 'inference classifyFiles onnx (in process, .onnx file)', predict: () => packagePredict(onnxFile, folders, 'onnx') },
    ];
    if (fs.existsSync(cliBinary)) {
      runs.unshift(
        { key: 'tfjs', label: 'resnet predict tfjs (all threads)', predict: () => cliPredict(modelDir, folders, ['--engine', 'tfjs']) },
        { key: 'tfjs1', label: 'resnet predict tfjs --threads 1', predict: () => cliPredict(modelDir, folders, ['--engine', 'tfjs', '--threads', '1']) },
        { key: 'onnx', label: 'resnet predict onnx (tfjs folder, exported at start)', predict: () => cliPredict(modelDir, folders, ['--engine', 'onnx']) },
        { key: 'onnxFile', label: 'resnet predict onnx (.onnx file)', predict: () => cliPredict(onnxFile, folders, ['--engine', 'onnx']) },
      );
    } else {
      notes.push(`the built CLI (${cliBinary}) is missing: resnet predict end-to-end rows skipped`);
    }
    // Each run PREDICT_REPEATS times, round-robin so that the load of a shared machine hits every
    // run alike; the median wall time counts.
    const walls = Object.fromEntries(runs.map((run) => [run.key, []]));
    const outputs = {};
    for (let repeat = 0; repeat < PREDICT_REPEATS; repeat++) {
      for (const run of runs) {
        const t0 = performance.now();
        try {
          outputs[run.key] = await run.predict();
        } catch (error) {
          notes.push(`${run.label} failed: ${error.message}`);
          return;
        }
        walls[run.key].push(performance.now() - t0);
      }
    }
    const wall = {};
    for (const run of runs) {
      wall[run.key] = median(walls[run.key]);
      const json = outputs[run.key];
      rows.push({
        engine: run.label,
        input: 64,
        batch: 32,
        msPerBatch: +(json.latencyMs * 32).toFixed(1),
        imagesPerSecond: +((json.images * 1000) / wall[run.key]).toFixed(1),
        wallSeconds: [...walls[run.key]].sort((a, b) => a - b).map((t) => +(t / 1000).toFixed(2)).join(' '),
      });
    }
    const top1 = (key) => outputs[key].predictions.map((p) => p.top[0].index).join();
    if (runs.some((run) => top1(run.key) !== top1('pkgTfjs'))) notes.push('WARNING: the engines disagree on some top-1 class');
    ratios.predict_folder_package_onnxfile_over_tfjs_images_per_s = +(wall.pkgTfjs / wall.pkgOnnxFile).toFixed(2);
    if (wall.tfjs !== undefined) {
      ratios.predict_folder_onnx_over_tfjs_images_per_s = +(wall.tfjs / wall.onnx).toFixed(2);
      ratios.predict_folder_onnxfile_over_tfjs_images_per_s = +(wall.tfjs / wall.onnxFile).toFixed(2);
      ratios.predict_folder_onnxfile_over_tfjs1thr_images_per_s = +(wall.tfjs1 / wall.onnxFile).toFixed(2);
      ratios.predict_folder_cli_over_package_onnxfile_wall = +(wall.onnxFile / wall.pkgOnnxFile).toFixed(2);
    }
    notes.push(`predict-folder rows: imagesPerSecond is wall clock for the whole run (resnet predict: process start, decode, model; inference: openPredictor, decode, model), median of ${PREDICT_REPEATS} round-robin runs (wallSeconds); msPerBatch is model time only`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const loadAverage = () => os.loadavg().map((l) => l.toFixed(2)).join(' ');

export async function run(context) {
  const rows = [];
  const ratios = {};
  const notes = [`load average (1/5/15 min) at start: ${loadAverage()}; cores: ${context.cores} (shared machine: timings are noisy)`];
  if (!(await isOnnxRuntimeAvailable())) {
    notes.push('onnxruntime-node is not installed: section skipped (npm install onnxruntime-node@1.30.0)');
    return { rows, notes };
  }
  const ort = await loadOnnxRuntime();
  const threadCounts = [...new Set([1, context.cores])];

  // One set of weights for every engine and size: ResNet weights do not depend on the input size.
  await initNodeWasmBackend({ threads: 1 });
  const reference = buildWithWeights(224, null);
  const weights = reference.getWeights().map((t) => ({ values: t.dataSync().slice(), shape: t.shape }));
  const onnxFiles = new Map();
  for (const size of SIZES) {
    const model = size === 224 ? reference : buildWithWeights(size, weights);
    onnxFiles.set(size, exportOnnx(model, { metadata: { modelName: MODEL } }));
    if (model !== reference) model.dispose();
  }
  reference.dispose();

  const ms = {};
  for (const threads of threadCounts) {
    const info = await initNodeWasmBackend({ threads });
    for (const size of SIZES) {
      const model = buildWithWeights(size, weights);
      for (const batch of BATCHES) {
        const x = tf.tensor(randomImages(batch, size, 1), [batch, size, size, 3]);
        const time = await medianMs(async () => {
          const y = model.predict(x);
          await y.data();
          y.dispose();
        }, runPlan(size, batch));
        x.dispose();
        ms[`tfjs${threads}_${size}_${batch}`] = time;
        rows.push({ engine: `tfjs wasm (${info.threads} thr, simd ${info.simd})`, input: size, batch, msPerBatch: +time.toFixed(1), imagesPerSecond: +((batch * 1000) / time).toFixed(1) });
      }
      model.dispose();
    }
  }

  for (const size of SIZES) {
    const session = await createInferenceSession(onnxFiles.get(size), { intraOpThreads: context.cores });
    for (const batch of BATCHES) {
      const feed = { [session.inputNames[0]]: new ort.Tensor('float32', randomImages(batch, size, 1), [batch, size, size, 3]) };
      const time = await medianMs(() => session.run(feed), { warmup: 3, minRuns: 5, minMs: 2000 });
      ms[`ort_${size}_${batch}`] = time;
      rows.push({ engine: `onnxruntime-node (${context.cores} thr)`, input: size, batch, msPerBatch: +time.toFixed(1), imagesPerSecond: +((batch * 1000) / time).toFixed(1) });
      for (const threads of threadCounts) {
        ratios[`ort_speedup_vs_tfjs${threads}thr_${size}_b${batch}`] = +(ms[`tfjs${threads}_${size}_${batch}`] / time).toFixed(2);
      }
    }
    await session.release();
  }

  stockWasmRows(rows, ratios, ms, notes);

  // Our engine against a raw session on the same file: 224, batch 1, interleaved to share the noise.
  const bytes = onnxFiles.get(224);
  const raw = await createInferenceSession(bytes, { intraOpThreads: context.cores });
  const engine = await OnnxEngine.load(bytes, { intraOpThreads: context.cores });
  const image = randomImages(1, 224, 2);
  const rawFeed = { [raw.inputNames[0]]: new ort.Tensor('float32', image, [1, 224, 224, 3]) };
  // Interleaved pairs, so that the load of a shared machine hits both alike; medians of each.
  for (let i = 0; i < 3; i++) {
    await raw.run(rawFeed);
    await engine.classify(image, 1, { topK: 5 });
  }
  const rawTimes = [];
  const engineTimes = [];
  const pairsStart = performance.now();
  while (rawTimes.length < 20 || (performance.now() - pairsStart < 6000 && rawTimes.length < 100)) {
    let t0 = performance.now();
    await raw.run(rawFeed);
    rawTimes.push(performance.now() - t0);
    t0 = performance.now();
    await engine.classify(image, 1, { topK: 5 });
    engineTimes.push(performance.now() - t0);
  }
  await raw.release();
  await engine.dispose();
  const rawMs = median(rawTimes);
  const engineMs = median(engineTimes);
  rows.push({ engine: 'onnxruntime-node raw session', input: 224, batch: 1, msPerBatch: +rawMs.toFixed(1), imagesPerSecond: +(1000 / rawMs).toFixed(1) });
  rows.push({ engine: 'OnnxEngine.classify (top-5)', input: 224, batch: 1, msPerBatch: +engineMs.toFixed(1), imagesPerSecond: +(1000 / engineMs).toFixed(1) });
  ratios.engine_over_raw_224_b1 = +(engineMs / rawMs).toFixed(3);

  await predictFolderRows(context, weights, rows, ratios, notes);

  notes.push(`target: OnnxEngine / raw onnxruntime <= ${ENGINE_OVERHEAD_TARGET} at 224 batch 1 (engine_over_raw_224_b1); raw and engine runs interleaved, medians`);
  notes.push('target: onnx >= 5x the tfjs wasm engine in images/s over a folder of 64x64 images, measured as the issue measured its 7x: tfjs wasm on one thread, what stock tfjs-backend-wasm runs in Node (predict_folder_onnxfile_over_tfjs1thr_images_per_s)');
  notes.push('ceiling: a folder ratio cannot exceed the model-only ratio ort_speedup_vs_tfjs*_64_b32 (onnxruntime at 64 b32 already runs near this machine\'s sgemm peak); against our 2-thread tfjs engine that ceiling is below 5x');
  notes.push('stock tfjs-backend-wasm rows: a child process with none of @resnet-ts/kernels registered, what another TF.js stack runs in Node (ort_speedup_vs_stock_tfjs_wasm_*)');
  notes.push(`weights: one random ${MODEL} (1000 classes, softmax) shared by every engine and size; inputs uniform in [-1, 1]`);
  notes.push(`load average at end: ${loadAverage()}`);
  return { rows, ratios, notes };
}
