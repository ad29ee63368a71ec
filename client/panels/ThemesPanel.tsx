import { type CSSProperties, type FormEvent, useId, useState } from 'react'
import {
  type Actor,
  THEME_COLOURS,
  type Theme,
  type ThemeColour,
  type ThemePoint,
} from '../../model/index.ts'
import { useCan, useMayRemove } from '../workshop/permissions.ts'
import { useSnapshot, useWorkspaceUi } from '../workspace-context.tsx'
import {
  ActorChip,
  ActorPicker,
  commitField,
  EditToggle,
  FormError,
  PickThenAct,
  RemoveButton,
  StoredField,
  short,
  TextField,
  useAttempt,
} from './workshop-shared.tsx'

/** The themes a re-imagining workshop usually starts from. */
const USUAL_THEMES = [
  'Connect',
  'Continuity',
  'Context',
  'Communication',
  'Relationships',
  'Shared ethos',
  'Trust',
  'Challenges',
]

/** tldraw's palette, so a theme's colour on the board matches the same name on the canvas. */
export const THEME_SWATCHES: Record<ThemeColour, { colour: string; label: string }> = {
  blue: { colour: '#4465e9', label: 'Blue' },
  'light-blue': { colour: '#4ba1f1', label: 'Light blue' },
  green: { colour: '#099268', label: 'Green' },
  'light-green': { colour: '#4cb05e', label: 'Light green' },
  orange: { colour: '#e16919', label: 'Orange' },
  yellow: { colour: '#f1ac4b', label: 'Yellow' },
  red: { colour: '#e03131', label: 'Red' },
  'light-red': { colour: '#f87777', label: 'Light red' },
  violet: { colour: '#ae3ec9', label: 'Violet' },
  'light-violet': { colour: '#e085f4', label: 'Light violet' },
  grey: { colour: '#9fa8b2', label: 'Grey' },
}

/**
 * The themes board: each theme with its points. Anyone who may edit adds themes and points
 * (a point may name actors on the map); the facilitator orders and merges themes and points,
 * moves points between themes and removes what is not needed.
 */
export function ThemesPanel({ onShowMap }: { onShowMap: () => void }) {
  const snapshot = useSnapshot()
  const canEdit = useCan('edit')
  const { themes } = snapshot
  const headingId = useId()
  return (
    <section className="wb themes" aria-labelledby={headingId}>
      <h2 id={headingId}>Themes</h2>
      <p className="hint">
        What keeps coming up. Add points under a theme; the facilitator merges and orders them.
      </p>
      {themes.length === 0 && <NoThemes canEdit={canEdit} />}
      <ol className="themes__list">
        {themes.map((theme, index) => (
          <ThemeCard
            key={theme.id}
            theme={theme}
            index={index}
            themes={themes}
            actors={snapshot.actors}
            onShowMap={onShowMap}
          />
        ))}
      </ol>
      {canEdit && <AddTheme count={themes.length} />}
    </section>
  )
}

function NoThemes({ canEdit }: { canEdit: boolean }) {
  const { connection } = useWorkspaceUi()
  const { refusal, attempt } = useAttempt()
  return (
    <div className="wb-empty">
      <p>No themes yet.</p>
      {canEdit && (
        <>
          <button
            type="button"
            className="wb-button"
            onClick={() =>
              attempt(() => {
                for (const [index, title] of USUAL_THEMES.entries()) {
                  connection.workspace.addTheme({ title, colour: colourFor(index) })
                }
              })
            }
          >
            Start with the usual themes
          </button>
          <p className="hint">{USUAL_THEMES.join(', ')}.</p>
          <FormError refusal={refusal} />
        </>
      )}
    </div>
  )
}

const colourFor = (index: number): ThemeColour => THEME_COLOURS[index % THEME_COLOURS.length] ?? 'blue'

function AddTheme({ count }: { count: number }) {
  const { connection } = useWorkspaceUi()
  const [title, setTitle] = useState('')
  const { refusal, attempt } = useAttempt()
  const submit = (event: FormEvent) => {
    event.preventDefault()
    const added = attempt(() =>
      connection.workspace.addTheme({ title: title.trim(), colour: colourFor(count) }),
    )
    if (added) setTitle('')
  }
  return (
    <form className="wb-add" onSubmit={submit}>
      <div className="wb-add__row">
        <TextField
          className="grow"
          label="New theme"
          value={title}
          onChange={setTitle}
          error={refusal.fields.title}
          placeholder="e.g. Trust"
        />
        <button type="submit" className="wb-button wb-button--primary">
          Add theme
        </button>
      </div>
      <FormError refusal={refusal} />
    </form>
  )
}

