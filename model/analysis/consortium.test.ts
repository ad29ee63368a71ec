import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { toDataset } from '../dataset.ts'
import { type Dataset, validateDataset } from '../dataset-schema.ts'
import { Workspace } from '../workspace.ts'
import { areasOf, findPartners, planConsortium, sizeOf, worksIn } from './consortium.ts'

const fixture = (): Dataset =>
  JSON.parse(readFileSync(new URL('../../tests/fixtures/neighbourhood-map.json', import.meta.url), 'utf8'))

describe('findPartners: a mental health consortium in Riverside Ward, ahead of commissioning', () => {
  const data = fixture()
  const query = { domain: 'health', area: 'Riverside Ward' } as const
  const partners = findPartners(data, query)

  it('lists the organisations, groups and spaces in Health that work in the ward, and nobody else', () => {
    expect(partners.map((partner) => partner.actorId)).toEqual([
      'a-participatory-city',
      'a-mutual-aid',
      'a-mosque-women',
      'a-foodbank',
      'a-community-garden',
      'a-community-solutions',
      'a-leisure-centre',
      'a-mind',
    ])
    // Statutory services commission, funders fund, networks already are one, roles are posts.
    for (const left of ['a-gp', 'a-icb', 'a-pcn', 'a-social-prescriber', 'a-camhs'])
      expect(partners.map((partner) => partner.actorId)).not.toContain(left)
    // Eastbridge Mind is borough-wide, but works in the ward: its offer is there.
    expect(
      worksIn(data.actors.find((a) => a.id === 'a-mind') as Dataset['actors'][number], 'riverside ward'),
    ).toBe(true)
  })

  it('ranks by complementary offers, then no link yet, then size, with the reasons', () => {
    expect(partners[0]?.reasons).toEqual([
      'in Health; Riverside Ward',
      'offers equipment Riverside Community Garden CIC needs',
      "offers space Riverside Somali Women's Group needs",
      'needs volunteers Riverside Mutual Aid offers',
      'no link yet with any of the 7 others',
      'size: 1,200 residents taking part',
    ])
    expect(partners.map((partner) => partner.complements.length)).toEqual([3, 2, 2, 1, 1, 1, 0, 0])
    // Without complements, the larger first: 4,000 members before 1,200 adults a year.
    expect(partners.slice(-2).map((partner) => partner.size)).toEqual([4000, 1200])
  })

  it('says who is already linked, and is the same whatever the order of the map', () => {
    const linked = findPartners(
      {
        ...data,
        links: [
          ...data.links,
          {
            ...(data.links[0] as Dataset['links'][number]),
            id: 'l-x',
            from: 'a-mind',
            to: 'a-foodbank',
            kind: 'partnership',
          },
        ],
      },
      query,
    )
    expect(linked.find((partner) => partner.actorId === 'a-mind')?.reasons).toContain(
      'already linked with Riverside Food Bank',
    )
    expect(
      findPartners({ actors: [...data.actors].reverse(), links: [...data.links].reverse() }, query),
    ).toEqual(partners)
  })

  it('offers the areas on the map to choose from, and reads a size from a reach', () => {
    expect(areasOf(data.actors)).toEqual([
      'Eastbridge',
      'England',
      'London',
      'North East London',
      'Riverside Ward',
    ])
    expect([sizeOf('2,300 parcels a year; 60 volunteers'), sizeOf('borough-wide')]).toEqual([2300, undefined])
  })

  it('is saved as a network with a membership link from each member, through the commands', () => {
    const workspace = new Workspace(new Y.Doc())
    workspace.load(data)
    const members = ['a-participatory-city', 'a-mosque-women', 'a-mind']
    const plan = planConsortium('Riverside Wellbeing Consortium', query, members, data.actors)
    const network = workspace.addActor(plan.actor)
    for (const membership of plan.memberships) workspace.connect({ ...membership, to: network.id })

    const saved = toDataset(workspace.doc)
    expect(validateDataset(saved).ok).toBe(true)
    expect(saved.actors.find((actor) => actor.id === network.id)).toMatchObject({
      kind: 'network',
      name: 'Riverside Wellbeing Consortium',
      domains: ['health'],
      area: 'Riverside Ward',
      description:
        "Consortium proposed for a bid in Health in Riverside Ward: Participatory City, Riverside Somali Women's Group and Eastbridge Mind.",
    })
    expect(
      saved.links
        .filter((link) => link.to === network.id)
        .map((link) => `${link.from} ${link.kind}`)
        .sort(),
    ).toEqual(members.map((id) => `${id} membership`).sort())
    // The network is not a partner itself, and membership of it is no tie between the members.
    expect(findPartners(saved, query).map((partner) => partner.actorId)).toEqual(
      partners.map((p) => p.actorId),
    )
  })
})
