import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { all, readXml, type XmlNode } from '../../tests/helpers/xml-reader.ts'
import { type Dataset, DatasetSchema } from '../dataset-schema.ts'
import { toGraphml } from './graphml.ts'

const fixture: Dataset = DatasetSchema.parse(
  JSON.parse(readFileSync(new URL('../../tests/fixtures/neighbourhood-map.json', import.meta.url), 'utf8')),
)

/** A GraphML file read back: its keys, and each node's and edge's data by attribute name. */
function read(body: string | Uint8Array) {
  expect(typeof body).toBe('string')
  const root = readXml(body as string)
  const keys = all(root, 'key')
  const names = new Map(keys.map((key) => [key.attributes.id, key.attributes['attr.name']]))
  const values = (node: XmlNode) =>
    Object.fromEntries(all(node, 'data').map((data) => [names.get(data.attributes.key ?? ''), data.text]))
  const byId = (name: string) =>
    new Map(all(root, name).map((node) => [node.attributes.id ?? '', { node, data: values(node) }]))
  return { root, keys, nodes: byId('node'), edges: byId('edge') }
}

describe('the strict reader these tests use', () => {
  it.each([
    ['unbalanced tags', '<a><b></a></b>'],
    ['a bare &', '<a>fish & chips</a>'],
    ['a raw <', '<a x="<"/>'],
    ['a raw control character', '<a>\u0007</a>'],
    ['two roots', '<a/><b/>'],
    ['an unclosed element', '<a><b/>'],
    ['a reference to a character XML forbids', '<a x="&#1;">&#0;</a>'],
    ['an undeclared entity', '<a x="&nbsp;"/>'],
    ['a bare & in an attribute', '<a x="fish & chips"/>'],
    [']]> in text', '<a>]]></a>'],
    ['text after the root', '<a/>text'],
  ])('refuses %s', (_, xml) => {
    expect(() => readXml(xml)).toThrow()
  })
})

