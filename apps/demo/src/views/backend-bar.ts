/**
 * The header's backend control: shows the active backend with its details (SIMD, threads, GPU)
 * and switches backend on request. Switching is refused while training runs.
 */
import { BACKEND_ORDER, describeBackend, isBackendName } from '../backend/backends';
import { switchBackend } from '../backend/switch-backend';
import type { AppState } from '../state/app-state';
import { field, h, select } from '../ui/dom';
import { describeError, type Notices } from '../ui/notices';

export async function createBackendBar(state: AppState, notices: Notices): Promise<HTMLElement> {
  const picker = select(BACKEND_ORDER.map((b) => ({ value: b, label: b })), '', { 'data-testid': 'backend-picker' });
  const status = h('output', { class: 'backend-status', 'data-testid': 'backend-status', for: '' });

  const show = async () => {
    const info = await describeBackend();
    picker.value = info.name;
    status.dataset.backend = info.name;
    status.textContent = [info.name, ...info.details].join(' · ');
  };

  picker.addEventListener('change', async () => {
    const wanted = picker.value;
    if (!isBackendName(wanted)) return;
    if (state.busy) {
      notices.error('Stop training before switching backend.');
      return show();
    }
    try {
      if (!(await switchBackend(wanted, state.current?.model))) notices.error(`The ${wanted} backend could not start in this browser; staying on the current one.`);
      else {
        notices.info(`Now running on ${wanted}.`);
        state.backendChanged(wanted);
      }
    } catch (error) {
      notices.error(describeError(error));
    }
    await show();
  });

  // Switched elsewhere (the Train tab's "try the next backend"): show it here too.
  state.onBackendChange(() => void show());
  await show();
  return h('div', { class: 'backend-bar' }, field('Backend', picker), status);
}
