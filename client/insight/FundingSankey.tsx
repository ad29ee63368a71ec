import { memo, useCallback, useEffect, useId, useMemo, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { FundingInsight, FundingNode } from '../../model/analysis.ts'
import { DOMAINS, type Domain } from '../../model/index.ts'
import { setLabel } from '../i18n/declared-words.ts'
import { intlLocale } from '../i18n/intl-locale.ts'
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
  const { t, i18n } = useTranslation()
  const locale = intlLocale()
  const money = (amount: number) => formatMoney(amount, locale)
  // A domain's bar by its word in the interface's language, and the bars standing for the rest.
  // biome-ignore lint/correctness/useExhaustiveDependencies: the language words the labels
  const nodeLabel = useCallback(
    (node: FundingNode): string => {
      const domain = domainOf(node.id)
      if (domain) return setLabel('domains', domain)
      const rest = /\((\d+)\)$/.exec(node.label)?.[1]
      if (node.id === OTHER_FUNDERS) return t('insight.sankey.otherFunders', { count: Number(rest) })
      if (node.id === OTHER_RECIPIENTS) return t('insight.sankey.otherRecipients', { count: Number(rest) })
      return node.label
    },
    [t, i18n.resolvedLanguage],
  )
  const labels = useMemo(
    () => new Map(funding.nodes.map((node) => [node.id, nodeLabel(node)])),
    [funding.nodes, nodeLabel],
  )
  const domainLabelRoom = useMemo(() => {
    const longest = Math.max(
      0,
      ...funding.nodes.filter((node) => node.column === 2).map((node) => nodeLabel(node).length),
    )
    return Math.min(130, longest * CHAR + LABEL_GAP + 2)
  }, [funding.nodes, nodeLabel])
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
  const labelOf = (id: string) => {
    const drawnNode = drawn.nodes.find((node) => node.id === id)
    return labels.get(id) ?? (drawnNode ? nodeLabel(drawnNode) : id)
  }
  const counts = [0, 1, 2].map((column) => funding.nodes.filter((node) => node.column === column).length)
  const description = [
    t('insight.sankey.total', {
      amount: money(total),
      funders: t('insight.sankey.funders', { count: counts[0] }),
      organisations: t('insight.sankey.organisations', { count: counts[1] }),
      domains: t('insight.sankey.domains', { count: counts[2] }),
    }),
    drawn.nodes.some((node) => node.id === OTHER_FUNDERS || node.id === OTHER_RECIPIENTS)
      ? t('insight.sankey.condensed')
      : '',
    t('insight.sankey.tableBelow'),
  ]
    .filter(Boolean)
    .join(' ')
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
    return <p className="hint">{t('insight.sankey.none')}</p>
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
          fontFamily={i18n.dir() === 'rtl' ? `"Noto Nastaliq Urdu", ${FONT}` : FONT}
          fontSize={FONT_SIZE}
          data-testid="funding-sankey"
        >
          <title id={titleId}>{t('insight.sankey.title')}</title>
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
                  {t('insight.sankey.flow', {
                    from: `\u2068${labelOf(band.source)}\u2069`,
                    to: `\u2068${labelOf(band.target)}\u2069`,
                    amount: money(band.amount),
                  })}
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
                <title>{`${nodeLabel(node)}: ${money(node.value)}`}</title>
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
                {shorten(nodeLabel(node), node.column === 2 ? domainLabelRoom - LABEL_GAP : columnRoom)}
              </text>
            ))}
          </g>
        </svg>
      </div>
      <figcaption className="hint">{description}</figcaption>
      <div className="row">
        <button type="button" className="button" onClick={save}>
          {t('insight.sankey.download')}
        </button>
      </div>
      <details className="sankey__table" onToggle={(event) => setTableOpen(event.currentTarget.open)}>
        <summary>{t('insight.sankey.asTable')}</summary>
        {/* Built when opened: a borough's map can have thousands of flows. */}
        {tableOpen && (
          <table>
            <caption className="visually-hidden">{t('insight.sankey.caption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('insight.sankey.from')}</th>
                <th scope="col">{t('insight.sankey.to')}</th>
                <th scope="col">{t('insight.sankey.amount')}</th>
              </tr>
            </thead>
            <tbody>
              {funding.flows.map((flow) => (
                <tr key={`${flow.source}>${flow.target}`}>
                  <td>{labels.get(flow.source) ?? flow.source}</td>
                  <td>{labels.get(flow.target) ?? flow.target}</td>
                  <td className="sankey__amount">{money(flow.amount)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </details>
    </figure>
  )
})
