/** Counts in words for people: '1 critical change', '2 critical changes' (never '1 changes'). */
export function counted(n: number, singular: string, plural = `${singular}s`): string {
  return `${n} ${n === 1 ? singular : plural}`;
}
