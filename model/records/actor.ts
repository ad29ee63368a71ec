import { z } from 'zod'
import { Id } from '../ids.ts'
import { ExchangeList } from './exchange.ts'
import { declareRecord, described, Name, Text } from './record.ts'

/** The kinds of actor in a neighbourhood's support network. */
export const ACTOR_KINDS = [
  'organisation',
  'statutory-service',
  'resident-group',
  'funder',
  'network',
  'space',
  'role',
] as const
export const ActorKind = z.enum(ACTOR_KINDS)
export type ActorKind = z.infer<typeof ActorKind>

export const ACTOR_KIND_LABELS: Record<ActorKind, string> = {
  organisation: 'Organisation',
  'statutory-service': 'Statutory service',
  'resident-group': 'Resident group',
  funder: 'Funder',
  network: 'Network / partnership',
  space: 'Space / venue',
  role: 'Role',
}

/** The system silos an actor works in. */
export const DOMAINS = [
  'health',
  'housing',
  'community-safety',
  'children-families',
  'employment-skills',
  'money-welfare',
  'education',
  'social-care',
  'culture-leisure',
  'environment',
] as const
export const Domain = z.enum(DOMAINS)
export type Domain = z.infer<typeof Domain>

export const DOMAIN_LABELS: Record<Domain, string> = {
  health: 'Health',
  housing: 'Housing',
  'community-safety': 'Community safety',
  'children-families': 'Children & families',
  'employment-skills': 'Employment & skills',
  'money-welfare': 'Money & welfare',
  education: 'Education',
  'social-care': 'Social care',
  'culture-leisure': 'Culture & leisure',
  environment: 'Environment',
}

/** A registered charity number (England & Wales, Scotland "SC", Northern Ireland "NI"). */
export const CharityNumber = z
  .string()
  .regex(/^$|^(SC|NI)?\d{5,8}$/, 'a charity number is 5 to 8 digits, optionally after SC or NI')
/** A Companies House number: 8 characters, digits or a two-letter prefix and 6 digits. */
export const CompanyNumber = z
  .string()
  .regex(/^$|^([0-9]{2}|[A-Z]{2})[0-9]{6}$/, 'a company number is 8 characters, e.g. 01234567 or SC123456')

/** An http(s) address, or nothing: other schemes (javascript:, data:) are never links. */
export const WebAddress = z.union([z.literal(''), z.url({ protocol: /^https?$/ })])

/** A language, as people name it: "Urdu", "British Sign Language". */
export const LanguageName = z.string().min(1).max(60).regex(/\S/, 'must not be blank')

export const ActorSchema = z.object({
  id: described(Id, { label: 'ID', input: 'hidden', graph: false, kumu: 'ID' }),
  kind: described(ActorKind, { label: 'Kind', labels: ACTOR_KIND_LABELS, kumu: 'Type' }),
  name: described(Name, { label: 'Name', graph: 'label', kumu: 'Label', directory: 'organization.name' }),
  description: described(Text(), {
    label: 'Summary',
    help: 'A line or two on what it does; directories use it as the description.',
    input: 'long-text',
    kumu: 'Description',
    directory: 'organization.description',
  }),
  domains: described(z.array(Domain).max(DOMAINS.length).default([]), {
    label: 'Domains',
    labels: DOMAIN_LABELS,
  }),
  area: described(Text(200), { label: 'Area', help: 'The ward or area it serves.' }),
  reach: described(Text(200), {
    label: 'Reach',
    help: 'Size or reach in its own words: "12 staff", "400 families a year".',
    tableHidden: true,
  }),
  website: described(WebAddress.default(''), {
    label: 'Website',
    input: 'url',
    directory: 'organization.website',
    tableHidden: true,
  }),
  contact: described(Text(500), {
    label: 'Contact',
    help: 'How to reach it. May name a person, so it is left out of public exports.',
    personal: true,
    graph: false,
    kumu: false,
    tableHidden: true,
  }),
  tags: described(z.array(z.string().min(1).max(60)).max(50).default([]), {
    label: 'Tags',
    help: 'Separate tags with commas.',
    input: 'list',
  }),
  charityNumber: described(CharityNumber.default(''), {
    label: 'Charity number',
    upperCase: true,
    tableHidden: true,
    kumu: 'Charity Number',
    directory: 'organization_identifier.identifier',
  }),
  companyNumber: described(CompanyNumber.default(''), {
    label: 'Company number',
    upperCase: true,
    tableHidden: true,
    kumu: 'Company Number',
    directory: 'organization_identifier.identifier',
  }),
  languages: described(z.array(LanguageName).max(50).default([]), {
    label: 'Languages spoken',
    help: 'The languages people can be helped in, besides English.',
    input: 'list',
    directory: 'language.name',
  }),
  offers: described(ExchangeList, {
    label: 'Offers',
    help: 'What it can offer others (space, volunteers, skills, equipment, funding, referrals in), with a short note and the ward.',
    input: 'exchanges',
  }),
  needs: described(ExchangeList, {
    label: 'Needs',
    help: 'What it needs from others, with a short note and the ward.',
    input: 'exchanges',
  }),
})
export type Actor = z.infer<typeof ActorSchema>

export const actorKind = declareRecord({
  key: 'actor',
  name: 'actor',
  noun: 'Actor',
  schema: ActorSchema,
  migrations: [
    {
      id: 'actor/2-languages',
      toVersion: 2,
      up: (actor) => ({ ...actor, languages: Array.isArray(actor.languages) ? actor.languages : [] }),
    },
    {
      id: 'actor/3-offers-needs',
      toVersion: 3,
      up: (actor) => ({
        ...actor,
        offers: Array.isArray(actor.offers) ? actor.offers : [],
        needs: Array.isArray(actor.needs) ? actor.needs : [],
      }),
    },
  ],
  placement: { root: 'actors' },
  writers: ['facilitator', 'participant'],
  frozenByLock: true,
  ownsNote: true,
})