describe('toGraphml', () => {
  const file = toGraphml(fixture)
  const { root, keys, nodes, edges } = read(file.body)

  it('names the file after the workspace', () => {
    expect(file.filename).toBe('riverside-ward-network-map.graphml')
    expect(file.mediaType).toBe('application/graphml+xml')
  })

  it('is a well-formed, directed GraphML graph', () => {
    expect(root.name).toBe('graphml')
    expect(root.attributes.xmlns).toBe('http://graphml.graphdrawing.org/xmlns')
    const graphs = all(root, 'graph')
    expect(graphs).toHaveLength(1)
    expect(graphs[0]?.attributes.edgedefault).toBe('directed')
    // GraphML wants every key before the graph.
    expect(root.children.findIndex((child) => child.name === 'graph')).toBe(keys.length)
  })

  it('has one node per actor and one edge per link, with the dataset ids', () => {
    expect([...nodes.keys()]).toEqual(fixture.actors.map((actor) => actor.id))
    expect([...edges.keys()]).toEqual(fixture.links.map((link) => link.id))
    for (const link of fixture.links) {
      expect(edges.get(link.id)?.node.attributes).toMatchObject({ source: link.from, target: link.to })
    }
  })

  it('declares each typed key once', () => {
    const ids = keys.map((key) => key.attributes.id)
    expect(new Set(ids).size).toBe(ids.length)
    const declared = keys.map((key) => `${key.attributes.for}:${key.attributes['attr.name']}`)
    expect(new Set(declared).size).toBe(declared.length)
    const type = (scope: string, name: string) =>
      keys.find((key) => key.attributes.for === scope && key.attributes['attr.name'] === name)?.attributes[
        'attr.type'
      ]
    expect(type('node', 'label')).toBe('string')
    expect(type('node', 'domains')).toBe('string')
    expect(type('edge', 'mutual')).toBe('boolean')
    expect(type('edge', 'strength')).toBe('int')
    expect(type('edge', 'amount')).toBe('double')
    expect(
      keys.every((key) => ['string', 'int', 'double', 'boolean'].includes(key.attributes['attr.type'] ?? '')),
    ).toBe(true)
  })

  it("writes an actor's name, kind and domains", () => {
    expect(nodes.get('a-foodbank')?.data).toMatchObject({
      label: 'Riverside Food Bank',
      kind: 'organisation',
      kind_label: 'Organisation',
      domains: 'money-welfare; health',
      charity_number: '1123456',
      website: 'https://riverside-foodbank.example',
    })
    // Blank fields are left out rather than written empty.
    expect(nodes.get('a-foodbank')?.data).not.toHaveProperty('company_number')
  })

  it('writes a grant with its amount as a double, currency and period', () => {
    const grant = edges.get('l-001')?.data
    expect(grant).toMatchObject({
      kind: 'funding',
      kind_label: 'Funding',
      label: 'Reaching Communities grant',
      direction: 'directed',
      mutual: 'false',
      strength: '4',
      currency: 'GBP',
      period_start: '2024-04-01',
      period_end: '2027-03-31',
    })
    expect(Number.parseFloat(grant?.amount ?? '')).toBe(89500)
    // No strength was given for this grant: none is made up.
    expect(edges.get('l-002')?.data).not.toHaveProperty('strength')
  })

  it('marks a mutual partnership, keeping the edge directed for strict readers', () => {
    const partnership = edges.get('l-027')
    expect(partnership?.data).toMatchObject({
      kind: 'partnership',
      direction: 'mutual',
      mutual: 'true',
      strength: '5',
    })
    expect(partnership?.node.attributes).not.toHaveProperty('directed')
    expect(partnership?.data).not.toHaveProperty('amount')
    expect(partnership?.data).not.toHaveProperty('currency')
  })

  it('leaves out funding fields kept on a link that is no longer funding', () => {
    const dataset = structuredClone(fixture)
    const link = dataset.links.find((l) => l.id === 'l-001')
    if (link) link.kind = 'partnership'
    expect(read(toGraphml(dataset).body).edges.get('l-001')?.data).not.toHaveProperty('amount')
  })

  it('escapes markup and drops characters XML cannot hold', () => {
    const dataset = structuredClone(fixture)
    const actor = dataset.actors[0]
    const link = dataset.links[0]
    if (!actor || !link) throw new Error('fixture is empty')
    actor.name = `Tom & Jerry's <"Café"> 🎉\u0007\u0000!`
    actor.description = 'line one\r\nline two\ttabbed ]]> \uFFFE\uD800end'
    link.label = '</data><script>alert(1)</script>'
    const { nodes, edges } = read(toGraphml(dataset).body)
    expect(nodes.get(actor.id)?.data.label).toBe(`Tom & Jerry's <"Café"> 🎉!`)
    expect(nodes.get(actor.id)?.data.description).toBe('line one\r\nline two\ttabbed ]]> end')
    expect(edges.get(link.id)?.data.label).toBe('</data><script>alert(1)</script>')
  })

  it('never exports contacts, and redaction removes nothing structural', () => {
    const redacted = read(toGraphml(fixture, { redactPersonal: true }).body)
    expect(redacted.nodes.size).toBe(fixture.actors.length)
    expect(redacted.edges.size).toBe(fixture.links.length)
    expect(redacted.nodes.get('a-foodbank')?.data).toEqual(nodes.get('a-foodbank')?.data)
    for (const { body } of [file, toGraphml(fixture, { redactPersonal: true })]) {
      expect(read(body).keys.map((key) => key.attributes['attr.name'])).not.toContain('contact')
      const contacts = fixture.actors.map((actor) => actor.contact).filter(Boolean)
      expect(contacts.length).toBeGreaterThan(0)
      for (const contact of contacts) expect(body).not.toContain(contact)
    }
  })

  it('adds measures as double node keys named after them', () => {
    const { keys, nodes } = read(
      toGraphml(fixture, {
        measures: {
          betweenness: { 'a-foodbank': 0.31, 'a-gp': 0 },
          degree: { 'a-foodbank': 12, 'a-gp': Number.NaN },
          label: { 'a-foodbank': 1 },
          'eigenvector centrality': { 'a-gp': 2.5e-7 },
        },
      }).body,
    )
    const measureKeys = keys.filter((key) => key.attributes.id?.startsWith('m_'))
    expect(
      measureKeys.map((key) => [
        key.attributes['attr.name'],
        key.attributes.for,
        key.attributes['attr.type'],
      ]),
    ).toEqual([
      ['betweenness', 'node', 'double'],
      ['degree', 'node', 'double'],
      ['label_2', 'node', 'double'],
      ['eigenvector_centrality', 'node', 'double'],
    ])
    expect(nodes.get('a-foodbank')?.data).toMatchObject({
      betweenness: '0.31',
      degree: '12',
      label: 'Riverside Food Bank',
    })
    expect(Number(nodes.get('a-foodbank')?.data.label_2)).toBe(1)
    expect(nodes.get('a-gp')?.data).toMatchObject({ betweenness: '0' })
    expect(Number.parseFloat(nodes.get('a-gp')?.data.eigenvector_centrality ?? '')).toBe(2.5e-7)
    // A value that is not a finite number is left out, not written as NaN.
    expect(nodes.get('a-gp')?.data).not.toHaveProperty('degree')
    expect(nodes.get('a-arts')?.data).not.toHaveProperty('betweenness')
  })
})
