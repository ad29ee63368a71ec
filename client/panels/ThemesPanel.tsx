import { type CSSProperties, type FormEvent, useId, useState } from 'react'
import { useTranslation } from 'react-i18next'
import {
  type Actor,
  THEME_COLOURS,
  type Theme,
  type ThemeColour,
  type ThemePoint,
} from '../../model/index.ts'
import { intlLocale } from '../i18n/i18n.ts'
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

/**
 * The themes a re-imagining workshop usually starts from (their words are `themes.usual.<key>`:
 * they are added in the language of the person who adds them).
 */
const USUAL_THEMES = [
  'connect',
  'continuity',
  'context',
  'communication',
  'relationships',
  'sharedEthos',
  'trust',
  'challenges',
] as const

/**
 * tldraw's palette, so a theme's colour on the board matches the same name on the canvas (its
 * name is `themes.colours.<colour>`).
 */
export const THEME_SWATCHES: Record<ThemeColour, { colour: string }> = {
  blue: { colour: '#4465e9' },
  'light-blue': { colour: '#4ba1f1' },
  green: { colour: '#099268' },
  'light-green': { colour: '#4cb05e' },
  orange: { colour: '#e16919' },
  yellow: { colour: '#f1ac4b' },
  red: { colour: '#e03131' },
  'light-red': { colour: '#f87777' },
  violet: { colour: '#ae3ec9' },
  'light-violet': { colour: '#e085f4' },
  grey: { colour: '#9fa8b2' },
}

/**
 * The themes board: each theme with its points. Anyone who may edit adds themes and points
 * (a point may name actors on the map); the facilitator orders and merges themes and points,
 * moves points between themes and removes what is not needed.
 */
