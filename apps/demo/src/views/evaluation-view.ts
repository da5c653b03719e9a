/**
 * After training on "My images": the held-out images' accuracy per class and the confusion matrix
 * (rows: the true class, columns: the prediction), plus the warnings about classes with too few
 * images. Plain DOM tables: readable by screen readers and on a phone, nothing to download.
 */
import type { EvaluationResult } from '@resnet-ts/trainer';
import { h } from '../ui/dom';
import './evaluation.css';

const percent = (x: number) => `${(x * 100).toFixed(0)} %`;

export class EvaluationView {
  readonly element: HTMLElement;

  constructor() {
    this.element = h('section', { class: 'evaluation', 'data-testid': 'evaluation', 'aria-label': 'Held-out evaluation', hidden: true });
  }

  clear(): void {
    this.element.hidden = true;
    this.element.replaceChildren();
    delete this.element.dataset.accuracy;
  }

  /** Warnings before any result (e.g. while training runs). */
  showWarnings(warnings: readonly string[]): void {
    this.element.hidden = warnings.length === 0;
    this.element.replaceChildren(warningList(warnings));
  }

  show(result: EvaluationResult | undefined, warnings: readonly string[]): void {
    this.element.hidden = false;
    if (!result || result.count === 0) {
      this.element.replaceChildren(h('h3', {}, 'Held-out images'), h('p', { class: 'hint' }, 'No image was held out: add at least 2 images to each class.'), warningList(warnings));
      return;
    }
    const correct = result.confusion.reduce((sum, row, c) => sum + row[c], 0);
    this.element.dataset.accuracy = String(result.accuracy);
    this.element.replaceChildren(
      h('h3', {}, 'Held-out images'),
      h(
        'p',
        { 'data-testid': 'holdout-accuracy' },
        `Accuracy on ${result.count} held-out image${result.count === 1 ? '' : 's'} (not used for training): ${percent(result.accuracy)} (${correct}/${result.count}).`,
      ),
      warningList(warnings),
      perClassTable(result),
      confusionTable(result),
    );
  }
}

function warningList(warnings: readonly string[]): HTMLElement | string {
  if (warnings.length === 0) return '';
  return h('ul', { class: 'holdout-warnings', 'data-testid': 'holdout-warnings' }, ...warnings.map((w) => h('li', {}, w)));
}

function perClassTable(result: EvaluationResult): HTMLElement {
  return h(
    'table',
    { class: 'eval-table', 'data-testid': 'per-class' },
    h('caption', {}, 'Per class'),
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Class'), h('th', { scope: 'col' }, 'Held out'), h('th', { scope: 'col' }, 'Correct'), h('th', { scope: 'col' }, 'Accuracy'))),
    h(
      'tbody',
      {},
      ...result.perClass.map((m, c) =>
        h(
          'tr',
          { 'data-class': m.className },
          h('th', { scope: 'row' }, m.className),
          h('td', {}, String(m.support)),
          h('td', {}, String(result.confusion[c][c])),
          h('td', {}, m.support === 0 ? '—' : percent(m.recall)),
        ),
      ),
    ),
  );
}

function confusionTable(result: EvaluationResult): HTMLElement {
  const names = result.classNames;
  return h(
    'div',
    { class: 'table-scroll', tabindex: 0, role: 'region', 'aria-label': 'Confusion matrix' },
    h(
      'table',
      { class: 'eval-table confusion', 'data-testid': 'confusion' },
      h('caption', {}, 'Confusion matrix: rows are the true class, columns the prediction'),
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'true \\ predicted'), ...names.map((n) => h('th', { scope: 'col' }, n)))),
      h(
        'tbody',
        {},
        ...result.confusion.map((row, r) =>
          h(
            'tr',
            {},
            h('th', { scope: 'row' }, names[r]),
            ...row.map((count, c) => h('td', { class: count === 0 ? 'zero' : r === c ? 'hit' : 'miss' }, String(count))),
          ),
        ),
      ),
    ),
  );
}
