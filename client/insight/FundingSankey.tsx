import { memo, useEffect, useId, useMemo, useRef, useState } from 'react'
import type { FundingInsight } from '../../model/analysis.ts'
import { DOMAINS, type Domain } from '../../model/index.ts'
import { download } from '../workspace/download.ts'
import { formatMoney } from './insight-data.ts'
import { DOMAIN_COLOURS, OTHER_COLOUR, PALETTE } from './lens.ts'
import { condenseFunding, layoutSankey, OTHER_FUNDERS, OTHER_RECIPIENTS } from './sankey.ts'

const FONT = 'system-ui, -apple-system, "Segoe UI", sans-serif'
const FONT_SIZE = 12
/** A rough width of one character at FONT_SIZE, to shorten labels that would not fit. */
const CHAR = 6.6
const LABEL_GAP = 4
const NARROWEST = 320

const shorten = (text: string, room: number) => {
  const chars = Math.max(4, Math.floor(room / CHAR))
  return text.length <= chars ? text : `${text.slice(0, chars - 1).trimEnd()}…`
}

const domainOf = (id: string): Domain | null => {
  const domain = id.replace(/^domain:/, '')
  return (DOMAINS as readonly string[]).includes(domain) ? (domain as Domain) : null
}

/** The drawing's width follows its box. */
function useWidth(element: HTMLElement | null, fallback: number): number {
  const [width, setWidth] = useState(fallback)
  useEffect(() => {
    if (!element) return
    const observer = new ResizeObserver(([entry]) => {
      if (entry) setWidth(Math.floor(entry.contentRect.width))
    })
    observer.observe(element)
    return () => observer.disconnect()
  }, [element])
  return width
}

/**
 * Where the money goes: funders -> the organisations they fund -> those organisations' domains,
 * drawn as a Sankey diagram (bars as tall as the money through them, bands as wide as each
 * flow), with every flow also in a table for those who cannot see the drawing, and the drawing
 * as a file to download. The SVG carries its styles in attributes, so the file looks the same.
 */
