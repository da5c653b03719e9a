/**
 * Screenshots of a screen at the two sizes the demo is checked at: a 1440x900 desktop and a
 * 390x844 phone. They go to `test-output/` (ignored by git) for a person to look at.
 */
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';

export const OUTPUT_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'test-output');

export const VIEWPORTS = [
  { name: 'desktop', width: 1440, height: 900 },
  { name: 'phone', width: 390, height: 844 },
] as const;

/** Saves `<name>-desktop.png` and `<name>-phone.png`, then puts the page back at desktop size. */
export async function screenshotBoth(page: Page, name: string): Promise<void> {
  mkdirSync(OUTPUT_DIR, { recursive: true });
  for (const viewport of VIEWPORTS) {
    await page.setViewportSize({ width: viewport.width, height: viewport.height });
    await page.screenshot({ path: join(OUTPUT_DIR, `${name}-${viewport.name}.png`), fullPage: true });
  }
  await page.setViewportSize({ width: VIEWPORTS[0].width, height: VIEWPORTS[0].height });
}
