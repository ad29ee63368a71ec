import { type ReactNode, useId, useState } from 'react'
import { Trans, useTranslation } from 'react-i18next'
import {
  type Actor,
  type ActorPatch,
  actorKind,
  actorNoteKey,
  type Link,
  type LinkPatch,
  linkKind,
  notesMap,
} from '../../model/index.ts'
import { RecordForm } from '../forms/RecordForm.tsx'
import { RecordHistory } from '../history/RecordHistory.tsx'
import { fieldLabel as declaredLabel, fieldOf, setLabel } from '../i18n/declared-words.ts'
import { NoteEditor } from '../notes/NoteEditor.tsx'
import { useCan } from '../workshop/permissions.ts'
import { type Selection, useSnapshot, useWorkspaceUi } from '../workspace-context.tsx'
import './panels.css'

export interface InspectorProps {
  selection: Selection
  onClose: () => void
  onRemoveActor: (actorId: string) => void
  onRemoveLink: (linkId: string) => void
}

/** Edits the selected actor or link; every change is one validated workspace command. */
export function Inspector({ selection, onClose, onRemoveActor, onRemoveLink }: InspectorProps) {
  const { t } = useTranslation()
  const snapshot = useSnapshot()
  if (!selection) {
    return (
      <Panel eyebrow={t('inspector.eyebrow')} title={t('inspector.nothingSelected')} onClose={onClose}>
        <p className="inspector__muted">{t('inspector.selectHint')}</p>
      </Panel>
    )
  }
  if (selection.kind === 'actor') {
    const actor = snapshot.actors.find((candidate) => candidate.id === selection.id)
    if (!actor) return <Removed what="actor" onClose={onClose} />
    return <ActorEditor key={actor.id} actor={actor} onClose={onClose} onRemove={onRemoveActor} />
  }
  const link = snapshot.links.find((candidate) => candidate.id === selection.id)
  if (!link) return <Removed what="link" onClose={onClose} />
  return <LinkEditor key={link.id} link={link} onClose={onClose} onRemove={onRemoveLink} />
}

function Panel(props: {
  eyebrow: string
  title: string
  onClose?: () => void
  error?: string | null
  remove?: { label: string; onClick: () => void }
  children: ReactNode
}) {
  const { t } = useTranslation()
  const headingId = useId()
  // A viewer reads the details; every control below the header is disabled for them.
  const canEdit = useCan('edit')
  return (
    <section className="inspector" aria-labelledby={headingId}>
      <header className="inspector__header">
        <h2 id={headingId}>
          <span className="inspector__eyebrow">{props.eyebrow}</span> {props.title}
        </h2>
        {props.onClose && (
          <button
            type="button"
            className="inspector__close"
            aria-label={t('inspector.close')}
            onClick={props.onClose}
          >
            <span aria-hidden="true">×</span>
          </button>
        )}
      </header>
      {props.error && (
        <p role="alert" className="inspector__error">
          {props.error}
        </p>
      )}
      <fieldset className="inspector__body" disabled={!canEdit}>
        {props.children}
      </fieldset>
      {props.remove && canEdit && (
        <div className="inspector__footer">
          <button type="button" className="inspector__danger" onClick={props.remove.onClick}>
            {props.remove.label}
          </button>
        </div>
      )}
    </section>
  )
}

function Removed({ what, onClose }: { what: 'actor' | 'link'; onClose: () => void }) {
  const { t } = useTranslation()
  return (
    <Panel eyebrow={t(`inspector.${what}`)} title={t('inspector.removed')}>
      <p role="status">{t(`inspector.removedWhat.${what}`)}</p>
      <button type="button" aria-label={t('inspector.close')} onClick={onClose}>
        {t('inspector.closeButton')}
      </button>
    </Panel>
  )
}