export const FundingSankey = memo(function FundingSankey({
  funding,
  total,
  fileStem,
}: {
  funding: FundingInsight
  total: number
  fileStem: string
}) {
  const [box, setBox] = useState<HTMLDivElement | null>(null)
  const svg = useRef<SVGSVGElement>(null)
  const titleId = useId()
  const descriptionId = useId()
  const width = Math.max(NARROWEST, useWidth(box, 360))
  const [tableOpen, setTableOpen] = useState(false)
  const labels = useMemo(() => new Map(funding.nodes.map((node) => [node.id, node.label])), [funding.nodes])
  const domainLabelRoom = useMemo(() => {
    const longest = Math.max(
      0,
      ...funding.nodes.filter((node) => node.column === 2).map((node) => node.label.length),
    )
    return Math.min(130, longest * CHAR + LABEL_GAP + 2)
  }, [funding.nodes])
  const drawn = useMemo(() => condenseFunding(funding.nodes, funding.flows), [funding.nodes, funding.flows])
  const layout = useMemo(
    () => layoutSankey(drawn.nodes, drawn.flows, { width, labelRoom: domainLabelRoom }),
    [drawn, width, domainLabelRoom],
  )
  const funderColour = useMemo(() => {
    const colours = new Map<string, string>()
    layout.nodes
      .filter((node) => node.column === 0)
      .forEach((node, index) => {
        colours.set(node.id, PALETTE[index % PALETTE.length] as string)
      })
    return colours
  }, [layout.nodes])
  const colourOf = (id: string) => {
    if (id === OTHER_FUNDERS || id === OTHER_RECIPIENTS) return OTHER_COLOUR
    if (id.startsWith('funder:')) return funderColour.get(id) ?? OTHER_COLOUR
    if (id.startsWith('domain:')) {
      const domain = domainOf(id)
      return domain ? DOMAIN_COLOURS[domain] : OTHER_COLOUR
    }
    return '#374151'
  }
  const labelOf = (id: string) => labels.get(id) ?? drawn.nodes.find((node) => node.id === id)?.label ?? id
  const counts = [0, 1, 2].map((column) => funding.nodes.filter((node) => node.column === column).length)
  const description =
    `${formatMoney(total)} from ${counts[0]} funder${counts[0] === 1 ? '' : 's'} to ${counts[1]} ` +
    `organisation${counts[1] === 1 ? '' : 's'} in ${counts[2]} domain${counts[2] === 1 ? '' : 's'}. ` +
    (drawn.nodes.some((node) => node.id === OTHER_FUNDERS || node.id === OTHER_RECIPIENTS)
      ? 'The largest are drawn apiece, the rest as one bar per column. '
      : '') +
    'Every flow is listed in the table below.'
  const columnRoom = (layout.width - domainLabelRoom - layout.nodeWidth * 3) / 2 - LABEL_GAP * 2

  const save = () => {
    if (!svg.current) return
    const source = new XMLSerializer().serializeToString(svg.current)
    download(
      `${fileStem}-funding-flows.svg`,
      `<?xml version="1.0" encoding="UTF-8"?>\n${source}\n`,
      'image/svg+xml',
    )
  }

  if (funding.flows.length === 0) {
    return <p className="hint">No funding with an amount in pounds is on the map yet.</p>
  }
  return (
    <figure className="sankey">
      <div ref={setBox} className="sankey__box">
        <svg
          ref={svg}
          xmlns="http://www.w3.org/2000/svg"
          width={layout.width}
          height={layout.height}
          viewBox={`0 0 ${layout.width} ${layout.height}`}
          role="img"
          aria-labelledby={`${titleId} ${descriptionId}`}
          fontFamily={FONT}
          fontSize={FONT_SIZE}
          data-testid="funding-sankey"
        >
          <title id={titleId}>Funding flows: funders to organisations to domains</title>
          <desc id={descriptionId}>{description}</desc>
          <rect width={layout.width} height={layout.height} fill="#ffffff" />
          <g fill="none" strokeOpacity={0.4}>
            {layout.bands.map((band) => (
              <path
                key={`${band.source}>${band.target}`}
                d={band.path}
                stroke={colourOf(band.source.startsWith('funder:') ? band.source : band.target)}
                strokeWidth={band.width}
                data-flow={`${band.source}>${band.target}`}
              >
                <title>
                  {`${labelOf(band.source)} → ${labelOf(band.target)}: ${formatMoney(band.amount)}`}
                </title>
              </path>
            ))}
          </g>
          <g>
            {layout.nodes.map((node) => (
              <rect
                key={node.id}
                x={node.x}
                y={node.y}
                width={layout.nodeWidth}
                height={node.height}
                fill={colourOf(node.id)}
                data-node={node.id}
              >
                <title>{`${node.label}: ${formatMoney(node.value)}`}</title>
              </rect>
            ))}
          </g>
          <g fill="#111827" stroke="#ffffff" strokeWidth={3} strokeLinejoin="round" paintOrder="stroke">
            {layout.nodes.map((node) => (
              <text
                key={node.id}
                x={node.x + layout.nodeWidth + LABEL_GAP}
                y={node.y + node.height / 2}
                dominantBaseline="middle"
              >
                {shorten(node.label, node.column === 2 ? domainLabelRoom - LABEL_GAP : columnRoom)}
              </text>
            ))}
          </g>
        </svg>
      </div>
      <figcaption className="hint">{description}</figcaption>
      <div className="row">
        <button type="button" className="button" onClick={save}>
          Download SVG
        </button>
      </div>
      <details className="sankey__table" onToggle={(event) => setTableOpen(event.currentTarget.open)}>
        <summary>Flows as a table</summary>
        {/* Built when opened: a borough's map can have thousands of flows. */}
        {tableOpen && (
          <table>
            <caption className="visually-hidden">Funding flows</caption>
            <thead>
              <tr>
                <th scope="col">From</th>
                <th scope="col">To</th>
                <th scope="col">Amount</th>
              </tr>
            </thead>
            <tbody>
              {funding.flows.map((flow) => (
                <tr key={`${flow.source}>${flow.target}`}>
                  <td>{labels.get(flow.source) ?? flow.source}</td>
                  <td>{labels.get(flow.target) ?? flow.target}</td>
                  <td className="sankey__amount">{formatMoney(flow.amount)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </details>
    </figure>
  )
})
