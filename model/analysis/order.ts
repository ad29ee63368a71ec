/** Orderings shared by the measures, so that every answer is deterministic. */
export const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
export const compareText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0)
export const unique = <T>(items: readonly T[]): T[] => [...new Set(items)]
