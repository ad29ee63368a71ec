import { expect } from 'vitest'
import * as Y from 'yjs'
import { WorkspaceError } from './errors.ts'
import { Workspace } from './workspace.ts'

/** Helpers shared by the model's command tests. */

/** Runs `act`, expects it to throw a WorkspaceError with `code`, and the document to be unchanged. */
export function expectRefused(
  ws: Workspace,
  code: WorkspaceError['code'],
  act: () => unknown,
): WorkspaceError {
  const before = Y.encodeStateAsUpdate(ws.doc)
  let thrown: unknown
  try {
    act()
  } catch (error) {
    thrown = error
  }
  expect(thrown).toBeInstanceOf(WorkspaceError)
  expect((thrown as WorkspaceError).code).toBe(code)
  expect(Y.encodeStateAsUpdate(ws.doc)).toEqual(before)
  return thrown as WorkspaceError
}

/** Two replicas that exchange every update at once, as over a live connection. */
export function connectedPair() {
  const a = new Y.Doc()
  const b = new Y.Doc()
  a.on(
    'update',
    (update: Uint8Array, origin: unknown) => origin !== 'peer' && Y.applyUpdate(b, update, 'peer'),
  )
  b.on(
    'update',
    (update: Uint8Array, origin: unknown) => origin !== 'peer' && Y.applyUpdate(a, update, 'peer'),
  )
  return [new Workspace(a, { participantId: 'amina' }), new Workspace(b, { participantId: 'dave' })] as const
}
