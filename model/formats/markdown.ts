import type { Dataset } from '../dataset-schema.ts'
import { ACTOR_KIND_LABELS, ACTOR_KINDS, type Actor, actorKind, DOMAIN_LABELS } from '../records/actor.ts'
import type { EmergingModel } from '../records/emerging-model.ts'
import type { Journey, JourneyStep } from '../records/journey.ts'
import { LINK_KIND_LABELS, LINK_KINDS, type Link } from '../records/link.ts'
import { QUICK_WIN_STATUS_LABELS, totalVotes } from '../records/quick-win.ts'
import type { FieldInfo } from '../records/record.ts'
import { datasetFields, displayValue } from './fields.ts'
import { type ExportFile, fileStem } from './format.ts'
import { type ExportOptions, prepareForExport } from './privacy.ts'

export type MarkdownOptions = ExportOptions & {
  /** The map as an image: a file name beside the report, or a data URL. */
  readonly mapImage?: string
  /** Network measures, already put into sentences by whoever computed them. */
  readonly measures?: { readonly summary: readonly string[] }
  /**
   * What changed since a snapshot: a section written by `changesSection` (model/change), placed
   * after the network insight. It is Markdown already escaped by its writer.
   */
  readonly changes?: string
}

/**
 * User text made safe to place inline (a heading, list item or table cell): on one line, since
 * a line break would end the item or row, and with every character that could open Markdown
 * syntax escaped (emphasis, code, links, HTML, tables, headings), so what people typed shows as
 * typed and can never restructure the report. A leading list marker is escaped too, because
 * inside a list item "- " or "1. " would start a nested list.
 */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/[\\`*_[\]<>|~#]/g, '\\$&')
    .replace(/&(?=#?[A-Za-z0-9]+;)/g, '\\&')
    .replace(/^([-+=])/, '\\$1')
    .replace(/^(\d+)([.)])/, '$1\\$2')
}

/** Multi-line user text as paragraphs, each line kept as typed (a backslash is a hard break). */
function paragraphs(text: string): string[] {
  return text
    .split(/\r?\n\s*\r?\n/)
    .map((block) =>
      block
        .split(/\r?\n/)
        .map(escapeMarkdown)
        .filter((line) => line !== '')
        .join('\\\n'),
    )
    .filter((block) => block !== '')
}

/** Characters that would end or break an image destination, percent-encoded. */
const imageUrl = (src: string) =>
  src.trim().replace(/[\s()<>]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`)

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`

/**
 * Formatters by currency and digits, made once: building an Intl.NumberFormat costs far more
 * than formatting with one, and a large map's report writes thousands of amounts.
 */
const moneyFormats = new Map<string, Intl.NumberFormat>()

function money(amount: number, currency: string): string {
  const digits = Number.isInteger(amount) ? 0 : 2
  const key = `${currency} ${digits}`
  let format = moneyFormats.get(key)
  if (!format) {
    format = new Intl.NumberFormat('en-GB', {
      style: 'currency',
      currency,
      minimumFractionDigits: digits,
      maximumFractionDigits: digits,
    })
    moneyFormats.set(key, format)
  }
  return format.format(amount)
}

// Dates are calendar dates: formatted in UTC so the day never shifts with the reader's zone.
const DATE = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  timeZone: 'UTC',
})
const date = (iso: string) => DATE.format(new Date(`${iso}T00:00:00Z`))

function dateRange(start: string | undefined, end: string | undefined): string | undefined {
  if (start && end && start !== end) return `${date(start)} to ${date(end)}`
  const only = start ?? end
  return only ? date(only) : undefined
}

/** What an actor's line in the report says already: its name and domains, under its kind. */
const ACTOR_LINE: ReadonlySet<string> = new Set(['name', 'kind', 'domains'])

/**
 * The details listed under an actor, one per field the declarations give it beyond its line,
 * each as "Label: value", in declaration order; fields hidden from people (ids) and empty ones
 * are left out. Takes the fields so that a kind with one more field shows it here.
 */
export function actorDetails(
  actor: Readonly<Record<string, unknown>>,
  fields: readonly FieldInfo[],
): string[] {
  return datasetFields(fields).flatMap((field) => {
    if (ACTOR_LINE.has(field.key) || field.meta.input === 'hidden') return []
    const value = displayValue(field, actor[field.key])
    if (value === undefined) return []
    const shown = Array.isArray(value) ? value.join(', ') : String(value)
    return escapeMarkdown(shown) ? [`${escapeMarkdown(field.meta.label)}: ${escapeMarkdown(shown)}`] : []
  })
}

function countTable(heading: string, rows: readonly (readonly [string, number])[]): string {
  const body = rows.filter(([, n]) => n > 0).map(([label, n]) => `| ${escapeMarkdown(label)} | ${n} |`)
  return [`| ${heading} | Count |`, '| --- | ---: |', ...body].join('\n')
}

/**
 * The workshop report: a readable account of the map for people who were not in the room, to
 * print or paste into a document. It is built from `prepareForExport`, so it holds only journeys
 * the residents agreed to share and, with `redactPersonal`, no contacts, authors, owners,
 * residents' names or their own words.
 */
export function toMarkdown(dataset: Dataset, options: MarkdownOptions = {}): ExportFile {
  const data = prepareForExport(dataset, options)
  const { meta } = data
  const names = new Map(data.actors.map((actor) => [actor.id, actor.name]))
  const actorName = (id: string) => escapeMarkdown(names.get(id) ?? id)
  const blocks: string[] = []
  const section = (title: string, ...content: string[]) => blocks.push(`## ${title}`, ...content)

  blocks.push(`# ${escapeMarkdown(meta.title) || 'Network map'}`)
  const dates = dateRange(meta.startDate, meta.endDate)
  const facts = [
    meta.area && `- **Area:** ${escapeMarkdown(meta.area)}`,
    dates && `- **Dates:** ${dates}`,
    meta.facilitator && `- **Facilitated by:** ${escapeMarkdown(meta.facilitator)}`,
  ].filter((line): line is string => Boolean(line))
  if (facts.length > 0) blocks.push(facts.join('\n'))
  blocks.push(...paragraphs(meta.description))

  section(
    'Summary',
    `${plural(data.actors.length, 'actor')} and ${plural(data.links.length, 'link')}; ` +
      `${plural(data.themes.length, 'theme')}, ${plural(data.quickWins.length, 'quick win')} and ` +
      `${plural(data.journeys.length, 'resident journey')}.`,
  )
  if (data.actors.length > 0) {
    const rows = ACTOR_KINDS.map(
      (kind) => [ACTOR_KIND_LABELS[kind], data.actors.filter((a) => a.kind === kind).length] as const,
    )
    blocks.push(countTable('Actors by kind', rows))
  }
  if (data.links.length > 0) {
    const rows = LINK_KINDS.map(
      (kind) => [LINK_KIND_LABELS[kind], data.links.filter((l) => l.kind === kind).length] as const,
    )
    blocks.push(countTable('Links by kind', rows))
  }

  section(
    'The map',
    options.mapImage?.trim()
      ? `![Map of the network](${imageUrl(options.mapImage)})`
      : 'The image of the map was not included in this report.',
  )

  const insight = (options.measures?.summary ?? []).map(escapeMarkdown).filter((line) => line !== '')
  if (insight.length > 0) section('Network insight', insight.map((line) => `- ${line}`).join('\n'))
  if (options.changes?.trim()) blocks.push(options.changes.trim())

  section('Actors')
  if (data.actors.length === 0) blocks.push('No actors were mapped.')
  for (const kind of ACTOR_KINDS) {
    const actors = data.actors
      .filter((a) => a.kind === kind)
      .sort((a, b) => a.name.localeCompare(b.name, 'en-GB'))
    if (actors.length === 0) continue
    blocks.push(
      `### ${ACTOR_KIND_LABELS[kind]} (${actors.length})`,
      actors
        .map((actor: Actor) => {
          const domains = actor.domains.map((domain) => DOMAIN_LABELS[domain]).join(', ')
          const details = actorDetails(actor, actorKind.fields).map((detail) => `\n  - ${detail}`)
          return `- **${escapeMarkdown(actor.name)}**${domains ? `: ${escapeMarkdown(domains)}` : ''}${details.join('')}`
        })
        .join('\n'),
    )
  }

  const linkLine = (link: Link) => {
    const arrow = link.direction === 'mutual' ? '↔' : '→'
    const parts = [link.label && escapeMarkdown(link.label)]
    if (link.kind === 'funding' && link.amount !== undefined) {
      const period = dateRange(link.periodStart, link.periodEnd)
      parts.push(`${money(link.amount, link.currency)}${period ? ` (${period})` : ''}`)
    }
    if (link.kind === 'disconnect' && link.notes) parts.push(escapeMarkdown(link.notes))
    const detail = parts.filter(Boolean).join('; ')
    return `- ${actorName(link.from)} ${arrow} ${actorName(link.to)}${detail ? `: ${detail}` : ''}`
  }
  const byEnds = (a: Link, b: Link) =>
    (names.get(a.from) ?? '').localeCompare(names.get(b.from) ?? '', 'en-GB') ||
    (names.get(a.to) ?? '').localeCompare(names.get(b.to) ?? '', 'en-GB')

  // Every tie but the disconnects, which have their own section: the report is the record of
  // the map, so it leaves nothing out rather than guessing which ties matter.
  section('Key links')
  const ties = data.links.filter((link) => link.kind !== 'disconnect')
  if (ties.length === 0) blocks.push('No links were mapped.')
  for (const kind of LINK_KINDS) {
    if (kind === 'disconnect') continue
    const links = ties.filter((link) => link.kind === kind)
    if (links.length === 0) continue
    // Funding reads best largest first; other ties are grouped by who they start from.
    links.sort(kind === 'funding' ? (a, b) => (b.amount ?? -1) - (a.amount ?? -1) || byEnds(a, b) : byEnds)
    blocks.push(`### ${LINK_KIND_LABELS[kind]} (${links.length})`)
    if (kind === 'funding') {
      const totals = new Map<string, number>()
      for (const link of links) {
        if (link.amount !== undefined)
          totals.set(link.currency, (totals.get(link.currency) ?? 0) + link.amount)
      }
      const total = [...totals].map(([currency, sum]) => money(sum, currency)).join(' and ')
      if (total) blocks.push(`Total recorded: ${total}.`)
    }
    blocks.push(links.map(linkLine).join('\n'))
  }

  const gaps = data.links.filter((link) => link.kind === 'disconnect').sort(byEnds)
  section(
    'Gaps between services',
    gaps.length > 0 ? gaps.map(linkLine).join('\n') : 'No disconnects between services were recorded.',
  )

  section('Themes')
  if (data.themes.length === 0) blocks.push('No themes were recorded.')
  for (const theme of byOrder(data.themes)) {
    blocks.push(`### ${escapeMarkdown(theme.title)}`)
    const points = byOrder(theme.points).map((point) => {
      const about = point.actorIds.map(actorName)
      return (
        `- ${escapeMarkdown(point.text)}${about.length > 0 ? ` (about: ${about.join(', ')})` : ''}` +
        (point.author ? ` - ${escapeMarkdown(point.author)}` : '')
      )
    })
    blocks.push(points.length > 0 ? points.join('\n') : 'No points yet.')
  }

  const themeTitles = new Map(data.themes.map((theme) => [theme.id, theme.title]))
  const quickWins = [...data.quickWins].sort((a, b) => totalVotes(b) - totalVotes(a))
  section(
    'Quick wins',
    quickWins.length > 0
      ? quickWins
          .map((quickWin, index) => {
            const theme = quickWin.themeId && themeTitles.get(quickWin.themeId)
            const details = [
              plural(totalVotes(quickWin), 'vote'),
              quickWin.owner && `owner: ${escapeMarkdown(quickWin.owner)}`,
              `status: ${QUICK_WIN_STATUS_LABELS[quickWin.status]}`,
              theme && `theme: ${escapeMarkdown(theme)}`,
            ].filter(Boolean)
            return `${index + 1}. **${escapeMarkdown(quickWin.text)}** (${details.join('; ')})`
          })
          .join('\n')
      : 'No quick wins were recorded.',
  )

  section(
    'Emerging models',
    data.emergingModels.length > 0
      ? data.emergingModels.map((model) => emergingModelBlock(model, themeTitles)).join('\n')
      : 'No emerging models were recorded.',
  )

  section('Resident journeys')
  if (data.journeys.length === 0) blocks.push('No resident journeys were shared for this report.')
  else blocks.push('Only journeys the residents agreed to record and to share are included.')
  for (const journey of data.journeys) blocks.push(...journeyBlocks(journey, names))

  if (data.agenda.length > 0) {
    section(
      'Agenda',
      byOrder(data.agenda)
        .map(
          (item, index) =>
            `${index + 1}. ${escapeMarkdown(item.title)}${item.minutes > 0 ? ` (${plural(item.minutes, 'minute')})` : ''}`,
        )
        .join('\n'),
    )
  }
  const notes = noteForReport(data.notes.workshop)
  if (notes) section('Notes', notes)

  return {
    filename: `${fileStem(meta.title)}-report.md`,
    mediaType: 'text/markdown; charset=utf-8',
    body: `${blocks.join('\n\n')}\n`,
  }
}

