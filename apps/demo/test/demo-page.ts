/**
 * Drives the demo the way a person does: through labelled controls and tabs. Each method waits for
 * the page to show the result it promises.
 */
import { readFile } from 'node:fs/promises';
import type { ClassScore } from '@resnet-ts/zoo';
import type { Download, Locator, Page } from 'playwright-core';

/** What the top-k bars show of each `ClassScore` (its `data-class` and `data-probability`). */
export type RankedClass = Pick<ClassScore, 'className' | 'probability'>;

export interface ModelFile {
  name: string;
  buffer: Buffer;
}

export interface TrainingOutcome {
  /** Steps drawn on the chart in this page's latest run. */
  points: number;
  status: string;
}

export interface TrainSettings {
  architecture: string;
  inputSize: number;
  classes: number;
  images: number;
  epochs: number;
  batchSize: number;
  /** Default: the form's. */
  lr?: number;
}

export class DemoPage {
  readonly consoleErrors: string[] = [];

  /** How long one training run may take; SwiftShader WebGPU needs far more than the default. */
  constructor(
    readonly page: Page,
    private readonly trainTimeoutMs = 200_000,
  ) {
    page.on('console', (message) => {
      if (message.type() === 'error') this.consoleErrors.push(message.text());
    });
    page.on('pageerror', (error) => this.consoleErrors.push(`uncaught: ${error.message}`));
  }

  async open(url: string): Promise<void> {
    await this.page.goto(url);
    await this.waitReady();
  }

  async reload(): Promise<void> {
    await this.page.reload();
    await this.waitReady();
  }

  private async waitReady(): Promise<void> {
    await this.page.waitForSelector('#app[data-ready="true"]', { timeout: 60_000 });
  }

  /** Waits for `target`, failing at once with the page's message if an error shows instead. */
  private async expectShown(target: Locator, what: string, timeout = 60_000): Promise<void> {
    const error = this.page.locator('[data-testid="error"]:not([hidden])');
    await target.or(error).first().waitFor({ timeout });
    if (await error.isVisible()) throw new Error(`${what}: the page shows an error: ${await error.textContent()}`);
  }

  async backend(): Promise<{ name: string; text: string }> {
    const status = this.page.getByTestId('backend-status');
    return { name: (await status.getAttribute('data-backend')) ?? '', text: (await status.textContent()) ?? '' };
  }

  async tab(name: string): Promise<void> {
    await this.page.getByRole('tab', { name }).click();
  }

  async train(settings: TrainSettings): Promise<TrainingOutcome> {
    await this.fillSynthetic(settings);
    await this.clickTrain();
    return this.expectTrainingState('done');
  }

  /** Fills the Train tab for synthetic shapes without starting. */
  async fillSynthetic(settings: TrainSettings): Promise<void> {
    const page = this.page;
    await this.tab('Train');
    await page.getByLabel('Synthetic shapes', { exact: true }).check();
    await page.getByLabel('Shape classes', { exact: true }).fill(String(settings.classes));
    await page.getByLabel('Number of images', { exact: true }).fill(String(settings.images));
    await this.fillModelAndTraining(settings);
  }

  /** Trains on the user's own classes: `images[i]` go into the i-th class card. */
  async trainOnOwnImages(images: Buffer[][], settings: Omit<TrainSettings, 'classes' | 'images'>): Promise<TrainingOutcome> {
    await this.addOwnImages(images);
    return this.trainOwn(settings);
  }

  /** Trains on the classes already filled (by `addOwnImages`) with these settings. */
  async trainOwn(settings: Omit<TrainSettings, 'classes' | 'images'>): Promise<TrainingOutcome> {
    await this.tab('Train');
    await this.fillModelAndTraining(settings);
    await this.clickTrain();
    return this.expectTrainingState('done');
  }

  /** Starts from the model at `url` ("Start from" → "A model URL" → Load); resolves with the load report. */
  async startFromUrl(url: string): Promise<string> {
    const page = this.page;
    await this.tab('Train');
    await page.getByLabel('A model URL', { exact: true }).check();
    await page.getByLabel('Model URL', { exact: true }).fill(url);
    await page.getByRole('button', { name: 'Load', exact: true }).click();
    const status = page.locator('[data-testid="start-status"][data-state="loaded"]');
    await this.expectShown(status, `start from ${url}`);
    return (await status.textContent()) ?? '';
  }

  async startFromNothing(): Promise<void> {
    await this.tab('Train');
    await this.page.getByLabel('Nothing (from scratch)', { exact: true }).check();
  }

