import fs from 'node:fs/promises';
import path from 'node:path';
import { classMapFromJson, classMapToJson } from '../core/labels';

/** Writes `{"classNames": [...]}` atomically (temp file + rename), e.g. next to a checkpoint. */
export async function saveClassMap(filePath: string, classNames: readonly string[]): Promise<void> {
  await fs.mkdir(path.dirname(path.resolve(filePath)), { recursive: true });
  const temp = `${filePath}.${process.pid}.tmp`;
  await fs.writeFile(temp, classMapToJson(classNames));
  await fs.rename(temp, filePath);
}

export async function loadClassMap(filePath: string): Promise<string[]> {
  let text: string;
  try {
    text = await fs.readFile(filePath, 'utf8');
  } catch (error) {
    throw new Error(`Cannot read class map ${filePath}: ${(error as Error).message}`);
  }
  return classMapFromJson(text, filePath);
}
