import { type FormEvent, useId, useState } from 'react'
import { useTranslation } from 'react-i18next'
import {
  type Actor,
  FEELINGS,
  type Feeling,
  isExportable,
  type Journey,
  type JourneyStep,
} from '../../model/index.ts'
import type { MapBinding } from '../canvas/map-binding.ts'
import { useCan, useMayRemove } from '../workshop/permissions.ts'
import { useSnapshot, useWorkspaceUi } from '../workspace-context.tsx'
import {
  ActorChip,
  ActorPicker,
  commitField,
  EditToggle,
  FormError,
  RemoveButton,
  StoredField,
  TextField,
  useAttempt,
} from './workshop-shared.tsx'

/**
 * Resident journeys ("mystery shopper" accounts): a resident's path through the map's actors,
 * step by step, with where they were passed on or fell between services. A journey can be
 * drawn on the map as a highlighted path. Each records the resident's consent: without both
 * consent and agreement to share, a journey never leaves in an export.
 */
export function JourneysPanel({ binding, onShowMap }: { binding: MapBinding | null; onShowMap: () => void }) {
  const { t } = useTranslation()
  const snapshot = useSnapshot()
  const canEdit = useCan('edit')
  const mayRemove = useMayRemove()
  const [openId, setOpenId] = useState<string | null>(null)
  const headingId = useId()
  const placed = binding?.placedActorIds() ?? null
  const journeys = [...snapshot.journeys].sort((a, b) => a.title.localeCompare(b.title))
  return (
    <section className="wb journeys" aria-labelledby={headingId}>
      <h2 id={headingId}>{t('journeys.heading')}</h2>
      <p className="hint">{t('journeys.intro')}</p>
      <p className="journeys__privacy">
        <strong>{t('journeys.privacyStrong')}</strong> {t('journeys.privacy')}
      </p>
      {journeys.length === 0 ? (
        <p className="wb-empty">{t('journeys.none')}</p>
      ) : (
        <ul className="journeys__list">
          {journeys.map((journey) => (
            <JourneyCard
              key={journey.id}
              journey={journey}
              actors={snapshot.actors}
              placed={placed}
              open={openId === journey.id}
              onToggle={() => setOpenId(openId === journey.id ? null : journey.id)}
              onShowMap={onShowMap}
              mayRemove={mayRemove(journey)}
            />
          ))}
        </ul>
      )}
      {canEdit && <AddJourney onAdded={(id) => setOpenId(id)} />}
    </section>
  )
}

