import { nanoid } from 'nanoid'

/** Who is using this device: a stable id, a display name and a colour, remembered locally. */
export interface Participant {
  readonly id: string
  readonly name: string
  readonly colour: string
}

/** Colours distinct enough on the canvas and readable as text on white (WCAG AA). */
export const PARTICIPANT_COLOURS = [
  '#1d4ed8',
  '#b91c1c',
  '#047857',
  '#7c3aed',
  '#c2410c',
  '#0e7490',
  '#be185d',
  '#4d7c0f',
]

const KEY = 'network-map:participant'

/** The participant on this device; a new one (without a name) the first time. */
export function loadParticipant(): Participant {
  try {
    const stored = JSON.parse(localStorage.getItem(KEY) ?? 'null') as Participant | null
    if (stored && typeof stored.id === 'string' && typeof stored.name === 'string') return stored
  } catch {
    // A damaged entry is replaced below.
  }
  const fresh: Participant = {
    id: nanoid(),
    name: '',
    colour: PARTICIPANT_COLOURS[Math.floor(Math.random() * PARTICIPANT_COLOURS.length)] as string,
  }
  saveParticipant(fresh)
  return fresh
}

export function saveParticipant(participant: Participant): void {
  localStorage.setItem(KEY, JSON.stringify(participant))
}
