import { BaseBoxShapeUtil, HTMLContainer, T, type TLShape, type TLStore } from 'tldraw'
import { ACTOR_SHAPE_TYPE } from '../../model/canvas-refs.ts'
import { ACTOR_KIND_LABELS, type Actor, DOMAIN_LABELS, type Workspace } from '../../model/index.ts'
import { lensCardStyle, useActorLook } from '../insight/lens-state.ts'
import { useWorkspaceSelector } from '../workspace-context.tsx'
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
    return (
      <HTMLContainer style={{ pointerEvents: 'all' }}>
        <ActorCard actorId={shape.props.actorId} workspace={workspaceOfStore.get(this.editor.store)} />
      </HTMLContainer>
    )
  }

  override getIndicatorPath(shape: ActorShape): Path2D {
    const path = new Path2D()
    path.roundRect(0, 0, shape.props.w, shape.props.h, 12)
    return path
  }
}

function ActorCard({ actorId, workspace }: { actorId: string; workspace: Workspace | undefined }) {
  // This actor only: a change to another actor (or to anything else) leaves this card alone.
  const actor: Actor | undefined = useWorkspaceSelector(workspace, (snapshot) =>
    snapshot?.actors.find((candidate) => candidate.id === actorId),
  )
  // This device's lens (size, colour, filter): a view of the map, never written to it.
  const look = useActorLook(actorId)
  if (!actor) {
    return (
      <div className="actor-card actor-card--removed" data-actor-id={actorId}>
        <strong>Removed actor</strong>
        <span>No longer in the dataset: delete this box.</span>
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
        {ACTOR_KIND_LABELS[actor.kind]}
      </span>
      <strong className="actor-card__name">{actor.name}</strong>
      {shown.length > 0 && (
        <span className="actor-card__domains">
          {shown.map((domain) => (
            <span key={domain} className="actor-card__domain">
              {DOMAIN_LABELS[domain]}
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
