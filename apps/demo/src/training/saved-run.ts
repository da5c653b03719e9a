/**
 * The note of the resumable run kept in the session store: "Resume the saved run" is enabled only
 * while there is one, and a run on the user's images resumes only with the classes it was
 * trained on.
 */
import type { RecipeWithData } from '@resnet-ts/trainer';
import { notedRecipe } from '../state/run-recipe';
import type { SavedRunNote, SessionStore } from '../storage/session-store';

export class SavedRun {
  private note: SavedRunNote | null = null;
  private running = false;

  constructor(
    private readonly session: SessionStore,
    private readonly button: HTMLButtonElement,
  ) {}

  async load(): Promise<void> {
    this.note = (await this.session.get('savedRun')) ?? null;
    this.showAvailability();
  }

  /** After a run with checkpoints ended (done or stopped): its `last` checkpoint is stored. */
  async remember(classNames: string[], step: number, { model, data, training }: RecipeWithData): Promise<void> {
    this.note = { classNames: [...classNames], step, savedAt: new Date().toISOString(), recipe: { model, data, training } };
    this.showAvailability();
    // The checkpoint itself is stored; if this note is not, Resume still works until a reload.
    await this.session.put('savedRun', this.note).catch(() => undefined);
  }

  /** The store had no checkpoint after all (cleared by the browser): stop offering it. */
  async forget(): Promise<void> {
    this.note = null;
    this.showAvailability();
    await this.session.put('savedRun', null).catch(() => undefined);
  }

  /** The saved run's recipe, for the form after a reload; undefined without one (or an unreadable one). */
  get recipe(): RecipeWithData | undefined {
    return notedRecipe(this.note?.recipe);
  }

  /** For the status line after a reload: what can be resumed, or null when nothing is saved. */
  get summary(): string | null {
    if (!this.note) return null;
    return `A run saved at step ${this.note.step} (${new Date(this.note.savedAt).toLocaleString()}) can be resumed: press "Resume the saved run".`;
  }

  /** While training the button is off; otherwise on exactly when a run is saved. */
  setRunning(running: boolean): void {
    this.running = running;
    this.showAvailability();
  }

  showAvailability(): void {
    this.button.disabled = this.running || this.note === null;
    this.button.title = this.note ? `Continue the run saved at step ${this.note.step} (${new Date(this.note.savedAt).toLocaleString()})` : 'No run is saved in this browser yet: tick "Save checkpoints" and train.';
  }

  /** A run on the user's images continues only on the same classes, in the same order. */
  static checkClasses(saved: string[], current: string[]): void {
    if (saved.length === current.length && saved.every((name, i) => name === current[i])) return;
    throw new Error(
      `The saved run was trained on the classes ${saved.join(', ')}; "My images" now has ${current.length > 0 ? current.join(', ') : 'no images'}. ` +
        'Put the same classes back (with images) to resume, or press Train for a new run.',
    );
  }
}