function ThemeCard(props: {
  theme: Theme
  index: number
  themes: readonly Theme[]
  actors: readonly Actor[]
  onShowMap: () => void
}) {
  const { theme, index, themes } = props
  const { connection } = useWorkspaceUi()
  const canEdit = useCan('edit')
  const canFacilitate = useCan('facilitate')
  const [options, setOptions] = useState(false)
  const { refusal, attempt } = useAttempt()
  const headingId = useId()
  const swatch = THEME_SWATCHES[theme.colour]
  const style = { '--theme-colour': swatch.colour } as CSSProperties
  const move = (at: number) => attempt(() => connection.workspace.moveTheme(theme.id, { at }))
  return (
    <li className="card themes__theme" style={style} aria-labelledby={headingId}>
      <div className="themes__head">
        <h3 id={headingId} className="grow">
          {theme.title}
        </h3>
        <span className="hint">
          {theme.points.length} point{theme.points.length === 1 ? '' : 's'}
        </span>
        {canFacilitate && (
          <>
            <button
              type="button"
              className="icon-button"
              aria-label={`Move ${theme.title} up`}
              disabled={index === 0}
              onClick={() => move(index - 1)}
            >
              ↑
            </button>
            <button
              type="button"
              className="icon-button"
              aria-label={`Move ${theme.title} down`}
              disabled={index === themes.length - 1}
              onClick={() => move(index + 1)}
            >
              ↓
            </button>
          </>
        )}
        {canEdit && (
          <button
            type="button"
            className="icon-button"
            aria-expanded={options}
            aria-label={`Options for ${theme.title}`}
            onClick={() => setOptions(!options)}
          >
            ⋯
          </button>
        )}
      </div>
      <FormError refusal={refusal} />
      {options && canEdit && <ThemeOptions theme={theme} themes={themes} />}
      {theme.points.length === 0 ? (
        <p className="hint themes__none">No points yet.</p>
      ) : (
        <ol className="themes__points" aria-label={`Points under ${theme.title}`}>
          {theme.points.map((point, pointIndex) => (
            <PointItem
              key={point.id}
              point={point}
              index={pointIndex}
              theme={theme}
              themes={themes}
              actors={props.actors}
              onShowMap={props.onShowMap}
            />
          ))}
        </ol>
      )}
      {canEdit && <AddPoint theme={theme} actors={props.actors} />}
    </li>
  )
}

function ThemeOptions({ theme, themes }: { theme: Theme; themes: readonly Theme[] }) {
  const { connection } = useWorkspaceUi()
  const canFacilitate = useCan('facilitate')
  const { refusal, attempt } = useAttempt()
  const others = themes.filter((other) => other.id !== theme.id)
  const colourId = useId()
  return (
    <div className="wb-options">
      <StoredField
        label="Theme name"
        value={theme.title}
        commit={(text) =>
          commitField('title', () => connection.workspace.updateTheme(theme.id, { title: text.trim() }))
        }
      />
      <div className="wb-field">
        <label htmlFor={colourId}>Colour</label>
        <select
          id={colourId}
          value={theme.colour}
          onChange={(event) =>
            attempt(() =>
              connection.workspace.updateTheme(theme.id, {
                colour: event.currentTarget.value as ThemeColour,
              }),
            )
          }
        >
          {THEME_COLOURS.map((colour) => (
            <option key={colour} value={colour}>
              {THEME_SWATCHES[colour].label}
            </option>
          ))}
        </select>
      </div>
      {canFacilitate && (
        <PickThenAct
          label="Merge this theme into"
          placeholder="Choose a theme…"
          options={others.map((other) => ({ id: other.id, label: other.title }))}
          action="Merge"
          onAct={(into) => attempt(() => connection.workspace.mergeThemes(theme.id, into))}
          hint="Its points move to the end of the other theme, and this theme goes."
        />
      )}
      {canFacilitate && (
        <div className="row row--end">
          <RemoveButton
            label="Remove theme"
            onRemove={() => attempt(() => connection.workspace.removeTheme(theme.id))}
          />
        </div>
      )}
      <FormError refusal={refusal} />
    </div>
  )
}

function PointItem(props: {
  point: ThemePoint
  index: number
  theme: Theme
  themes: readonly Theme[]
  actors: readonly Actor[]
  onShowMap: () => void
}) {
  const { point, theme } = props
  const { select } = useWorkspaceUi()
  const canEdit = useCan('edit')
  const [editing, setEditing] = useState(false)
  const textId = useId()
  const names = new Map(props.actors.map((actor) => [actor.id, actor.name]))
  const show = (actorId: string) => {
    props.onShowMap()
    select({ kind: 'actor', id: actorId })
  }
  return (
    <li className="themes__point" data-point-id={point.id}>
      <p id={textId} className="themes__text">
        {point.text}
      </p>
      {point.actorIds.length > 0 && (
        <ul className="wb-chips" aria-label="Actors it mentions">
          {point.actorIds.map((actorId) => (
            <li key={actorId}>
              <ActorChip name={names.get(actorId) ?? 'Unknown actor'} onShow={() => show(actorId)} />
            </li>
          ))}
        </ul>
      )}
      <div className="row themes__meta">
        {point.author && <span className="hint grow">{point.author}</span>}
        {!point.author && <span className="grow" />}
        {canEdit && (
          <EditToggle editing={editing} onToggle={() => setEditing(!editing)} describedBy={textId} />
        )}
      </div>
      {editing && canEdit && (
        <PointEditor
          point={point}
          index={props.index}
          theme={theme}
          themes={props.themes}
          actors={props.actors}
        />
      )}
    </li>
  )
}

