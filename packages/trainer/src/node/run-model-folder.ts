import { stat } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * The model folders of a run, best first: the final `model/` (written when the run finished), else
 * the best checkpoint's, else the last one's (a run that was stopped or is still going).
 */
export function runModelCandidates(runDir: string): string[] {
  return [join(runDir, 'model'), join(runDir, 'checkpoints', 'best', 'model'), join(runDir, 'checkpoints', 'last', 'model')];
}

/** The first of `folders` that holds a model.json, or undefined. */
export async function firstModelFolder(folders: readonly string[]): Promise<string | undefined> {
  for (const folder of folders) if (await stat(join(folder, 'model.json')).catch(() => null)) return folder;
  return undefined;
}
