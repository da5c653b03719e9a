/**
 * The page's message area: errors are announced (role=alert) and stay until dismissed or replaced;
 * info messages go to a polite live region.
 */
import { h } from './dom';

export interface NoticeAction {
  label: string;
  run: () => void;
}

export class Notices {
  readonly element: HTMLElement;
  private readonly errorBox: HTMLElement;
  private readonly infoBox: HTMLElement;

  constructor() {
    this.errorBox = h('div', { class: 'notice error', role: 'alert', 'data-testid': 'error', hidden: true });
    this.infoBox = h('div', { class: 'notice info', role: 'status', 'aria-live': 'polite', 'data-testid': 'info' });
    this.element = h('div', { class: 'notices' }, this.errorBox, this.infoBox);
  }

  /** Shows `message`; `action` adds a button that offers the way out (it clears the message first). */
  error(message: string, action?: NoticeAction): void {
    const dismiss = h('button', { type: 'button', class: 'link', onClick: () => this.clearError() }, 'Dismiss');
    const run = () => {
      this.clearError();
      action?.run();
    };
    const act = action && h('button', { type: 'button', class: 'primary', onClick: run }, action.label);
    this.errorBox.replaceChildren(h('span', {}, message), ' ', ...(act ? [act, ' '] : []), dismiss);
    this.errorBox.hidden = false;
  }

  clearError(): void {
    this.errorBox.hidden = true;
    this.errorBox.replaceChildren();
  }

  info(message: string): void {
    this.infoBox.textContent = message;
  }
}

/** Turns anything thrown into a sentence a person can act on. */
export function describeError(error: unknown): string {
  if (error instanceof Error) return error.message || error.name;
  // tfjs's wasm loader rejects with a plain `{ message }` object.
  if (typeof error === 'object' && error !== null && typeof (error as { message?: unknown }).message === 'string') {
    return (error as { message: string }).message;
  }
  return String(error);
}
