import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { AUTHORED_KINDS, mayRemoveAuthored } from '../access.ts'
import { collection } from '../document.ts'
import { migrateDocument } from '../migrate.ts'
import { storedVersions } from '../read.ts'
import { Workspace } from '../workspace.ts'
import { emergingModelKind } from './emerging-model.ts'
import { journeyKind } from './journey.ts'
import { quickWinKind } from './quick-win.ts'
import { AUTHOR_FIELD } from './record.ts'
import { themePointKind } from './theme.ts'

/**
 * Authorship: quick wins, emerging models, journeys and theme points remember who added them
 * (`addedBy`, an invite's id), so that only they or a facilitator may remove them.
 */

const INVITE = '0123456789abcdef0123456789abcdef'

describe('authored kinds', () => {
  it('are the quick wins, emerging models, journeys and theme points', () => {
    expect(AUTHORED_KINDS.map((kind) => kind.key).sort()).toEqual(
      ['emergingModel', 'journey', 'quickWin', 'themePoint'].sort(),
    )
  })

  it('declare the author as a hidden, fixed field that is not personal and stays out of graph files', () => {
    for (const kind of AUTHORED_KINDS) {
      const field = kind.fields.find((candidate) => candidate.key === AUTHOR_FIELD)
      expect(field?.meta, kind.name).toMatchObject({ input: 'hidden', graph: false, kumu: false })
      expect(field?.meta.personal, kind.name).toBeUndefined()
      // No patch may name it: a record's author is set once, when it is made.
      expect(kind.patchSchema.safeParse({ [AUTHOR_FIELD]: INVITE }).success, kind.name).toBe(false)
    }
    expect(themePointKind.fields.find((field) => field.key === AUTHOR_FIELD)?.meta.csv).toBe('point_added_by')
  })

  it('default the author to nobody known, and take an invite id but not a name', () => {
    expect(quickWinKind.schema.parse({ id: 'q', text: 'x' }).addedBy).toBe('')
    expect(quickWinKind.schema.safeParse({ id: 'q', text: 'x', addedBy: INVITE }).success).toBe(true)
    expect(quickWinKind.schema.safeParse({ id: 'q', text: 'x', addedBy: 'Amina K' }).success).toBe(false)
  })

  it('each have a named migration to version 2 that gives older records no known author', () => {
    const migrations = [quickWinKind, emergingModelKind, journeyKind, themePointKind].map((kind) =>
      kind.migrations.map((migration) => migration.id),
    )
    expect(migrations).toEqual([
      ['quick-win/2-added-by'],
      ['emerging-model/2-added-by'],
      ['journey/2-added-by'],
      ['theme-point/2-added-by'],
    ])
    const restored = quickWinKind.restore({ id: 'q', text: 'Leaflets', owner: '', status: 'idea' }, 1)
    expect(restored).toMatchObject({ ok: true, value: { addedBy: '' }, repaired: [] })
    // A record that somehow has an author already keeps it.
    const kept = journeyKind.restore({ id: 'j', title: 'Housing', addedBy: INVITE }, 1)
    expect(kept).toMatchObject({ ok: true, value: { addedBy: INVITE } })
  })
})

describe('a workspace with an author id', () => {
  it('writes it as the author of every record of an authored kind it adds', () => {
    const ws = new Workspace(new Y.Doc(), { participantId: 'device-1', authorId: INVITE })
    const theme = ws.addTheme({ title: 'Trust' })
    expect(ws.addQuickWin({ text: 'Leaflets' }).addedBy).toBe(INVITE)
    expect(ws.addEmergingModel({ name: 'Family Hub' }).addedBy).toBe(INVITE)
    expect(ws.addJourney({ title: 'Housing repair' }).addedBy).toBe(INVITE)
    expect(ws.addPoint(theme.id, { text: 'GPs refer late', author: 'Amina' })).toMatchObject({
      author: 'Amina',
      addedBy: INVITE,
    })
    expect(ws.quickWins()[0]?.addedBy).toBe(INVITE)
  })

  it('keeps an author the input names (a restored record), and no patch changes it', () => {
    const ws = new Workspace(new Y.Doc(), { authorId: INVITE })
    const quickWin = ws.addQuickWin({ text: 'Leaflets', addedBy: 'someone-else' })
    expect(quickWin.addedBy).toBe('someone-else')
    expect(() => ws.updateQuickWin(quickWin.id, { addedBy: INVITE } as never)).toThrow(/addedBy/)
    expect(ws.quickWin(quickWin.id)?.addedBy).toBe('someone-else')
  })

  it('without an author id, adds records with no known author', () => {
    expect(new Workspace(new Y.Doc()).addQuickWin({ text: 'Leaflets' }).addedBy).toBe('')
  })
})

describe('mayRemoveAuthored', () => {
  it('lets the author remove their own, and anyone remove a record with no known author', () => {
    expect(mayRemoveAuthored(INVITE, INVITE)).toBe(true)
    expect(mayRemoveAuthored(INVITE, 'another-invite')).toBe(false)
    expect(mayRemoveAuthored(INVITE, null)).toBe(false)
    expect(mayRemoveAuthored('', 'another-invite')).toBe(true)
    expect(mayRemoveAuthored(undefined, null)).toBe(true)
  })
})

describe('migrateDocument', () => {
  it('gives the quick wins and theme points of an older document an empty author', () => {
    // As the app wrote them before authorship: raw maps, and the versions of that time.
    const doc = new Y.Doc()
    const quickWin = new Y.Map<unknown>()
    for (const [key, value] of Object.entries({ id: 'q-1', text: 'Leaflets', owner: '', status: 'idea' }))
      quickWin.set(key, value)
    quickWin.set('votes', new Y.Map())
    doc.getMap('quickWins').set('q-1', quickWin)
    const theme = new Y.Map<unknown>()
    for (const [key, value] of Object.entries({ id: 't-1', title: 'Trust', colour: 'blue', order: 'a0' }))
      theme.set(key, value)
    const points = new Y.Map<unknown>()
    const point = new Y.Map<unknown>()
    for (const [key, value] of Object.entries({
      id: 'p-1',
      text: 'GPs',
      actorIds: [],
      author: '',
      order: 'a0',
    }))
      point.set(key, value)
    points.set('p-1', point)
    theme.set('points', points)
    doc.getMap('themes').set('t-1', theme)
    doc.getMap('meta').set('schema', { 'quick win': 1, 'theme point': 1, journey: 1, 'emerging model': 1 })

    expect(migrateDocument(doc)).toMatchObject({
      'quick win': 1,
      'theme point': 1,
      journey: 0,
      'emerging model': 0,
    })
    expect(collection(doc, 'quickWins').get('q-1')?.get('addedBy')).toBe('')
    expect(point.get('addedBy')).toBe('')
    expect(storedVersions(doc)).toMatchObject({ 'quick win': 2, 'theme point': 2 })
  })
})
