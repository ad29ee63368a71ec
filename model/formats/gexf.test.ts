import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { all, readXml, type XmlNode } from '../../tests/helpers/xml-reader.ts'
import { type Dataset, DatasetSchema } from '../dataset-schema.ts'
import { toGexf } from './gexf.ts'

const fixture: Dataset = DatasetSchema.parse(
  JSON.parse(readFileSync(new URL('../../tests/fixtures/neighbourhood-map.json', import.meta.url), 'utf8')),
)

/** A GEXF file read back: its declared columns, and each node's and edge's values by column title. */
function read(body: string | Uint8Array) {
  expect(typeof body).toBe('string')
  const root = readXml(body as string)
  const graph = all(root, 'graph')[0]
  if (!graph) throw new Error('no graph')
  const declared = (scope: string) =>
    all(graph, 'attributes')
      .filter((attributes) => attributes.attributes.class === scope)
      .flatMap((attributes) => all(attributes, 'attribute'))
  const columns = { node: declared('node'), edge: declared('edge') }
  const values = (node: XmlNode, scope: 'node' | 'edge') => {
    const titles = new Map(columns[scope].map((column) => [column.attributes.id, column.attributes.title]))
    return Object.fromEntries(
      all(node, 'attvalue').map((value) => [titles.get(value.attributes.for ?? ''), value.attributes.value]),
    )
  }
  const byId = (scope: 'node' | 'edge') =>
    new Map(all(graph, scope).map((node) => [node.attributes.id ?? '', { node, data: values(node, scope) }]))
  return { root, graph, columns, nodes: byId('node'), edges: byId('edge') }
}

