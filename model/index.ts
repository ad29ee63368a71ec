/**
 * The model's public face: what the client, the server and the tests may import. Pure
 * TypeScript over Yjs and zod: no DOM, no Node APIs.
 */
export * from './access.ts'
export * from './dataset.ts'
export * from './dataset-schema.ts'
export * from './document.ts'
export * from './errors.ts'
export * from './ids.ts'
export { migrateDocument, missingNotes } from './migrate.ts'
export * from './notes.ts'
export * from './order.ts'
export { type Problem, readSnapshot, type WorkspaceSnapshot } from './read.ts'
export * from './records/actor.ts'
export * from './records/agenda-item.ts'
export * from './records/emerging-model.ts'
export * from './records/exchange.ts'
export * from './records/facilitation.ts'
export * from './records/journey.ts'
export { DECLARATIONS, declaration } from './records/kinds.ts'
export * from './records/link.ts'
export * from './records/meta.ts'
export * from './records/quick-win.ts'
export type {
  FieldInfo,
  FieldMeta,
  KindKey,
  RecordDeclaration,
  RecordIssue,
  RecordKind,
} from './records/record.ts'
export * from './records/theme.ts'
export * from './result.ts'
export { RESTORE_COMMAND, type RestoreSummary, restoreFromSnapshot } from './snapshot-restore.ts'
export * from './workspace.ts'
