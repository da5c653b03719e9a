/**
 * Teachable Machine's "hold to record": while the pointer is down on the button, a frame is
 * captured every 1/fps seconds; releasing (or leaving, or a cancelled touch) stops. A click or
 * Enter/Space without holding captures one frame, so keyboard users can record too.
 */
export interface HoldToRecordOptions {
  fps: number;
  capture: () => Promise<void>;
  /** Told when recording starts and stops (to show "recording" on the button). */
  onRecording?: (recording: boolean) => void;
}

export const RECORD_FPS = 6;

export function holdToRecord(button: HTMLButtonElement, { fps, capture, onRecording }: HoldToRecordOptions): void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let recording = false;
  // One capture at a time: a slow encode must not pile up frames.
  const tick = async () => {
    if (!recording) return;
    await capture();
    if (recording) timer = setTimeout(tick, 1000 / fps);
  };
  const stop = () => {
    if (!recording) return;
    recording = false;
    clearTimeout(timer);
    onRecording?.(false);
  };
  button.addEventListener('pointerdown', (event) => {
    if (button.disabled || event.button !== 0) return;
    button.setPointerCapture?.(event.pointerId);
    recording = true;
    onRecording?.(true);
    void tick();
  });
  for (const type of ['pointerup', 'pointercancel', 'lostpointercapture'] as const) button.addEventListener(type, stop);
  button.addEventListener('keydown', (event) => {
    if (event.key !== 'Enter' && event.key !== ' ') return;
    event.preventDefault();
    if (!event.repeat && !button.disabled) void capture();
  });
}
