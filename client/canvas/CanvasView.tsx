import { getAssetUrlsByImport } from '@tldraw/assets/imports.vite'
import { useEffect, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import {
  type Editor,
  react,
  type TLComponents,
  type TLStore,
  Tldraw,
  type TldrawOptions,
  useTldrawCurrentUser,
} from 'tldraw'
import 'tldraw/tldraw.css'
import { canvasMap } from '../../model/index.ts'
import { ChangeKey, ChangeLayer } from '../history/ChangeLayer.tsx'
import { languageOf } from '../i18n/languages.ts'
import { FundingWidths, LensLayer } from '../insight/LensOverlay.tsx'
import { lensShapeVisibility } from '../insight/lens-state.ts'
import { useWorkspaceUi } from '../workspace-context.tsx'
import { workspaceOfStore } from './actor-shape.tsx'
import { bindSubMapScope, CanvasScope, scopeOfStore } from './canvas-scope.ts'
import { overlayUtils } from './drag-overlays.ts'
import { JourneyOverlay } from './JourneyOverlay.tsx'
import { bindLayerClicks } from './layer-clicks.ts'
import { bindArrowLooks, forCanvas } from './link-arrows.ts'
import { bindShapeWindow, LinkLines } from './link-layer.tsx'
import { MapBinding, type MapBindingEvents } from './map-binding.ts'
import { fitMap } from './map-boxes.ts'
import { createMapStore, shapeUtils } from './map-store.ts'
import { bindPresence } from './presence.ts'
import { SubMapBar } from './SubMapBar.tsx'
import { bindStoreToDoc, type RejectedRecord, type StoreBinding } from './store-binding.ts'
import { newActorFields, type SubMap, sameSubMap, subMapAtom, WHOLE_MAP } from './sub-map.ts'
import { memoiseTextMeasure } from './text-measure-memo.ts'
import './canvas.css'

/** Fonts, icons and translations come from our own origin: the venue may have no internet. */
const assetUrls = getAssetUrlsByImport()
/**
 * Drawn in front of the map. tldraw renders these inside <Tldraw>, in this React tree, so they
 * see the WorkspaceProvider's context as well as the editor's. Defined once: a new object each
 * render would remount them.
 */
const components: TLComponents = { InFrontOfTheCanvas: InFrontOfTheMap, OnTheCanvas: OnTheMap }

/**
 * In front of the map: this device's lens (its key, and what keeps it going), the sub-map, the
 * shown journey and the key to a comparison of snapshots.
 */
function InFrontOfTheMap() {
  return (
    <>
      <LensLayer />
      <SubMapBar />
      <JourneyOverlay />
      <ChangeKey />
    </>
  )
}

/**
 * On the map, under the boxes: the links that are lines rather than arrows, the funding bands,
 * and the marks of a comparison of snapshots.
 */
function OnTheMap() {
  return (
    <>
      <LinkLines />
      <FundingWidths />
      <ChangeLayer />
    </>
  )
}

/**
 * Brings the boxes of a newly opened sub-map (or, from a sub-map, the whole map) into view, once
 * the scope has taken them into the store: the first view fits whatever the store held when the
 * map opened, which was the whole map, so a ward opened from a link sat small in a corner of the
 * borough's extent. Only a change of sub-map fits, not a change of its actors (an actor added
 * in the sub-map must not move the view).
 */
function fitOpenedSubMap(editor: Editor, scope: CanvasScope): () => void {
  let fitted: SubMap = WHOLE_MAP
  let frame: number | null = null
  const stop = react('fit the opened sub-map', () => {
    scope.version.get()
    const subMap = subMapAtom.__unsafe__getWithoutCapture()
    if (sameSubMap(subMap, fitted) || !sameActorsAs(scope, subMap)) return
    fitted = subMap
    if (frame !== null) cancelAnimationFrame(frame)
    // A frame later: the scope's change reaches the store after the version that announces it.
    frame = requestAnimationFrame(() => {
      frame = null
      fitMap(editor, scope)
    })
  })
  return () => {
    stop()
    if (frame !== null) cancelAnimationFrame(frame)
  }
}

/** Has the scope already taken this sub-map in (the whole map: no actor scope)? */
const sameActorsAs = (scope: CanvasScope, subMap: SubMap): boolean =>
  (scope.actorScope === null) === (subMap.area === null && subMap.domain === null)

/** Each store's binding to the shared canvas, for the map binding's writes (by store). */
const canvasWritesOf = new WeakMap<TLStore, StoreBinding>()

/**
 * tldraw refuses to create shapes past `maxShapesPerPage` on a page (4,000 by default), which a
 * borough's 5,000 boxes pass before any arrow. Its store here holds far fewer shapes than the
 * shared canvas: CanvasScope keeps out every arrow but a window of at most ALL_ARROWS_UP_TO
 * (1,500) near the view, so a page holds the boxes, up to 1,500 arrows and a few drawings.
 * 10,000 leaves room for a borough with a second box for many actors, and stays within what a
 * page can draw (tldraw also uses the limit to space its z-indices, which it keeps far below
 * CSS's largest). "Place all" places up to it and says how many it left out (MapBinding.placeAt).
 */
const options: Partial<TldrawOptions> = { maxShapesPerPage: 10_000 }

/**
 * A production build served over https to a non-local host needs a tldraw licence key
 * (VITE_TLDRAW_LICENSE_KEY at build time); over http on a venue network or on localhost the
 * editor runs without one and shows a small watermark.
 */
const licenseKey = import.meta.env.VITE_TLDRAW_LICENSE_KEY as string | undefined

export interface CanvasViewProps {
  readonly events: MapBindingEvents
  readonly onBinding: (binding: MapBinding | null) => void
  readonly onRejected: (rejected: RejectedRecord[]) => void
  readonly onSelectionChange: (target: { kind: 'actor' | 'link'; id: string } | null) => void
  /** The map itself has been drawn (its first frame, and each after). */
  readonly onMapDrawn?: () => void
}

/** The shared map: tldraw bound to the workspace's canvas, presence and data. */
export function CanvasView({
  events,
  onBinding,
  onRejected,
  onSelectionChange,
  onMapDrawn,
}: CanvasViewProps) {
  const { connection, participant } = useWorkspaceUi()
  const { id, name, colour } = participant
  const [store, setStore] = useState<TLStore | null>(null)
  // tldraw's own menus and tooltips follow the language chosen on this device.
  const { t, i18n } = useTranslation()
  const locale = languageOf(i18n.resolvedLanguage ?? 'en').tldraw
  const user = useTldrawCurrentUser({
    userPreferences: {
      id: participant.id,
      name: participant.name || 'Guest',
      color: participant.colour,
      locale,
    },
  })

  const mapDrawn = useRef(onMapDrawn)
  mapDrawn.current = onMapDrawn

  // The store and its binding live and die together, inside an effect (StrictMode mounts twice).
  useEffect(() => {
    const fresh = createMapStore()
    workspaceOfStore.set(fresh, connection.workspace)
    // Before the first records come in from the document, so each arrow arrives with its link's look.
    const unbindLooks = bindArrowLooks(fresh, connection.workspace)
    // Before the binding too: it takes in only what the scope admits, from the first load on.
    const scope = new CanvasScope(canvasMap(connection.doc) as never, connection.workspace)
    scopeOfStore.set(fresh, scope)
    const unbindSubMap = bindSubMapScope(scope, connection.workspace)
    scope.previewPainted = () => connection.preview.painted()
    scope.mapDrawn = () => mapDrawn.current?.()
    const takePreview = () => scope.preview.set(connection.preview.current)
    takePreview()
    const unbindPreview = connection.preview.subscribe(takePreview)
    const binding = bindStoreToDoc(fresh, connection.doc, onRejected, {
      toCanvas: forCanvas,
      scope,
      whenLoaded: connection.whenLoaded,
    })
    const unbindPresence = bindPresence(fresh, connection.provider.awareness, { id, name, colour })
    canvasWritesOf.set(fresh, binding)
    setStore(fresh)
    return () => {
      unbindPresence()
      binding.stop()
      unbindPreview()
      unbindSubMap()
      scope.stop()
      unbindLooks()
      setStore(null)
    }
  }, [connection, id, name, colour, onRejected])

  const [editor, setEditor] = useState<Editor | null>(null)
  useEffect(() => {
    if (!editor) return
    const scope = scopeOfStore.get(editor.store)
    const binding = new MapBinding(
      editor,
      connection.workspace,
      events,
      canvasWritesOf.get(editor.store),
      scope,
    )
    const stopWindow = scope ? bindShapeWindow(editor, scope) : () => undefined
    const stopClicks = scope ? bindLayerClicks(editor, scope) : () => undefined
    const stopFit = scope ? fitOpenedSubMap(editor, scope) : () => undefined
    const stopFields = react('new actors in the sub-map', () => {
      binding.newActorFields = newActorFields(subMapAtom.get())
    })
    onBinding(binding)
    // Told only when what is selected changes: the target is read from the selected shapes'
    // records, so this reaction runs on every frame of a drag, and a new target object each
    // frame re-rendered the whole page (the inspector with it) 60 times a second.
    let told: string | undefined
    const stopSelection = react('selection', () => {
      editor.getSelectedShapeIds()
      const target = binding.selectionTarget()
      const key = target ? `${target.kind} ${target.id}` : ''
      if (key === told) return
      told = key
      onSelectionChange(target)
    })
    return () => {
      stopSelection()
      stopFields()
      stopWindow()
      stopClicks()
      stopFit()
      binding.destroy()
      onBinding(null)
    }
  }, [editor, connection, events, onBinding, onSelectionChange])

  if (!store) return null
  return (
    <section className="canvas" aria-label={t('canvas.label')}>
      <Tldraw
        store={store}
        shapeUtils={shapeUtils}
        overlayUtils={overlayUtils}
        components={components}
        getShapeVisibility={lensShapeVisibility}
        assetUrls={assetUrls}
        user={user}
        licenseKey={licenseKey}
        options={options}
        onMount={(mounted) => {
          memoiseTextMeasure(mounted)
          setEditor(mounted)
          return () => setEditor(null)
        }}
      />
    </section>
  )
}
