import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import type { Dataset } from './dataset-schema.ts'
import { layoutNewActors } from './layout.ts'

const fixture = (): Dataset =>
  JSON.parse(readFileSync(new URL('../tests/fixtures/neighbourhood-map.json', import.meta.url), 'utf8'))

describe('layoutNewActors', () => {
  it('spreads a whole imported map out: no two boxes on one spot, linked actors nearer than unlinked', () => {
    const { actors, links } = fixture()
    const positions = layoutNewActors(
      actors.map((actor) => actor.id),
      links,
      new Map(),
    )
    expect(positions.size).toBe(actors.length)
    const spots = new Set([...positions.values()].map((point) => `${point.x},${point.y}`))
    expect(spots.size).toBe(actors.length)
    const distance = (a: string, b: string) => {
      const [p, q] = [positions.get(a), positions.get(b)]
      return p && q ? Math.hypot(p.x - q.x, p.y - q.y) : Number.NaN
    }
    const linked = links.map((link) => distance(link.from, link.to))
    const linkedSet = new Set(links.map((link) => `${link.from}|${link.to}`))
    const unlinked: number[] = []
    for (const a of actors)
      for (const b of actors)
        if (a.id < b.id && !linkedSet.has(`${a.id}|${b.id}`) && !linkedSet.has(`${b.id}|${a.id}`))
          unlinked.push(distance(a.id, b.id))
    const mean = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / values.length
    expect(mean(linked)).toBeLessThan(mean(unlinked))
  })

  it('leaves placed actors where they are and puts new ones beside their neighbours', () => {
    const placed = new Map([
      ['a', { x: 0, y: 0 }],
      ['b', { x: 2000, y: 0 }],
    ])
    const positions = layoutNewActors(['a', 'b', 'near-a'], [{ from: 'near-a', to: 'a' }], placed)
    expect(positions.has('a')).toBe(false)
    const point = positions.get('near-a')
    expect(point).toBeDefined()
    expect(Math.hypot(point?.x ?? 0, point?.y ?? 0)).toBeLessThan(
      Math.hypot((point?.x ?? 0) - 2000, point?.y ?? 0),
    )
  })

  it('reports how far the layout has got, rising to 1, and lays out the same with or without listening', () => {
    const { actors, links } = fixture()
    const ids = actors.map((actor) => actor.id)
    const heard: number[] = []
    const positions = layoutNewActors(ids, links, new Map(), {
      onProgress: (fraction) => heard.push(fraction),
    })
    expect(heard.length).toBeGreaterThan(3)
    expect(heard).toEqual([...heard].sort((a, b) => a - b))
    expect(heard.at(-1)).toBe(1)
    expect([...positions]).toEqual([...layoutNewActors(ids, links, new Map())])
  })

  it('is deterministic', () => {
    const { actors, links } = fixture()
    const ids = actors.map((actor) => actor.id)
    expect([...layoutNewActors(ids, links, new Map())]).toEqual([...layoutNewActors(ids, links, new Map())])
  })
})
