import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { IMAGE_EXTENSIONS } from '@resnet-ts/data';
import { listImagesUnder } from '@resnet-ts/data/node';

/**
 * The image files named, plus the images inside named folders (recursively, sorted by name, hidden
 * entries skipped; a name that is not valid UTF-8 is left out with a warning through `onWarning`),
 * as absolute paths. A missing input, or no image at all, is an error naming it.
 */
export async function listImageFiles(inputs: readonly string[], options: { onWarning?: (message: string) => void } = {}): Promise<string[]> {
  const out: string[] = [];
  for (const input of inputs) {
    const info = await stat(input).catch(() => null);
    if (!info) throw new Error(`${input}: no such image file or folder`);
    if (info.isDirectory()) out.push(...(await listImagesUnder(resolve(input), options)));
    else out.push(resolve(input));
  }
  if (out.length === 0) throw new Error(`no images found in ${inputs.join(', ')} (extensions: ${IMAGE_EXTENSIONS.join(' ')})`);
  return out;
}
