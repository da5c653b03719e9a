/** Pause/resume for an async loop: the loop awaits `wait()` between steps. */
export class PauseGate {
  private release: (() => void) | undefined;
  private pending: Promise<void> | undefined;

  get paused(): boolean {
    return this.pending !== undefined;
  }

  toggle(): void {
    if (this.paused) this.resume();
    else this.pending = new Promise((resolve) => (this.release = resolve));
  }

  resume(): void {
    this.release?.();
    this.release = undefined;
    this.pending = undefined;
  }

  wait(): Promise<void> {
    return this.pending ?? Promise.resolve();
  }
}
