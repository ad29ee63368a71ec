import { analyse, summaryLines } from '../analysis.ts'
import type { Dataset } from '../dataset-schema.ts'
import type { ExportFile } from '../formats/format.ts'
import { fileStem } from '../formats/format.ts'
import { escapeMarkdown, type MarkdownOptions, toMarkdown } from '../formats/markdown.ts'
import { DOMAIN_LABELS } from '../records/actor.ts'
import { LINK_KIND_LABELS, type Link } from '../records/link.ts'
import {
  ACTOR_DECLARATION,
  type ComparedState,
  type Comparison,
  describeFieldChange,
  LINK_DECLARATION,
  linkEnds,
} from './compare.ts'
import type { RecordChange } from './diff.ts'
import { type ChangeMeasures, MEASURE_LABELS } from './measures.ts'

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`

// Snapshot times are instants: shown in UTC, so the report reads the same wherever it is opened.
const TIME = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  timeZone: 'UTC',
})

/** A state as named in the report: "Morning session (3 March 2027, 10:15 UTC)", or "Now". */
export function stateName(state: Pick<ComparedState, 'label' | 'at'>): string {
  return state.at === undefined ? state.label : `${state.label} (${TIME.format(new Date(state.at))} UTC)`
}

const gbp = new Intl.NumberFormat('en-GB', { style: 'currency', currency: 'GBP', maximumFractionDigits: 0 })

/** A figure of `MEASURE_LABELS` as shown in tables of measures. */
export function formatMeasure(key: keyof ChangeMeasures, value: number): string {
  if (key === 'density') return `${(value * 100).toFixed(1)}%`
  if (key === 'fundingTotal') return gbp.format(value)
  return String(value)
}

/** The change of a figure from one state to the next, signed: "+2", "−1", "" when unchanged. */
export function measureChange(key: keyof ChangeMeasures, before: number, after: number): string {
  const delta = after - before
  if (key === 'density' ? Math.abs(delta) < 0.0005 : delta === 0) return ''
  const sign = delta > 0 ? '+' : '−'
  const size = Math.abs(delta)
  if (key === 'density') return `${sign}${(size * 100).toFixed(1)} pts`
  if (key === 'fundingTotal') return `${sign}${gbp.format(size)}`
  return `${sign}${size}`
}

const cell = (text: string) => escapeMarkdown(text) || ' '

/**
 * The insight figures of several states side by side, as a Markdown table: one column per state,
 * in the order given.
 */
export function measuresTable(states: readonly Pick<ComparedState, 'label' | 'at' | 'measures'>[]): string {
  const head = `| Measure | ${states.map((state) => cell(stateName(state))).join(' | ')} |`
  const rule = `| --- | ${states.map(() => '---:').join(' | ')} |`
  const rows = MEASURE_LABELS.map(
    ([key, label]) =>
      `| ${label} | ${states.map((state) => formatMeasure(key, state.measures[key])).join(' | ')} |`,
  )
  return [head, rule, ...rows].join('\n')
}

function fieldLines<T extends { readonly id: string }>(
  change: RecordChange<T>,
  kind: typeof ACTOR_DECLARATION,
  names: ReadonlyMap<string, string>,
): string {
  return change.fields
    .map((field) => {
      const shown = describeFieldChange(
        kind,
        field,
        change.before as unknown as Record<string, unknown>,
        change.after as unknown as Record<string, unknown>,
        names,
      )
      return `\n  - ${escapeMarkdown(shown.label)}: ${cell(shown.before)} → ${cell(shown.after)}`
    })
    .join('')
}

const linkLine = (link: Link, names: ReadonlyMap<string, string>) =>
  `${escapeMarkdown(linkEnds(link, names))} (${LINK_KIND_LABELS[link.kind].toLowerCase()})`

/**
 * The changes between two states as a section of the workshop report (`## Changes ...`, with
 * `###` parts, as `toMarkdown` writes its sections): every actor and link added, removed and
 * changed (field by field), the new links across domains, the disconnects resolved, and the
 * insight figures of both states side by side. Text people typed is escaped as in the report.
 */