  /** Waits until every image of the classes has its features cached. */
  async waitForCachedFeatures(images: number): Promise<void> {
    await this.expectShown(this.page.getByTestId('feature-status').filter({ hasText: `Features cached for ${images} of ${images} images.` }), 'caching features');
  }

  /** The held-out accuracy shown after training on "My images" (0..1). */
  async heldOutAccuracy(): Promise<number> {
    const evaluation = this.page.locator('[data-testid="evaluation"][data-accuracy]');
    await this.expectShown(evaluation, 'held-out evaluation');
    return Number(await evaluation.getAttribute('data-accuracy'));
  }

  /** Picks "My images" and adds `images[i]` to the i-th class card (waiting for its count). */
  async addOwnImages(images: Buffer[][]): Promise<void> {
    const page = this.page;
    await this.tab('Train');
    await page.getByLabel('My images', { exact: true }).check();
    const cards = page.locator('.class-card');
    for (const [i, files] of images.entries()) {
      const before = await this.imageCount(i);
      const name = await this.className(i);
      await page.getByLabel(new RegExp(`^Add images to "${name}"`)).setInputFiles(
        files.map((buffer, k) => ({ name: `${name}-${k}.png`, mimeType: 'image/png', buffer })),
      );
      await cards.nth(i).locator('.image-count').getByText(`${before + files.length} image`).waitFor();
    }
  }

  async className(index: number): Promise<string> {
    return this.page.locator('.class-card').nth(index).getByLabel(`Name of class ${index + 1}`).inputValue();
  }

  /** The image count a class card shows. */
  async imageCount(index: number): Promise<number> {
    const text = (await this.page.locator('.class-card').nth(index).locator('.image-count').textContent()) ?? '';
    return Number(text.match(/^(\d+) image/)?.[1] ?? NaN);
  }

  /** Each step's loss as the chart drew it. */
  async chartLosses(): Promise<number[]> {
    const losses = (await this.page.getByTestId('chart').getAttribute('data-losses')) ?? '';
    return losses === '' ? [] : losses.split(',').map(Number);
  }

  /** Fills the model and training fields (architecture, input size, epochs, batch size). */
  async fillModelAndTraining(settings: Omit<TrainSettings, 'classes' | 'images'>): Promise<void> {
    const page = this.page;
    await page.getByLabel('Architecture', { exact: true }).selectOption(settings.architecture);
    await page.getByLabel('Input size', { exact: true }).selectOption(String(settings.inputSize));
    await page.getByLabel('Epochs', { exact: true }).fill(String(settings.epochs));
    await page.getByLabel('Batch size', { exact: true }).fill(String(settings.batchSize));
    if (settings.lr !== undefined) await page.getByLabel('Learning rate', { exact: true }).fill(String(settings.lr));
  }

  /**
   * On SwiftShader WebGL the first step compiles shaders synchronously and holds the page's main
   * thread for a long while; a click lands at once, but Playwright's after-click check waits for
   * that thread, hence the long timeouts.
   */
  async clickTrain(name = 'Train'): Promise<void> {
    await this.page.getByRole('button', { name, exact: true }).click({ timeout: this.trainTimeoutMs });
  }

  /** Waits for the chart to show at least `count` steps. */
  async waitForSteps(count: number): Promise<void> {
    await this.page.waitForFunction(
      (n) => Number(document.querySelector<HTMLElement>('[data-testid="chart"]')?.dataset.points ?? 0) >= n,
      count,
      { timeout: this.trainTimeoutMs, polling: 100 },
    );
  }

  /** Waits for training to end and checks it ended as `expected` (done, stopped or failed). */
  async expectTrainingState(expected: 'done' | 'stopped' | 'failed'): Promise<TrainingOutcome> {
    const page = this.page;
    const status = page.getByTestId('train-status');
    await page.waitForFunction(
      () => ['done', 'stopped', 'failed'].includes(document.querySelector<HTMLElement>('[data-testid="train-status"]')?.dataset.state ?? ''),
      undefined,
      { timeout: this.trainTimeoutMs, polling: 250 },
    );
    if ((await status.getAttribute('data-state')) !== expected) {
      throw new Error(`Training did not end ${expected}: ${await status.textContent()} / ${await page.getByTestId('error').textContent()}`);
    }
    const points = Number(await page.getByTestId('chart').getAttribute('data-points'));
    return { points, status: (await status.textContent()) ?? '' };
  }

