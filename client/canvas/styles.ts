import type { TLArrowShapeArrowheadStyle, TLDefaultColorStyle, TLDefaultDashStyle } from 'tldraw'
import type { ActorKind, LinkKind } from '../../model/index.ts'

/**
 * How each kind of actor looks. Kinds differ in outline as well as colour, so the map reads
 * for people who do not tell colours apart.
 */
export const ACTOR_STYLES: Record<
  ActorKind,
  { background: string; border: string; outline: string; radius: string }
> = {
  organisation: { background: '#dbeafe', border: '#1d4ed8', outline: 'solid', radius: '12px' },
  'statutory-service': { background: '#e2e8f0', border: '#334155', outline: 'double', radius: '2px' },
  'resident-group': { background: '#dcfce7', border: '#15803d', outline: 'solid', radius: '48px' },
  funder: { background: '#fef3c7', border: '#b45309', outline: 'solid', radius: '4px' },
  network: { background: '#ede9fe', border: '#6d28d9', outline: 'dashed', radius: '12px' },
  space: { background: '#ccfbf1', border: '#0f766e', outline: 'dotted', radius: '12px' },
  role: { background: '#fce7f3', border: '#be185d', outline: 'solid', radius: '48px' },
}

/** How each kind of link is drawn: colour and dash, so a disconnect never looks like a tie. */
export const LINK_STYLES: Record<
  LinkKind,
  { color: TLDefaultColorStyle; dash: TLDefaultDashStyle; arrowheadStart?: TLArrowShapeArrowheadStyle }
> = {
  referral: { color: 'blue', dash: 'solid' },
  funding: { color: 'green', dash: 'solid' },
  partnership: { color: 'violet', dash: 'solid' },
  commissioning: { color: 'orange', dash: 'solid' },
  membership: { color: 'grey', dash: 'dotted' },
  'information-sharing': { color: 'light-blue', dash: 'dashed' },
  disconnect: { color: 'red', dash: 'dashed', arrowheadStart: 'bar' },
}

/**
 * Line colours by link kind: tldraw's light theme colours of each kind's arrow (styles.ts). No
 * dashes: measured, dashing 2,000 lines made each pan frame of a zoomed-out map take 0.9 s in
 * Chromium's software rasteriser, against 0.06 s for solid lines; the full arrows, near the view,
 * keep their kind's dash. A disconnect stands out by its red.
 */
export const LINE_COLOURS: Record<LinkKind, string> = {
  referral: '#4465e9',
  funding: '#099268',
  partnership: '#ae3ec9',
  commissioning: '#e16919',
  membership: '#9fa8b2',
  'information-sharing': '#4ba1f1',
  disconnect: '#e03131',
}
const money = new Intl.NumberFormat('en-GB', { style: 'currency', currency: 'GBP', maximumFractionDigits: 0 })

/** The words on a link's arrow: its label, and for funding the amount. */
export function linkCaption(link: {
  kind: LinkKind
  label: string
  amount?: number
  currency: string
}): string {
  const parts: string[] = []
  if (link.kind === 'funding' && link.amount !== undefined) {
    parts.push(
      link.currency === 'GBP'
        ? money.format(link.amount)
        : `${link.amount.toLocaleString('en-GB')} ${link.currency}`,
    )
  }
  if (link.kind === 'disconnect') parts.push('✕ disconnect')
  if (link.label) parts.push(link.label)
  return parts.join(' · ')
}