function ActorEditor(props: { actor: Actor; onClose: () => void; onRemove: (actorId: string) => void }) {
  const { actor } = props
  const { t } = useTranslation()
  const { connection, select } = useWorkspaceUi()
  const snapshot = useSnapshot()
  const [general, setGeneral] = useState<string | null>(null)
  const names = new Map(snapshot.actors.map((other) => [other.id, other.name]))
  const links = snapshot.links.filter((link) => link.from === actor.id || link.to === actor.id)

  return (
    <Panel
      eyebrow={t('inspector.actor')}
      title={actor.name}
      onClose={props.onClose}
      error={general}
      remove={{ label: t('inspector.removeActor'), onClick: () => props.onRemove(actor.id) }}
    >
      <RecordForm
        mode="edit"
        kind={actorKind}
        record={actor}
        save={(patch) => connection.workspace.updateActor(actor.id, patch as ActorPatch)}
        onRefused={setGeneral}
        after={{ description: <DescriptionNote actor={actor} /> }}
      />

      <section className="inspector__links" aria-label={t('inspector.linksOf')}>
        <h3>{t('inspector.links', { count: links.length })}</h3>
        {links.length === 0 && <p className="inspector__muted">{t('inspector.noLinks')}</p>}
        <ul>
          {links.map((link) => {
            const outgoing = link.from === actor.id
            const other = names.get(outgoing ? link.to : link.from) ?? t('inspector.unknownOther')
            const way = link.direction === 'mutual' ? 'with' : outgoing ? 'to' : 'from'
            return (
              <li key={link.id}>
                <button
                  type="button"
                  className="inspector__link-button"
                  onClick={() => select({ kind: 'link', id: link.id })}
                >
                  <Trans
                    i18nKey={`inspector.linkWay.${way}`}
                    values={{ kind: setLabel('linkKinds', link.kind), name: other }}
                    components={[<strong key="name" />]}
                  />
                </button>
              </li>
            )
          })}
        </ul>
      </section>
      <RecordHistory kind="actor" id={actor.id} />
    </Panel>
  )
}

/**
 * The actor's description: a collaborative note (headings, lists, links, mentions), folded away
 * unless it has something in it, so that the inspector stays short. The editor exists only while open.
 */
function DescriptionNote({ actor }: { actor: Actor }) {
  const { t } = useTranslation()
  const { connection, select } = useWorkspaceUi()
  const [open, setOpen] = useState(
    () => (notesMap(connection.doc).get(actorNoteKey(actor.id))?.length ?? 0) > 0,
  )
  const hintId = useId()
  return (
    <details className="note-disclosure" open={open} onToggle={(event) => setOpen(event.currentTarget.open)}>
      <summary>{t('inspector.description')}</summary>
      {open && (
        <>
          <p id={hintId} className="inspector__hint note-disclosure__hint">
            {t('inspector.descriptionHint')}
          </p>
          <NoteEditor
            noteKey={actorNoteKey(actor.id)}
            label={t('inspector.descriptionOf', { name: actor.name })}
            describedBy={hintId}
            compact
            onShowActor={(actorId) => select({ kind: 'actor', id: actorId })}
          />
        </>
      )}
    </details>
  )
}

/** A name set apart from the words around it, so either script reads in order beside an arrow. */
const isolate = (name: string) => `\u2068${name}\u2069`

/** A link field's label by key, as its declaration words it in the interface's language. */
const fieldLabel = (kind: typeof linkKind, key: string) => {
  const field = fieldOf(kind, key)
  return field ? declaredLabel(field) : key
}

function LinkEditor(props: { link: Link; onClose: () => void; onRemove: (linkId: string) => void }) {
  const { link } = props
  const { t } = useTranslation()
  const { connection, select } = useWorkspaceUi()
  const snapshot = useSnapshot()
  const [general, setGeneral] = useState<string | null>(null)
  const nameOf = (id: string) =>
    snapshot.actors.find((actor) => actor.id === id)?.name ?? t('inspector.unknownActor')
  const ends = [
    [fieldLabel(linkKind, 'from'), link.from],
    [fieldLabel(linkKind, 'to'), link.to],
  ] as const

  return (
    <Panel
      eyebrow={t('inspector.link')}
      title={t(link.direction === 'mutual' ? 'inspector.linkTitle.mutual' : 'inspector.linkTitle.directed', {
        from: isolate(nameOf(link.from)),
        to: isolate(nameOf(link.to)),
      })}
      onClose={props.onClose}
      error={general}
      remove={{ label: t('inspector.removeLink'), onClick: () => props.onRemove(link.id) }}
    >
      <dl className="inspector__ends">
        {ends.map(([term, actorId]) => (
          <div key={term}>
            <dt>{term}</dt>
            <dd>
              <button
                type="button"
                className="inspector__link-button"
                onClick={() => select({ kind: 'actor', id: actorId })}
              >
                {nameOf(actorId)}
              </button>
            </dd>
          </div>
        ))}
      </dl>
      <RecordForm
        mode="edit"
        kind={linkKind}
        record={link}
        save={(patch) => connection.workspace.updateLink(link.id, patch as LinkPatch)}
        onRefused={setGeneral}
      />
      <RecordHistory kind="link" id={link.id} />
    </Panel>
  )
}
