import type { Dataset } from '../dataset-schema.ts'
import { type Actor, actorKind } from '../records/actor.ts'
import { type Exchange, formatExchange } from '../records/exchange.ts'
import { type Link, linkKind } from '../records/link.ts'
import { type FieldInfo, snakeCase } from '../records/record.ts'
import { datasetFields, type FieldShape, shapeOf } from './fields.ts'
import { type ExportFile, fileStem } from './format.ts'
import { type ExportOptions, prepareForExport } from './privacy.ts'
import { el, renderXml, type XmlElement } from './xml.ts'

/**
 * Network measures to add to the graph exports: per measure name, a value per actor id, e.g.
 * `{ betweenness: { 'a-foodbank': 0.31 } }`. An actor without a (finite) value gets none.
 */
export type NodeMeasures = Readonly<Record<string, Readonly<Record<string, number>>>>

export type GraphExportOptions = ExportOptions & { readonly measures?: NodeMeasures }

/** A column's type; `list` is a list of strings (GEXF `liststring`, joined in GraphML). */
export type GraphAttributeType = 'string' | 'int' | 'double' | 'boolean' | 'list'

export type GraphValue = string | number | boolean | readonly string[] | undefined

/** One column of the node or edge table, shared by GraphML and GEXF so both carry the same data. */
export interface GraphAttribute<T> {
  readonly name: string
  readonly type: GraphAttributeType
  /** The record's value; `undefined`, '' or [] mean "no value", and nothing is written. */
  readonly value: (record: T) => GraphValue
  /** The field it is written from, when it is one. */
  readonly field?: string
}

const GRAPH_TYPES: Record<FieldShape, GraphAttributeType> = {
  text: 'string',
  choice: 'string',
  list: 'list',
  choices: 'list',
  integer: 'int',
  number: 'double',
  boolean: 'boolean',
  object: 'string',
  exchanges: 'list',
}

/**
 * The columns of a kind's fields: each named by its `graph` metadata (snake_case of the key by
 * default), typed by its schema, and a choice with labels followed by `<name>_label`, the words
 * Gephi's partitions show. Left out: `graph: false` (ids, which are the node and edge ids) and
 * every personal field, whatever a redaction asked for: a graph file is opened in tools
 * (Gephi, yEd) that show every column to whoever the file is passed on to.
 */
export function graphAttributesOf(fields: readonly FieldInfo[]): GraphAttribute<Record<string, unknown>>[] {
  return datasetFields(fields).flatMap((field) => {
    if (field.meta.graph === false || field.meta.personal) return []
    const name = field.meta.graph ?? snakeCase(field.key)
    const shape = shapeOf(field)
    const own: GraphAttribute<Record<string, unknown>> = {
      name,
      type: GRAPH_TYPES[shape],
      field: field.key,
      value: (record) => {
        const value = record[field.key]
        if (shape === 'exchanges') return (value as Exchange[] | undefined)?.map(formatExchange)
        return shape === 'object' && value !== undefined ? JSON.stringify(value) : (value as GraphValue)
      },
    }
    const labels = field.meta.labels
    if (shape !== 'choice' || !labels) return [own]
    const label: GraphAttribute<Record<string, unknown>> = {
      name: `${name}_label`,
      type: 'string',
      value: (record) => labels[record[field.key] as string],
    }
    return [own, label]
  })
}

/** Node columns: the actors' fields. */
export const NODE_ATTRIBUTES: readonly GraphAttribute<Actor>[] = graphAttributesOf(actorKind.fields)

/**
 * The funding fields mean something only on a funding link: the schema keeps them when the kind
 * changes (so concurrent edits are not lost), but a stale amount on a referral must not be
 * summed as money by whoever analyses the file. A currency without an amount says nothing, so
 * it goes with the amount.
 */
const FUNDING_ONLY: ReadonlySet<string> = new Set(['amount', 'currency', 'periodStart', 'periodEnd'])
const funding = (link: Link, field: string, value: GraphValue): GraphValue =>
  link.kind !== 'funding' || (field === 'currency' && link.amount === undefined) ? undefined : value

/**
 * Edge columns: the links' fields, the funding ones only on funding links, and `mutual` beside
 * the direction for readers that filter on a yes/no rather than on a word.
 */
export function edgeAttributesOf(fields: readonly FieldInfo[]): GraphAttribute<Link>[] {
  return graphAttributesOf(fields).flatMap((attribute): GraphAttribute<Link>[] => {
    const { field } = attribute
    if (field !== undefined && FUNDING_ONLY.has(field)) {
      return [{ ...attribute, value: (link) => funding(link, field, attribute.value(link)) }]
    }
    if (field === 'direction' && attribute.name === 'direction') {
      const mutual: GraphAttribute<Link> = {
        name: 'mutual',
        type: 'boolean',
        value: (link) => link.direction === 'mutual',
      }
      return [attribute, mutual]
    }
    return [attribute]
  })
}

