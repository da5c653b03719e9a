/**
 * Images are decoded when they are added, not when training starts: a broken or mislabelled
 * file is refused at once, naming it, and whoever adds an image gets its pixels right away.
 */
export interface DecodedImage {
  /** The file or captured frame as given; what is stored and trained on. */
  blob: Blob;
  /** What to call it in messages: the file name, or "camera frame". */
  name: string;
  /** Its decoded pixels. The receiver of `onImageAdded` may use them; they are closed after. */
  bitmap: ImageBitmap;
}

export class ImageDecodeError extends Error {
  constructor(readonly fileName: string) {
    super(`${fileName} could not be read as an image (damaged, or not really a PNG, JPEG, WebP or GIF); it was not added.`);
    this.name = 'ImageDecodeError';
  }
}

export async function decodeImage(blob: Blob, name: string): Promise<DecodedImage> {
  try {
    return { blob, name, bitmap: await createImageBitmap(blob) };
  } catch {
    throw new ImageDecodeError(name);
  }
}

/** Decodes each file; the good ones come back in order, the bad ones as one message naming them. */
export async function decodeAll(files: { blob: Blob; name: string }[]): Promise<{ images: DecodedImage[]; refused?: string }> {
  const results = await Promise.allSettled(files.map((f) => decodeImage(f.blob, f.name)));
  const images = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
  const bad = results.flatMap((r, i) => (r.status === 'rejected' ? [files[i].name] : []));
  if (bad.length === 0) return { images };
  const refused =
    bad.length === 1
      ? (results.find((r) => r.status === 'rejected') as PromiseRejectedResult).reason.message
      : `${bad.join(', ')} could not be read as images (damaged, or not really PNG, JPEG, WebP or GIF); they were not added.`;
  return { images, refused };
}
