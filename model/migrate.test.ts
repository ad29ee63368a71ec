import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { z } from 'zod'
import { canvasMap, collection, metaMap, SCHEMA_KEY } from './document.ts'
import { DOCUMENT_MIGRATIONS, DOCUMENT_MIGRATIONS_KEY } from './document-migrations.ts'
import { migrateDocument } from './migrate.ts'
import { storedVersions } from './read.ts'
import { ActorSchema, actorKind } from './records/actor.ts'
import { RECORD_KINDS } from './records/kinds.ts'
import { defineRecord, type RecordKind } from './records/record.ts'
import { Workspace } from './workspace.ts'

/**
 * A document as the first version of the app wrote it, before any record version was stamped:
 * written through raw Yjs, as an old client would have.
 */
function documentWithoutVersions(): Y.Doc {
  const doc = new Y.Doc()
  const actor = new Y.Map<unknown>()
  for (const [key, value] of Object.entries({ id: 'a-hub', kind: 'statutory-service', name: 'Family Hub' })) {
    actor.set(key, value)
  }
  doc.getMap('actors').set('a-hub', actor)
  return doc
}

describe('migrateDocument', () => {
  it('stamps the current versions on a document that has none, and reads its records', () => {
    const doc = documentWithoutVersions()
    expect(new Workspace(doc).actor('a-hub')?.name).toBe('Family Hub')
    migrateDocument(doc)
    expect(storedVersions(doc)).toEqual(
      Object.fromEntries(RECORD_KINDS.map((kind) => [kind.name, kind.version])),
    )
  })

  it('is idempotent: a current document is not written to', () => {
    const doc = documentWithoutVersions()
    migrateDocument(doc)
    const before = Y.encodeStateVector(doc)
    expect(migrateDocument(doc)).toEqual({})
    expect(Y.encodeStateVector(doc)).toEqual(before)
  })

  it('runs a record kind’s migrations over every record of an older document, in one transaction', () => {
    // The next version of actors, as a future release might ship it: `reach` becomes `reachNote`.
    const ActorV3 = ActorSchema.omit({ reach: true }).extend({ reachNote: z.string().default('') })
    const actorV3 = defineRecord('actor', ActorV3, [
      ...actorKind.migrations,
      {
        id: 'actor/4-reach-becomes-reach-note',
        toVersion: 4,
        up: ({ reach, ...rest }) => ({ ...rest, reachNote: reach ?? '' }),
      },
    ])
    const doc = new Y.Doc()
    const workspace = new Workspace(doc)
    workspace.addActor({ id: 'a-1', kind: 'organisation', name: 'Food Bank', reach: '400 families' })
    workspace.addActor({ id: 'a-2', kind: 'funder', name: 'Fund' })
    let transactions = 0
    doc.on('afterTransaction', () => transactions++)

    const kinds = RECORD_KINDS.map((kind) => (kind.name === 'actor' ? actorV3 : kind)) as RecordKind<never>[]
    expect(migrateDocument(doc, kinds)).toEqual({ actor: 2 })

    expect(transactions).toBe(1)
    const stored = collection(doc, 'actors').get('a-1')
    expect(stored?.get('reachNote')).toBe('400 families')
    expect(stored?.has('reach')).toBe(false)
    expect(storedVersions(doc).actor).toBe(4)
    expect(actorV3.restore(Object.fromEntries(stored?.entries() ?? []), storedVersions(doc).actor).ok).toBe(
      true,
    )
  })

  it('gives the actors of a version 1 document the languages they speak (none yet)', () => {
    const doc = documentWithoutVersions()
    expect(collection(doc, 'actors').get('a-hub')?.has('languages')).toBe(false)
    expect(migrateDocument(doc)).toMatchObject({ actor: 1 })
    expect(collection(doc, 'actors').get('a-hub')?.get('languages')).toEqual([])
    expect(storedVersions(doc).actor).toBe(actorKind.version)
  })

  it('gives the actors of a version 2 document their offers and needs (none yet)', () => {
    const doc = documentWithoutVersions()
    collection(doc, 'actors').get('a-hub')?.set('languages', ['Urdu'])
    metaMap(doc).set(SCHEMA_KEY, { ...storedVersions(doc), actor: 2 })
    expect(migrateDocument(doc)).toMatchObject({ actor: 1 })
    const hub = collection(doc, 'actors').get('a-hub')
    expect([hub?.get('offers'), hub?.get('needs'), hub?.get('languages')]).toEqual([[], [], ['Urdu']])
    expect(storedVersions(doc).actor).toBe(3)
    expect(new Workspace(doc).actor('a-hub')).toMatchObject({ offers: [], needs: [], languages: ['Urdu'] })
  })

  it('leaves a document written by a newer version alone, and its writers refuse', () => {
    const doc = documentWithoutVersions()
    metaMap(doc).set(SCHEMA_KEY, { actor: actorKind.version + 1 })
    expect(migrateDocument(doc)).not.toHaveProperty('actor')
    expect(storedVersions(doc).actor).toBe(actorKind.version + 1)
    expect(() => new Workspace(doc).addActor({ kind: 'funder', name: 'x' })).toThrow(/newer version/)
  })

  it('takes the links’ arrows and their bindings out of the canvas, once, and keeps a plain drawn arrow', () => {
    const doc = new Y.Doc()
    const workspace = new Workspace(doc)
    workspace.addActor({ id: 'a-1', kind: 'organisation', name: 'Food Bank' })
    workspace.addActor({ id: 'a-2', kind: 'funder', name: 'Fund' })
    const link = workspace.connect({ from: 'a-1', to: 'a-2', kind: 'funding' })
    // The canvas as the app wrote it before links' arrows were derived (plain JSON, as tldraw's).
    const canvas = canvasMap(doc)
    const shape = (id: string, type: string, extra: object) => ({ id, typeName: 'shape', type, ...extra })
    const binding = (id: string, fromId: string, toId: string) => ({
      id,
      typeName: 'binding',
      type: 'arrow',
      fromId,
      toId,
      props: { terminal: id.endsWith('end') ? 'end' : 'start' },
    })
    const records = [
      shape('shape:box-1', 'actor', { props: { actorId: 'a-1' } }),
      shape('shape:box-2', 'actor', { props: { actorId: 'a-2' } }),
      shape('shape:linked', 'arrow', { meta: { linkId: link.id } }),
      binding('binding:linked-start', 'shape:linked', 'shape:box-1'),
      binding('binding:linked-end', 'shape:linked', 'shape:box-2'),
      // Its link removed without the cascade reaching it: hidden on every device, so it goes too.
      shape('shape:dangling', 'arrow', { meta: { linkId: 'l-gone' } }),
      shape('shape:drawn', 'arrow', { meta: { linkId: null } }),
      binding('binding:drawn-start', 'shape:drawn', 'shape:box-1'),
    ]
    for (const record of records) canvas.set(record.id, record)

    expect(migrateDocument(doc)).toEqual({ 'document/1-link-arrows-derived': 4 })
    expect([...canvas.keys()].sort()).toEqual([
      'binding:drawn-start',
      'shape:box-1',
      'shape:box-2',
      'shape:drawn',
    ])
    expect(metaMap(doc).get(DOCUMENT_MIGRATIONS_KEY)).toEqual(
      DOCUMENT_MIGRATIONS.map((migration) => migration.id),
    )
    expect(workspace.link(link.id)).toBeDefined()

    // Stamped: an arrow an older app writes afterwards is not the migration's business again.
    canvas.set('shape:late', shape('shape:late', 'arrow', { meta: { linkId: link.id } }))
    const before = Y.encodeStateVector(doc)
    expect(migrateDocument(doc)).toEqual({})
    expect(Y.encodeStateVector(doc)).toEqual(before)
  })

  it('numbers the document migrations in order, each named once', () => {
    const ids = DOCUMENT_MIGRATIONS.map((migration) => migration.id)
    expect(new Set(ids).size).toBe(ids.length)
    expect(ids.map((id) => Number(/^document\/(\d+)-[a-z-]+$/.exec(id)?.[1]))).toEqual(
      ids.map((_, i) => i + 1),
    )
  })
})
