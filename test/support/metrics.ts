/** Reading Prometheus text in tests. */

/**
 * One sample's value in Prometheus text: the first series of `name` that has these labels among
 * its own (plain values without commas or quotes), or undefined when the text has none.
 */
export function metricValue(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  const wanted = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  for (const line of text.split('\n')) {
    const rest = line.startsWith(name) ? line.slice(name.length) : '';
    const end = rest.startsWith('{') ? rest.indexOf('} ') : rest.startsWith(' ') ? 0 : -1;
    if (end < 0) continue;
    const own = end === 0 ? [] : rest.slice(1, end).split(',');
    if (wanted.every((label) => own.includes(label))) return Number(rest.slice(end === 0 ? 1 : end + 2));
  }
  return undefined;
}
