import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { renderReport } from '../src/report/html';
import { crc32, encodePng, zlibStore } from '../src/report/png';

describe('report', () => {
  it('stored-deflate zlib streams inflate back to the input, across 64 KiB blocks', () => {
    const bytes = Uint8Array.from({ length: 70_000 }, (_, i) => (i * 31) % 251);
    expect(new Uint8Array(inflateSync(zlibStore(bytes)))).toEqual(bytes);
  });

  it('encodes a valid PNG: signature, IHDR, checksummed chunks, raw rows with filter bytes', () => {
    const pixels = Uint8Array.from([255, 0, 0, 0, 255, 0, 0, 0, 255, 9, 9, 9]);
    const png = encodePng(pixels, 2, 2, 3);
    expect(Array.from(png.subarray(0, 8))).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    const view = new DataView(png.buffer);
    expect(view.getUint32(16)).toBe(2);
    expect(view.getUint32(20)).toBe(2);
    expect(view.getUint32(29)).toBe(crc32(png, 12, 29));
    const idatLength = view.getUint32(33);
    const raw = new Uint8Array(inflateSync(png.subarray(41, 41 + idatLength)));
    expect(Array.from(raw)).toEqual([0, 255, 0, 0, 0, 255, 0, 0, 0, 0, 255, 9, 9, 9]);
  });

  it('renders curves, confusion matrix, per-class table and images without scripts or links', () => {
    const html = renderReport({
      title: 'Run <1>',
      history: [
        { epoch: 0, step: 5, loss: 1, accuracy: 0.5, val_loss: 1.1, val_accuracy: 0.4, lr: 0.01, seconds: 1, imagesPerSecond: 10 },
        { epoch: 1, step: 10, loss: 0.5, accuracy: 0.8, val_loss: 0.7, val_accuracy: 0.7, lr: 0.005, seconds: 1, imagesPerSecond: 10 },
      ],
      steps: [
        { step: 1, epoch: 0, loss: 1.2, accuracy: 0.3, lr: 0.01 },
        { step: 6, epoch: 1, loss: 0.6, accuracy: 0.7, lr: 0.005 },
      ],
      evaluation: {
        loss: 0.7, accuracy: 0.5, count: 2, classNames: ['cat', 'dog'],
        perClass: [
          { className: 'cat', precision: 1, recall: 0.5, f1: 2 / 3, support: 2 },
          { className: 'dog', precision: 0, recall: 0, f1: 0, support: 0 },
        ],
        macro: { precision: 0.5, recall: 0.25, f1: 1 / 3 },
        confusion: [[1, 1], [0, 0]],
        misclassified: [{ index: 1, label: 0, predicted: 1, confidence: 0.9, pixels: new Float32Array(12).fill(0.5), shape: [2, 2, 3] }],
      },
    });
    expect(html).toContain('<title>Run &lt;1&gt;</title>');
    expect((html.match(/<svg/g) ?? []).length).toBe(5);
    expect(html).toContain('<td>cat</td>');
    expect(html).toContain('true cat, predicted dog: 1 (50.0%)');
    expect(html).toMatch(/<img alt="true cat, predicted dog" src="data:image\/png;base64,/);
    expect(html).not.toMatch(/<script|https?:\/\//);
  });
});
