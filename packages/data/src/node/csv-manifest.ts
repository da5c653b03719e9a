import fs from 'node:fs/promises';
import path from 'node:path';
import { splitSource } from '../core/arrays';
import { subsetSource } from '../core/example-source';
import { sortClassNames } from '../core/labels';
import { PipelineDataset, type PipelineOptions } from '../core/pipeline';
import { stratifiedSplit, type SplitOptions } from '../core/split';
import { parseCsv } from './csv';
import { DatasetRoot, type DatasetRootOptions } from './dataset-files';
import { DEFAULT_FILE_IMAGE_SIZE, ImageFileDecoder, type ImageFileEntry, type NodeDecodeOptions } from './image-file-source';
import type { FileDatasetSplits } from './image-folder';

export interface CsvManifestOptions extends PipelineOptions, SplitOptions, NodeDecodeOptions, DatasetRootOptions {
  /** Header of the image path column (relative to the CSV's folder; see `allowOutsideRoot`). Default 'path'. */
  pathColumn?: string;
  /** Header of the class name column. Default 'label'. */
  labelColumn?: string;
  /** Header of an optional column with train / val / test per row. Default 'split' (used when present). */
  splitColumn?: string;
  /** Use this class list instead of the sorted labels found in the file. */
  classNames?: readonly string[];
}

/**
 * CSV manifest with a header, e.g. `path,label`: paths relative to the CSV, inside its folder
 * unless `allowOutsideRoot` (an absolute path, `..` or a link out is a row error). Rows with an empty
 * path or label, or a label outside `classNames`, are errors naming the line (or skipped with
 * `onError: 'skip'`); a row whose file is missing fails when it is loaded, naming line and file.
 * With a `split` column the rows say their split; otherwise train/val is a stratified seeded split.
 */
export async function csvManifest(csvPath: string, options: CsvManifestOptions = {}): Promise<FileDatasetSplits> {
  let text: string;
  try {
    text = await fs.readFile(csvPath, 'utf8');
  } catch (error) {
    throw new Error(`Cannot read CSV manifest ${csvPath}: ${(error as Error).message}`);
  }
  const name = path.basename(csvPath);
  const records = parseCsv(text, csvPath);
  if (records.length === 0) throw new Error(`CSV manifest ${csvPath} is empty: expected a header such as "path,label"`);
  const header = records[0].fields.map((h) => h.trim());
  const column = (title: string, required: boolean) => {
    const index = header.indexOf(title);
    if (index < 0 && required) throw new Error(`CSV manifest ${csvPath}: no "${title}" column in header [${header.join(', ')}]`);
    return index;
  };
  const pathIndex = column(options.pathColumn ?? 'path', true);
  const labelIndex = column(options.labelColumn ?? 'label', true);
  const splitIndex = column(options.splitColumn ?? 'split', false);
  const warn = options.onWarning ?? ((message: string) => console.warn(message));
  const base = path.dirname(path.resolve(csvPath));
  const root = await DatasetRoot.open(base, options);

  const rows: { file: string; label: string; split: string; line: number }[] = [];
  for (const record of records.slice(1)) {
    const file = (record.fields[pathIndex] ?? '').trim();
    const label = (record.fields[labelIndex] ?? '').trim();
    const split = splitIndex >= 0 ? (record.fields[splitIndex] ?? '').trim().toLowerCase() : 'train';
    const problem = !file ? 'empty path' : !label ? 'empty label' : !['train', 'val', 'test'].includes(split) ? `split "${split}" is not train, val or test` : null;
    if (problem) {
      const message = `${csvPath} line ${record.line}: ${problem}`;
      if (options.onError !== 'skip') throw new Error(`${message} (fix the row or pass onError: 'skip')`);
      warn(`Skipping ${message}`);
      continue;
    }
    rows.push({ file, label, split, line: record.line });
  }
  const classNames = options.classNames ? [...options.classNames] : sortClassNames(rows.map((r) => r.label));
  const entries: (ImageFileEntry & { split: string })[] = [];
  for (const row of rows) {
    const label = classNames.indexOf(row.label);
    if (label < 0) {
      const message = `${csvPath} line ${row.line}: label "${row.label}" is not one of [${classNames.join(', ')}]`;
      if (options.onError !== 'skip') throw new Error(message);
      warn(`Skipping ${message}`);
      continue;
    }
    const where = `${csvPath} line ${row.line}`;
    const outside = await root.problem(row.file);
    if (outside) {
      if (options.onError !== 'skip') throw new Error(`${where}: ${outside}`);
      warn(`Skipping ${where}: ${outside}`);
      continue;
    }
    entries.push({ path: path.resolve(base, row.file), label, where: `${name} line ${row.line} (${row.file})`, split: row.split });
  }
  if (entries.length === 0) throw new Error(`CSV manifest ${csvPath} has no usable rows`);

  const decoder = new ImageFileDecoder(options);
  const pipeline = { ...options, imageSize: [decoder.height, decoder.width] as [number, number] };
  const dispose = () => decoder.pool.terminate();
  if (splitIndex < 0) {
    return { ...splitSource(decoder.source(entries), classNames, pipeline, DEFAULT_FILE_IMAGE_SIZE), classNames, explicitSplits: false, dispose };
  }
  const bySplit = (split: string) => entries.filter((e) => e.split === split);
  const make = (list: ImageFileEntry[], training: boolean) =>
    new PipelineDataset(decoder.source(list), classNames, { ...pipeline, training, defaultImageSize: DEFAULT_FILE_IMAGE_SIZE });
  const trainRows = bySplit('train');
  let train = make(trainRows, true);
  let val = make(bySplit('val'), false);
  if (val.size === 0) {
    const indices = stratifiedSplit(trainRows.map((e) => e.label), { ...options, testFraction: 0, seed: options.seed ?? 0 });
    const source = decoder.source(trainRows);
    const opts = { ...pipeline, defaultImageSize: DEFAULT_FILE_IMAGE_SIZE };
    train = new PipelineDataset(subsetSource(source, indices.train), classNames, { ...opts, training: true });
    val = new PipelineDataset(subsetSource(source, indices.val), classNames, { ...opts, training: false });
  }
  const splits: FileDatasetSplits = { train, val, classNames, explicitSplits: true, dispose };
  const testRows = bySplit('test');
  if (testRows.length > 0) splits.test = make(testRows, false);
  return splits;
}
