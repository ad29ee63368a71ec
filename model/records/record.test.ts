import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { createSchemaOf, defineRecord, patchSchemaOf } from './record.ts'

const Shape = z.object({
  id: z.string(),
  name: z.string().min(1),
  colour: z.enum(['red', 'blue']).default('blue'),
  size: z.number().optional(),
})

describe('defineRecord', () => {
  it('starts at version 1 and rises by one per migration', () => {
    expect(defineRecord('thing', Shape).version).toBe(1)
    const kind = defineRecord('thing', Shape, [
      { id: 'thing/2-rename-title', toVersion: 2, up: (r) => r },
      { id: 'thing/3-size', toVersion: 3, up: (r) => r },
    ])
    expect(kind.version).toBe(3)
  })

  it('refuses migrations that skip or repeat a version', () => {
    expect(() => defineRecord('thing', Shape, [{ id: 'thing/3', toVersion: 3, up: (r) => r }])).toThrow(
      /version 2/,
    )
    expect(() =>
      defineRecord('thing', Shape, [
        { id: 'a', toVersion: 2, up: (r) => r },
        { id: 'b', toVersion: 2, up: (r) => r },
      ]),
    ).toThrow(/version 3/)
  })
})

describe('restore', () => {
  const kind = defineRecord('thing', Shape, [
    {
      id: 'thing/2-title-becomes-name',
      toVersion: 2,
      up: ({ title, ...rest }) => ({ ...rest, name: title }),
    },
  ])

  it('passes a valid record through untouched', () => {
    expect(kind.restore({ id: 'x', name: 'A', colour: 'red' })).toEqual({
      ok: true,
      value: { id: 'x', name: 'A', colour: 'red' },
      repaired: [],
    })
  })

  it('migrates a record written by an older version', () => {
    const restored = kind.restore({ id: 'x', title: 'Old' }, 1)
    expect(restored.ok && restored.value).toEqual({ id: 'x', name: 'Old', colour: 'blue' })
  })

  it('repairs a bad field with its default and says which', () => {
    const restored = kind.restore({ id: 'x', name: 'A', colour: 'purple', size: 'big' })
    expect(restored).toEqual({
      ok: true,
      value: { id: 'x', name: 'A', colour: 'blue' },
      repaired: ['colour', 'size'],
    })
  })

  it('gives up on a record whose required field is unusable', () => {
    const restored = kind.restore({ id: 'x', name: '' })
    expect(restored.ok).toBe(false)
    expect(!restored.ok && restored.error).toMatchObject({ kind: 'thing', id: 'x' })
  })

  it('refuses what is not an object, and versions newer than the code', () => {
    expect(kind.restore('x').ok).toBe(false)
    expect(kind.restore(null).ok).toBe(false)
    expect(kind.restore([]).ok).toBe(false)
    const newer = kind.restore({ id: 'x', name: 'A' }, 3)
    expect(!newer.ok && newer.error.message).toMatch(/newer than this app/)
  })
})

describe('command input schemas', () => {
  it('create: id optional, defaults applied, unknown fields refused', () => {
    const create = createSchemaOf(Shape)
    expect(create.parse({ name: 'A' })).toEqual({ name: 'A', colour: 'blue' })
    expect(create.safeParse({ name: 'A', colur: 'red' }).success).toBe(false)
  })

  it('patch: absent fields stay absent, null clears an optional field only', () => {
    const patch = patchSchemaOf(Shape)
    expect(patch.parse({ size: 3 })).toEqual({ size: 3 })
    expect(patch.parse({ size: null })).toEqual({ size: null })
    expect(patch.safeParse({ name: null }).success).toBe(false)
    expect(patch.safeParse({ colour: null }).success).toBe(false)
    expect(patch.safeParse({ id: 'y' }).success).toBe(false)
  })
})
