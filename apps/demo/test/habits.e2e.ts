/**
 * Teachable-Machine habits, end to end in Debian's Chromium on wasm with Chromium's fake camera:
 * one camera shared by both tabs with a preview in each, hold-to-record, live prediction, images
 * decoded when added (a bad one refused by name), removing one image, unique class names with
 * labels that follow a rename, the synthetic fields hidden under "My images", a busy state while
 * predicting, and the wasm thread count reported truthfully. Screenshots of the Train and Predict
 * screens at desktop and phone size go to test-output/.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, launchChromium } from './chromium';
import { DemoPage } from './demo-page';
import { exportedFolderFiles } from './model-files';
import { screenshotBoth } from './screenshots';
import { serveStatic, type StaticServer } from './static-server';

const appDir = join(import.meta.dirname, '..');

describe.skipIf(!chromiumAvailable())('demo habits in Chromium', () => {
  let server: StaticServer;
  beforeAll(async () => {
    server = await serveStatic(join(appDir, 'dist'));
  });
  afterAll(async () => {
    await server?.close();
  });

  it('reports the wasm threads it really runs: all cores (at most 8) on a cross-origin-isolated page, or why not', async () => {
    const browser = await launchChromium();
    try {
      const demo = new DemoPage(await browser.context.newPage());
      await demo.open(`${server.url}?backend=wasm`);
      const { cores, isolated } = await demo.page.evaluate(() => ({ cores: navigator.hardwareConcurrency, isolated: crossOriginIsolated }));
      expect(isolated).toBe(true);
      const wanted = Math.min(cores, 8);
      const status = (await demo.backend()).text;
      expect(status).toMatch(new RegExp(`^wasm · SIMD on · ${wanted} threads?$`));
      // The page's own clock is back to the truth after the backend started.
      expect(await demo.page.evaluate(() => navigator.hardwareConcurrency)).toBe(cores);
      expect(demo.consoleErrors).toEqual([]);
    } finally {
      await browser.close();
    }
  });

  it('edits classes: bad image refused by name, one image removed, names unique with labels that follow, synthetic fields hidden', async () => {
    const browser = await launchChromium();
    try {
      const demo = new DemoPage(await browser.context.newPage());
      const page = demo.page;
      await demo.open(`${server.url}?backend=wasm`);
      await demo.tab('Train');
      await expect(page.getByLabel('Shape classes', { exact: true }).isVisible()).resolves.toBe(true);
      await page.getByLabel('My images', { exact: true }).check();
      await expect(page.getByLabel('Shape classes', { exact: true }).isVisible()).resolves.toBe(false);
      await expect(page.getByLabel('Number of images', { exact: true }).isVisible()).resolves.toBe(false);

      // A file that says it is a PNG but is not one is refused as it is added, by name.
      await page.getByLabel(/^Add images to "class A"/).setInputFiles({ name: 'broken.png', mimeType: 'image/png', buffer: Buffer.from('not a png at all') });
      expect(await demo.waitForError()).toContain('broken.png could not be read as an image');
      expect(await demo.imageCount(0)).toBe(0);

      const circle = await demo.generateImage(48, 'circle');
      const square = await demo.generateImage(48, 'square');
      await demo.addOwnImages([[circle, square, circle]]);
      await page.getByRole('button', { name: 'Remove image 2 of "class A"' }).click();
      await page.locator('.class-card').nth(0).locator('.image-count').getByText('2 images').waitFor();

      // Renaming to a name in use (any case) is refused and the old name stays.
      const nameB = page.getByLabel('Name of class 2', { exact: true });
      await nameB.fill('CLASS A');
      await nameB.press('Enter');
      expect(await demo.waitForError()).toContain('There is already a class named "class A"');
      await expect(nameB.inputValue()).resolves.toBe('class B');
      // A good rename updates every label that shows the name.
      await nameB.fill('squares');
      await nameB.press('Tab');
      await page.getByLabel(/^Add images to "squares"/).waitFor({ state: 'attached' });
      await page.getByRole('button', { name: 'Remove "squares"' }).waitFor();
      await page.getByRole('button', { name: 'Hold to record into "squares"' }).waitFor();
      await expect(page.getByLabel(/^Add images to "class B"/).count()).resolves.toBe(0);
      expect(await demo.errorText()).toBe('');
      expect(demo.consoleErrors).toEqual([]);
    } finally {
      await browser.close();
    }
  });

  it('shares one camera between the tabs: hold-to-record on Train, live prediction on Predict, a preview in each, busy while predicting', async () => {
    const browser = await launchChromium({ fakeCamera: true });
    try {
      const demo = new DemoPage(await browser.context.newPage());
      const page = demo.page;
      await demo.open(`${server.url}?backend=wasm`);
      await page.setViewportSize({ width: 1440, height: 900 });
      await demo.tab('Train');
      await page.getByLabel('My images', { exact: true }).check();
      const trainPanel = page.locator('#panel-train');
      const predictPanel = page.locator('#panel-predict');
      const record = page.getByRole('button', { name: 'Hold to record into "class A"' });
      await expect(record.isDisabled()).resolves.toBe(true);
      await trainPanel.getByRole('button', { name: 'Start camera' }).click();
      await trainPanel.getByTestId('camera-preview').waitFor();

      // Holding the button records frames until it is released. The button takes presses once the
      // camera runs; the preview above the classes moves it as its video gets a size, so aim with
      // hover(), which scrolls it into view and waits until it stays in place (a box measured
      // before that once sent the press past it: no frame in 30 s).
      await expect.poll(() => record.isEnabled(), { timeout: 30_000 }).toBe(true);
      await record.hover();
      await page.mouse.down();
      await page.waitForFunction(() => Number(document.querySelector('.class-card .image-count')?.textContent?.match(/^\d+/)?.[0]) >= 3, undefined, { timeout: 30_000 });
      await page.mouse.up();
      const recorded = await demo.imageCount(0);
      await page.waitForTimeout(600);
      expect(await demo.imageCount(0)).toBe(recorded);
      await demo.addOwnImages([[], [await demo.generateImage(48, 'square')]]);
      await screenshotBoth(page, 'train-my-images');

      // The Predict tab sees the same running camera, with its own preview.
      await demo.tab('Predict');
      await predictPanel.getByRole('button', { name: 'Stop camera' }).waitFor();
      await predictPanel.getByTestId('camera-preview').waitFor();
      await demo.loadFromFiles(await exportedFolderFiles(['cat', 'dog']));
      await demo.expectLoadedFromFiles();

      // No stale result: a new image shows "busy" before its own bars.
      await demo.predict(await demo.generateImage(40, 'square'));
      await page.evaluate(() => {
        const result = document.querySelector('[data-testid="predict-result"]')!;
        const seen: string[] = [];
        (window as unknown as { resultStates: string[] }).resultStates = seen;
        new MutationObserver(() => seen.push(result.getAttribute('data-state') ?? (result.querySelector('[data-testid="topk"]') ? 'result' : 'empty'))).observe(result, {
          attributes: true,
          childList: true,
        });
      });
      await demo.predict(await demo.generateImage(40, 'circle'));
      const states = await page.evaluate(() => (window as unknown as { resultStates: string[] }).resultStates);
      expect(states[0]).toBe('busy');
      expect(states.indexOf('busy')).toBeLessThan(states.lastIndexOf('result'));

      await demo.tab('Predict');
      await predictPanel.getByRole('button', { name: 'Classify live' }).click();
      await page.waitForFunction(() => document.querySelector('[data-testid="predict-result"]')?.getAttribute('data-live') === 'true');
      await predictPanel.locator('[data-testid="topk"] li').first().waitFor();
      await screenshotBoth(page, 'predict-live');
      await predictPanel.getByRole('button', { name: 'Stop live' }).click();
      await demo.tab('Model');
      await page.getByTestId('summary').waitFor();
      await screenshotBoth(page, 'model');
      await demo.tab('Save/load');
      await screenshotBoth(page, 'save-load');

      // Stopping it on Predict stops it for Train too.
      await demo.tab('Predict');
      await predictPanel.getByRole('button', { name: 'Stop camera' }).click();
      await demo.tab('Train');
      await trainPanel.getByRole('button', { name: 'Start camera' }).waitFor();
      await expect(record.isDisabled()).resolves.toBe(true);
      await expect(trainPanel.getByTestId('camera-preview').isVisible()).resolves.toBe(false);
      expect(await demo.errorText()).toBe('');
      expect(demo.consoleErrors).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});
