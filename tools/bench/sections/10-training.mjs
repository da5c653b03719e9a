// Training: ResNet50 64x64 train steps (Adam, categorical cross-entropy) on the stock tfjs cpu
// backend (model.trainOnBatch, tf.train.adam) and, with @resnet-ts/trainer's step (fused Adam),
// on wasm with @resnet-ts/kernels (1 thread and all threads); ResNet50 forward latency
// at 224x224 batch 1; a wasm matmul figure; tensor count across many steps. Targets (issue 3):
// >= 30 GFLOP/s effective training on 2 cores (~15 images/s), forward 224 b1 <= 200 ms, flat
// tensor count.
//
// Knobs (environment): BENCH_TRAIN_BATCH (32), BENCH_TRAIN_STEPS (3 timed steps after 1 warm-up),
// BENCH_CPU_BATCH (2; 0 skips the cpu step, which takes minutes), BENCH_LEAK_STEPS (100),
// BENCH_LEAK_BATCH (2).
import os from 'node:os';
import * as tf from '@tensorflow/tfjs';
import { initNodeWasmBackend } from '@resnet-ts/kernels/node';
import { createModel } from '@resnet-ts/zoo';
import { Optimizer, trainStep } from '@resnet-ts/trainer';
import { envInt } from '../lib/env.mjs';

export const name = 'training';

const MODEL = 'resnet50';
const SIZE = 64;
const CLASSES = 6;
/** Forward GFLOP per 64x64 image (multiply-adds x 2); a training step is about 3x that. */
const FORWARD_GFLOP_64 = 0.67;
const TRAIN_GFLOP_64 = 3 * FORWARD_GFLOP_64;
const TARGET_GFLOPS = 30;
const TARGET_FORWARD_224_MS = 200;

const STEP_OPTIONS = { lr: 1e-3, weightDecay: 0, labelSmoothing: 0, fromLogits: false, clipNorm: 0, topK: 5 };

/**
 * A ResNet50 and its step function. `stock`: Keras-style compile + trainOnBatch with tf.train.adam
 * (what a plain tfjs user runs); otherwise @resnet-ts/trainer's step (fused Adam on wasm and cpu).
 */
function buildTrainable(stock) {
  const model = createModel(MODEL, { inputShape: [SIZE, SIZE, 3], classes: CLASSES });
  if (stock) {
    model.compile({ optimizer: tf.train.adam(1e-3), loss: 'categoricalCrossentropy' });
    return { model, step: (xs, ys) => model.trainOnBatch(xs, ys), dispose: () => model.dispose() };
  }
  const optimizer = new Optimizer({ type: 'adam' });
  return {
    model,
    step: (xs, ys) => trainStep(model, optimizer, { xs, ys }, STEP_OPTIONS),
    dispose: () => {
      optimizer.dispose();
      model.dispose();
    },
  };
}

function batchOf(size, seed) {
  return tf.tidy(() => ({
    images: tf.randomUniform([size, SIZE, SIZE, 3], -1, 1, 'float32', seed),
    labels: tf.oneHot(tf.randomUniform([size], 0, CLASSES, 'int32', seed + 1), CLASSES).toFloat(),
  }));
}

function cpuSeconds(start) {
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1e6;
}

/** Times `steps` train steps (after `warmup`) at `batch`; returns a result row. */
async function timeTraining(label, batch, { warmup, steps, stock = false }) {
  const { step, dispose } = buildTrainable(stock);
  const { images, labels } = batchOf(batch, 42);
  try {
    for (let i = 0; i < warmup; i++) await step(images, labels);
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    for (let i = 0; i < steps; i++) await step(images, labels);
    const seconds = (performance.now() - t0) / 1000;
    const cpu = cpuSeconds(cpu0);
    const imagesPerSecond = (steps * batch) / seconds;
    return {
      config: label,
      batch,
      steps,
      msPerStep: Math.round((seconds * 1000) / steps),
      imagesPerS: Number(imagesPerSecond.toFixed(3)),
      gflops: Number((imagesPerSecond * TRAIN_GFLOP_64).toFixed(2)),
      cpuPerWall: Number((cpu / seconds).toFixed(2)),
      imagesPerCpuS: Number(((steps * batch) / cpu).toFixed(3)),
    };
  } finally {
    tf.dispose([images, labels]);
    dispose();
    tf.disposeVariables();
  }
}

async function forwardLatency224() {
  const model = createModel(MODEL, { inputShape: [224, 224, 3], classes: 1000 });
  const image = tf.randomUniform([1, 224, 224, 3], -1, 1, 'float32', 7);
  try {
    const run = async () => {
      const out = model.predict(image);
      await out.data();
      out.dispose();
    };
    await run();
    const times = [];
    for (let i = 0; i < 5; i++) {
      const t0 = performance.now();
      await run();
      times.push(performance.now() - t0);
    }
    times.sort((a, b) => a - b);
    return times[Math.floor(times.length / 2)];
  } finally {
    image.dispose();
    model.dispose();
    tf.disposeVariables();
  }
}

