/** `base` + `path`, whether or not `base` ends in a slash (Prism requires one; we do not). */
export function joinUrl(base: string, path: string): string {
  return new URL(path.replace(/^\//, ''), base.endsWith('/') ? base : `${base}/`).toString();
}
