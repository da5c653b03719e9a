import { describe, expect, it } from 'vitest';
import { waitForFirstFrame, type FrameSource } from '../src/media/first-frame';

/** A video element's stand-in: a camera stream that has started but sent no frame yet. */
class StartingVideo extends EventTarget {
  readyState = 0;
  videoWidth = 0;
  videoHeight = 0;

  /** The first frame arrives: the size is known, then `loadeddata` fires. */
  deliverFrame(): void {
    [this.videoWidth, this.videoHeight, this.readyState] = [320, 240, 2];
    this.dispatchEvent(new Event('loadeddata'));
  }
}

const asSource = (video: StartingVideo) => video as unknown as FrameSource;

describe('waiting for the camera\'s first frame', () => {
  it('resolves at once when the video already shows a frame', async () => {
    const video = new StartingVideo();
    video.deliverFrame();
    await expect(waitForFirstFrame(asSource(video), 50)).resolves.toBeUndefined();
  });

  it('waits for the first frame instead of failing on a 0x0 video', async () => {
    const video = new StartingVideo();
    let done = false;
    const waiting = waitForFirstFrame(asSource(video), 60_000).then(() => (done = true));
    // The size alone (metadata, no frame yet) is not enough.
    [video.videoWidth, video.videoHeight, video.readyState] = [320, 240, 1];
    video.dispatchEvent(new Event('resize'));
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(done).toBe(false);
    video.deliverFrame();
    await waiting;
    expect(done).toBe(true);
  });

  it('gives up with a clear message when the camera sends no frame', async () => {
    const video = new StartingVideo();
    await expect(waitForFirstFrame(asSource(video), 20)).rejects.toThrow('The camera sent no picture within 0.02 s. Check that no other application uses it, or stop and start it again.');
  });
});
