// The operator's filters live in the address fragment, so a reload or a shared link keeps them; the key never goes
// there. Each panel writes only its own names and keeps the others'.

// The fragment (without its "#") with the given values set, and the empty ones left out.
export function mergeFragment(fragment, values) {
  const params = new URLSearchParams(fragment);
  for (const [name, value] of Object.entries(values)) {
    if (value === "" || value === null || value === undefined) params.delete(name);
    else params.set(name, String(value));
  }
  return params.toString();
}

export const readFragment = () => new URLSearchParams(location.hash.slice(1));

export function writeFragment(values) {
  history.replaceState(null, "", `#${mergeFragment(location.hash.slice(1), values)}`);
}
