/**
 * Accessible tabs (WAI-ARIA tabs pattern): arrow keys, Home and End move between tabs, only the
 * selected tab is in the tab order.
 */
import { h } from './dom';

export interface TabSpec {
  id: string;
  label: string;
  panel: HTMLElement;
}

export function createTabs(tabs: TabSpec[], onSelect?: (id: string) => void): { element: HTMLElement; select: (id: string) => void } {
  const buttons = tabs.map((tab) =>
    h('button', { type: 'button', role: 'tab', id: `tab-${tab.id}`, 'aria-controls': `panel-${tab.id}` }, tab.label),
  );
  const panels = tabs.map((tab) => {
    const panel = h('section', { role: 'tabpanel', id: `panel-${tab.id}`, 'aria-labelledby': `tab-${tab.id}`, tabindex: 0 }, tab.panel);
    return panel;
  });

  const select = (id: string, focus = false) => {
    tabs.forEach((tab, i) => {
      const selected = tab.id === id;
      buttons[i].setAttribute('aria-selected', String(selected));
      buttons[i].tabIndex = selected ? 0 : -1;
      panels[i].hidden = !selected;
      if (selected && focus) buttons[i].focus();
    });
    onSelect?.(id);
  };

  buttons.forEach((button, i) => {
    button.addEventListener('click', () => select(tabs[i].id));
    button.addEventListener('keydown', (event) => {
      const moves: Record<string, number> = { ArrowRight: i + 1, ArrowLeft: i - 1, Home: 0, End: tabs.length - 1 };
      if (!(event.key in moves)) return;
      event.preventDefault();
      const next = (moves[event.key] + tabs.length) % tabs.length;
      select(tabs[next].id, true);
    });
  });

  select(tabs[0].id);
  const tablist = h('div', { role: 'tablist', 'aria-label': 'Sections', class: 'tablist' }, ...buttons);
  return { element: h('div', { class: 'tabs' }, tablist, ...panels), select: (id) => select(id) };
}