function PointEditor(props: {
  point: ThemePoint
  index: number
  theme: Theme
  themes: readonly Theme[]
  actors: readonly Actor[]
}) {
  const { point, theme, index } = props
  const { connection } = useWorkspaceUi()
  const canFacilitate = useCan('facilitate')
  const mayRemove = useMayRemove()
  const { refusal, attempt } = useAttempt()
  const names = new Map(props.actors.map((actor) => [actor.id, actor.name]))
  const setActors = (actorIds: string[]) =>
    attempt(() => connection.workspace.updatePoint(theme.id, point.id, { actorIds }))
  const otherThemes = props.themes.filter((other) => other.id !== theme.id)
  const otherPoints = theme.points.filter((other) => other.id !== point.id)
  const move = (at: number) => attempt(() => connection.workspace.movePoint(theme.id, point.id, { at }))
  return (
    <div className="wb-options">
      <StoredField
        label="Point"
        multiline
        value={point.text}
        commit={(text) =>
          commitField('text', () => connection.workspace.updatePoint(theme.id, point.id, { text }))
        }
      />
      {point.actorIds.length > 0 && (
        <ul className="wb-chips" aria-label="Actors it mentions">
          {point.actorIds.map((actorId) => (
            <li key={actorId}>
              <ActorChip
                name={names.get(actorId) ?? 'Unknown actor'}
                onRemove={() => setActors(point.actorIds.filter((id) => id !== actorId))}
              />
            </li>
          ))}
        </ul>
      )}
      <ActorPicker
        label="Mention an actor"
        actors={props.actors}
        exclude={new Set(point.actorIds)}
        onPick={(actor) => setActors([...point.actorIds, actor.id])}
      />
      {canFacilitate && (
        <>
          <div className="row">
            <button
              type="button"
              className="wb-button"
              disabled={index === 0}
              onClick={() => move(index - 1)}
            >
              Move up
            </button>
            <button
              type="button"
              className="wb-button"
              disabled={index === theme.points.length - 1}
              onClick={() => move(index + 1)}
            >
              Move down
            </button>
          </div>
          <PickThenAct
            label="Move to theme"
            placeholder="Choose a theme…"
            options={otherThemes.map((other) => ({ id: other.id, label: other.title }))}
            action="Move"
            onAct={(to) => attempt(() => connection.workspace.movePoint(theme.id, point.id, { themeId: to }))}
          />
          <PickThenAct
            label="Merge into another point"
            placeholder="Choose a point…"
            options={otherPoints.map((other) => ({ id: other.id, label: short(other.text, 50) }))}
            action="Merge"
            onAct={(into) => attempt(() => connection.workspace.mergePoints(theme.id, point.id, into))}
            hint="The texts are joined and the actors of both kept."
          />
        </>
      )}
      {mayRemove(point) && (
        <div className="row row--end">
          <RemoveButton
            label="Remove point"
            onRemove={() => attempt(() => connection.workspace.removePoint(theme.id, point.id))}
          />
        </div>
      )}
      <FormError refusal={refusal} />
    </div>
  )
}

function AddPoint({ theme, actors }: { theme: Theme; actors: readonly Actor[] }) {
  const { connection, participant } = useWorkspaceUi()
  const [text, setText] = useState('')
  const [actorIds, setActorIds] = useState<string[]>([])
  const { refusal, attempt } = useAttempt()
  const names = new Map(actors.map((actor) => [actor.id, actor.name]))
  const submit = (event: FormEvent) => {
    event.preventDefault()
    const added = attempt(() =>
      connection.workspace.addPoint(theme.id, {
        text: text.trim(),
        actorIds: actorIds.filter((id) => names.has(id)),
        author: participant.name.slice(0, 100),
      }),
    )
    if (added) {
      setText('')
      setActorIds([])
    }
  }
  const drafting = text !== '' || actorIds.length > 0
  return (
    <form className="wb-add themes__add" onSubmit={submit} aria-label={`Add a point to ${theme.title}`}>
      <div className="wb-add__row">
        <TextField
          className="grow"
          label={`New point under ${theme.title}`}
          labelHidden
          placeholder="Add a point…"
          value={text}
          onChange={setText}
          error={refusal.fields.text}
        />
        <button type="submit" className="wb-button">
          Add
        </button>
      </div>
      {actorIds.length > 0 && (
        <ul className="wb-chips" aria-label="Actors it mentions">
          {actorIds.map((actorId) => (
            <li key={actorId}>
              <ActorChip
                name={names.get(actorId) ?? 'Unknown actor'}
                onRemove={() => setActorIds(actorIds.filter((id) => id !== actorId))}
              />
            </li>
          ))}
        </ul>
      )}
      {drafting && (
        <ActorPicker
          label="Mention an actor (optional)"
          actors={actors}
          exclude={new Set(actorIds)}
          onPick={(actor) => setActorIds([...actorIds, actor.id])}
        />
      )}
      <FormError refusal={refusal} />
    </form>
  )
}
