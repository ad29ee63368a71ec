import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { Workspace } from '../../model/index.ts'
import {
  documentItems,
  isNoOp,
  PendingItems,
  scopeOfUpdate,
  type UpdateScope,
} from '../../sync-server/update-scope.ts'

/**
 * A server's document and a client's, kept in step: `edit` runs a change on the client and
 * returns the update it produced, as the client would send it.
 */
function pair() {
  const server = new Y.Doc()
  const client = new Y.Doc()
  const capture = (change: (doc: Y.Doc) => void): Uint8Array => {
    const updates: Uint8Array[] = []
    const collect = (update: Uint8Array) => updates.push(update)
    client.on('update', collect)
    change(client)
    client.off('update', collect)
    return updates.length === 1 ? (updates[0] as Uint8Array) : Y.mergeUpdates(updates)
  }
  return {
    server,
    client,
    /** An update from the client, not yet applied on the server. */
    edit: capture,
    /** An update from the client, applied on the server too (as a committed one would be). */
    commit(change: (doc: Y.Doc) => void): Uint8Array {
      const update = capture(change)
      Y.applyUpdate(server, update)
      return update
    },
    scope(update: Uint8Array, known = documentItems(server)): UpdateScope {
      return scopeOfUpdate(Y.decodeUpdate(update) as never, known)
    },
  }
}

/** The scope as plain data: `{ root: [keys] }`, sorted, for readable expectations. */
function summary(scope: UpdateScope): Record<string, (string | null)[]> {
  return Object.fromEntries(
    [...scope.roots.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([root, keys]) => [root, [...keys].sort((a, b) => String(a).localeCompare(String(b)))]),
  )
}

