// Building the page's elements. Every value that came from a server, a database or a runbook is set as text
// (textContent, attributes), never parsed as HTML: a cell holding `<img src=x onerror=…>` shows those characters.
// Lint forbids innerHTML, outerHTML and insertAdjacentHTML in src/webview, so this is the way in.

export interface ElementProps {
  className?: string;
  /** The element's whole text. */
  text?: string;
  /** The tooltip. */
  title?: string;
  attrs?: Record<string, string>;
}

export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: ElementProps = {},
  children: Node[] = [],
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (props.className) node.className = props.className;
  if (props.text !== undefined) node.textContent = props.text;
  if (props.title) node.title = props.title;
  for (const [name, value] of Object.entries(props.attrs ?? {})) node.setAttribute(name, value);
  for (const child of children) node.appendChild(child);
  return node;
}

/** A text node, for text between elements. */
export function text(value: string): Text {
  return document.createTextNode(value);
}
