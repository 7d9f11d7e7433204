// Building the page: every value goes in as text, never as markup.
import { absolute, relative } from "./format.js";
import { serviceNow } from "./clock.js";

export const $ = (id) => document.getElementById(id);

export function element(tag, text, className) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = String(text);
  if (className) node.className = className;
  return node;
}

export const badge = (text, kind) => element("span", text, `badge badge-${String(kind || text).toLowerCase()}`);

// A moment as "12 s ago" with the absolute time beside it and the exact instant in the tooltip.
export function moment(iso, empty = "—") {
  if (!iso) return element("span", empty, "muted");
  const date = new Date(iso);
  const time = element("time", relative(date, serviceNow()), "relative");
  time.dateTime = date.toISOString();
  time.title = date.toISOString();
  const wrapper = element("span", null, "moment");
  wrapper.append(time, element("span", absolute(date), "absolute"));
  return wrapper;
}

// Names each cell after its column, so the stacked phone layout can still say what each value is.
export function labelCells(table, row) {
  const headings = [...table.tHead.rows[0].cells].map((cell) => cell.textContent.trim());
  [...row.cells].forEach((cell, index) => {
    if (headings[index]) cell.dataset.label = headings[index];
  });
  return row;
}

// Controls carry a stable focus key, so when a refresh replaces the control the operator was on, its successor is
// focused instead of focus falling back to the page.
export function focusByKey(key) {
  const target = key && document.querySelector(`[data-focus-key="${CSS.escape(key)}"]`);
  if (target && target !== document.activeElement) target.focus();
}

export function keepingFocus(render) {
  const key = document.activeElement && document.activeElement.dataset ? document.activeElement.dataset.focusKey : null;
  render();
  focusByKey(key);
}

// Makes the container's children (all of one tag) the fresh nodes, in their order, matched by key: a child whose key
// stays is kept and only its changed attributes and children are replaced, so a refresh touches only what changed,
// keeps focus and hover where they are, and does not make a screen reader announce an unchanged alert again.
export function reconcile(container, fresh, keyOf) {
  const wanted = new Set(fresh.map(keyOf));
  const existing = new Map();
  for (const child of [...container.children]) {
    if (wanted.has(keyOf(child)) && !existing.has(keyOf(child))) existing.set(keyOf(child), child);
    else child.remove();
  }
  let next = container.firstElementChild;
  for (const node of fresh) {
    const old = existing.get(keyOf(node));
    if (old) patch(old, node);
    const placed = old || node;
    if (placed === next) next = next.nextElementSibling;
    else container.insertBefore(placed, next);
  }
}

// Makes `old` (an element of the same tag) like `fresh`, keeping `old` itself and the children that did not change.
function patch(old, fresh) {
  if (old.isEqualNode(fresh)) return;
  for (const { name } of [...old.attributes]) {
    if (!fresh.hasAttribute(name)) old.removeAttribute(name);
  }
  for (const { name, value } of [...fresh.attributes]) {
    if (old.getAttribute(name) !== value) old.setAttribute(name, value);
  }
  const before = [...old.childNodes];
  const after = [...fresh.childNodes];
  if (before.length !== after.length) {
    old.replaceChildren(...after);
    return;
  }
  before.forEach((child, index) => {
    if (!child.isEqualNode(after[index])) child.replaceWith(after[index]);
  });
}
