/**
 * Source of the decode worker, run with `new Worker(source, { eval: true })`. It is kept as a
 * CommonJS string rather than a separate module so the same code runs from the TypeScript sources
 * (tests) and from the tsup bundle without a loader or an extra emitted file. sharp is required by
 * the absolute path the main thread resolved.
 *
 * Protocol: { id, path, width, height, fit, minSide, maxPixels } -> { id, data } | { id, error }.
 */
export const DECODE_WORKER_SOURCE = String.raw`
const { parentPort, workerData } = require('node:worker_threads');
const fs = require('node:fs');
const sharp = require(workerData.sharpPath);
// One libvips thread per worker: the worker count is the parallelism knob.
sharp.concurrency(1);
sharp.cache(false);

async function decode(task) {
  let input;
  try {
    input = await fs.promises.readFile(task.path);
  } catch (error) {
    throw new Error('cannot read file (' + error.message + ')');
  }
  if (input.length === 0) throw new Error('file is empty');
  let meta;
  try {
    meta = await sharp(input, { limitInputPixels: false }).metadata();
  } catch (error) {
    throw new Error('not a readable image (' + error.message + ')');
  }
  const width = meta.width || 0;
  const height = meta.height || 0;
  if (Math.min(width, height) < task.minSide) {
    throw new Error('image is ' + width + 'x' + height + ', smaller than minSide ' + task.minSide + ' pixels');
  }
  if (width * height > task.maxPixels) {
    throw new Error('image is ' + width + 'x' + height + ' = ' + width * height + ' pixels, over maxPixels ' + task.maxPixels);
  }
  let output;
  try {
    output = await sharp(input, { limitInputPixels: task.maxPixels, pages: 1 })
      .rotate() // apply EXIF orientation
      .flatten({ background: '#ffffff' }) // composite any alpha onto white
      .toColourspace('srgb') // grayscale / palette / CMYK -> RGB
      .resize(task.width, task.height, { fit: task.fit === 'cover' ? 'cover' : 'fill', position: 'centre', kernel: 'linear' })
      .raw({ depth: 'uchar' }) // 16-bit -> 8-bit
      .toBuffer({ resolveWithObject: true });
  } catch (error) {
    throw new Error('cannot decode image (' + error.message + ')');
  }
  const { data, info } = output;
  const pixels = info.width * info.height;
  const rgb = new Uint8Array(pixels * 3);
  if (info.channels === 3) {
    rgb.set(data.subarray(0, pixels * 3));
  } else {
    for (let p = 0; p < pixels; p++) {
      const i = p * info.channels;
      const gray = info.channels < 3;
      rgb[p * 3] = data[i];
      rgb[p * 3 + 1] = gray ? data[i] : data[i + 1];
      rgb[p * 3 + 2] = gray ? data[i] : data[i + 2];
    }
  }
  return rgb;
}

parentPort.on('message', (task) => {
  decode(task).then(
    (data) => parentPort.postMessage({ id: task.id, data }, [data.buffer]),
    (error) => parentPort.postMessage({ id: task.id, error: error && error.message ? error.message : String(error) }),
  );
});
`;