export function ThemesPanel({ onShowMap }: { onShowMap: () => void }) {
  const { t } = useTranslation()
  const snapshot = useSnapshot()
  const canEdit = useCan('edit')
  const { themes } = snapshot
  const headingId = useId()
  return (
    <section className="wb themes" aria-labelledby={headingId}>
      <h2 id={headingId}>{t('themes.heading')}</h2>
      <p className="hint">{t('themes.hint')}</p>
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
  const { t, i18n } = useTranslation()
  const { connection } = useWorkspaceUi()
  const { refusal, attempt } = useAttempt()
  const usual = USUAL_THEMES.map((key) => t(`themes.usual.${key}`))
  const list = new Intl.ListFormat(intlLocale(i18n.resolvedLanguage), { type: 'unit' }).format(usual)
  return (
    <div className="wb-empty">
      <p>{t('themes.noneYet')}</p>
      {canEdit && (
        <>
          <button
            type="button"
            className="wb-button"
            onClick={() =>
              attempt(() => {
                for (const [index, title] of usual.entries()) {
                  connection.workspace.addTheme({ title, colour: colourFor(index) })
                }
              })
            }
          >
            {t('themes.startUsual')}
          </button>
          <p className="hint">{t('themes.usualList', { list })}</p>
          <FormError refusal={refusal} />
        </>
      )}
    </div>
  )
}

const colourFor = (index: number): ThemeColour => THEME_COLOURS[index % THEME_COLOURS.length] ?? 'blue'

function AddTheme({ count }: { count: number }) {
  const { t } = useTranslation()
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
          label={t('themes.newTheme')}
          value={title}
          onChange={setTitle}
          error={refusal.fields.title}
          placeholder={t('themes.newThemePlaceholder')}
        />
        <button type="submit" className="wb-button wb-button--primary">
          {t('themes.addTheme')}
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
  const { t } = useTranslation()
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
        <span className="hint">{t('themes.points', { count: theme.points.length })}</span>
        {canFacilitate && (
          <>
            <button
              type="button"
              className="icon-button"
              aria-label={t('themes.moveThemeUp', { name: theme.title })}
              disabled={index === 0}
              onClick={() => move(index - 1)}
            >
              ↑
            </button>
            <button
              type="button"
              className="icon-button"
              aria-label={t('themes.moveThemeDown', { name: theme.title })}
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
            aria-label={t('themes.options', { name: theme.title })}
            onClick={() => setOptions(!options)}
          >
            ⋯
          </button>
        )}
      </div>
      <FormError refusal={refusal} />
      {options && canEdit && <ThemeOptions theme={theme} themes={themes} />}
      {theme.points.length === 0 ? (
        <p className="hint themes__none">{t('themes.noPoints')}</p>
      ) : (
        <ol className="themes__points" aria-label={t('themes.pointsUnder', { name: theme.title })}>
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
  const { t } = useTranslation()
  const { connection } = useWorkspaceUi()
  const canFacilitate = useCan('facilitate')
  const { refusal, attempt } = useAttempt()
  const others = themes.filter((other) => other.id !== theme.id)
  const colourId = useId()
  return (
    <div className="wb-options">
      <StoredField
        label={t('themes.themeName')}
        value={theme.title}
        commit={(text) =>
          commitField('title', () => connection.workspace.updateTheme(theme.id, { title: text.trim() }))
        }
      />
      <div className="wb-field">
        <label htmlFor={colourId}>{t('themes.colour')}</label>
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
              {t(`themes.colours.${colour}`)}
            </option>
          ))}
        </select>
      </div>
      {canFacilitate && (
        <PickThenAct
          label={t('themes.mergeInto')}
          placeholder={t('themes.chooseTheme')}
          options={others.map((other) => ({ id: other.id, label: other.title }))}
          action={t('themes.merge')}
          onAct={(into) => attempt(() => connection.workspace.mergeThemes(theme.id, into))}
          hint={t('themes.mergeHint')}
        />
      )}
      {canFacilitate && (
        <div className="row row--end">
          <RemoveButton
            label={t('themes.removeTheme')}
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
  const { t } = useTranslation()
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
        <ul className="wb-chips" aria-label={t('themes.mentions')}>
          {point.actorIds.map((actorId) => (
            <li key={actorId}>
              <ActorChip name={names.get(actorId) ?? t('themes.unknownActor')} onShow={() => show(actorId)} />
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
  const { t } = useTranslation()
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
        label={t('themes.point')}
        multiline
        value={point.text}
        commit={(text) =>
          commitField('text', () => connection.workspace.updatePoint(theme.id, point.id, { text }))
        }
      />
      {point.actorIds.length > 0 && (
        <ul className="wb-chips" aria-label={t('themes.mentions')}>
          {point.actorIds.map((actorId) => (
            <li key={actorId}>
              <ActorChip
                name={names.get(actorId) ?? t('themes.unknownActor')}
                onRemove={() => setActors(point.actorIds.filter((id) => id !== actorId))}
              />
            </li>
          ))}
        </ul>
      )}
      <ActorPicker
        label={t('themes.mention')}
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
              {t('themes.moveUp')}
            </button>
            <button
              type="button"
              className="wb-button"
              disabled={index === theme.points.length - 1}
              onClick={() => move(index + 1)}
            >
              {t('themes.moveDown')}
            </button>
          </div>
          <PickThenAct
            label={t('themes.moveToTheme')}
            placeholder={t('themes.chooseTheme')}
            options={otherThemes.map((other) => ({ id: other.id, label: other.title }))}
            action={t('themes.move')}
            onAct={(to) => attempt(() => connection.workspace.movePoint(theme.id, point.id, { themeId: to }))}
          />
          <PickThenAct
            label={t('themes.mergeIntoPoint')}
            placeholder={t('themes.choosePoint')}
            options={otherPoints.map((other) => ({ id: other.id, label: short(other.text, 50) }))}
            action={t('themes.merge')}
            onAct={(into) => attempt(() => connection.workspace.mergePoints(theme.id, point.id, into))}
            hint={t('themes.mergePointHint')}
          />
        </>
      )}
      {mayRemove(point) && (
        <div className="row row--end">
          <RemoveButton
            label={t('themes.removePoint')}
            onRemove={() => attempt(() => connection.workspace.removePoint(theme.id, point.id))}
          />
        </div>
      )}
      <FormError refusal={refusal} />
    </div>
  )
}

function AddPoint({ theme, actors }: { theme: Theme; actors: readonly Actor[] }) {
  const { t } = useTranslation()
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
    <form
      className="wb-add themes__add"
      onSubmit={submit}
      aria-label={t('themes.addPointTo', { name: theme.title })}
    >
      <div className="wb-add__row">
        <TextField
          className="grow"
          label={t('themes.newPointUnder', { name: theme.title })}
          labelHidden
          placeholder={t('themes.addPointPlaceholder')}
          value={text}
          onChange={setText}
          error={refusal.fields.text}
        />
        <button type="submit" className="wb-button">
          {t('themes.add')}
        </button>
      </div>
      {actorIds.length > 0 && (
        <ul className="wb-chips" aria-label={t('themes.mentions')}>
          {actorIds.map((actorId) => (
            <li key={actorId}>
              <ActorChip
                name={names.get(actorId) ?? t('themes.unknownActor')}
                onRemove={() => setActorIds(actorIds.filter((id) => id !== actorId))}
              />
            </li>
          ))}
        </ul>
      )}
      {drafting && (
        <ActorPicker
          label={t('themes.mentionOptional')}
          actors={actors}
          exclude={new Set(actorIds)}
          onPick={(actor) => setActorIds([...actorIds, actor.id])}
        />
      )}
      <FormError refusal={refusal} />
    </form>
  )
}
