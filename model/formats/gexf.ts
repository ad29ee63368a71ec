import type { Dataset } from '../dataset-schema.ts'
import type { Actor } from '../records/actor.ts'
import type { Link } from '../records/link.ts'
import { type ExportFile, fileStem } from './format.ts'
import {
  EDGE_ATTRIBUTES,
  type GraphAttribute,
  type GraphAttributeType,
  type GraphExportOptions,
  hasValue,
  measureAttributes,
  NODE_ATTRIBUTES,
} from './graphml.ts'
import { prepareForExport } from './privacy.ts'
import { el, renderXml, type XmlElement } from './xml.ts'

const GEXF_TYPES: Record<GraphAttributeType, string> = {
  string: 'string',
  int: 'integer',
  double: 'double',
  boolean: 'boolean',
  list: 'liststring',
}

/**
 * GEXF 1.3 writes a list as `[a, b]`, Gephi's array syntax. An item with a space, comma,
 * bracket or quote in it (a language such as "British Sign Language", a free-text tag) is
 * quoted, `\` and `"` escaped, as Gephi itself prints one, so it reads back as one item.
 */
const listItem = (item: string) =>
  /[\s,[\]"']/.test(item) || item === '' || item === 'null'
    ? `"${item.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`
    : item
const gexfValue = (value: string | number | boolean | readonly string[]): string =>
  Array.isArray(value) ? `[${value.map(listItem).join(', ')}]` : String(value)

/**
 * `label` is a reserved GEXF attribute of nodes and edges, written there rather than as a
 * column, so Gephi shows it as the label and readers such as networkx do not see it twice.
 */
const columns = <T>(attributes: readonly GraphAttribute<T>[]) =>
  attributes.filter((attribute) => attribute.name !== 'label')

function declarations<T>(scope: 'node' | 'edge', attributes: readonly GraphAttribute<T>[]): XmlElement {
  return el(
    'attributes',
    { class: scope },
    attributes.map((attribute) =>
      el('attribute', { id: attribute.name, title: attribute.name, type: GEXF_TYPES[attribute.type] }),
    ),
  )
}

function attvalues<T>(record: T, attributes: readonly GraphAttribute<T>[]): XmlElement | undefined {
  const values: XmlElement[] = []
  for (const attribute of attributes) {
    const value = attribute.value(record)
    if (hasValue(value)) values.push(el('attvalue', { for: attribute.name, value: gexfValue(value) }))
  }
  return values.length > 0 ? el('attvalues', {}, values) : undefined
}

/**
 * The network as GEXF 1.3 (Gephi): actors as nodes, links as edges, ids as in the dataset, the
 * same typed columns as GraphML (domains as a `liststring`), and a `double` column for each
 * measure in `options.measures`.
 *
 * Edges carry the link kind both as a column and as GEXF's own `kind`, which lets Gephi keep two
 * links of different kinds between the same pair as parallel edges instead of merging them.
 * `weight` is the link's strength when someone gave one (Gephi's default, 1, otherwise). The
 * graph is directed; a mutual link is written as an undirected edge, which Gephi supports in a
 * mixed graph.
 */
export function toGexf(dataset: Dataset, options: GraphExportOptions = {}): ExportFile {
  const prepared = prepareForExport(dataset, options)
  const nodeColumns: readonly GraphAttribute<Actor>[] = [
    ...columns(NODE_ATTRIBUTES),
    ...measureAttributes(options.measures),
  ]
  const edgeColumns: readonly GraphAttribute<Link>[] = columns(EDGE_ATTRIBUTES)
  const { meta } = prepared
  const root = el(
    'gexf',
    {
      xmlns: 'http://gexf.net/1.3',
      'xmlns:xsi': 'http://www.w3.org/2001/XMLSchema-instance',
      'xsi:schemaLocation': 'http://gexf.net/1.3 http://gexf.net/1.3/gexf.xsd',
      version: '1.3',
    },
    [
      el('meta', { lastmodifieddate: meta.endDate ?? meta.startDate }, [
        el('creator', {}, ['Network map']),
        meta.title ? el('description', {}, [meta.title]) : undefined,
      ]),
      el('graph', { defaultedgetype: 'directed', mode: 'static' }, [
        declarations('node', nodeColumns),
        declarations('edge', edgeColumns),
        el(
          'nodes',
          { count: prepared.actors.length },
          prepared.actors.map((actor) =>
            el('node', { id: actor.id, label: actor.name }, [attvalues(actor, nodeColumns)]),
          ),
        ),
        el(
          'edges',
          { count: prepared.links.length },
          prepared.links.map((link) =>
            el(
              'edge',
              {
                id: link.id,
                source: link.from,
                target: link.to,
                label: link.label || undefined,
                kind: link.kind,
                type: link.direction === 'mutual' ? 'undirected' : undefined,
                weight: link.strength,
              },
              [attvalues(link, edgeColumns)],
            ),
          ),
        ),
      ]),
    ],
  )
  return {
    filename: `${fileStem(meta.title)}.gexf`,
    mediaType: 'application/gexf+xml',
    body: renderXml(root),
  }
}