function emergingModelBlock(model: EmergingModel, themeTitles: ReadonlyMap<string, string>): string {
  const name = model.link
    ? `[${escapeMarkdown(model.name)}](${imageUrl(model.link)})`
    : escapeMarkdown(model.name)
  const theme = model.themeId && themeTitles.get(model.themeId)
  const details = [
    model.where && escapeMarkdown(model.where),
    theme && `theme: ${escapeMarkdown(theme)}`,
  ].filter(Boolean)
  const why = model.why ? `: ${escapeMarkdown(model.why)}` : ''
  return `- **${name}**${details.length > 0 ? ` (${details.join('; ')})` : ''}${why}`
}

/**
 * The workshop's notes (Markdown written by `noteToMarkdown`, so its text is escaped already)
 * placed under the report's own "Notes" heading: its headings sit below that one, and mentions
 * of actors read as names, since the report has no map to link to.
 */
function noteForReport(markdown: string): string {
  return markdown
    .split('\n')
    .map((line) => (/^#{1,4} /.test(line) ? `##${line}` : line))
    .join('\n')
    .replace(/\[@((?:\\.|[^\]\\])*)\]\(actor:[^)\s]*\)/g, '@$1')
    .trim()
}

/** Records in their board order; the dataset is already canonical, this only guards it. */
function byOrder<T extends { order: string; id: string }>(records: readonly T[]): T[] {
  // Fractional order keys compare by code unit, not by locale.
  const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0)
  return [...records].sort((a, b) => compare(a.order, b.order) || compare(a.id, b.id))
}

function journeyBlocks(journey: Journey, names: ReadonlyMap<string, string>): string[] {
  const blocks = [`### ${escapeMarkdown(journey.title)}`]
  if (journey.resident) blocks.push(`**Resident:** ${escapeMarkdown(journey.resident)}`)
  blocks.push(...paragraphs(journey.summary))
  const steps = byOrder(journey.steps).map((step: JourneyStep, index) => {
    // A step whose actor is gone keeps the actor's name as its place.
    const place =
      escapeMarkdown((step.actorId && names.get(step.actorId)) || step.place) || 'Somewhere not named'
    const outcome = [
      step.fellThrough && '⚠ fell between services',
      step.passedOn && 'passed on',
      step.feeling && `felt ${step.feeling}`,
    ].filter(Boolean)
    const happened = step.happened ? `: ${escapeMarkdown(step.happened)}` : ''
    return `${index + 1}. **${place}**${happened}${outcome.length > 0 ? ` (${outcome.join('; ')})` : ''}`
  })
  blocks.push(steps.length > 0 ? steps.join('\n') : 'No steps were recorded.')
  return blocks
}
