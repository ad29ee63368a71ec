import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { type Dataset, DatasetSchema } from '../dataset-schema.ts'
import { ACTOR_KIND_LABELS, ACTOR_KINDS } from '../records/actor.ts'
import { isExportable } from '../records/journey.ts'
import { totalVotes } from '../records/quick-win.ts'
import { escapeMarkdown, toMarkdown } from './markdown.ts'

const fixture: Dataset = DatasetSchema.parse(
  JSON.parse(readFileSync(new URL('../../tests/fixtures/neighbourhood-map.json', import.meta.url), 'utf8')),
)

const report = (dataset: Dataset = fixture, options: Parameters<typeof toMarkdown>[1] = {}) => {
  const { body } = toMarkdown(dataset, options)
  if (typeof body !== 'string') throw new Error('the report is text')
  return body
}

/** The text of one `## ` section, up to the next. */
function section(markdown: string, title: string): string {
  const start = markdown.indexOf(`\n## ${title}\n`)
  if (start < 0) throw new Error(`no section ${title}`)
  const end = markdown.indexOf('\n## ', start + 1)
  return markdown.slice(start, end < 0 ? undefined : end)
}

const shared = fixture.journeys.filter(isExportable)
const withheld = fixture.journeys.filter((journey) => !isExportable(journey))

