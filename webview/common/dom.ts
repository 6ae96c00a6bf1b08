/**
 * Building DOM without innerHTML: text goes in as text, so nothing a finding says
 * (messages quote code) can become markup in the page.
 */
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

/** A button that is a `<button type="button">`, so that Enter and Space work and it is in the tab order. */
export function button(label: Child, onClick: () => void, props: Omit<Props, 'onClick'> = {}): HTMLButtonElement {
  return h('button', { ...props, attrs: { type: 'button', ...props.attrs }, onClick: () => onClick() }, label);
}

/**
 * Replaces the root's content, keeping keyboard focus on the element with the same
 * `data-focus` key as before: a list re-rendered under the user's cursor must not
 * throw the focus back to the top of the page.
 */
export function replaceContent(root: HTMLElement, ...children: Child[]): void {
  const focused = document.activeElement instanceof HTMLElement ? document.activeElement.dataset.focus : undefined;
  root.replaceChildren(...nodes(children));
  if (focused) root.querySelector<HTMLElement>(`[data-focus="${CSS.escape(focused)}"]`)?.focus();
}

/** A state message with an optional action: empty, loading, error. */
export function statusBlock(message: string, detail?: string, action?: HTMLButtonElement): HTMLElement {
  return h('div', { class: 'status', attrs: { role: 'status' } }, h('p', {}, message), detail ? h('p', { class: 'detail' }, detail) : null, action ?? null);
}
