/**
 * Source of the decode worker, run with `new Worker(source, { eval: true })`. It is kept as a
 * CommonJS string rather than a separate module so the same code runs from the TypeScript sources
 * (tests) and from the tsup bundle without a loader or an extra emitted file. sharp and the wasm
 * JPEG decoder are loaded from the absolute paths the main thread resolved.
 *
 * Protocol: { id, path, width, height, fit, minSide, maxPixels } -> { id, data, via } | { id, error },
 * where `via` names the decoder: 'sharp' or 'wasmJpeg'.
 */
export const DECODE_WORKER_SOURCE = String.raw`
const { parentPort, workerData } = require('node:worker_threads');
const fs = require('node:fs');
const sharp = require(workerData.sharpPath);
// One libvips thread per worker: the worker count is the parallelism knob.
sharp.concurrency(1);
sharp.cache(false);

// Width and height from a JPEG's frame header or a PNG's IHDR, else null (then sharp reads them).
// sharp's metadata() is a whole pipeline: for a 64x64 JPEG it costs a third of the decode itself.
// For a JPEG, also what decides whether it may skip sharp altogether (see decodePlainJpeg).
function readHeader(bytes) {
  if (bytes.length > 24 && bytes.readUInt32BE(0) === 0x89504e47 && bytes.toString('latin1', 12, 16) === 'IHDR') {
    return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
  }
  if (bytes.length < 4 || bytes[0] !== 0xff || bytes[1] !== 0xd8) return null;
  // Plain: no EXIF (orientation), no ICC profile, no Adobe colour transform, ends with EOI.
  let plain = bytes[bytes.length - 2] === 0xff && bytes[bytes.length - 1] === 0xd9;
  let at = 2;
  while (at + 4 <= bytes.length) {
    if (bytes[at] !== 0xff) return null;
    const marker = bytes[at + 1];
    if (marker === 0xff) { at += 1; continue; } // fill byte
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd9)) { at += 2; continue; } // no length
    if (marker === 0xda) return null; // scan data before any frame header
    const isFrame = marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
    if (!isFrame) {
      const tag = bytes.toString('latin1', at + 4, at + 15);
      if ((marker === 0xe1 && tag.startsWith('Exif')) || (marker === 0xe2 && tag === 'ICC_PROFILE') || marker === 0xee) plain = false;
      at += 2 + bytes.readUInt16BE(at + 2);
      continue;
    }
    if (at + 10 > bytes.length) return null;
    // A height of 0 comes with a DNL marker later in the file: let sharp read it.
    const height = bytes.readUInt16BE(at + 5);
    const width = bytes.readUInt16BE(at + 7);
    if (width === 0 || height === 0) return null;
    const components = bytes[at + 9];
    return { width, height, plainJpeg: plain && bytes[at + 4] === 8 && (components === 1 || components === 3) };
  }
  return null;
}

// libjpeg-turbo compiled to wasm (@jsquash/jpeg: mozjpeg's decoder), loaded on first use; null
// when the package is missing. A plain JPEG already at the target size needs no pipeline, and
// sharp's costs ~0.5 ms per call whatever the image: this decodes a 64x64 SIGNS JPEG in ~0.1 ms,
// to the same pixels (bit-identical to sharp's on SIGNS; the tests compare them).
let jpegDecoder;
let libjpegWarnings = 0;
function loadJpegDecoder() {
  jpegDecoder ??= (async () => {
    if (!workerData.jpegDecoder) return null;
    const { pathToFileURL } = require('node:url');
    const codec = await import(pathToFileURL(workerData.jpegDecoder.module).href);
    const wasm = await WebAssembly.compile(fs.readFileSync(workerData.jpegDecoder.wasm));
    // libjpeg reports recoverable damage (a truncated scan, bad data) as warnings on stderr.
    await codec.init(wasm, { print: () => {}, printErr: () => { libjpegWarnings++; } });
    return codec.default;
  })().catch(() => null);
  return jpegDecoder;
}

// RGB bytes of a plain JPEG at the target size, or null to let sharp decode (and judge) it.
async function decodePlainJpeg(bytes, width, height) {
  const decodeJpeg = await loadJpegDecoder();
  if (!decodeJpeg) return null;
  const warningsBefore = libjpegWarnings;
  let image;
  try {
    image = await decodeJpeg(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length));
  } catch {
    return null;
  }
  if (libjpegWarnings !== warningsBefore) return null; // damaged: sharp decides
  if (image.width !== width || image.height !== height) return null;
  const rgba = image.data;
  const pixels = image.width * image.height;
  const rgb = new Uint8Array(pixels * 3);
  for (let p = 0; p < pixels; p++) {
    rgb[p * 3] = rgba[p * 4];
    rgb[p * 3 + 1] = rgba[p * 4 + 1];
    rgb[p * 3 + 2] = rgba[p * 4 + 2];
  }
  return rgb;
}

async function decode(task) {
  let input;
  try {
    input = await fs.promises.readFile(task.path);
  } catch (error) {
    throw new Error('cannot read file (' + error.message + ')');
  }
  if (input.length === 0) throw new Error('file is empty');
  const header = readHeader(input);
  let size = header;
  if (!size) {
    try {
      size = await sharp(input, { limitInputPixels: false }).metadata();
    } catch (error) {
      throw new Error('not a readable image (' + error.message + ')');
    }
  }
  const width = size.width || 0;
  const height = size.height || 0;
  if (Math.min(width, height) < task.minSide) {
    throw new Error('image is ' + width + 'x' + height + ', smaller than minSide ' + task.minSide + ' pixels');
  }
  if (width * height > task.maxPixels) {
    throw new Error('image is ' + width + 'x' + height + ' = ' + width * height + ' pixels, over maxPixels ' + task.maxPixels);
  }
  if (header && header.plainJpeg && width === task.width && height === task.height) {
    const rgb = await decodePlainJpeg(input, width, height);
    if (rgb) return { rgb, via: 'wasmJpeg' };
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
  return { rgb, via: 'sharp' };
}

// Decodes at once per worker. A decode is a few asynchronous hops (header, pipeline); with several
// in progress the worker overlaps them (864 SIGNS 64x64 JPEGs on one worker: 1.06 s -> 0.65 s).
// The tasks beyond these wait here as descriptors: the memory bound on images being decoded.
const CONCURRENT_DECODES = 4;
const waiting = [];
let running = 0;

function pump() {
  while (running < CONCURRENT_DECODES && waiting.length > 0) {
    const task = waiting.shift();
    running++;
    decode(task).then(
      ({ rgb, via }) => parentPort.postMessage({ id: task.id, data: rgb, via }, [rgb.buffer]),
      (error) => parentPort.postMessage({ id: task.id, error: error && error.message ? error.message : String(error) }),
    ).finally(() => {
      running--;
      pump();
    });
  }
}

parentPort.on('message', (task) => {
  waiting.push(task);
  pump();
});
`;