export function changesSection(comparison: Comparison): string {
  const { changes, names, before, after } = comparison
  const { actors, links } = changes
  const blocks: string[] = [`## Changes from ${cell(stateName(before))} to ${cell(stateName(after))}`]
  blocks.push(
    `Actors: ${actors.added.length} added, ${actors.removed.length} removed, ${actors.changed.length} changed. ` +
      `Links: ${links.added.length} added, ${links.removed.length} removed, ${links.changed.length} changed. ` +
      `${plural(changes.newLinksAcrossDomains.length, 'new link')} across domains; ` +
      `${plural(changes.disconnectsResolved.length, 'disconnect')} resolved.`,
  )
  const part = (title: string, lines: readonly string[]) => {
    if (lines.length > 0) blocks.push(`### ${title} (${lines.length})`, lines.join('\n'))
  }
  const actorName = (actor: { name: string }) => `**${escapeMarkdown(actor.name)}**`
  part(
    'Actors added',
    actors.added.map((actor) => `- ${actorName(actor)}`),
  )
  part(
    'Actors removed',
    actors.removed.map((actor) => `- ${actorName(actor)}`),
  )
  part(
    'Actors changed',
    actors.changed.map(
      (change) => `- ${actorName(change.after)}${fieldLines(change, ACTOR_DECLARATION, names)}`,
    ),
  )
  part(
    'Links added',
    links.added.map((link) => `- ${linkLine(link, names)}`),
  )
  part(
    'Links removed',
    links.removed.map((link) => `- ${linkLine(link, names)}`),
  )
  part(
    'Links changed',
    links.changed.map(
      (change) => `- ${linkLine(change.after, names)}${fieldLines(change, LINK_DECLARATION, names)}`,
    ),
  )
  part(
    'New links across domains',
    changes.newLinksAcrossDomains.map(
      (entry) =>
        `- ${linkLine(entry.link, names)}: ${escapeMarkdown(
          entry.pairs.map(([a, b]) => `${DOMAIN_LABELS[a]} – ${DOMAIN_LABELS[b]}`).join(', '),
        )}`,
    ),
  )
  part(
    'Disconnects resolved',
    changes.disconnectsResolved.map((entry) => {
      const how =
        entry.now === 'tied'
          ? `now joined by ${entry.ties.map((tie) => LINK_KIND_LABELS[tie.kind].toLowerCase()).join(', ')}`
          : 'the disconnect was taken off the map'
      return `- ${escapeMarkdown(linkEnds(entry.disconnect, names).replace(/ [→↔] /, ' – '))}: ${how}`
    }),
  )
  blocks.push('### Measures', measuresTable([before, after]))
  return blocks.join('\n\n')
}

/**
 * The workshop report of `dataset` (the later state) with the changes as one of its sections,
 * after the network insight: `toMarkdown` as the export gives it, with the same options.
 */
export function reportWithChanges(
  dataset: Dataset,
  comparison: Comparison,
  options: Omit<MarkdownOptions, 'changes' | 'measures'> = {},
): ExportFile {
  return toMarkdown(dataset, {
    ...options,
    measures: { summary: summaryLines(analyse(dataset), dataset) },
    changes: changesSection(comparison),
  })
}

/**
 * The insight figures of several states (snapshots, oldest first, and now) as a section of the
 * report, `## Measures over time`, in a Markdown file.
 */
export function measuresOverTimeFile(
  states: readonly Pick<ComparedState, 'label' | 'at' | 'measures'>[],
  title: string,
): ExportFile {
  return {
    filename: `${fileStem(title)}-measures-over-time.md`,
    mediaType: 'text/markdown; charset=utf-8',
    body: `## Measures over time\n\n${measuresTable(states)}\n`,
  }
}

/** The section as a Markdown file to download beside (or paste into) the report. */
export function changesMarkdownFile(comparison: Comparison, title: string): ExportFile {
  return {
    filename: `${fileStem(title)}-changes.md`,
    mediaType: 'text/markdown; charset=utf-8',
    body: `${changesSection(comparison)}\n`,
  }
}
