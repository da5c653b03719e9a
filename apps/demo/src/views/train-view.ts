/**
 * The Train tab: choose data (synthetic shapes or the user's classes), a model and its input size,
 * then train with a live chart, throughput, ETA, pause and stop. Training itself is the trainer
 * package's `train`; this view only wires its callbacks to the page.
 */
import { syntheticShapes, type PipelineDataset } from '@resnet-ts/data';
import * as tf from '@tensorflow/tfjs';
import { browserImageDataset } from '@resnet-ts/data/browser';
import { train, type RecipeWithData, type TrainingDataset } from '@resnet-ts/trainer';
import { indexedDbCheckpointStore } from '@resnet-ts/trainer/browser';
import { createModel, listModels, modelCardFor, type ResNetOptions } from '@resnet-ts/zoo';
import type { Camera } from '../media/camera';
import type { AppState } from '../state/app-state';
import { DEMO_MODELS, modelLabel } from '../state/demo-models';
import { validStoredClasses, type SessionStore, type StoredClass } from '../storage/session-store';
import { reportBrokenRun } from '../training/backend-fallback';
import { injectFault, requestedFault } from '../training/fault-injection';
import { createRunGuard } from '../training/run-guard';
import { SavedRun } from '../training/saved-run';
import { formRecipe, savedCard, savedRecipe, savedStart, trainSettings, type TrainForm } from '../state/run-recipe';
import { TrainingChart } from '../ui/chart';
import { field, formatDuration, formatRate, h, select } from '../ui/dom';
import { describeError, type Notices } from '../ui/notices';
import { evaluateHeldOut } from '../training/evaluate-held-out';
import { FeatureCache } from '../training/feature-cache';
import { holdOut } from '../training/holdout';
import { prepareStartedRun, type LabelledImage } from '../training/started-run';
import { ClassEditor } from './class-editor';
import { EvaluationView } from './evaluation-view';
import { PauseGate } from './pause-gate';
import { StartFromView } from './start-from-view';

export const INPUT_SIZES = [32, 64, 96, 128, 160, 224];
/** The one resumable run the demo keeps in IndexedDB (the trainer's checkpoint store). */
const RUN_NAME = 'demo-run';


export interface TrainViewDeps {
  state: AppState;
  notices: Notices;
  camera: Camera;
  session: SessionStore;
}

function numberInput(value: number, min: number, max: number, step = 1): HTMLInputElement {
  return h('input', { type: 'number', value, min, max, step, inputmode: 'decimal' });
}

function readNumber(input: HTMLInputElement, label: string): number {
  const value = Number(input.value);
  const min = Number(input.min);
  const max = Number(input.max);
  if (!Number.isFinite(value) || value < min || value > max) {
    throw new Error(`${label} must be a number from ${min} to ${max} (got "${input.value}").`);
  }
  return value;
}

/** Lets the page paint the status and handle input before the next long synchronous step. */
function nextPaint(): Promise<void> {
  return new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
}

