/**
 * Webcam capture: a video preview and "capture frame" as a PNG blob. Every failure of getUserMedia
 * becomes a sentence that says what to do.
 */
import { h } from '../ui/dom';

export class Webcam {
  readonly video: HTMLVideoElement;
  private stream: MediaStream | undefined;

  constructor() {
    this.video = h('video', { class: 'webcam', playsinline: true, muted: true, 'aria-label': 'Webcam preview', hidden: true });
  }

  get running(): boolean {
    return this.stream !== undefined;
  }

  async start(): Promise<void> {
    if (this.stream) return;
    if (!navigator.mediaDevices?.getUserMedia) {
      throw new Error('This browser gives no camera access here (a camera needs HTTPS or localhost). Upload images instead.');
    }
    try {
      this.stream = await navigator.mediaDevices.getUserMedia({ video: { width: 320, height: 240 }, audio: false });
    } catch (error) {
      throw new Error(describeCameraError(error));
    }
    this.video.srcObject = this.stream;
    this.video.hidden = false;
    await this.video.play();
  }

  stop(): void {
    this.stream?.getTracks().forEach((track) => track.stop());
    this.stream = undefined;
    this.video.srcObject = null;
    this.video.hidden = true;
  }

  /** The current frame as a PNG blob, cropped to a centred square. */
  async capture(): Promise<Blob> {
    if (!this.stream) throw new Error('Start the camera before capturing.');
    const { videoWidth: w, videoHeight: ht } = this.video;
    const side = Math.min(w, ht);
    const canvas = new OffscreenCanvas(side, side);
    canvas.getContext('2d')!.drawImage(this.video, (w - side) / 2, (ht - side) / 2, side, side, 0, 0, side, side);
    return canvas.convertToBlob({ type: 'image/png' });
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
