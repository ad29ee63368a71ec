import { actorKind } from '../records/actor.ts'
import { agendaItemKind } from '../records/agenda-item.ts'
import { emergingModelKind } from '../records/emerging-model.ts'
import { facilitationKind } from '../records/facilitation.ts'
import { journeyKind, journeyStepKind } from '../records/journey.ts'
import { declaration } from '../records/kinds.ts'
import { linkKind } from '../records/link.ts'
import { metaKind } from '../records/meta.ts'
import { quickWinKind } from '../records/quick-win.ts'
import type { FieldInfo, RecordDeclaration } from '../records/record.ts'
import { themeKind, themePointKind } from '../records/theme.ts'
import type { CsvColumn } from './csv.ts'
import { shapeOf } from './fields.ts'
import {
  ACTORS,
  AGENDA,
  EMERGING_MODELS,
  FACILITATION,
  FORMAT,
  JOURNEYS,
  LINKS,
  META,
  POINTS,
  QUICK_WINS,
  STEPS,
  THEMES,
} from './tables-columns.ts'

/** The README.txt of the CSV zip: what each table holds, and each column, from the declarations. */

const README_INTRO = `Network map: spreadsheet tables

Each .csv file is one table in UTF-8, with a header row. A list in one cell is separated by
"; ". An empty cell means "not given". A cell starting with ' and then = + - or @ had the '
added so that spreadsheets do not run it as a formula; importing removes it again.

meta.csv        One row about the whole map: title, area, dates, facilitator, description,
                the vote budget, and the format and version of these tables.
actors.csv      One row per actor (organisation, statutory service, resident group, funder,
                network, space or role): its kind, domains, area, reach, website, contact,
                tags, charity and company numbers, and the languages spoken there.
links.csv       One row per link: from and to are actor ids (names shown beside them), the
                kind (referral, funding, partnership, ...), directed or mutual, a strength
                from 1 (weak) to 5 (strong), and for funding the amount, currency and period.
themes.csv      One row per point made under a theme, the theme repeated on each row; a theme
                without points has one row with empty point columns.
quick_wins.csv  One row per quick win: action, owner, status, the theme it came from, and the
                votes as participant:count (votes_total adds them up). meta.csv's vote_budget
                is how many dots each participant had.
emerging_models.csv  One row per example of good practice elsewhere: name, where, why it
                matters, a link, and the theme it answers.
agenda.csv      The workshop's agenda in order, with the minutes planned for each item.
notes/          The workshop's notes (workshop.md) and each actor's description
                (actors/<actor id>.md) in Markdown. A mention of an actor is written
                [@Name](actor:<actor id>).
journeys.csv    One row per step of a resident's journey, the journey repeated on each row.
                Only journeys the resident agreed to share are here. A step names an actor
                or a place, what happened, if they were passed on or fell through, how it felt.
measures.csv    One row per actor with network measures worked out from the links (not read
                back on import): degree (ties other than disconnects), in and out, weighted by
                strength, betweenness from 0 to 1 (how much it brokers between others), its
                community, isolated, and funding in and out in GBP.

The order columns are sort keys: sort by them as text. To import changes, keep the file and
column names, and zip the files again.
`

/** Words wrapped to lines of at most `width`, every line after the first indented. */
function wrap(text: string, indent: number, width = 92): string {
  const lines: string[] = []
  let line = ''
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line !== '' && indent + line.length + 1 + word.length > width) {
      lines.push(line)
      line = word
    } else line = line === '' ? word : `${line} ${word}`
  }
  lines.push(line)
  return lines.join(`\n${' '.repeat(indent)}`)
}

/** What a field's column holds, for the README: its label, help and the form of its cells. */
function aboutField(kind: RecordDeclaration | undefined, field: FieldInfo): string {
  const help = field.meta.help ? `: ${field.meta.help.replace(/\.?$/, '.')}` : '.'
  const reference = kind?.references.find((candidate) => candidate.field === field.key)
  if (reference) {
    const target = declaration(reference.to).name
    const one = `${/^[aeiou]/.test(target) ? 'an' : 'a'} ${target}`
    return `${field.meta.label}${help} ${reference.many ? `The ids of ${target}s` : `The id of ${one}`}.`
  }
  const form: Record<ReturnType<typeof shapeOf>, string> = {
    text: field.meta.input === 'date' ? ' A date, YYYY-MM-DD.' : '',
    choice: ` One of ${field.options?.join(', ')}.`,
    choices: ` A list of ${field.options?.join(', ')}.`,
    list: ' A list.',
    integer: ' A whole number.',
    number: ' A number.',
    boolean: ' true or false.',
    object: ' JSON.',
    exchanges:
      ' A list of offers or needs, "; " between them, each the kind (space, volunteers, skills, equipment, funding, referrals), the ward in brackets and a note after a colon: "space (Riverside Ward): main hall; volunteers".',
  }
  return `${field.meta.label}${help}${form[shapeOf(field)]}`
}

/** What a derived column holds: written for people, never read back. */
function aboutDerived(name: string): string {
  if (name.endsWith('_total')) return `The ${name.replace(/_total$/, '')} added up (not read back).`
  if (name.endsWith('_name')) return 'The name of that actor, for people reading the table (not read back).'
  return `The ${name} of these tables.`
}

/** One kind's part of a table (none for the format columns) and the columns written from it. */
type TablePart = readonly [RecordDeclaration | undefined, readonly CsvColumn[]]

/**
 * The README's list of every column of every table, derived from the same columns the tables
 * are written and read with, so a new field is described as soon as it is exported.
 */
function columnsReadme(tables: readonly (readonly [string, ...TablePart[]])[]): string {
  const width = 22
  const sections = tables.map(([file, ...parts]) => {
    const rows = parts.flatMap(([kind, columns]) =>
      columns.map((column) => {
        const field =
          'field' in column ? kind?.fields.find((candidate) => candidate.key === column.field) : undefined
        const about = field
          ? aboutField(kind, field)
          : 'field' in column
            ? 'The votes as participant:count, separated by "; ".'
            : aboutDerived(column.name)
        return `  ${column.name.padEnd(width - 3)} ${wrap(about, width)}`
      }),
    )
    return [file, ...rows].join('\n')
  })
  return `Columns of each table\n\n${sections.join('\n\n')}\n`
}

export const README = `${README_INTRO}\n${columnsReadme([
  ['meta.csv', [metaKind, META], [facilitationKind, FACILITATION], [undefined, FORMAT]],
  ['actors.csv', [actorKind, ACTORS]],
  ['links.csv', [linkKind, LINKS]],
  ['themes.csv', [themeKind, THEMES], [themePointKind, POINTS]],
  ['quick_wins.csv', [quickWinKind, QUICK_WINS]],
  ['emerging_models.csv', [emergingModelKind, EMERGING_MODELS]],
  ['agenda.csv', [agendaItemKind, AGENDA]],
  ['journeys.csv', [journeyKind, JOURNEYS], [journeyStepKind, STEPS]],
])}`

// ---- writing ----------------------------------------------------------------------------