describe('the scope of an update', () => {
  it('a new record in a root map: that root, under the record’s id', () => {
    const { edit, scope } = pair()
    const update = edit((doc) => {
      const actor = new Y.Map()
      actor.set('name', 'Food Bank')
      doc.getMap('actors').set('a1', actor)
    })
    expect(summary(scope(update))).toEqual({ actors: ['a1'] })
    expect(scope(update).untraceable).toBeNull()
  })

  it('a field of an existing record: found through the record’s item in the room’s document', () => {
    const { commit, edit, scope } = pair()
    commit((doc) => doc.getMap('actors').set('a1', new Y.Map()))
    const update = edit((doc) => (doc.getMap('actors').get('a1') as Y.Map<unknown>).set('name', 'GP'))
    expect(summary(scope(update))).toEqual({ actors: ['a1'] })
  })

  it('an overwritten field: found through the value it replaces (its origin)', () => {
    const { commit, edit, scope } = pair()
    commit((doc) => doc.getMap('meta').set('title', 'One'))
    const update = edit((doc) => doc.getMap('meta').set('title', 'Two'))
    const decoded = Y.decodeUpdate(update)
    expect((decoded.structs[0] as Y.Item).parent).toBeNull()
    expect((decoded.structs[0] as Y.Item).origin).not.toBeNull()
    expect(summary(scope(update))).toEqual({ meta: ['title'] })
  })

  it('meta.schema as every first command stamps it, and again when overwritten', () => {
    const { server, commit, edit, scope } = pair()
    const first = commit((doc) => new Workspace(doc).addActor({ kind: 'organisation', name: 'A' }))
    expect(summary(scope(first, documentItems(new Y.Doc())))).toMatchObject({ meta: ['schema'] })
    const again = edit((doc) => doc.getMap('meta').set('schema', { actor: 99 }))
    expect(summary(scope(again))).toEqual({ meta: ['schema'] })
    expect(server.getMap('meta').get('schema')).toBeDefined()
  })

  it('a vote: nested two levels down in quickWins', () => {
    const { commit, edit, scope } = pair()
    commit((doc) => {
      const win = new Y.Map()
      win.set('votes', new Y.Map())
      doc.getMap('quickWins').set('q1', win)
    })
    const vote = edit((doc) =>
      ((doc.getMap('quickWins').get('q1') as Y.Map<unknown>).get('votes') as Y.Map<number>).set('p1', 2),
    )
    expect(summary(scope(vote))).toEqual({ quickWins: ['q1'] })
  })

  it('typing into notes (an XmlFragment): each character placed beside the one before it', () => {
    const { commit, edit, scope } = pair()
    commit((doc) => {
      const fragment = new Y.XmlFragment()
      doc.getMap('notes').set('workshop', fragment)
      const paragraph = new Y.XmlElement('paragraph')
      fragment.insert(0, [paragraph])
      paragraph.insert(0, [new Y.XmlText('Hello')])
    })
    const typed = edit((doc) => {
      const fragment = doc.getMap('notes').get('workshop') as Y.XmlFragment
      const xmlText = (fragment.get(0) as Y.XmlElement).get(0) as Y.XmlText
      xmlText.insert(5, ' world')
      xmlText.format(0, 5, { bold: true })
    })
    expect(summary(scope(typed))).toEqual({ notes: ['workshop'] })
    const deleted = edit((doc) => {
      const fragment = doc.getMap('notes').get('workshop') as Y.XmlFragment
      ;((fragment.get(0) as Y.XmlElement).get(0) as Y.XmlText).delete(0, 3)
    })
    expect(summary(scope(deleted))).toEqual({ notes: ['workshop'] })
  })

  it('a whole new note with paragraphs, created in one update', () => {
    const { edit, scope } = pair()
    const update = edit((doc) => {
      const fragment = new Y.XmlFragment()
      doc.getMap('notes').set('actor:a1', fragment)
      const paragraph = new Y.XmlElement('paragraph')
      fragment.insert(0, [paragraph])
      paragraph.insert(0, [new Y.XmlText('Runs a food bank on Tuesdays')])
    })
    expect(summary(scope(update))).toEqual({ notes: ['actor:a1'] })
  })

  it('deletions: resolved through the room’s document', () => {
    const { commit, edit, scope } = pair()
    commit((doc) => {
      const actor = new Y.Map()
      actor.set('name', 'A')
      doc.getMap('actors').set('a1', actor)
      doc.getMap('links').set('l1', new Y.Map())
    })
    const removal = edit((doc) => doc.getMap('actors').delete('a1'))
    expect(Y.decodeUpdate(removal).structs).toHaveLength(0)
    expect(summary(scope(removal))).toEqual({ actors: ['a1'] })
    const fieldRemoval = edit((doc) => (doc.getMap('links').get('l1') as Y.Map<unknown>).delete('x'))
    expect(isNoOp(scope(fieldRemoval))).toBe(true)
  })

  it('deleting what is already deleted changes nothing (a sync step 2 carries the whole delete set)', () => {
    const { server, client, commit, scope } = pair()
    commit((doc) => doc.getMap('facilitation').set('locked', true))
    commit((doc) => doc.getMap('facilitation').set('locked', false))
    commit((doc) => {
      doc.getMap('agenda').set('i1', new Y.Map())
    })
    commit((doc) => doc.getMap('agenda').delete('i1'))
    const newActor = new Y.Doc()
    Y.applyUpdate(newActor, Y.encodeStateAsUpdate(client))
    new Workspace(newActor).addActor({ kind: 'organisation', name: 'Offline' })
    const step2 = Y.encodeStateAsUpdate(newActor, Y.encodeStateVector(server))
    expect(Y.decodeUpdate(step2).ds.clients.size).toBeGreaterThan(0)
    const roots = Object.keys(summary(scope(step2)))
    expect(roots).toContain('actors')
    expect(roots).not.toContain('facilitation')
    expect(roots).not.toContain('agenda')
    expect(summary(scope(step2)).meta).toEqual(['schema'])
    expect(scope(step2).untraceable).toBeNull()
    // Nothing new at all: a no-op, even with the delete set.
    expect(isNoOp(scope(Y.encodeStateAsUpdate(client, Y.encodeStateVector(server))))).toBe(true)
  })

  it('what the room already has is no change', () => {
    const { commit, scope } = pair()
    const update = commit((doc) => doc.getMap('facilitation').set('locked', true))
    expect(isNoOp(scope(update))).toBe(true)
  })

  it('facilitation and agenda, directly and nested', () => {
    const { commit, edit, scope } = pair()
    commit((doc) => {
      const item = new Y.Map()
      item.set('title', 'Welcome')
      doc.getMap('agenda').set('i1', item)
    })
    expect(summary(scope(edit((doc) => doc.getMap('facilitation').set('locked', true))))).toEqual({
      facilitation: ['locked'],
    })
    const nested = edit((doc) => (doc.getMap('agenda').get('i1') as Y.Map<unknown>).set('title', 'Hello'))
    expect(summary(scope(nested))).toEqual({ agenda: ['i1'] })
  })

  it('one update touching several roots names them all', () => {
    const { edit, scope } = pair()
    const update = edit((doc) =>
      doc.transact(() => {
        doc.getMap('canvas').set('shape:1', { id: 'shape:1', x: 1 })
        doc.getMap('actors').set('a1', new Y.Map())
        doc.getMap('facilitation').set('locked', true)
      }),
    )
    expect(summary(scope(update))).toEqual({ actors: ['a1'], canvas: ['shape:1'], facilitation: ['locked'] })
  })

  it('root arrays and texts have no key', () => {
    const { commit, edit, scope } = pair()
    commit((doc) => doc.getArray('list').insert(0, [1, 2, 3]))
    expect(summary(scope(edit((doc) => doc.getArray('list').insert(1, [9]))))).toEqual({ list: [null] })
    expect(summary(scope(edit((doc) => doc.getText('t').insert(0, 'x'))))).toEqual({ t: [null] })
  })

  it('an update building on one not yet applied: untraceable alone, placed with the pending one known', () => {
    const { server, edit, scope } = pair()
    const first = edit((doc) => doc.getMap('actors').set('a1', new Y.Map()))
    const second = edit((doc) => (doc.getMap('actors').get('a1') as Y.Map<unknown>).set('name', 'A'))
    expect(scope(second).untraceable).toMatch(/does not have/)
    const pending = new PendingItems(documentItems(server))
    const firstScope = scope(first, pending)
    pending.add(firstScope.created)
    const secondScope = scope(second, pending)
    expect(secondScope.untraceable).toBeNull()
    expect(summary(secondScope)).toEqual({ actors: ['a1'] })
    // Once the first is applied, the document answers on its own.
    Y.applyUpdate(server, first)
    pending.remove(firstScope.created)
    expect(summary(scope(second, pending))).toEqual({ actors: ['a1'] })
  })

  it('a gap in a client’s clocks (an earlier update was refused) is untraceable', () => {
    const { edit, scope } = pair()
    edit((doc) => doc.getMap('notes').set('x', 'refused'))
    const later = edit((doc) => doc.getMap('themes').set('t1', 'fine on its own'))
    expect(scope(later).untraceable).toMatch(/depends on changes/)
  })

  it('deleting something the room never had is untraceable', () => {
    const { client, scope } = pair()
    const elsewhere = new Y.Doc()
    elsewhere.getMap('actors').set('ghost', 1)
    // The client has it (from another server, say); this room never had it.
    Y.applyUpdate(client, Y.encodeStateAsUpdate(elsewhere))
    const updates: Uint8Array[] = []
    client.on('update', (update: Uint8Array) => updates.push(update))
    client.getMap('actors').delete('ghost')
    expect(scope(updates[0] as Uint8Array).untraceable).toMatch(/deletes something/)
  })

  it('a replaced record (its old map garbage collected on the server) still places the new one', () => {
    const { server, commit, edit, scope } = pair()
    commit((doc) => {
      const actor = new Y.Map()
      actor.set('name', 'Old')
      doc.getMap('actors').set('a1', actor)
    })
    commit((doc) => {
      const actor = new Y.Map()
      actor.set('name', 'New')
      doc.getMap('actors').set('a1', actor)
    })
    expect(server.getMap('actors').size).toBe(1)
    const update = edit((doc) => (doc.getMap('actors').get('a1') as Y.Map<unknown>).set('name', 'Newer'))
    expect(summary(scope(update))).toEqual({ actors: ['a1'] })
  })

  it('a forged parent pointing into a root the sender may not touch is placed there', () => {
    // The parent id is all that decides where an item goes, so that is what is checked.
    const { server, commit, scope } = pair()
    commit((doc) => doc.getMap('agenda').set('i1', new Y.Map()))
    const agendaItem = server.getMap('agenda').get('i1') as Y.Map<unknown>
    const attacker = new Y.Doc()
    Y.applyUpdate(attacker, Y.encodeStateAsUpdate(server))
    const updates: Uint8Array[] = []
    attacker.on('update', (u: Uint8Array) => updates.push(u))
    ;(attacker.getMap('agenda').get('i1') as Y.Map<unknown>).set('title', 'Hijacked')
    expect(agendaItem).toBeDefined()
    expect(summary(scope(updates[0] as Uint8Array))).toEqual({ agenda: ['i1'] })
  })

  it('a reference cycle or a missing neighbour is untraceable, not a crash', () => {
    const doc = new Y.Doc()
    doc.getArray('a').insert(0, ['x'])
    const content = (Y.decodeUpdate(Y.encodeStateAsUpdate(doc)).structs[0] as Y.Item).content
    // Items written by hand, as an attacker would: one placed beside itself...
    const selfPlaced = new Y.Item(Y.createID(7, 0), null, Y.createID(7, 0), null, null, null, null, content)
    // ...and one beside an item nobody has.
    const nowhere = new Y.Item(Y.createID(8, 0), null, Y.createID(99, 3), null, null, null, null, content)
    for (const item of [selfPlaced, nowhere]) {
      const forged = { structs: [item], ds: { clients: new Map() } }
      expect(scopeOfUpdate(forged as never, documentItems(new Y.Doc())).untraceable).toMatch(/does not have/)
    }
  })
})

