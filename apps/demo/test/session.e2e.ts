/**
 * Nothing is lost on reload: the classes of "My images" with their images, the backend the user
 * picked and the run saved with checkpoints (its settings shown in the form) come back from
 * IndexedDB, and "Resume the saved run" (disabled until a run is saved) continues the run on the
 * restored images, a run from a pretrained start included. Pause shows in the status while paused.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, launchChromium } from './chromium';
import { DemoPage } from './demo-page';
import { pretrainedBackboneFolder, shapeImages } from './pretrained-backbone';
import { screenshotBoth } from './screenshots';
import { serveStatic, type StaticServer } from './static-server';

const appDir = join(import.meta.dirname, '..');

describe.skipIf(!chromiumAvailable())('demo session in Chromium', () => {
  let server: StaticServer;
  /** The pretrained start the second test serves at `/fixtures/`. */
  const fixturesDir = mkdtempSync(join(tmpdir(), 'resnet-demo-session-'));
  beforeAll(async () => {
    server = await serveStatic(join(appDir, 'dist'), { mounts: { '/fixtures/': fixturesDir } });
  });
  afterAll(async () => {
    await server?.close();
    rmSync(fixturesDir, { recursive: true, force: true });
  });

  it('on wasm: restores classes, images and the picked backend after a reload, and resumes the saved run on them', async () => {
    const browser = await launchChromium();
    try {
      const demo = new DemoPage(await browser.context.newPage());
      const page = demo.page;
      // No ?backend: the page starts on its first choice; the user then picks wasm.
      await demo.open(server.url);
      await page.getByLabel('Backend', { exact: true }).selectOption('wasm');
      await page.getByTestId('backend-status').filter({ hasText: /^wasm · / }).waitFor({ timeout: 30_000 });

      await demo.tab('Train');
      const resume = page.getByRole('button', { name: 'Resume the saved run' });
      await expect(resume.isDisabled()).resolves.toBe(true);

      const circle = await demo.generateImage(48, 'circle');
      const square = await demo.generateImage(48, 'square');
      await demo.addOwnImages([[circle, circle, circle], [square, square, square]]);
      const nameB = page.getByLabel('Name of class 2', { exact: true });
      await nameB.fill('squares');
      await nameB.press('Tab');
      await demo.fillModelAndTraining({ architecture: 'resnet10', inputSize: 32, epochs: 2, batchSize: 3 });
      await page.getByLabel('Save checkpoints in this browser, to resume after a reload').check();
      const total = 4;
      await demo.clickTrain();
      await demo.waitForSteps(1);
      await page.getByRole('button', { name: 'Pause' }).click();
      // The step in flight when Pause was pressed ends while paused: the status must still say so.
      await page.waitForTimeout(1500);
      await expect(page.getByTestId('train-status').textContent()).resolves.toContain('paused');
      await page.getByRole('button', { name: 'Stop' }).click();
      const stopped = await demo.expectTrainingState('stopped');
      expect(stopped.points).toBeLessThan(total);

      await demo.reload();
      expect((await demo.backend()).name).toBe('wasm');
      await demo.tab('Train');
      await expect(page.getByLabel('My images', { exact: true }).isChecked()).resolves.toBe(true);
      await expect(page.getByLabel('Shape classes', { exact: true }).isVisible()).resolves.toBe(false);
      expect([await demo.className(0), await demo.className(1)]).toEqual(['class A', 'squares']);
      expect([await demo.imageCount(0), await demo.imageCount(1)]).toEqual([3, 3]);
      // The form shows the saved run's settings, and the status says what Resume continues.
      await expect(page.getByLabel('Architecture', { exact: true }).inputValue()).resolves.toBe('resnet10');
      await expect(page.getByLabel('Input size', { exact: true }).inputValue()).resolves.toBe('32');
      await expect(page.getByLabel('Epochs', { exact: true }).inputValue()).resolves.toBe('2');
      await expect(page.getByLabel('Batch size', { exact: true }).inputValue()).resolves.toBe('3');
      await expect(page.getByLabel('Save checkpoints in this browser, to resume after a reload').isChecked()).resolves.toBe(true);
      await expect(page.getByTestId('train-status').textContent()).resolves.toMatch(new RegExp(`^A run saved at step ${stopped.points} .* can be resumed`));
      await screenshotBoth(page, 'train-restored');

      await demo.clickTrain('Resume the saved run');
      const resumed = await demo.expectTrainingState('done');
      expect(resumed.status).toContain(`Done: ${total} steps`);
      expect(resumed.points).toBe(total - stopped.points);
      expect(await demo.errorText()).toBe('');
      expect(demo.consoleErrors).toEqual([]);
    } finally {
      await browser.close();
    }
  });

  it('on wasm: a run from a pretrained start, stopped, resumes after a reload from its checkpoint alone (the start is not loaded again)', async () => {
    await pretrainedBackboneFolder(join(fixturesDir, 'backbone'));
    // 20 images per class: 3 are held out, 17 train; batch 17 makes 2 head steps per epoch.
    const images = await shapeImages(['circle', 'triangle'], 20, 9);
    const epochs = 150;
    const total = epochs * 2;
    const browser = await launchChromium();
    try {
      const demo = new DemoPage(await browser.context.newPage());
      const page = demo.page;
      await demo.open(`${server.url}?backend=wasm`);
      await demo.addOwnImages(images);
      await demo.startFromUrl(`${server.url}fixtures/backbone/model.json`);
      await demo.waitForCachedFeatures(40);
      await demo.fillModelAndTraining({ architecture: 'resnet18', inputSize: 32, epochs, batchSize: 17, lr: 0.01 });
      await page.getByLabel('Save checkpoints in this browser, to resume after a reload').check();
      await demo.clickTrain();
      await demo.waitForSteps(1);
      await page.getByRole('button', { name: 'Pause' }).click();
      await page.getByRole('button', { name: 'Stop' }).click();
      const stopped = await demo.expectTrainingState('stopped');
      expect(stopped.points).toBeLessThan(total);

      await demo.reload();
      await demo.tab('Train');
      await expect(page.getByLabel('Nothing (from scratch)', { exact: true }).isChecked()).resolves.toBe(true);
      await demo.clickTrain('Resume the saved run');
      const resumed = await demo.expectTrainingState('done');
      expect(resumed.status).toContain(`Done: ${total} steps`);
      expect(resumed.points).toBe(total - stopped.points);
      await expect(page.getByTestId('info').textContent()).resolves.toContain('Trained small_resnet on 34 images');
      await expect(page.getByTestId('holdout-accuracy').textContent()).resolves.toContain('Accuracy on 6 held-out images');
      // The resumed classifier is the start's backbone with the trained head: better than a coin.
      expect(await demo.heldOutAccuracy()).toBeGreaterThan(0.5);
      const ranked = await demo.predict(images[1][0]);
      expect(ranked.map((r) => r.className).sort()).toEqual(['class A', 'class B']);
      expect(await demo.errorText()).toBe('');
      expect(demo.consoleErrors).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});
