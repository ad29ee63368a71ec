import i18next from 'i18next'
import {
  BaseBoxShapeUtil,
  type Computed,
  computed,
  type Editor,
  HTMLContainer,
  T,
  type TLShape,
  type TLStore,
  useValue,
} from 'tldraw'
import { ACTOR_SHAPE_TYPE } from '../../model/canvas-refs.ts'
import type { Actor, Workspace } from '../../model/index.ts'
import { setLabel } from '../i18n/declared-words.ts'
import { lensCardStyle, useActorLook } from '../insight/lens-state.ts'
import { useActor } from './actor-index.ts'
import { languageSignal } from './language-signal.ts'
import { ACTOR_STYLES } from './styles.ts'

/** The actor box's shape type: the model's name for it, which its cascades look for. */
export const ACTOR_SHAPE: typeof ACTOR_SHAPE_TYPE = ACTOR_SHAPE_TYPE

declare module 'tldraw' {
  export interface TLGlobalShapePropsMap {
    [ACTOR_SHAPE]: { w: number; h: number; actorId: string }
  }
}

export type ActorShape = TLShape<typeof ACTOR_SHAPE>

/**
 * Below this zoom an actor box is drawn as a plain coloured box without words: its 17 px name is
 * under 6 screen pixels tall there, unreadable, and 5,000 boxes of laid-out text are what makes
 * a zoomed-out borough map slow to draw and to pan.
 */
export const LOW_DETAIL_ZOOM = 0.35
/**
 * ...on a map of more shapes than this only: a workshop's map of a few dozen boxes costs nothing
 * to draw in full, and people zoom out on it to see all of it, names included.
 */
export const LOW_DETAIL_MIN_SHAPES = 300

const lowDetailSignals = new WeakMap<Editor, Computed<boolean>>()
/**
 * Whether the editor draws boxes in low detail, as a signal that changes only when the zoom
 * crosses LOW_DETAIL_ZOOM: a box reading the zoom itself would redraw on every frame of a zoom.
 * tldraw's "efficient" zoom settles after a zoom gesture on a map with many shapes.
 */
export function lowDetailOf(editor: Editor): Computed<boolean> {
  let signal = lowDetailSignals.get(editor)
  if (!signal) {
    signal = computed(
      'actor boxes in low detail',
      () =>
        editor.getEfficientZoomLevel() < LOW_DETAIL_ZOOM &&
        // The page's shape ids change when shapes come and go, never when one moves.
        editor.getCurrentPageShapeIds().size > LOW_DETAIL_MIN_SHAPES,
    )
    lowDetailSignals.set(editor, signal)
  }
  return signal
}

/**
 * The workspace each canvas store shows. Shapes find their data through their editor's store
 * rather than React context, because tldraw renders exports (SVG, PNG) in a tree of its own.
 */
export const workspaceOfStore = new WeakMap<TLStore, Workspace>()

/**
 * An actor on the map. The shape holds only the actor's id and its size: name, kind and
 * domains are read from the workspace's `actors` at render time, so the canvas stays a view
 * of the data and an edit in the table or inspector shows here at once.
 */
export class ActorShapeUtil extends BaseBoxShapeUtil<ActorShape> {
  static override type = ACTOR_SHAPE
  static override props = { w: T.number, h: T.number, actorId: T.string }

  override getDefaultProps(): ActorShape['props'] {
    return { w: 200, h: 96, actorId: '' }
  }

  override canEdit(): boolean {
    return false
  }

  override component(shape: ActorShape) {
    // Read in tldraw's tracking of this render: the box redraws when the level of detail flips.
    const low = lowDetailOf(this.editor).get()
    const workspace = workspaceOfStore.get(this.editor.store)
    return (
      <HTMLContainer style={{ pointerEvents: 'all' }}>
        {low ? (
          <ActorBox actorId={shape.props.actorId} workspace={workspace} />
        ) : (
          <ActorCard actorId={shape.props.actorId} workspace={workspace} />
        )}
      </HTMLContainer>
    )
  }

  override getIndicatorPath(shape: ActorShape): Path2D {
    const path = new Path2D()
    path.roundRect(0, 0, shape.props.w, shape.props.h, 12)
    return path
  }
}

/**
 * An actor box zoomed out: its kind's colours, outline and shape, and the lens's colour and
 * fading, but no words (they could not be read at this size). The name stays as a tooltip.
 */
function ActorBox({ actorId, workspace }: { actorId: string; workspace: Workspace | undefined }) {
  const actor = useActor(workspace, actorId)
  const look = useActorLook(actorId)
  if (!actor) return <div className="actor-box actor-box--removed" data-actor-id={actorId} />
  const style = ACTOR_STYLES[actor.kind]
  return (
    <div
      className="actor-box"
      data-actor-id={actor.id}
      data-kind={actor.kind}
      title={actor.name}
      data-dimmed={look?.dimmed || undefined}
      style={{
        background: style.background,
        borderColor: style.border,
        borderStyle: style.outline === 'double' ? 'solid' : style.outline,
        borderRadius: style.radius,
        ...lensCardStyle(look, style),
      }}
    />
  )
}

function ActorCard({ actorId, workspace }: { actorId: string; workspace: Workspace | undefined }) {
  // Its kind and domains are words of the chosen language: drawn again when it changes.
  useValue(languageSignal)
  // This actor only: a change to another actor (or to anything else) leaves this card alone.
  const actor: Actor | undefined = useActor(workspace, actorId)
  // This device's lens (size, colour, filter): a view of the map, never written to it.
  const look = useActorLook(actorId)
  if (!actor) {
    return (
      <div className="actor-card actor-card--removed" data-actor-id={actorId}>
        <strong>{i18next.t('actorCard.removed')}</strong>
        <span>{i18next.t('actorCard.removedHint')}</span>
      </div>
    )
  }
  const style = ACTOR_STYLES[actor.kind]
  const shown = actor.domains.slice(0, 3)
  return (
    <div
      className="actor-card"
      data-actor-id={actor.id}
      data-kind={actor.kind}
      style={{
        background: style.background,
        borderColor: style.border,
        borderStyle: style.outline,
        borderRadius: style.radius,
        ...lensCardStyle(look, style),
      }}
      title={look?.colourLabel || undefined}
      data-dimmed={look?.dimmed || undefined}
    >
      {look?.badge && <span className="actor-card__measure">{look.badge}</span>}
      <span className="actor-card__kind" style={{ color: style.border }}>
        {setLabel('actorKinds', actor.kind)}
      </span>
      <strong className="actor-card__name">{actor.name}</strong>
      {shown.length > 0 && (
        <span className="actor-card__domains">
          {shown.map((domain) => (
            <span key={domain} className="actor-card__domain">
              {setLabel('domains', domain)}
            </span>
          ))}
          {actor.domains.length > shown.length && (
            <span className="actor-card__domain">+{actor.domains.length - shown.length}</span>
          )}
        </span>
      )}
    </div>
  )
}
