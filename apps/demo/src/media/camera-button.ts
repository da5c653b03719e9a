/**
 * A "Start camera" / "Stop camera" button over the page's one camera: its label and pressed
 * state follow the camera, whichever tab started or stopped it.
 */
import { h } from '../ui/dom';
import { describeError } from '../ui/notices';
import type { Camera } from './camera';

export function createCameraButton(camera: Camera, onError: (message: string) => void): HTMLButtonElement {
  const button = h('button', { type: 'button', class: 'secondary' });
  const show = (running: boolean) => {
    button.textContent = running ? 'Stop camera' : 'Start camera';
    button.setAttribute('aria-pressed', String(running));
  };
  button.addEventListener('click', async () => {
    button.disabled = true;
    try {
      await camera.toggle();
    } catch (error) {
      onError(describeError(error));
    } finally {
      button.disabled = false;
    }
  });
  camera.onChange(show);
  show(camera.running);
  return button;
}
