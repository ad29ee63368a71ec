import type * as Y from 'yjs'
import { metaMap, SCHEMA_KEY } from './document.ts'
import { WorkspaceError } from './errors.ts'
import { storedVersions } from './read.ts'
import { DECLARATIONS, RECORD_KINDS } from './records/kinds.ts'
import type { RecordDeclaration } from './records/record.ts'

/**
 * The origin of every transaction a command makes: observers can tell a command's write from
 * a remote update or a canvas binding's, and a provider never echoes its own origin back.
 */
export class CommandOrigin {
  constructor(
    readonly command: string,
    readonly participantId: string | undefined,
  ) {}
}

/** Commands that change the map, refused while it is locked: those of the kinds the lock freezes. */
const MAP_COMMANDS: ReadonlySet<string> = new Set([
  ...(DECLARATIONS as readonly RecordDeclaration[])
    .filter((kind) => kind.frozenByLock)
    .flatMap((kind) => Object.values(kind.commands)),
  'reconnect',
  'importDataset',
])

/**
 * The one way every command writes: `writes` runs in one transaction tagged with the command,
 * after the checks that refuse it whole (a newer schema, the presentation lock), and the record
 * versions this code writes are stamped in the same transaction.
 */
export function writeCommand(
  doc: Y.Doc,
  command: string,
  participantId: string | undefined,
  mapLocked: () => boolean,
  writes: () => void,
): void {
  assertWritable(doc, command)
  if (MAP_COMMANDS.has(command) && mapLocked()) {
    throw new WorkspaceError(
      'locked',
      command,
      'the map is locked for a presentation; it can be changed again once it is unlocked',
    )
  }
  doc.transact(() => {
    writes()
    stampVersions(doc)
  }, new CommandOrigin(command, participantId))
}

/** Refuses to write to a document whose records are newer than this code understands. */
function assertWritable(doc: Y.Doc, command: string): void {
  const stored = storedVersions(doc)
  for (const kind of RECORD_KINDS) {
    if ((stored[kind.name] ?? 1) > kind.version) {
      throw new WorkspaceError(
        'newer-schema',
        command,
        `this workspace was saved by a newer version of the app (${kind.name} v${stored[kind.name]}); reload to update`,
      )
    }
  }
}

/** Records the versions this code writes, where the document does not say so already. */
function stampVersions(doc: Y.Doc): void {
  const stored = storedVersions(doc)
  if (RECORD_KINDS.every((kind) => stored[kind.name] === kind.version)) return
  const versions = { ...stored }
  for (const kind of RECORD_KINDS) versions[kind.name] ??= kind.version
  if (RECORD_KINDS.some((kind) => stored[kind.name] !== versions[kind.name]))
    metaMap(doc).set(SCHEMA_KEY, versions)
}
