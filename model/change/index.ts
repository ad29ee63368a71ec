/**
 * Change over time (issue 17): two states of a workspace compared record by record, driven by
 * the record declarations; the insight figures of each state side by side; and the changes as
 * a section of the report (Markdown) and as a JSON diff.
 */
export * from './compare.ts'
export * from './diff.ts'
export * from './json.ts'
export * from './markdown.ts'
export * from './measures.ts'
export * from './placements.ts'
export { domainPairsBridged, isTie, sameEnds } from './ties.ts'