async function matmulGflops(n = 1024, runs = 5) {
  const a = tf.randomNormal([n, n], 0, 1, 'float32', 1);
  const b = tf.randomNormal([n, n], 0, 1, 'float32', 2);
  try {
    const once = async () => {
      const c = tf.matMul(a, b);
      await c.data();
      c.dispose();
    };
    await once();
    let best = Infinity;
    for (let i = 0; i < runs; i++) {
      const t0 = performance.now();
      await once();
      best = Math.min(best, performance.now() - t0);
    }
    return (2 * n ** 3) / (best / 1000) / 1e9;
  } finally {
    tf.dispose([a, b]);
  }
}

/** Tensor count and bytes before and after `steps` train steps (after one warm-up step). */
async function tensorDrift(steps, batch) {
  const { step, dispose } = buildTrainable(false);
  const { images, labels } = batchOf(batch, 9);
  try {
    await step(images, labels);
    const before = tf.memory();
    const t0 = performance.now();
    for (let i = 0; i < steps; i++) await step(images, labels);
    const after = tf.memory();
    return {
      steps,
      batch,
      tensorsBefore: before.numTensors,
      tensorsAfter: after.numTensors,
      mbBefore: Math.round(before.numBytes / 2 ** 20),
      mbAfter: Math.round(after.numBytes / 2 ** 20),
      seconds: Math.round((performance.now() - t0) / 1000),
    };
  } finally {
    tf.dispose([images, labels]);
    dispose();
    tf.disposeVariables();
  }
}

export async function run(context) {
  const cores = context.cores ?? os.availableParallelism();
  const trainBatch = envInt('BENCH_TRAIN_BATCH', 32);
  const trainSteps = envInt('BENCH_TRAIN_STEPS', 3);
  const cpuBatch = envInt('BENCH_CPU_BATCH', 2);
  const leakSteps = envInt('BENCH_LEAK_STEPS', 100);
  const leakBatch = envInt('BENCH_LEAK_BATCH', 2);
  const load = os.loadavg().map((l) => l.toFixed(1)).join(' ');
  const rows = [];
  const notes = [`load average at start: ${load} on ${cores} cores`];

  // Stock cpu first: initNodeWasmBackend below also installs the package's batch-norm gradient,
  // which applies to every backend.
  let cpu = null;
  if (cpuBatch > 0) {
    await tf.setBackend('cpu');
    cpu = await timeTraining(`cpu (stock tfjs: trainOnBatch, tf.train.adam), one step`, cpuBatch, { warmup: 0, steps: 1, stock: true });
    rows.push(cpu);
  } else {
    notes.push('cpu step skipped (BENCH_CPU_BATCH=0)');
  }

  const single = await initNodeWasmBackend({ threads: 1 });
  const wasm1 = await timeTraining(`wasm 1 thread (simd ${single.simd})`, trainBatch, { warmup: 1, steps: trainSteps });
  rows.push(wasm1);

  const all = await initNodeWasmBackend({ threads: Math.min(cores, 8) });
  const wasmAll = await timeTraining(`wasm ${all.threads} threads`, trainBatch, { warmup: 1, steps: trainSteps });
  rows.push(wasmAll);

  const forwardMs = await forwardLatency224();
  rows.push({ config: `forward 224x224 b1, wasm ${all.threads} threads`, batch: 1, msPerStep: Math.round(forwardMs) });
  const matmul = await matmulGflops();
  rows.push({ config: `matmul 1024^3, wasm ${all.threads} threads`, gflops: Number(matmul.toFixed(2)) });

  const drift = await tensorDrift(leakSteps, leakBatch);
  rows.push({
    config: `tensors over ${drift.steps} steps (batch ${drift.batch}), wasm ${all.threads} threads`,
    batch: drift.batch,
    steps: drift.steps,
    tensorsBefore: drift.tensorsBefore,
    tensorsAfter: drift.tensorsAfter,
    mbBefore: drift.mbBefore,
    mbAfter: drift.mbAfter,
  });

  const ratios = {
    wasmAllOverWasm1: Number((wasmAll.imagesPerS / wasm1.imagesPerS).toFixed(2)),
    wasmAllOverTargetGflops: Number((wasmAll.gflops / TARGET_GFLOPS).toFixed(2)),
    forward224OverTarget: Number((forwardMs / TARGET_FORWARD_224_MS).toFixed(2)),
  };
  if (cpu) {
    ratios.wasm1OverCpuPerImage = Math.round(wasm1.imagesPerS / cpu.imagesPerS);
    ratios.wasmAllOverCpuPerImage = Math.round(wasmAll.imagesPerS / cpu.imagesPerS);
  }
  notes.push(
    `training GFLOP/s = images/s x ${TRAIN_GFLOP_64.toFixed(2)} (3 x ${FORWARD_GFLOP_64} GFLOP forward per 64x64 image); target ${TARGET_GFLOPS}`,
    `cpuPerWall = process CPU seconds / wall seconds: below the thread count means the cores were shared; ` +
      `imagesPerCpuS = images per CPU-second of this process, the load-independent figure`,
    `tensor count ${drift.tensorsBefore} -> ${drift.tensorsAfter} over ${drift.steps} steps (${drift.seconds} s)` +
      (drift.tensorsAfter === drift.tensorsBefore ? ': flat' : ': GROWS'),
    `load average at end: ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`,
  );
  return { rows, ratios, notes };
}