describe('toMarkdown', () => {
  const markdown = report()

  it('names the file after the workspace', () => {
    const file = toMarkdown(fixture)
    expect(file.filename).toBe('riverside-ward-network-map-report.md')
    expect(file.mediaType).toBe('text/markdown; charset=utf-8')
  })

  it('opens with the title, area and dates', () => {
    expect(markdown.startsWith('# Riverside Ward network map\n')).toBe(true)
    expect(markdown).toContain('**Area:** Riverside Ward, Eastbridge')
    expect(markdown).toContain('**Dates:** 4 March 2025 to 20 May 2025')
  })

  it('sums up actors and links, with a count per kind', () => {
    const summary = section(markdown, 'Summary')
    expect(summary).toContain(`${fixture.actors.length} actors and ${fixture.links.length} links`)
    for (const kind of ACTOR_KINDS) {
      const n = fixture.actors.filter((actor) => actor.kind === kind).length
      if (n > 0) expect(summary).toContain(`| ${ACTOR_KIND_LABELS[kind]} | ${n} |`)
    }
    expect(summary).toContain(
      `| Funding | ${fixture.links.filter((link) => link.kind === 'funding').length} |`,
    )
  })

  it('embeds the map image when given, and says so when not', () => {
    expect(section(markdown, 'The map')).toContain('was not included')
    expect(report(fixture, { mapImage: 'riverside map (final).png' })).toContain(
      '![Map of the network](riverside%20map%20%28final%29.png)',
    )
    const dataUrl = 'data:image/png;base64,iVBORw0KGgo='
    expect(report(fixture, { mapImage: dataUrl })).toContain(`![Map of the network](${dataUrl})`)
  })

  it('lists actors by kind with their domains', () => {
    const actors = section(markdown, 'Actors')
    expect(actors).toContain('### Organisation (')
    expect(actors).toContain('- **Riverside Food Bank**: Money & welfare, Health')
    expect(actors.indexOf('### Organisation')).toBeLessThan(actors.indexOf('**Riverside Food Bank**'))
    expect(actors.indexOf('**Riverside Food Bank**')).toBeLessThan(actors.indexOf('### Statutory service'))
  })

  it("lists each actor's details under it by their labels: summary, area, website, languages...", () => {
    const actors = section(markdown, 'Actors')
    const start = actors.indexOf('- **Citizens Advice Eastbridge**')
    const details = actors.slice(start, actors.indexOf('\n- ', start + 1))
    expect(details).toContain('\n  - Area: Eastbridge\n')
    expect(details).toContain('\n  - Website: https://citizensadvice-eastbridge.example\n')
    expect(details).toContain('\n  - Tags: debt, benefits, Universal Credit, drop-in\n')
    expect(details).toContain('\n  - Charity number: 1087432\n')
    expect(details).toContain('\n  - Languages spoken: Bengali, Somali, Polish')
    expect(details).toMatch(/\n {2}- Summary: Free, confidential advice/)
    // The id is for machines; an empty field says nothing.
    expect(actors).not.toContain('ID: ')
    expect(section(report(fixture, { redactPersonal: true }), 'Actors')).not.toContain('Contact:')
  })

  it('lists links by kind, funding with amounts in pounds, and disconnects on their own', () => {
    const links = section(markdown, 'Key links')
    expect(links).toContain(
      '- National Lottery Community Fund → Riverside Food Bank: Reaching Communities grant; £89,500 (1 April 2024 to 31 March 2027)',
    )
    expect(links).toContain(
      '- Riverside Food Bank ↔ Citizens Advice Eastbridge: Advice table at the food bank',
    )
    const gaps = section(markdown, 'Gaps between services')
    for (const link of fixture.links.filter((l) => l.kind === 'disconnect')) {
      expect(gaps).toContain(escapeMarkdown(link.label))
      expect(links).not.toContain(escapeMarkdown(link.label))
    }
  })

  it('gives every theme with its points in order, naming the actors they are about', () => {
    const themes = section(markdown, 'Themes')
    let last = -1
    for (const theme of fixture.themes) {
      const heading = themes.indexOf(`### ${theme.title}\n`)
      expect(heading).toBeGreaterThan(last)
      last = heading
      for (const point of theme.points) {
        const at = themes.indexOf(escapeMarkdown(point.text))
        expect(at).toBeGreaterThan(last)
        last = at
      }
    }
    expect(themes).toContain(
      'People only find the food bank and Citizens Advice by word of mouth. (about: Riverside Food Bank, Citizens Advice Eastbridge)',
    )
  })

  it('orders quick wins by votes, most first, with owner and status', () => {
    const lines = section(markdown, 'Quick wins')
      .split('\n')
      .filter((line) => /^\d+\. /.test(line))
    const expected = [...fixture.quickWins].sort((a, b) => totalVotes(b) - totalVotes(a))
    expect(lines).toHaveLength(expected.length)
    expected.forEach((quickWin, index) => {
      expect(lines[index]).toContain(escapeMarkdown(quickWin.text))
      expect(lines[index]).toContain(`(${totalVotes(quickWin)} votes;`)
      if (quickWin.owner) expect(lines[index]).toContain(`owner: ${escapeMarkdown(quickWin.owner)}`)
    })
    const votes = lines.map((line) => Number(/\((\d+) votes?/.exec(line)?.[1]))
    expect(votes).toEqual([...votes].sort((a, b) => b - a))
    expect(lines[0]).toContain('status: Done')
  })

  it('tells only the journeys residents agreed to share, step by step', () => {
    expect(shared.length).toBeGreaterThan(0)
    expect(withheld.length).toBeGreaterThan(0)
    const journeys = section(markdown, 'Resident journeys')
    for (const journey of shared) expect(journeys).toContain(`### ${escapeMarkdown(journey.title)}`)
    for (const journey of withheld) {
      expect(markdown).not.toContain(escapeMarkdown(journey.title))
      for (const step of journey.steps)
        if (step.happened) expect(markdown).not.toContain(escapeMarkdown(step.happened))
    }
    expect(journeys).toContain(
      '2. **Eastbridge Health Visiting Service**: Could not get through on the phone for three weeks. (⚠ fell between services; felt negative)',
    )
    expect(journeys).toContain(
      '1. **Riverside Medical Practice**: Told to wait and see, and to ask the health visitor. (passed on; felt negative)',
    )
  })

  it('with redactPersonal, leaves out residents, their words, owners, authors and the facilitator', () => {
    const redacted = report(fixture, { redactPersonal: true })
    for (const journey of shared) {
      expect(redacted).toContain(`### ${escapeMarkdown(journey.title)}`)
      expect(redacted).not.toContain(journey.resident)
      expect(redacted).not.toContain(escapeMarkdown(journey.summary))
      for (const step of journey.steps) expect(redacted).not.toContain(escapeMarkdown(step.happened))
    }
    // Owners that are not also actors' names (an actor's name rightly stays in the report).
    const owners = fixture.quickWins
      .map((quickWin) => quickWin.owner)
      .filter((owner) => owner && !fixture.actors.some((actor) => actor.name === owner))
    expect(owners.length).toBeGreaterThan(0)
    for (const owner of owners) expect(redacted).not.toContain(owner)
    expect(redacted).not.toContain('owner:')
    expect(redacted).not.toContain('Priya Shah')
    expect(redacted).not.toMatch(/ - (Amina|Hodan|Grace)$/m)
    // The structure is all still there.
    expect(section(redacted, 'Quick wins').match(/^\d+\. /gm)).toHaveLength(fixture.quickWins.length)
    expect(section(redacted, 'Resident journeys')).toContain('(⚠ fell between services; felt negative)')
  })

  it('adds the workshop notes below its own heading, and network insight only when given', () => {
    expect(section(markdown, 'Notes')).toContain('\n### Early Help workshop 1\n')
    expect(section(markdown, 'Notes')).toContain('between @Eastbridge Adult Social Care and the GP')
    expect(section(markdown, 'Notes')).toContain('[next network meeting](https://example.org/network)')
    expect(report({ ...fixture, notes: { workshop: '', actors: {} } })).not.toContain('## Notes')
    expect(report(fixture, { redactPersonal: true })).not.toContain('## Notes')
    expect(markdown).not.toContain('## Network insight')
    const full = report(fixture, {
      measures: { summary: ['Riverside Food Bank is the best connected actor.', ''] },
    })
    expect(section(full, 'Network insight')).toContain('- Riverside Food Bank is the best connected actor.\n')
    expect(section(full, 'Network insight').match(/^- /gm)).toHaveLength(1)
  })

  it('lists the emerging models and the agenda', () => {
    expect(section(markdown, 'Emerging models')).toContain(
      '- **[Family Hub with one front door](https://example.org/family-hubs)** (Barking and Dagenham; theme: Connect): One place',
    )
    expect(section(markdown, 'Agenda')).toContain(
      '1. Welcome and why we are here (10 minutes)\n2. Map who supports residents',
    )
  })

  it('keeps user text from breaking the structure', () => {
    const dataset = structuredClone(fixture)
    const [actor] = dataset.actors
    const [theme] = dataset.themes
    const [quickWin] = dataset.quickWins
    if (!actor || !theme || !quickWin) throw new Error('fixture is empty')
    actor.name = '# Not a heading'
    theme.title = 'Pipes | and `code`'
    quickWin.text = '1. not a list\n\n## nor a section <script>'
    const markdown = report(dataset)
    expect(markdown).not.toMatch(/^#+ Not a heading/m)
    expect(markdown).not.toMatch(/^#+ nor a section/m)
    expect(markdown).toContain('### Pipes \\| and \\`code\\`')
    expect(markdown).toContain('**1\\. not a list \\#\\# nor a section \\<script\\>**')
  })
})

describe('escapeMarkdown', () => {
  it.each([
    ['*bold* _em_ `code` [link](x) <b>', '\\*bold\\* \\_em\\_ \\`code\\` \\[link\\](x) \\<b\\>'],
    ['a | b', 'a \\| b'],
    ['# heading', '\\# heading'],
    ['- item', '\\- item'],
    ['+ item', '\\+ item'],
    ['12. item', '12\\. item'],
    ['3) item', '3\\) item'],
    ['> quote', '\\> quote'],
    ['back\\slash', 'back\\\\slash'],
    ['~~strike~~', '\\~\\~strike\\~\\~'],
    ['&amp; and & alone', '\\&amp; and & alone'],
    ['two\nlines\r\n  here ', 'two lines here'],
    ['Children & families, 1-2 years', 'Children & families, 1-2 years'],
  ])('%j', (text, escaped) => {
    expect(escapeMarkdown(text)).toBe(escaped)
  })
})
