import { z } from 'zod'
import { Id } from '../ids.ts'
import { defineRecord, Name, Text } from './record.ts'

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

export const ActorSchema = z.object({
  id: Id,
  kind: ActorKind,
  name: Name,
  description: Text(),
  domains: z.array(Domain).max(DOMAINS.length).default([]),
  /** The ward or area it serves. */
  area: Text(200),
  /** Size or reach in the actor's own words: "12 staff", "400 families a year". */
  reach: Text(200),
  website: WebAddress.default(''),
  /** How to reach it: may name a person, so it counts as a personal field in exports. */
  contact: Text(500),
  tags: z.array(z.string().min(1).max(60)).max(50).default([]),
  charityNumber: CharityNumber.default(''),
  companyNumber: CompanyNumber.default(''),
})
export type Actor = z.infer<typeof ActorSchema>

export const actorKind = defineRecord('actor', ActorSchema)
