/** `base` + `path`, whether or not `base` ends in a slash (Prism requires one; we do not). */
export function joinUrl(base: string, path: string): string {
  return joinedUrl(base, path).toString();
}

/** `joinUrl` as a parsed URL, for callers that read its parts. */
export function joinedUrl(base: string, path: string): URL {
  return new URL(path.replace(/^\//, ''), base.endsWith('/') ? base : `${base}/`);
}