export async function createTrainView({ state, notices, camera, session }: TrainViewDeps): Promise<HTMLElement> {
  const models = listModels().filter((m) => DEMO_MODELS.includes(m));
  const architecture = select(models.map((m) => ({ value: m, label: modelLabel(m) })), 'resnet18');
  const inputSize = select(INPUT_SIZES.map((s) => ({ value: String(s), label: `${s} × ${s}` })), '64');
  const continueTraining = h('input', { type: 'checkbox' });

  const sourceSynthetic = h('input', { type: 'radio', name: 'data-source', value: 'synthetic', checked: true, id: 'source-synthetic' });
  const sourceOwn = h('input', { type: 'radio', name: 'data-source', value: 'own', id: 'source-own' });
  const syntheticClasses = numberInput(3, 2, 10);
  const syntheticCount = numberInput(96, 8, 2000);
  const syntheticFields = h('div', { class: 'grid' }, field('Shape classes', syntheticClasses), field('Number of images', syntheticCount));
  const saveClasses = (classes: StoredClass[]) =>
    session.put('classes', classes).catch((error) => notices.error(`Your classes could not be saved in this browser (${describeError(error)}); they stay until you close the page.`));
  // With a pretrained start, each image's features are computed when it is added (and again for
  // every image when the start changes); training the head then only reads them.
  let featureCache: FeatureCache | undefined;
  const featureStatus = h('p', { class: 'hint', 'data-testid': 'feature-status', 'aria-live': 'polite' });
  const cacheFeatures = (images: Blob[]) => {
    const cache = featureCache;
    if (!cache || images.length === 0) return;
    featureStatus.textContent = 'Computing the features of new images…';
    cache
      .add(images)
      .then(() => {
        if (cache !== featureCache) return;
        const all = classEditor.labelledImages().images;
        featureStatus.textContent = `Features cached for ${all.filter((i) => cache.has(i.source)).length} of ${all.length} images.`;
      })
      .catch((error) => notices.error(`Computing image features: ${describeError(error)}`));
  };
  const classEditor = new ClassEditor({
    camera,
    onError: (m) => notices.error(m),
    onChange: (classes) => saveClasses(classes),
    onImageAdded: (_className, image) => cacheFeatures([image.blob]),
  });
  const startFrom = new StartFromView({
    modelForm: () => ({ architecture: architecture.value, inputSize: Number(inputSize.value) }),
    busy: () => state.busy,
    onError: (m) => notices.error(m),
    onChange: (start) => {
      featureCache = start ? new FeatureCache(start.backbone, { imageSize: start.inputSize, normalization: start.normalization }) : undefined;
      featureStatus.textContent = '';
      cacheFeatures(classEditor.labelledImages().images.map((i) => i.source));
    },
  });
  const evaluation = new EvaluationView();
  classEditor.element.hidden = true;
  const showSource = () => {
    syntheticFields.hidden = !sourceSynthetic.checked;
    classEditor.element.hidden = !sourceOwn.checked;
  };
  sourceSynthetic.addEventListener('change', showSource);
  sourceOwn.addEventListener('change', showSource);

  const epochs = numberInput(2, 1, 200);
  const batchSize = numberInput(16, 1, 256);
  const learningRate = numberInput(0.001, 0.00001, 1, 0.0001);
  const augment = h('input', { type: 'checkbox', id: 'augment' });
  const keepCheckpoints = h('input', { type: 'checkbox', id: 'keep-checkpoints' });

  const trainButton = h('button', { type: 'button', class: 'primary' }, 'Train');
  const resumeButton = h('button', { type: 'button', disabled: true }, 'Resume the saved run');
  const pauseButton = h('button', { type: 'button', disabled: true }, 'Pause');
  const stopButton = h('button', { type: 'button', disabled: true }, 'Stop');
  const progress = h('p', { class: 'progress', 'data-testid': 'train-status', 'aria-live': 'polite' }, 'Not trained yet.');
  const chart = new TrainingChart();

  const gate = new PauseGate();
  let abort: AbortController | undefined;
  /** Set once `train()` runs: a failure from then on is the backend's or the run's, not the form's. */
  let trainingStarted = false;
  const savedRun = new SavedRun(session, resumeButton);
  /** The step line without the pause mark; the mark is added while paused, whenever the line changes. */
  let stepLine = '';
  const showPaused = () => {
    progress.textContent = gate.paused ? `${stepLine} — paused (press Continue)` : stepLine;
    if (gate.paused) progress.dataset.paused = 'true';
    else delete progress.dataset.paused;
  };

  pauseButton.addEventListener('click', () => {
    gate.toggle();
    pauseButton.textContent = gate.paused ? 'Continue' : 'Pause';
    pauseButton.setAttribute('aria-pressed', String(gate.paused));
    showPaused();
  });
  stopButton.addEventListener('click', () => {
    abort?.abort();
    gate.resume();
  });

  /** The form, checked against its fields' bounds. */
  const readForm = (): TrainForm => ({
    architecture: architecture.value,
    inputSize: Number(inputSize.value),
    source: sourceSynthetic.checked ? 'synthetic' : 'own',
    syntheticClasses: sourceSynthetic.checked ? readNumber(syntheticClasses, 'Shape classes') : Number(syntheticClasses.value),
    syntheticCount: sourceSynthetic.checked ? readNumber(syntheticCount, 'Number of images') : Number(syntheticCount.value),
    augment: augment.checked,
    epochs: readNumber(epochs, 'Epochs'),
    batchSize: readNumber(batchSize, 'Batch size'),
    lr: readNumber(learningRate, 'Learning rate'),
  });

  /** The user's classes, split into training and held-out images. */
  const splitOwnImages = () => {
    const { classNames, images } = classEditor.labelledImages();
    if (classNames.length < 2) throw new Error('Add images to at least two classes before training.');
    return { classNames, ...holdOut(images, classNames) };
  };

  /** The recipe's images: its synthetic training split, or the user's training images. */
  const buildDataset = ({ data }: RecipeWithData, own: { classNames: string[]; train: LabelledImage[] } | undefined): PipelineDataset => {
    const pipeline = { imageSize: data.imageSize, normalization: data.normalization, seed: data.seed, augmentation: data.augmentation };
    if (data.synthetic) {
      const { classes, trainCount, difficulty } = data.synthetic;
      return syntheticShapes({ ...pipeline, classes, count: trainCount, difficulty });
    }
    if (!own) throw new Error('Add images to at least two classes before training.');
    return browserImageDataset(own.train, own.classNames, { ...pipeline, training: true });
  };

  /** Puts a saved run's recipe back into the form, so the data and model are rebuilt the same. */
  const applySavedRun = ({ model, data, training }: RecipeWithData) => {
    // A run from a pretrained start may have an architecture and size the lists do not offer.
    if (models.includes(model.name)) architecture.value = model.name;
    if (INPUT_SIZES.includes(data.imageSize[0])) inputSize.value = String(data.imageSize[0]);
    sourceSynthetic.checked = data.kind === 'synthetic';
    sourceOwn.checked = data.kind !== 'synthetic';
    if (data.synthetic) {
      syntheticClasses.value = String(data.synthetic.classes);
      syntheticCount.value = String(data.synthetic.trainCount);
    }
    augment.checked = data.augmentation !== false;
    epochs.value = String(training.epochs);
    batchSize.value = String(training.batchSize);
    learningRate.value = String(training.lr);
    keepCheckpoints.checked = true;
    continueTraining.checked = false;
    showSource();
  };

  const run = async (resume: boolean) => {
    notices.clearError();
    evaluation.clear();
    const start = resume || continueTraining.checked ? undefined : startFrom.start;
    if (start && sourceSynthetic.checked) throw new Error('A pretrained start trains on "My images": pick "My images", or start from nothing.');
    const store = keepCheckpoints.checked || resume ? await indexedDbCheckpointStore(RUN_NAME) : undefined;
    const checkpoint = resume ? await store!.load('last') : null;
    if (resume && !checkpoint) {
      await savedRun.forget();
      throw new Error('There is no saved run in this browser: tick "Save checkpoints" and train first.');
    }
    const saved = checkpoint ? savedRecipe(checkpoint) : undefined;
    if (saved) applySavedRun(saved);
    if (checkpoint && saved?.data.kind !== 'synthetic') SavedRun.checkClasses(checkpoint.classNames, classEditor.labelledImages().classNames);
    const fineTune = startFrom.fineTune;
    const resumedStart = saved && savedStart(saved);
    const recipe = formRecipe(readForm(), saved, start ? { ...start, fineTune } : resumedStart);
    const size = recipe.data.imageSize[0];
    const arch = recipe.model.name;
    const { epochs: epochCount, batchSize: batch } = recipe.training;
    progress.textContent = start ? 'Reading the cached features…' : 'Preparing images…';
    await nextPaint();
    const own = recipe.data.kind === 'synthetic' ? undefined : splitOwnImages();
    if (own) evaluation.showWarnings(own.warnings);
    const started = start && (await prepareStartedRun(start, featureCache!, own!.train, own!.classNames, { fineTune, augment: augment.checked, modelSeed: recipe.model.seed }));
    const dataset = buildDataset(recipe, own);
    const classNames = [...dataset.classNames];
    const normalization = dataset.normalization;
    const current = state.current;
    if (started) {
      state.setModel({ model: started.model, architecture: arch, inputSize: size, classNames, normalization, card: started.card });
    } else if (checkpoint && resumedStart) {
      // Its architecture may be none of the registry's (a tfjs start): the checkpoint holds the model.
      progress.textContent = `Rebuilding ${arch} from the saved run…`;
      await nextPaint();
      const model = await tf.loadLayersModel(tf.io.fromMemory(checkpoint.model));
      const card = savedCard(checkpoint) ?? modelCardFor(arch, { inputShape: [size, size, 3], classes: classNames.length }, { classNames, preprocessing: { normalization } });
      state.setModel({ model, architecture: arch, inputSize: size, classNames, normalization, card });
    } else if (continueTraining.checked) {
      if (!current) throw new Error('There is no current model to continue; untick "Continue training" to start a new one.');
      if (current.inputSize !== size || current.classNames.length !== classNames.length) {
        throw new Error(
          `The current model takes ${current.inputSize}×${current.inputSize} images and ${current.classNames.length} classes; ` +
            `the data has ${size}×${size} images and ${classNames.length} classes. Match them or untick "Continue training".`,
        );
      }
    } else {
      progress.textContent = `Building ${arch}…`;
      await nextPaint();
      const options: ResNetOptions = {
        inputShape: [size, size, 3],
        classes: classNames.length,
        includeTop: true,
        classifierActivation: 'softmax',
        zeroInitResidual: recipe.model.zeroInitResidual,
        // Seeded: two runs of one form start from the same weights, so their results compare.
        seed: recipe.model.seed,
      };
      const model = createModel(arch, options);
      injectFault(model, requestedFault());
      state.setModel({
        model,
        architecture: arch,
        inputSize: size,
        classNames,
        normalization,
        card: modelCardFor(arch, options, { classNames, preprocessing: { normalization } }),
      });
    }
    const entry = state.current!;
    entry.classNames = classNames;
    entry.normalization = normalization;
    entry.card = { ...entry.card, weights: { source: 'trained' } };
    const trainData: TrainingDataset = dataset;

    chart.reset();
    abort = new AbortController();
    let totalSteps = 0;
    let firstStepEnd = 0;
    const startedAt = performance.now();
    progress.textContent = 'Compiling kernels for the first step (slow on software GPUs)…';
    const guard = createRunGuard();
    trainingStarted = true;
    try {
      const result = await train({
        model: entry.model,
        train: trainData,
        // A started run's card travels with its checkpoints: resumed, it is the model's card again.
        ...trainSettings(recipe, started || resumedStart ? entry.card : undefined),
        ...(started ? { transfer: started.transfer } : {}),
        ...(started?.precomputedFeatures ? { precomputedFeatures: started.precomputedFeatures } : {}),
        // With a store the trainer writes the `last` checkpoint at each epoch end and when stopped.
        ...(store ? { store } : {}),
        ...(checkpoint ? { resumeFrom: checkpoint } : {}),
        signal: abort.signal,
        callbacks: [
          guard.callback,
          {
            onTrainBegin: (logs) => {
              totalSteps = logs.totalSteps;
            },
            onBatchEnd: async (_batch, logs) => {
              const now = performance.now();
              if (logs.step === 1) firstStepEnd = now;
              chart.add({ step: logs.step, loss: logs.loss, accuracy: logs.accuracy });
              // The first step compiles kernels: throughput and ETA use the steps after it.
              const perStep = logs.step > 1 ? (now - firstStepEnd) / (logs.step - 1) : now - startedAt;
              const imagesPerSecond = (batch * 1000) / perStep;
              const eta = ((totalSteps - logs.step) * perStep) / 1000;
              stepLine =
                `Epoch ${logs.epoch + 1}/${epochCount} · step ${logs.step}/${totalSteps} · loss ${logs.loss.toFixed(3)} · ` +
                `accuracy ${(logs.accuracy * 100).toFixed(0)} % · ${formatRate(imagesPerSecond)} images/s · ETA ${formatDuration(eta)}`;
              showPaused();
              await gate.wait();
            },
          },
        ],
      });
      const seconds = (performance.now() - startedAt) / 1000;
      const stopped = result.stopReason !== 'completed';
      const last = result.history.at(-1);
      progress.textContent =
        `${stopped ? `Stopped (${result.stopReason})` : 'Done'}: ${result.step} steps in ${formatDuration(seconds)}` +
        (last
          ? `, last epoch loss ${last.loss.toFixed(3)}, training accuracy ${(last.accuracy * 100).toFixed(0)} %, ${formatRate(last.imagesPerSecond)} images/s.`
          : '.');
      if (own) {
        evaluation.show(await evaluateHeldOut(entry.model, own.heldOut, classNames, { imageSize: size, normalization }), own.warnings);
      }
      progress.dataset.state = stopped ? 'stopped' : 'done';
      notices.info(`Trained ${started ? started.description : `${arch} on ${trainData.size} images`}. Try it in the Predict tab.`);
      if (store) await savedRun.remember(result.classNames, result.step, recipe);
    } finally {
      guard.dispose();
      await dataset.dispose();
    }
  };

  const start = async (resume: boolean) => {
    trainButton.disabled = true;
    savedRun.setRunning(true);
    pauseButton.disabled = false;
    stopButton.disabled = false;
    state.busy = true;
    delete progress.dataset.state;
    trainingStarted = false;
    try {
      await run(resume);
    } catch (error) {
      progress.textContent = `Training failed${trainingStarted ? ` on ${tf.getBackend()}` : ''}: see the message at the top of the page.`;
      progress.dataset.state = 'failed';
      if (trainingStarted) reportBrokenRun(`Training failed: ${describeError(error)}`, { state, notices, retry: () => void start(resume) });
      else notices.error(`Training failed: ${describeError(error)}`);
    } finally {
      state.busy = false;
      gate.resume();
      trainButton.disabled = false;
      savedRun.setRunning(false);
      pauseButton.disabled = true;
      pauseButton.textContent = 'Pause';
      stopButton.disabled = true;
    }
  };
  const restored = validStoredClasses(await session.get('classes'));
  if (restored) {
    classEditor.setClasses(restored);
    // Both radios: they are not in the document yet, so checking one does not uncheck the other.
    if (restored.some((c) => c.images.length > 0)) [sourceOwn.checked, sourceSynthetic.checked] = [true, false];
    showSource();
  }
  await savedRun.load();
  // The form shows the saved run's settings, which Resume continues (and a new run starts from).
  const savedSettings = savedRun.recipe;
  if (savedSettings) applySavedRun(savedSettings);
  if (savedRun.summary) progress.textContent = savedRun.summary;
  trainButton.addEventListener('click', () => void start(false));
  resumeButton.addEventListener('click', () => void start(true));

  return h(
    'div',
    { class: 'view train-view' },
    h(
      'fieldset',
      {},
      h('legend', {}, 'Model'),
      h('div', { class: 'grid' }, field('Architecture', architecture), field('Input size', inputSize)),
      h('div', { class: 'check' }, continueTraining, h('label', { for: (continueTraining.id = 'continue-training') }, 'Continue training the current model')),
    ),
    startFrom.element,
    featureStatus,
    h(
      'fieldset',
      {},
      h('legend', {}, 'Data'),
      h(
        'div',
        { class: 'row', role: 'radiogroup', 'aria-label': 'Data source' },
        h('span', { class: 'check' }, sourceSynthetic, h('label', { for: 'source-synthetic' }, 'Synthetic shapes')),
        h('span', { class: 'check' }, sourceOwn, h('label', { for: 'source-own' }, 'My images')),
      ),
      syntheticFields,
      classEditor.element,
    ),
    h(
      'fieldset',
      {},
      h('legend', {}, 'Training'),
      h('div', { class: 'grid' }, field('Epochs', epochs), field('Batch size', batchSize), field('Learning rate', learningRate)),
      h('div', { class: 'check' }, augment, h('label', { for: 'augment' }, 'Augment training images (flip, crop, rotate, colour)')),
      h('div', { class: 'check' }, keepCheckpoints, h('label', { for: 'keep-checkpoints' }, 'Save checkpoints in this browser, to resume after a reload')),
      h('div', { class: 'row' }, trainButton, pauseButton, stopButton, resumeButton),
    ),
    progress,
    chart.element,
    evaluation.element,
  );
}
