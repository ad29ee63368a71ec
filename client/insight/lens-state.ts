import i18next from 'i18next'
import type { CSSProperties } from 'react'
import { atom, computed, isUninitialized, type TLShape, useValue } from 'tldraw'
import { setLabel } from '../i18n/declared-words.ts'
import { intlLocale } from '../i18n/intl-locale.ts'
import { insightState } from './engine.ts'
import {
  type ActorLook,
  DEFAULT_LENS,
  type Lens,
  type LensData,
  type LensView,
  type LensWords,
  lensNeedsInsight,
  lensView,
} from './lens.ts'

/**
 * The lens this device shows the open workspace through, as tldraw signals: the map's shapes,
 * the arrows' visibility and the panel all read it, and each redraws when it changes. Nothing
 * here is written to the shared document.
 */
export const lensAtom = atom<Lens>('lens', DEFAULT_LENS)

/** The workspace's actors, links and journeys, refreshed when one of them changes. */
export const lensDataAtom = atom<LensData | null>('lens data', null)

/** How many open panels want the measures (the insight panel, while open). */
export const insightDemand = atom<number>('insight demand', 0)

/** The lens applied to the map's data: which links show, how each actor box looks. */
/** The lens's words (the key, the boxes' badges and tooltips) in the interface's language. */
function lensWords(): LensWords {
  const t = i18next.t
  return {
    locale: intlLocale(),
    domain: (domain) => setLabel('domains', domain),
    noDomain: t('insight.legend.noDomain'),
    isolated: t('insight.legend.isolated'),
    community: (number) => t('insight.legend.community', { number }),
    communitySized: (number, size) => t('insight.legend.communitySized', { number, size }),
    smallerGroups: t('insight.legend.smallerGroups'),
    ties: (count) => t('insight.legend.ties', { count }),
    list: (items) => items.join(t('forms.listSeparator')),
  }
}

/** The interface's language, so that the lens is worded again when it changes. */
const languageAtom = atom<string>('language', i18next.resolvedLanguage ?? i18next.language ?? 'en')
i18next.on('languageChanged', (language) => languageAtom.set(language))

export const lensViewSignal = computed<LensView>('lens view', (previous) => {
  const lens = lensAtom.get()
  languageAtom.get()
  // Only a lens that sizes or colours by a measure redraws when new measures arrive.
  const next = lensView(
    lens,
    lensDataAtom.get(),
    lensNeedsInsight(lens) ? insightState.get().insight : null,
    lensWords(),
  )
  return isUninitialized(previous) ? next : keepUnchangedLooks(previous, next)
})

const sameLook = (a: ActorLook, b: ActorLook) =>
  a.dimmed === b.dimmed &&
  a.halo === b.halo &&
  a.badge === b.badge &&
  a.colour === b.colour &&
  a.colourLabel === b.colourLabel

/** Boxes whose look did not change keep the same object, so only the changed ones redraw. */
function keepUnchangedLooks(previous: LensView, next: LensView): LensView {
  if (previous.actors.size === 0) return next
  const actors = new Map<string, ActorLook>()
  for (const [id, look] of next.actors) {
    const before = previous.actors.get(id)
    actors.set(id, before && sameLook(before, look) ? before : look)
  }
  return { ...next, actors }
}

/** Changes part of the lens; switching away from a journey forgets it. */
export function setLens(change: Partial<Lens>): void {
  lensAtom.update((lens) => {
    const next = { ...lens, ...change }
    return next.show === 'journey' ? next : { ...next, journey: null }
  })
}

/** The lens, re-rendering when it changes. */
export function useLens(): Lens {
  return useValue(lensAtom)
}

/**
 * For tldraw's `getShapeVisibility`: a lens that filters links hides the arrows of the other
 * links (without changing them, so nobody else's map changes). Arrows that are no link yet (one
 * being drawn) and other shapes are left as they are.
 */
export function lensShapeVisibility(shape: TLShape): 'hidden' | 'inherit' {
  if (shape.type !== 'arrow') return 'inherit'
  const linkId = shape.meta.linkId
  if (typeof linkId !== 'string') return 'inherit'
  const view = lensViewSignal.get()
  return !view.filtering || view.shownLinks.has(linkId) ? 'inherit' : 'hidden'
}

/** How an actor's box looks under the lens (undefined: as usual). */
export function useActorLook(actorId: string): ActorLook | undefined {
  return useValue('actor look', () => lensViewSignal.get().actors.get(actorId), [actorId])
}

/**
 * The box's style under a lens: its colour as border and tint, a halo as wide as its measure,
 * and faded when the lens leaves it out. The kind's outline (solid, double, dashed...) stays.
 */
export function lensCardStyle(look: ActorLook | undefined, base: { border: string }): CSSProperties {
  if (!look) return {}
  const colour = look.colour ?? base.border
  return {
    ...(look.colour
      ? { background: `color-mix(in srgb, ${look.colour} 14%, white)`, borderColor: look.colour }
      : {}),
    ...(look.halo > 0
      ? { boxShadow: `0 0 0 ${look.halo}px color-mix(in srgb, ${colour} 32%, transparent)` }
      : {}),
    ...(look.dimmed ? { opacity: 0.28 } : {}),
  }
}
