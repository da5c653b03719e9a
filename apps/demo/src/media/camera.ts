/**
 * The page's one camera. Both tabs use this object, so starting or stopping it anywhere is seen
 * everywhere (each tab draws its controls from `running` and `onChange`), and every place that
 * uses it shows a live preview of the same stream. Every failure of getUserMedia becomes a
 * sentence that says what to do.
 */
import { h } from '../ui/dom';
import { waitForFirstFrame } from './first-frame';

type Listener = (running: boolean) => void;

export class Camera {
  private stream: MediaStream | undefined;
  /** Frames are captured from this element; it plays whenever the camera runs. */
  private readonly source: HTMLVideoElement;
  private readonly previews = new Set<HTMLVideoElement>();
  private readonly listeners = new Set<Listener>();

  constructor() {
    this.source = h('video', { playsinline: true, muted: true });
    this.source.muted = true;
  }

  get running(): boolean {
    return this.stream !== undefined;
  }

  onChange(listener: Listener): void {
    this.listeners.add(listener);
  }

  /** A live preview of the camera for one place on the page; hidden while the camera is off. */
  createPreview(label: string): HTMLVideoElement {
    const video = h('video', { class: 'webcam', playsinline: true, muted: true, 'aria-label': label, hidden: true, 'data-testid': 'camera-preview' });
    video.muted = true;
    this.previews.add(video);
    if (this.stream) void this.show(video, this.stream);
    return video;
  }

  async start(): Promise<void> {
    if (this.stream) return;
    if (!navigator.mediaDevices?.getUserMedia) {
      throw new Error('This browser gives no camera access here (a camera needs HTTPS or localhost). Upload images instead.');
    }
    let stream: MediaStream;
    try {
      stream = await navigator.mediaDevices.getUserMedia({ video: { width: 320, height: 240 }, audio: false });
    } catch (error) {
      throw new Error(describeCameraError(error));
    }
    this.stream = stream;
    await Promise.all([this.source, ...this.previews].map((video) => this.show(video, stream)));
    this.listeners.forEach((listener) => listener(true));
  }

  stop(): void {
    if (!this.stream) return;
    this.stream.getTracks().forEach((track) => track.stop());
    this.stream = undefined;
    for (const video of [this.source, ...this.previews]) {
      video.srcObject = null;
      video.hidden = video !== this.source;
    }
    this.listeners.forEach((listener) => listener(false));
  }

  async toggle(): Promise<void> {
    if (this.running) this.stop();
    else await this.start();
  }

  /** The current frame as a PNG blob, cropped to a centred square; right after the start, the first frame. */
  async capture(): Promise<Blob> {
    if (!this.stream) throw new Error('Start the camera before capturing.');
    await waitForFirstFrame(this.source);
    if (!this.stream) throw new Error('The camera was stopped before it sent a picture.');
    const { videoWidth: w, videoHeight: ht } = this.source;
    const side = Math.min(w, ht);
    const canvas = new OffscreenCanvas(side, side);
    canvas.getContext('2d')!.drawImage(this.source, (w - side) / 2, (ht - side) / 2, side, side, 0, 0, side, side);
    return canvas.convertToBlob({ type: 'image/png' });
  }

  private async show(video: HTMLVideoElement, stream: MediaStream): Promise<void> {
    video.srcObject = stream;
    video.hidden = false;
    // A preview in a hidden tab may refuse to play until shown; the stream itself runs anyway.
    await video.play().catch(() => undefined);
  }
}

function describeCameraError(error: unknown): string {
  const name = error instanceof DOMException ? error.name : '';
  switch (name) {
    case 'NotAllowedError':
    case 'SecurityError':
      return 'Camera permission was denied. Allow the camera for this site, or upload images instead.';
    case 'NotFoundError':
    case 'OverconstrainedError':
      return 'No camera was found. Connect one, or upload images instead.';
    case 'NotReadableError':
      return 'The camera is in use by another application. Close it and try again.';
    default:
      return `The camera could not start (${error instanceof Error ? error.message : String(error)}). Upload images instead.`;
  }
}
