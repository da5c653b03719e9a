/**
 * Waits until a video element has a frame to draw. A camera's stream starts before its first
 * frame arrives, so a capture right after "Start camera" (or a held record button) would find a
 * 0x0 video; it waits for the frame instead, and only a camera that sends none fails, saying so.
 */

/** What is read of the video element (an `HTMLVideoElement`; a stand-in in tests). */
export type FrameSource = Pick<HTMLVideoElement, 'readyState' | 'videoWidth' | 'videoHeight' | 'addEventListener' | 'removeEventListener'>;

/** How long a camera may take to send its first frame before capturing gives up. */
export const FIRST_FRAME_TIMEOUT_MS = 5_000;

/** `HTMLMediaElement.HAVE_CURRENT_DATA`: the element holds the current frame (not in Node's globals). */
const HAVE_CURRENT_DATA = 2;

/** Each of these may be the moment the first frame (and the video's size) is known. */
const FRAME_EVENTS = ['loadeddata', 'canplay', 'playing', 'resize'] as const;

export function hasFrame(video: FrameSource): boolean {
  return video.readyState >= HAVE_CURRENT_DATA && video.videoWidth > 0 && video.videoHeight > 0;
}

/** Resolves once `video` has a frame; rejects after `timeoutMs` without one. */
export function waitForFirstFrame(video: FrameSource, timeoutMs = FIRST_FRAME_TIMEOUT_MS): Promise<void> {
  if (hasFrame(video)) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const finish = (error?: Error) => {
      clearTimeout(timer);
      FRAME_EVENTS.forEach((type) => video.removeEventListener(type, check));
      if (error) reject(error);
      else resolve();
    };
    const check = () => {
      if (hasFrame(video)) finish();
    };
    const timer = setTimeout(
      () => finish(new Error(`The camera sent no picture within ${timeoutMs / 1000} s. Check that no other application uses it, or stop and start it again.`)),
      timeoutMs,
    );
    FRAME_EVENTS.forEach((type) => video.addEventListener(type, check));
  });
}
