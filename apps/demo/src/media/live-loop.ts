/**
 * Live prediction from the camera: classifies one frame, then the next as soon as that is done
 * (never two at once, so a slow backend shows fewer frames, not a growing queue). It stops when
 * asked, when the camera stops, or when the step throws.
 */
export class LiveLoop {
  private active = false;
  private frames = 0;

  constructor(
    private readonly step: () => Promise<void>,
    private readonly onStateChange: (active: boolean) => void,
    private readonly onError: (error: unknown) => void,
  ) {}

  get running(): boolean {
    return this.active;
  }

  /** Frames classified since the loop last started. */
  get frameCount(): number {
    return this.frames;
  }

  start(): void {
    if (this.active) return;
    this.active = true;
    this.frames = 0;
    this.onStateChange(true);
    void this.run();
  }

  stop(): void {
    if (!this.active) return;
    this.active = false;
    this.onStateChange(false);
  }

  private async run(): Promise<void> {
    while (this.active) {
      try {
        await this.step();
        this.frames++;
      } catch (error) {
        this.stop();
        this.onError(error);
        return;
      }
      // Let the page paint and handle input between frames.
      await new Promise((resolve) => requestAnimationFrame(() => resolve(undefined)));
    }
  }
}
