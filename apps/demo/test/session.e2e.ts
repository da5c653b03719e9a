/**
 * Nothing is lost on reload: the classes of "My images" with their images, the backend the user
 * picked and the run saved with checkpoints come back from IndexedDB, and "Resume the saved run"
 * (disabled until a run is saved) continues the run on the restored images. Pause shows in the
 * status while paused.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, launchChromium } from './chromium';
import { DemoPage } from './demo-page';
import { screenshotBoth } from './screenshots';
import { serveStatic, type StaticServer } from './static-server';

const appDir = join(import.meta.dirname, '..');

describe.skipIf(!chromiumAvailable())('demo session in Chromium', () => {
  let server: StaticServer;
  beforeAll(async () => {
    server = await serveStatic(join(appDir, 'dist'));
  });
  afterAll(async () => {
    await server?.close();
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
});
