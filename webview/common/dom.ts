/**
 * Building DOM without innerHTML: text goes in as text, so nothing a finding says
 * (messages quote code) can become markup in the page. The one exception is
 * `markdownBlock`, whose HTML comes from markdown.ts with raw HTML disabled.
 * Controls are @vscode-elements components (elements.ts), which draw themselves in
 * the theme's colours; icons are codicons, never emoji (a machine without an emoji
 * font shows those as boxes).
 */
import './elements';
import { renderMarkdown } from './markdown';

type Child = Node | string | number | null | undefined | false | Child[];

export interface Props {
  class?: string;
  /** Attributes, set as they are (`aria-*`, `data-*`, `type`, …); undefined ones are skipped. */
  attrs?: Record<string, string | undefined>;
  onClick?: () => void;
}

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, props: Props = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  if (props.class) element.className = props.class;
  for (const [name, value] of Object.entries(props.attrs ?? {})) if (value !== undefined) element.setAttribute(name, value);
  if (props.onClick) element.addEventListener('click', props.onClick);
  element.append(...nodes(children));
  return element;
}

function nodes(children: Child[]): Array<Node | string> {
  return children.flatMap((child): Array<Node | string> => {
    if (child === null || child === undefined || child === false) return [];
    if (Array.isArray(child)) return nodes(child);
    return [typeof child === 'number' ? String(child) : child];
  });
}

export interface ButtonOptions extends Omit<Props, 'onClick'> {
  /** A codicon's name (`thumbsup`), drawn before the label in the button's own colour. */
  icon?: string;
  secondary?: boolean;
  disabled?: boolean;
}

/**
 * A vscode-button: a `role="button"` element in the tab order that Enter and Space
 * press, in the theme's button colours. A disabled one ignores clicks as well.
 */
export function button(label: Child, onClick: () => void, options: ButtonOptions = {}): HTMLElement {
  const element = h('vscode-button', { class: options.class, attrs: options.attrs }, label);
  if (options.icon) element.setAttribute('icon', options.icon);
  if (options.secondary) element.setAttribute('secondary', '');
  if (options.disabled) element.setAttribute('disabled', '');
  element.addEventListener('click', () => {
    if (!element.hasAttribute('disabled')) onClick();
  });
  return element;
}

/** A button that looks like a link (a file:line), for places where a row of buttons would be noise. */
export function linkButton(label: string, onClick: () => void, attrs: Record<string, string | undefined> = {}): HTMLButtonElement {
  return h('button', { class: 'link', attrs: { type: 'button', ...attrs }, onClick }, label);
}

/** A codicon in the current text colour; decorative unless given a label. */
export function icon(name: string, label?: string): HTMLElement {
  return h('span', { class: `codicon codicon-${name}`, attrs: label ? { role: 'img', 'aria-label': label, title: label } : { 'aria-hidden': 'true' } });
}

/** A count in a vscode-badge, beside a heading. */
export function badge(value: number): HTMLElement {
  return h('vscode-badge', { attrs: { variant: 'counter' } }, String(value));
}

/**
 * A message's Markdown as HTML (markdown.ts: no raw HTML, no image, links with no
 * href of their own). Its links are handed to `openLink`, which asks the extension.
 */
export function markdownBlock(source: string, openLink: (url: string) => void, className = 'message markdown'): HTMLElement {
  const block = h('div', { class: className });
  block.innerHTML = renderMarkdown(source);
  for (const link of block.querySelectorAll<HTMLAnchorElement>('a[data-href]')) {
    link.addEventListener('click', (event) => {
      event.preventDefault();
      openLink(link.dataset.href!);
    });
  }
  return block;
}

/** A vscode-single-select with its vscode-label, calling `onChange` with the chosen value. */
export function labelledSelect(label: string, id: string, options: Array<[string, string]>, value: string, onChange: (value: string) => void): HTMLElement {
  const select = h('vscode-single-select', { attrs: { id, 'data-focus': id, 'aria-label': label } },
    ...options.map(([optionValue, text]) => h('vscode-option', { attrs: { value: optionValue, selected: optionValue === value ? '' : undefined } }, text)));
  select.addEventListener('change', () => onChange(select.value));
  return h('span', { class: 'field' }, h('vscode-label', { attrs: { for: id } }, label), select);
}

/**
 * Moves the keyboard focus into a vscode-textfield: its input is in its shadow root,
 * and the host itself takes no focus. `document.activeElement` is the host then.
 */
export function focusTextfield(field: HTMLElement): void {
  const focusInput = () => field.shadowRoot?.querySelector('input')?.focus();
  const update = (field as HTMLElement & { updateComplete?: Promise<unknown> }).updateComplete;
  if (update) void update.then(focusInput);
  else focusInput();
}

/**
 * Replaces the root's content, keeping keyboard focus on the element with the same
 * `data-focus` key as before: a list re-rendered under the user's cursor must not
 * throw the focus back to the top of the page.
 */
export function replaceContent(root: HTMLElement, ...children: Child[]): void {
  const focused = document.activeElement instanceof HTMLElement ? document.activeElement.dataset.focus : undefined;
  root.replaceChildren(...nodes(children));
  if (!focused) return;
  const again = root.querySelector<HTMLElement>(`[data-focus="${CSS.escape(focused)}"]`);
  if (again?.tagName === 'VSCODE-TEXTFIELD') focusTextfield(again);
  else again?.focus();
}

/** A state message with an optional action: empty, loading (with a progress ring), error. */
export function statusBlock(message: string, detail?: string, action?: HTMLElement, options: { busy?: boolean } = {}): HTMLElement {
  return h('div', { class: 'status', attrs: { role: 'status', 'aria-busy': options.busy ? 'true' : undefined } },
    h('p', { class: 'status-message' }, options.busy ? h('vscode-progress-ring', { attrs: { 'aria-hidden': 'true' } }) : null, message),
    detail ? h('p', { class: 'detail' }, detail) : null,
    action ?? null);
}