function JourneyCard(props: {
  journey: Journey
  actors: readonly Actor[]
  placed: ReadonlySet<string> | null
  open: boolean
  onToggle: () => void
  onShowMap: () => void
  mayRemove: boolean
}) {
  const { journey } = props
  const { t } = useTranslation()
  const { connection, shownJourneyId, showJourney } = useWorkspaceUi()
  const canEdit = useCan('edit')
  const { refusal, attempt } = useAttempt()
  const headingId = useId()
  const detailsId = useId()
  const shown = shownJourneyId === journey.id
  const exportable = isExportable(journey)
  const fell = journey.steps.filter((step) => step.fellThrough).length
  const update = (field: 'title' | 'resident' | 'summary', value: string) =>
    commitField(field, () => connection.workspace.updateJourney(journey.id, { [field]: value }))
  return (
    <li className="card journey" aria-labelledby={headingId} data-journey-id={journey.id}>
      <div className="journey__head">
        <h3 id={headingId} className="grow">
          {journey.title}
        </h3>
        <span className={`wb-tag ${exportable ? 'wb-tag--ok' : 'wb-tag--private'}`}>
          {exportable ? t('journeys.inExports') : t('journeys.notInExports')}
        </span>
      </div>
      <p className="hint">
        {journey.resident ? `${journey.resident} · ` : ''}
        {t('journeys.steps', { count: journey.steps.length })}
        {fell > 0 ? ` · ${t('journeys.fellThrough', { count: fell })}` : ''}
      </p>
      <div className="row">
        <button
          type="button"
          className="wb-button"
          aria-pressed={shown}
          onClick={() => {
            if (shown) showJourney(null)
            else {
              showJourney(journey.id)
              props.onShowMap()
            }
          }}
        >
          {t('journeys.showOnMap')}
        </button>
        <button
          type="button"
          className="wb-button"
          aria-expanded={props.open}
          aria-controls={detailsId}
          aria-describedby={headingId}
          onClick={props.onToggle}
        >
          {props.open ? t('journeys.close') : canEdit ? t('journeys.openAndEdit') : t('journeys.open')}
        </button>
      </div>
      <FormError refusal={refusal} />
      {props.open && (
        <div id={detailsId} className="journey__details">
          {canEdit ? (
            <>
              <StoredField
                label={t('journeys.title')}
                value={journey.title}
                commit={(text) => update('title', text.trim())}
              />
              <StoredField
                label={t('journeys.resident')}
                hint={t('journeys.residentHint')}
                value={journey.resident}
                commit={(text) => update('resident', text.trim())}
              />
              <StoredField
                label={t('journeys.summary')}
                multiline
                value={journey.summary}
                commit={(text) => update('summary', text)}
              />
              <fieldset className="journey__consent">
                <legend>{t('journeys.consent')}</legend>
                <label className="wb-check">
                  <input
                    type="checkbox"
                    checked={journey.consent}
                    onChange={(event) => {
                      const consent = event.currentTarget.checked
                      attempt(() => connection.workspace.updateJourney(journey.id, { consent }))
                    }}
                  />
                  {t('journeys.consentRecorded')}
                </label>
                <label className="wb-check">
                  <input
                    type="checkbox"
                    checked={journey.exportable}
                    onChange={(event) => {
                      const exportable = event.currentTarget.checked
                      attempt(() => connection.workspace.updateJourney(journey.id, { exportable }))
                    }}
                  />
                  {t('journeys.consentShared')}
                </label>
                <p className="hint" role="status">
                  {exportable ? t('journeys.bothTicked') : t('journeys.notBoth')}
                </p>
              </fieldset>
            </>
          ) : (
            <>
              {journey.summary && <p>{journey.summary}</p>}
              <p className="hint">{exportable ? t('journeys.agreedBoth') : t('journeys.neverShared')}</p>
            </>
          )}
          <h4>{t('journeys.stepsHeading')}</h4>
          {journey.steps.length === 0 ? (
            <p className="hint">{t('journeys.noSteps')}</p>
          ) : (
            <ol className="journey__steps" aria-label={t('journeys.stepsOf', { title: journey.title })}>
              {journey.steps.map((step, index) => (
                <StepItem
                  key={step.id}
                  journey={journey}
                  step={step}
                  index={index}
                  actors={props.actors}
                  placed={props.placed}
                  onShowMap={props.onShowMap}
                />
              ))}
            </ol>
          )}
          {canEdit && <AddStep journey={journey} actors={props.actors} />}
          {canEdit && props.mayRemove && (
            <div className="row row--end">
              <RemoveButton
                label={t('journeys.removeJourney')}
                onRemove={() => {
                  if (shown) showJourney(null)
                  attempt(() => connection.workspace.removeJourney(journey.id))
                }}
              />
            </div>
          )}
        </div>
      )}
    </li>
  )
}

function StepItem(props: {
  journey: Journey
  step: JourneyStep
  index: number
  actors: readonly Actor[]
  placed: ReadonlySet<string> | null
  onShowMap: () => void
}) {
  const { step, journey, index } = props
  const { t } = useTranslation()
  const { select } = useWorkspaceUi()
  const canEdit = useCan('edit')
  const [editing, setEditing] = useState(false)
  const whereId = useId()
  const actor = props.actors.find((candidate) => candidate.id === step.actorId)
  const onMap = actor && (props.placed === null || props.placed.has(actor.id))
  return (
    <li
      className={`journey-step ${step.fellThrough ? 'journey-step--fell' : ''}`}
      data-fell-through={step.fellThrough || undefined}
    >
      <span className="journey-step__number" aria-hidden="true">
        {index + 1}
      </span>
      <div className="journey-step__body">
        <p id={whereId} className="journey-step__where">
          <span className="visually-hidden">{t('journeys.stepNumber', { number: index + 1 })} </span>
          {actor ? (
            <ActorChip
              name={actor.name}
              onShow={() => {
                props.onShowMap()
                select({ kind: 'actor', id: actor.id })
              }}
            />
          ) : (
            <strong>{step.place || t('journeys.somewhere')}</strong>
          )}
          {actor && step.place && <span className="hint"> ({step.place})</span>}
          {!actor && <span className="hint"> · {t('journeys.notOnMap')}</span>}
          {actor && !onMap && <span className="hint"> · {t('journeys.noBox')}</span>}
        </p>
        {step.happened && <p className="journey-step__happened">{step.happened}</p>}
        {(step.passedOn || step.fellThrough || step.feeling) && (
          <p className="journey-step__flags">
            {step.passedOn && <span className="wb-tag">{t('journeys.passedOn')}</span>}
            {step.fellThrough && <span className="wb-tag wb-tag--fell">{t('journeys.fellThroughTag')}</span>}
            {step.feeling && (
              <span className={`wb-tag wb-tag--${step.feeling}`}>
                {t('journeys.felt', { feeling: t(`journeys.feelings.${step.feeling}`) })}
              </span>
            )}
          </p>
        )}
        {canEdit && (
          <div className="row row--end">
            <EditToggle
              editing={editing}
              onToggle={() => setEditing(!editing)}
              describedBy={whereId}
              label={t('journeys.editStep')}
            />
          </div>
        )}
        {editing && canEdit && (
          <StepEditor journey={journey} step={step} index={index} actors={props.actors} actor={actor} />
        )}
      </div>
    </li>
  )
}