  /** A PNG drawn in the page: a bright circle (or square) on a dark background. */
  async generateImage(size = 64, shape: 'circle' | 'square' = 'circle'): Promise<Buffer> {
    const base64 = await this.page.evaluate(async ({ side, square }) => {
      const canvas = new OffscreenCanvas(side, side);
      const ctx = canvas.getContext('2d')!;
      ctx.fillStyle = '#202a3a';
      ctx.fillRect(0, 0, side, side);
      ctx.fillStyle = '#f5c542';
      ctx.beginPath();
      if (square) ctx.rect(side / 4, side / 4, side / 2, side / 2);
      else ctx.arc(side / 2, side / 2, side / 4, 0, Math.PI * 2);
      ctx.fill();
      const bytes = new Uint8Array(await (await canvas.convertToBlob({ type: 'image/png' })).arrayBuffer());
      let binary = '';
      bytes.forEach((b) => (binary += String.fromCharCode(b)));
      return btoa(binary);
    }, { side: size, square: shape === 'square' });
    return Buffer.from(base64, 'base64');
  }

  async predict(image: Buffer): Promise<RankedClass[]> {
    const page = this.page;
    await this.tab('Predict');
    await page.getByTestId('predict-file').setInputFiles({ name: 'circle.png', mimeType: 'image/png', buffer: image });
    const items = page.locator('[data-testid="topk"] li');
    await this.expectShown(items.first(), 'predict');
    return items.evaluateAll((lis) =>
      lis.map((li) => ({ className: li.getAttribute('data-class') ?? '', probability: Number(li.getAttribute('data-probability')) })),
    );
  }

  async saveToBrowser(name: string): Promise<void> {
    await this.tab('Save/load');
    await this.page.getByLabel('Name', { exact: true }).fill(name);
    await this.page.getByRole('button', { name: 'Save to this browser' }).click();
    await this.expectShown(this.page.locator(`[data-testid="saved-list"] li[data-key="${name}"]`), `save ${name}`);
  }

  async loadFromBrowser(name: string): Promise<void> {
    await this.tab('Save/load');
    await this.page.getByRole('button', { name: `Load ${name}` }).click();
    await this.expectShown(this.page.getByTestId('info').filter({ hasText: `Loaded "${name}"` }), `load ${name}`);
  }

  /** Downloads the current model as a tfjs folder; resolves with the files the browser saved. */
  async downloadModel(name: string): Promise<ModelFile[]> {
    await this.tab('Save/load');
    await this.page.getByLabel('Name', { exact: true }).fill(name);
    const downloads: Download[] = [];
    const bothArrived = new Promise<void>((resolve) => {
      this.page.on('download', (download) => {
        downloads.push(download);
        if (downloads.length === 2) resolve();
      });
    });
    await this.page.getByRole('button', { name: 'Download as tfjs folder' }).click();
    await bothArrived;
    return Promise.all(
      downloads.map(async (d) => ({ name: d.suggestedFilename(), buffer: await readFile(await d.path()) })),
    );
  }

  async loadFromFiles(files: ModelFile[]): Promise<void> {
    await this.tab('Save/load');
    await this.page.getByLabel(/^model\.json and its \.bin files/).setInputFiles(
      files.map((f) => ({ name: f.name, mimeType: f.name.endsWith('.json') ? 'application/json' : 'application/octet-stream', buffer: f.buffer })),
    );
  }

  async expectLoadedFromFiles(): Promise<void> {
    await this.expectShown(this.page.getByTestId('info').filter({ hasText: 'Loaded the model from files' }), 'load from files');
  }

  /** Waits for the page's error message and returns it. */
  async waitForError(): Promise<string> {
    const error = this.page.locator('[data-testid="error"]:not([hidden])');
    await error.waitFor({ timeout: 30_000 });
    const text = (await error.textContent()) ?? '';
    await error.getByRole('button', { name: 'Dismiss' }).click();
    return text;
  }

  async errorText(): Promise<string> {
    const error = this.page.getByTestId('error');
    return (await error.isVisible()) ? ((await error.textContent()) ?? '') : '';
  }

  /** How far the page, and the Model tab's layer table in its own box, are wider than what shows (0: they fit). */
  async sidewaysOverflow(): Promise<{ page: number; layerTable: number }> {
    return this.page.evaluate(() => {
      const box = document.querySelector('.table-scroll');
      return {
        page: Math.max(0, document.scrollingElement!.scrollWidth - innerWidth),
        layerTable: box ? box.scrollWidth - box.clientWidth : 0,
      };
    });
  }
}