describe('the scope of random edits matches what applying them changes', () => {
  type Op = { root: string; kind: 'set' | 'nested' | 'delete' | 'text'; key: string; value: number }
  const ROOTS = ['actors', 'canvas', 'facilitation', 'agenda', 'meta', 'notes', 'quickWins']
  const op = fc.record({
    root: fc.constantFrom(...ROOTS),
    kind: fc.constantFrom('set', 'nested', 'delete', 'text') as fc.Arbitrary<Op['kind']>,
    key: fc.constantFrom('a', 'b', 'c'),
    value: fc.nat(100),
  })

  function run(doc: Y.Doc, { root, kind, key, value }: Op) {
    const map = doc.getMap<unknown>(root)
    const existing = map.get(key)
    if (kind === 'set') map.set(key, value)
    else if (kind === 'delete') map.delete(key)
    else if (kind === 'nested') {
      if (existing instanceof Y.Map) existing.set(`f${value % 3}`, value)
      else {
        const nested = new Y.Map()
        nested.set('f0', value)
        map.set(key, nested)
      }
    } else if (existing instanceof Y.Text) existing.insert(value % (existing.length + 1), 'x')
    else map.set(key, new Y.Text('abc'))
  }

  /** The roots and keys applying `update` actually changed, as Yjs reports them. */
  function observed(doc: Y.Doc, update: Uint8Array): Record<string, (string | null)[]> {
    const seen = new Map<string, Set<string | null>>()
    const record = (transaction: Y.Transaction) => {
      for (const [type, keys] of transaction.changed) {
        let key: string | null = null
        let current = type as unknown as Y.AbstractType<unknown>
        const direct = current._item === null
        while (current._item !== null) {
          key = current._item.parentSub
          current = current._item.parent as Y.AbstractType<unknown>
        }
        const root = Y.findRootTypeKey(current)
        const set = seen.get(root) ?? new Set()
        if (direct) for (const k of keys) set.add(k)
        else set.add(key)
        seen.set(root, set)
      }
    }
    doc.on('afterTransaction', record)
    Y.applyUpdate(doc, update)
    doc.off('afterTransaction', record)
    return Object.fromEntries(
      [...seen.entries()]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([root, keys]) => [root, [...keys].sort((a, b) => String(a).localeCompare(String(b)))]),
    )
  }

  it('for any sequence of edits by two clients, applied at once or a few at a time', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.boolean(), fc.array(op, { minLength: 1, maxLength: 4 })), {
          minLength: 1,
          maxLength: 12,
        }),
        fc.boolean(),
        (batches, delayed) => {
          const server = new Y.Doc()
          const clients = [new Y.Doc(), new Y.Doc()] as const
          const pending = new PendingItems(documentItems(server))
          const waiting: { update: Uint8Array; scope: UpdateScope }[] = []
          const commitWaiting = () => {
            for (const item of waiting.splice(0)) {
              const truth = observed(server, item.update)
              // Applied one by one, the scope is exact. Applied late, an edit may land inside
              // something another client removed meanwhile: it then changes nothing visible,
              // but the scope still names where it was aimed (a superset, never less).
              if (!delayed) expect(summary(item.scope)).toEqual(truth)
              else {
                const scoped = summary(item.scope)
                for (const [root, keys] of Object.entries(truth))
                  expect(scoped[root]).toEqual(expect.arrayContaining(keys))
              }
              pending.remove(item.scope.created)
              // Relayed to everyone once committed.
              for (const client of clients) Y.applyUpdate(client, item.update)
            }
          }
          for (const [second, batch] of batches) {
            const client = clients[second ? 1 : 0]
            const updates: Uint8Array[] = []
            const collect = (update: Uint8Array, origin: unknown) => {
              if (origin === null) updates.push(update)
            }
            client.on('update', collect)
            client.transact(() => {
              for (const o of batch) run(client, o)
            })
            client.off('update', collect)
            if (updates.length === 0) continue
            const update = updates[0] as Uint8Array
            const scope = scopeOfUpdate(Y.decodeUpdate(update) as never, pending)
            expect(scope.untraceable).toBeNull()
            pending.add(scope.created)
            waiting.push({ update, scope })
            if (!delayed || waiting.length > 2) commitWaiting()
          }
          commitWaiting()
          expect(Y.encodeStateAsUpdate(server)).toEqual(Y.encodeStateAsUpdate(clients[0]))
        },
      ),
      { numRuns: 300 },
    )
  })
})