function StepEditor(props: {
  journey: Journey
  step: JourneyStep
  index: number
  actors: readonly Actor[]
  actor: Actor | undefined
}) {
  const { journey, step, index, actor } = props
  const { t } = useTranslation()
  const { connection } = useWorkspaceUi()
  const { refusal, attempt } = useAttempt()
  const feelingId = useId()
  const workspace = connection.workspace
  const update = (patch: Parameters<typeof workspace.updateStep>[2]) =>
    attempt(() => workspace.updateStep(journey.id, step.id, patch))
  const move = (at: number) => attempt(() => workspace.moveStep(journey.id, step.id, { at }))
  return (
    <div className="wb-options">
      {actor ? (
        <div className="wb-field">
          <span className="wb-label">{t('journeys.actorOnMap')}</span>
          <ActorChip
            name={actor.name}
            onRemove={() => update({ actorId: null, ...(step.place ? {} : { place: actor.name }) })}
          />
        </div>
      ) : (
        <ActorPicker
          label={t('journeys.actorOnMap')}
          actors={props.actors}
          onPick={(picked) => update({ actorId: picked.id })}
        />
      )}
      <StoredField
        label={actor ? t('journeys.placeOptional') : t('journeys.placeInWords')}
        value={step.place}
        commit={(text) =>
          commitField('place', () => workspace.updateStep(journey.id, step.id, { place: text.trim() }))
        }
      />
      <StoredField
        label={t('journeys.happened')}
        multiline
        value={step.happened}
        commit={(text) =>
          commitField('happened', () => workspace.updateStep(journey.id, step.id, { happened: text }))
        }
      />
      <StepFlags
        passedOn={step.passedOn}
        fellThrough={step.fellThrough}
        onPassedOn={(passedOn) => update({ passedOn })}
        onFellThrough={(fellThrough) => update({ fellThrough })}
      />
      <FeelingField
        id={feelingId}
        value={step.feeling ?? ''}
        onChange={(value) => update({ feeling: value || null })}
      />
      <div className="row">
        <button type="button" className="wb-button" disabled={index === 0} onClick={() => move(index - 1)}>
          {t('journeys.moveUp')}
        </button>
        <button
          type="button"
          className="wb-button"
          disabled={index === journey.steps.length - 1}
          onClick={() => move(index + 1)}
        >
          {t('journeys.moveDown')}
        </button>
        <span className="grow" />
        <RemoveButton
          label={t('journeys.removeStep')}
          onRemove={() => attempt(() => workspace.removeStep(journey.id, step.id))}
        />
      </div>
      <FormError refusal={refusal} />
    </div>
  )
}

function StepFlags(props: {
  passedOn: boolean
  fellThrough: boolean
  onPassedOn: (value: boolean) => void
  onFellThrough: (value: boolean) => void
}) {
  const { t } = useTranslation()
  return (
    <fieldset className="journey__flags">
      <legend className="visually-hidden">{t('journeys.whatNext')}</legend>
      <label className="wb-check">
        <input
          type="checkbox"
          checked={props.passedOn}
          onChange={(event) => props.onPassedOn(event.currentTarget.checked)}
        />
        {t('journeys.passedOnCheck')}
      </label>
      <label className="wb-check">
        <input
          type="checkbox"
          checked={props.fellThrough}
          onChange={(event) => props.onFellThrough(event.currentTarget.checked)}
        />
        {t('journeys.fellThroughCheck')}
      </label>
    </fieldset>
  )
}

