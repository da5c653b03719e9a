import { sortClassNames } from './labels';

/** Extensions treated as images by folder sources (lower case, with dot). */
export const IMAGE_EXTENSIONS = ['.jpg', '.jpeg', '.png', '.webp', '.gif', '.avif', '.tif', '.tiff'] as const;

export interface ClassFolderEntry<T> {
  item: T;
  label: number;
}

/**
 * Groups items with paths like "photos/cat/1.jpg" (top folder first, as `File.webkitRelativePath`
 * gives them for a browser folder picker) by the folder under the top one ("cat"), the same
 * convention as the Node `imageFolder`: files in deeper subfolders belong to that class. Hidden
 * files/folders and non-image extensions are ignored; items directly in the top folder are ignored;
 * class names are sorted. Touches no file system.
 */
export function groupByClassFolder<T>(
  items: readonly T[],
  pathOf: (item: T) => string,
  extensions: readonly string[] = IMAGE_EXTENSIONS,
): { classNames: string[]; entries: ClassFolderEntry<T>[] } {
  const kept: { item: T; className: string }[] = [];
  for (const item of items) {
    const parts = pathOf(item).split(/[\\/]/).filter(Boolean);
    if (parts.length < 3 || parts.some((p) => p.startsWith('.'))) continue;
    const file = parts[parts.length - 1];
    const dot = file.lastIndexOf('.');
    if (dot < 0 || !extensions.includes(file.slice(dot).toLowerCase())) continue;
    kept.push({ item, className: parts[1] });
  }
  const classNames = sortClassNames(kept.map((k) => k.className));
  return { classNames, entries: kept.map((k) => ({ item: k.item, label: classNames.indexOf(k.className) })) };
}