export const EDGE_ATTRIBUTES: readonly GraphAttribute<Link>[] = edgeAttributesOf(linkKind.fields)

/**
 * The measures as extra `double` node columns. Names are made safe as XML name tokens (GraphML
 * requires it of `attr.name`) and kept distinct from the built-in columns and from each other,
 * so a measure called "label" cannot shadow the actor's name.
 */
export function measureAttributes(measures: NodeMeasures = {}): GraphAttribute<Actor>[] {
  const taken = new Set(NODE_ATTRIBUTES.map((attribute) => attribute.name))
  return Object.entries(measures).map(([measure, values]) => {
    const base = measure.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^[._-]+/, '') || 'measure'
    let name = base
    for (let n = 2; taken.has(name); n++) name = `${base}_${n}`
    taken.add(name)
    return {
      name,
      type: 'double',
      value: (actor) => {
        const value = Object.hasOwn(values, actor.id) ? values[actor.id] : undefined
        return typeof value === 'number' && Number.isFinite(value) ? value : undefined
      },
    }
  })
}

/** Whether a value is worth writing: absent, blank and empty-list values are left out. */
export const hasValue = (value: GraphValue): value is string | number | boolean | readonly string[] =>
  value !== undefined && value !== '' && !(Array.isArray(value) && value.length === 0)

const GRAPHML_TYPES: Record<GraphAttributeType, string> = {
  string: 'string',
  int: 'int',
  double: 'double',
  boolean: 'boolean',
  // GraphML has no list type; "; " reads well and never occurs inside a domain.
  list: 'string',
}

const graphmlValue = (value: string | number | boolean | readonly string[]): string =>
  Array.isArray(value) ? value.join('; ') : String(value)

function keys<T>(scope: 'node' | 'edge', prefix: string, attributes: readonly GraphAttribute<T>[]) {
  return attributes.map((attribute) =>
    el('key', {
      id: `${prefix}${attribute.name}`,
      for: scope,
      'attr.name': attribute.name,
      'attr.type': GRAPHML_TYPES[attribute.type],
    }),
  )
}

function data<T>(record: T, prefix: string, attributes: readonly GraphAttribute<T>[]): XmlElement[] {
  const out: XmlElement[] = []
  for (const attribute of attributes) {
    const value = attribute.value(record)
    if (hasValue(value)) out.push(el('data', { key: `${prefix}${attribute.name}` }, [graphmlValue(value)]))
  }
  return out
}

/**
 * The network as GraphML (Gephi, yEd, Cytoscape, networkx, igraph): a directed graph whose
 * nodes are the actors and whose edges are the links, ids as in the dataset, with typed keys
 * for every column and for each measure in `options.measures`.
 *
 * A mutual link stays a directed edge with `mutual` = true rather than `directed="false"`:
 * common readers (networkx) refuse undirected edges inside a directed graph.
 */
export function toGraphml(dataset: Dataset, options: GraphExportOptions = {}): ExportFile {
  const prepared = prepareForExport(dataset, options)
  // Node keys are prefixed "n_", measures "m_", edge keys "e_": key ids share one namespace in
  // GraphML, and "kind" and "label" are both node and edge columns.
  const measures = measureAttributes(options.measures)
  const nodeColumns = (actor: Actor) => [
    ...data(actor, 'n_', NODE_ATTRIBUTES),
    ...data(actor, 'm_', measures),
  ]
  const root = el(
    'graphml',
    {
      xmlns: 'http://graphml.graphdrawing.org/xmlns',
      'xmlns:xsi': 'http://www.w3.org/2001/XMLSchema-instance',
      'xsi:schemaLocation':
        'http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd',
    },
    [
      ...keys('node', 'n_', NODE_ATTRIBUTES),
      ...keys('node', 'm_', measures),
      ...keys('edge', 'e_', EDGE_ATTRIBUTES),
      el('graph', { id: 'network', edgedefault: 'directed' }, [
        prepared.meta.title ? el('desc', {}, [prepared.meta.title]) : undefined,
        ...prepared.actors.map((actor) => el('node', { id: actor.id }, nodeColumns(actor))),
        ...prepared.links.map((link) =>
          el('edge', { id: link.id, source: link.from, target: link.to }, data(link, 'e_', EDGE_ATTRIBUTES)),
        ),
      ]),
    ],
  )
  return {
    filename: `${fileStem(prepared.meta.title)}.graphml`,
    mediaType: 'application/graphml+xml',
    body: renderXml(root),
  }
}