function AddStep({ journey, actors }: { journey: Journey; actors: readonly Actor[] }) {
  const { t } = useTranslation()
  const { connection } = useWorkspaceUi()
  const empty = {
    actorId: '',
    place: '',
    happened: '',
    passedOn: false,
    fellThrough: false,
    feeling: '' as Feeling | '',
  }
  const [draft, setDraft] = useState(empty)
  const { refusal, attempt } = useAttempt()
  const headingId = useId()
  const feelingId = useId()
  const actor = actors.find((candidate) => candidate.id === draft.actorId)
  const submit = (event: FormEvent) => {
    event.preventDefault()
    const added = attempt(() =>
      connection.workspace.addStep(journey.id, {
        ...(actor ? { actorId: actor.id } : {}),
        place: draft.place.trim(),
        happened: draft.happened.trim(),
        passedOn: draft.passedOn,
        fellThrough: draft.fellThrough,
        ...(draft.feeling ? { feeling: draft.feeling } : {}),
      }),
    )
    if (added) setDraft(empty)
  }
  return (
    <form className="wb-add journey__add-step" onSubmit={submit} aria-labelledby={headingId} noValidate>
      <h4 id={headingId}>{t('journeys.addStepNumber', { number: journey.steps.length + 1 })}</h4>
      {actor ? (
        <div className="wb-field">
          <span className="wb-label">{t('journeys.actorOnMap')}</span>
          <ActorChip name={actor.name} onRemove={() => setDraft({ ...draft, actorId: '' })} />
        </div>
      ) : (
        <ActorPicker
          label={t('journeys.actorOnMap')}
          actors={actors}
          onPick={(picked) => setDraft({ ...draft, actorId: picked.id })}
        />
      )}
      <TextField
        label={actor ? t('journeys.placeOptional') : t('journeys.placeNotOnMap')}
        placeholder={t('journeys.placePlaceholder')}
        value={draft.place}
        onChange={(place) => setDraft({ ...draft, place })}
        error={refusal.fields.place}
      />
      <TextField
        label={t('journeys.happened')}
        multiline
        value={draft.happened}
        onChange={(happened) => setDraft({ ...draft, happened })}
        error={refusal.fields.happened}
      />
      <StepFlags
        passedOn={draft.passedOn}
        fellThrough={draft.fellThrough}
        onPassedOn={(passedOn) => setDraft({ ...draft, passedOn })}
        onFellThrough={(fellThrough) => setDraft({ ...draft, fellThrough })}
      />
      <FeelingField
        id={feelingId}
        value={draft.feeling}
        onChange={(feeling) => setDraft({ ...draft, feeling })}
      />
      <div className="row row--end">
        <button type="submit" className="wb-button wb-button--primary">
          {t('journeys.addStep')}
        </button>
      </div>
      <FormError refusal={refusal} />
    </form>
  )
}

function AddJourney({ onAdded }: { onAdded: (id: string) => void }) {
  const { t } = useTranslation()
  const { connection } = useWorkspaceUi()
  const [title, setTitle] = useState('')
  const [resident, setResident] = useState('')
  const { refusal, attempt } = useAttempt()
  const headingId = useId()
  const submit = (event: FormEvent) => {
    event.preventDefault()
    let id = ''
    const added = attempt(() => {
      id = connection.workspace.addJourney({ title: title.trim(), resident: resident.trim() }).id
    })
    if (added) {
      onAdded(id)
      setTitle('')
      setResident('')
    }
  }
  return (
    <form className="wb-add card" onSubmit={submit} aria-labelledby={headingId} noValidate>
      <h3 id={headingId}>{t('journeys.addJourney')}</h3>
      <TextField
        label={t('journeys.title')}
        placeholder={t('journeys.titlePlaceholder')}
        value={title}
        onChange={setTitle}
        error={refusal.fields.title}
      />
      <TextField
        label={t('journeys.residentOptional')}
        hint={t('journeys.residentHint')}
        value={resident}
        onChange={setResident}
        error={refusal.fields.resident}
      />
      <p className="hint">{t('journeys.consentLater')}</p>
      <div className="row row--end">
        <button type="submit" className="wb-button wb-button--primary">
          {t('journeys.addJourneyButton')}
        </button>
      </div>
      <FormError refusal={refusal} />
    </form>
  )
}

/** How the step felt to the resident, or not said. */
function FeelingField(props: { id: string; value: Feeling | ''; onChange: (value: Feeling | '') => void }) {
  const { t } = useTranslation()
  return (
    <div className="wb-field">
      <label htmlFor={props.id}>{t('journeys.howItFelt')}</label>
      <select
        id={props.id}
        value={props.value}
        onChange={(event) => props.onChange(event.currentTarget.value as Feeling | '')}
      >
        <option value="">{t('journeys.notSaid')}</option>
        {FEELINGS.map((feeling) => (
          <option key={feeling} value={feeling}>
            {t(`journeys.feelings.${feeling}`)}
          </option>
        ))}
      </select>
    </div>
  )
}