describe('toGexf', () => {
  const file = toGexf(fixture)
  const { root, graph, columns, nodes, edges } = read(file.body)

  it('names the file after the workspace', () => {
    expect(file.filename).toBe('riverside-ward-network-map.gexf')
    expect(file.mediaType).toBe('application/gexf+xml')
  })

  it('is well-formed GEXF 1.3 with meta from the workspace', () => {
    expect(root.name).toBe('gexf')
    expect(root.attributes).toMatchObject({ xmlns: 'http://gexf.net/1.3', version: '1.3' })
    const meta = all(root, 'meta')[0]
    expect(meta?.attributes.lastmodifieddate).toBe('2025-05-20')
    expect(all(root, 'creator')[0]?.text).toBe('Network map')
    expect(all(root, 'description')[0]?.text).toBe('Riverside Ward network map')
    expect(graph.attributes).toMatchObject({ defaultedgetype: 'directed', mode: 'static' })
    // GEXF wants the column declarations before the nodes, and the nodes before the edges.
    expect(graph.children.map((child) => child.name)).toEqual(['attributes', 'attributes', 'nodes', 'edges'])
  })

  it('dates the file from the start date when there is no end date, and not at all without either', () => {
    const dated = (meta: Partial<Dataset['meta']>) =>
      all(
        readXml(
          toGexf({ ...fixture, meta: { ...fixture.meta, startDate: undefined, endDate: undefined, ...meta } })
            .body as string,
        ),
        'meta',
      )[0]?.attributes
    expect(dated({ startDate: '2025-03-04' })?.lastmodifieddate).toBe('2025-03-04')
    expect(dated({})).not.toHaveProperty('lastmodifieddate')
  })

  it('has one node per actor and one edge per link, with the dataset ids', () => {
    expect([...nodes.keys()]).toEqual(fixture.actors.map((actor) => actor.id))
    expect([...edges.keys()]).toEqual(fixture.links.map((link) => link.id))
    expect(all(graph, 'nodes')[0]?.attributes.count).toBe(String(fixture.actors.length))
    expect(all(graph, 'edges')[0]?.attributes.count).toBe(String(fixture.links.length))
    for (const link of fixture.links) {
      expect(edges.get(link.id)?.node.attributes).toMatchObject({ source: link.from, target: link.to })
    }
  })

  it('declares each typed column once per class', () => {
    for (const scope of ['node', 'edge'] as const) {
      const ids = columns[scope].map((column) => column.attributes.id)
      expect(new Set(ids).size).toBe(ids.length)
      // label is the element's own attribute, not a column.
      expect(columns[scope].map((column) => column.attributes.title)).not.toContain('label')
    }
    const type = (scope: 'node' | 'edge', title: string) =>
      columns[scope].find((column) => column.attributes.title === title)?.attributes.type
    expect(type('node', 'kind')).toBe('string')
    expect(type('node', 'domains')).toBe('liststring')
    expect(type('edge', 'mutual')).toBe('boolean')
    expect(type('edge', 'strength')).toBe('integer')
    expect(type('edge', 'amount')).toBe('double')
  })

  it("writes an actor's label, kind and domains", () => {
    const foodbank = nodes.get('a-foodbank')
    expect(foodbank?.node.attributes.label).toBe('Riverside Food Bank')
    expect(foodbank?.data).toMatchObject({
      kind: 'organisation',
      kind_label: 'Organisation',
      domains: '[money-welfare, health]',
      charity_number: '1123456',
    })
  })

  it('writes a grant with its amount as a double, its currency, and its strength as weight', () => {
    const grant = edges.get('l-001')
    expect(grant?.node.attributes).toMatchObject({
      label: 'Reaching Communities grant',
      kind: 'funding',
      weight: '4',
    })
    expect(grant?.node.attributes).not.toHaveProperty('type')
    expect(grant?.data).toMatchObject({ kind: 'funding', mutual: 'false', strength: '4', currency: 'GBP' })
    expect(Number.parseFloat(grant?.data.amount ?? '')).toBe(89500)
    // Without a strength there is no weight: Gephi's default of 1 applies.
    expect(edges.get('l-002')?.node.attributes).not.toHaveProperty('weight')
  })

  it('writes a mutual partnership as an undirected edge', () => {
    const partnership = edges.get('l-027')
    expect(partnership?.node.attributes).toMatchObject({
      type: 'undirected',
      kind: 'partnership',
      weight: '5',
    })
    expect(partnership?.data).toMatchObject({ direction: 'mutual', mutual: 'true' })
    expect(partnership?.data).not.toHaveProperty('amount')
  })

  it('escapes markup and drops characters XML cannot hold', () => {
    const dataset = structuredClone(fixture)
    const actor = dataset.actors[0]
    const link = dataset.links[0]
    if (!actor || !link) throw new Error('fixture is empty')
    actor.name = `Tom & Jerry's <"Café"> 🎉\u0007\u0000!`
    actor.reach = 'two\nlines\tand a tab'
    link.label = '"/><edge source="x'
    const { nodes, edges } = read(toGexf(dataset).body)
    expect(nodes.get(actor.id)?.node.attributes.label).toBe(`Tom & Jerry's <"Café"> 🎉!`)
    expect(nodes.get(actor.id)?.data.reach).toBe('two\nlines\tand a tab')
    expect(edges.get(link.id)?.node.attributes.label).toBe('"/><edge source="x')
    expect(edges.size).toBe(fixture.links.length)
  })

  it('never exports contacts, and redaction removes nothing structural', () => {
    const redacted = read(toGexf(fixture, { redactPersonal: true }).body)
    expect(redacted.nodes.size).toBe(fixture.actors.length)
    expect(redacted.edges.size).toBe(fixture.links.length)
    expect(redacted.nodes.get('a-foodbank')?.data).toEqual(nodes.get('a-foodbank')?.data)
    for (const { body } of [file, toGexf(fixture, { redactPersonal: true })]) {
      const { columns } = read(body)
      expect([...columns.node, ...columns.edge].map((column) => column.attributes.title)).not.toContain(
        'contact',
      )
      const contacts = fixture.actors.map((actor) => actor.contact).filter(Boolean)
      expect(contacts.length).toBeGreaterThan(0)
      for (const contact of contacts) expect(body).not.toContain(contact)
    }
  })

  it('adds measures as double node columns named after them', () => {
    const { columns, nodes } = read(
      toGexf(fixture, {
        measures: { betweenness: { 'a-foodbank': 0.31 }, degree: { 'a-foodbank': 12, 'a-gp': 3 } },
      }).body,
    )
    const measures = columns.node.filter((column) =>
      ['betweenness', 'degree'].includes(column.attributes.title ?? ''),
    )
    expect(measures.map((column) => column.attributes.type)).toEqual(['double', 'double'])
    expect(nodes.get('a-foodbank')?.data).toMatchObject({ betweenness: '0.31', degree: '12' })
    expect(nodes.get('a-gp')?.data).toMatchObject({ degree: '3' })
    expect(nodes.get('a-gp')?.data).not.toHaveProperty('betweenness')
  })
})
