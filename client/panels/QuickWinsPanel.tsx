import { type FormEvent, useId, useState } from 'react'
import { Trans, useTranslation } from 'react-i18next'
import {
  QUICK_WIN_STATUSES,
  type QuickWin,
  type QuickWinStatus,
  type Theme,
  totalVotes,
  WorkspaceError,
} from '../../model/index.ts'
import { NO_REFUSAL, refusalOf } from '../forms/explain.ts'
import { setLabel } from '../i18n/declared-words.ts'
import { useAuthorId, useCan, useMayRemove } from '../workshop/permissions.ts'
import { useSnapshot, useWorkspaceUi } from '../workspace-context.tsx'
import {
  commitField,
  EditToggle,
  FormError,
  RemoveButton,
  StoredField,
  short,
  TextField,
  ThemeField,
  useAttempt,
} from './workshop-shared.tsx'

/**
 * Quick wins: concrete actions with an owner and a status, and dot voting. Each person has the
 * facilitator's budget of dots across all quick wins; the list is sorted by total dots (ties
 * keep the workspace's stable order, so every device shows the same list).
 */
export function QuickWinsPanel() {
  const { t } = useTranslation()
  const snapshot = useSnapshot()
  const canEdit = useCan('edit')
  const canFacilitate = useCan('facilitate')
  const mayRemove = useMayRemove()
  // Dots are placed under the invite's id, which the server holds them to.
  const voter = useAuthorId()
  const headingId = useId()
  const budget = snapshot.facilitation.voteBudget
  const used = snapshot.quickWins.reduce((sum, quickWin) => sum + (quickWin.votes[voter] ?? 0), 0)
  const left = Math.max(0, budget - used)
  const sorted = [...snapshot.quickWins].sort((a, b) => totalVotes(b) - totalVotes(a))
  return (
    <section className="wb quick-wins" aria-labelledby={headingId}>
      <h2 id={headingId}>{t('quickWins.heading')}</h2>
      <p className="hint">{t('quickWins.hint')}</p>
      <div className="quick-wins__budget">
        <p className="quick-wins__left" role="status" data-testid="dots-left">
          <span className="quick-wins__dots" aria-hidden="true">
            {Array.from({ length: Math.min(budget, 20) }, (_, index) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: dots are interchangeable
              <span key={index} className={index < left ? 'dot dot--left' : 'dot'} />
            ))}
          </span>
          <Trans
            i18nKey="quickWins.dotsLeft"
            values={{ left, budget }}
            components={[<strong key="left" />]}
          />
        </p>
        {canFacilitate && <BudgetField budget={budget} />}
      </div>
      {canEdit && <AddQuickWin themes={snapshot.themes} />}
      {sorted.length === 0 ? (
        <p className="wb-empty">{t('quickWins.noneYet')}</p>
      ) : (
        <ol className="quick-wins__list" aria-label={t('quickWins.listLabel')}>
          {sorted.map((quickWin) => (
            <QuickWinCard
              key={quickWin.id}
              quickWin={quickWin}
              themes={snapshot.themes}
              left={left}
              budget={budget}
              mayRemove={mayRemove(quickWin)}
            />
          ))}
        </ol>
      )}
    </section>
  )
}

function BudgetField({ budget }: { budget: number }) {
  const { t } = useTranslation()
  const { connection } = useWorkspaceUi()
  return (
    <StoredField
      className="quick-wins__budget-field"
      label={t('quickWins.dotsPerPerson')}
      type="number"
      value={String(budget)}
      commit={(text) => {
        const dots = Number(text)
        if (!Number.isInteger(dots) || dots < 1 || dots > 100)
          return t('quickWins.wholeNumber', { min: 1, max: 100 })
        return commitField('voteBudget', () => connection.workspace.setVoteBudget(dots))
      }}
    />
  )
}

function AddQuickWin({ themes }: { themes: readonly Theme[] }) {
  const { t } = useTranslation()
  const { connection } = useWorkspaceUi()
  const [text, setText] = useState('')
  const [owner, setOwner] = useState('')
  const [themeId, setThemeId] = useState('')
  const { refusal, attempt } = useAttempt()
  const themeFieldId = useId()
  const submit = (event: FormEvent) => {
    event.preventDefault()
    // The workspace writes this person's author id on it (see WorkspaceConnection.authorId).
    const added = attempt(() => {
      connection.workspace.addQuickWin({
        text: text.trim(),
        owner: owner.trim(),
        ...(themeId ? { themeId } : {}),
      })
    })
    if (added) {
      setText('')
      setOwner('')
    }
  }
  // Owner and theme are asked for once there is something to add, to keep the list in view.
  const drafting = text !== '' || owner !== ''
  return (
    <form className="wb-add" onSubmit={submit} aria-label={t('quickWins.addForm')} noValidate>
      <div className="wb-add__row">
        <TextField
          className="grow"
          label={t('quickWins.newQuickWin')}
          placeholder={t('quickWins.placeholder')}
          value={text}
          onChange={setText}
          error={refusal.fields.text}
        />
        <button type="submit" className="wb-button wb-button--primary">
          {t('quickWins.add')}
        </button>
      </div>
      {drafting && (
        <div className="wb-add__row">
          <TextField
            className="grow"
            label={t('quickWins.ownerOptional')}
            value={owner}
            onChange={setOwner}
            error={refusal.fields.owner}
          />
          {themes.length > 0 && (
            <div className="wb-field grow">
              <label htmlFor={themeFieldId}>{t('quickWins.fromTheme')}</label>
              <select
                id={themeFieldId}
                value={themeId}
                onChange={(event) => setThemeId(event.currentTarget.value)}
              >
                <option value="">{t('shared.none')}</option>
                {themes.map((theme) => (
                  <option key={theme.id} value={theme.id}>
                    {theme.title}
                  </option>
                ))}
              </select>
            </div>
          )}
        </div>
      )}
      <FormError refusal={refusal} />
    </form>
  )
}

function QuickWinCard(props: {
  quickWin: QuickWin
  themes: readonly Theme[]
  left: number
  budget: number
  mayRemove: boolean
}) {
  const { quickWin, budget } = props
  const { t } = useTranslation()
  const { connection } = useWorkspaceUi()
  const voter = useAuthorId()
  const canEdit = useCan('edit')
  const [editing, setEditing] = useState(false)
  const { refusal, attempt, setRefusal } = useAttempt()
  const statusId = useId()
  const textId = useId()
  const themeFieldId = useId()
  const mineDots = quickWin.votes[voter] ?? 0
  const total = totalVotes(quickWin)
  const theme = props.themes.find((candidate) => candidate.id === quickWin.themeId)
  const name = short(quickWin.text, 50)
  const vote = (dots: number) => {
    try {
      connection.workspace.vote(quickWin.id, voter, dots)
      setRefusal(NO_REFUSAL)
    } catch (error) {
      setRefusal(
        error instanceof WorkspaceError && error.code === 'over-budget'
          ? {
              fields: {},
              message: t('quickWins.overBudget', { count: budget }),
            }
          : refusalOf(error),
      )
    }
  }
  return (
    <li className="card quick-win" data-quick-win-id={quickWin.id}>
      <div className="quick-win__top">
        <div className="grow">
          <p id={textId} className="quick-win__text">
            {quickWin.text}
          </p>
          <p className="hint">
            <span className={`quick-win__status quick-win__status--${quickWin.status}`}>
              {setLabel('quickWinStatuses', quickWin.status)}
            </span>
            {' · '}
            {quickWin.owner ? t('quickWins.owner', { owner: quickWin.owner }) : t('quickWins.noOwner')}
            {theme ? ` · ${theme.title}` : ''}
          </p>
        </div>
        <div className="quick-win__votes">
          <span className="quick-win__total" data-testid="total-dots">
            <Trans i18nKey="quickWins.total" count={total} components={[<strong key="total" />]} />
          </span>
          {canEdit && (
            <div className="quick-win__vote-buttons">
              <button
                type="button"
                className="icon-button"
                aria-label={t('quickWins.takeBack', { name })}
                disabled={mineDots === 0}
                onClick={() => vote(mineDots - 1)}
              >
                −
              </button>
              <span className="quick-win__mine" data-testid="my-dots">
                <span className="visually-hidden">{t('quickWins.yourDotsOn', { name, dots: mineDots })}</span>
                <span aria-hidden="true">{t('quickWins.yours', { dots: mineDots })}</span>
              </span>
              <button
                type="button"
                className="icon-button"
                aria-label={t('quickWins.give', { name })}
                onClick={() => vote(mineDots + 1)}
              >
                +
              </button>
            </div>
          )}
        </div>
      </div>
      <FormError refusal={refusal} />
      {canEdit && (
        <div className="quick-win__fields">
          <div className="wb-field">
            <label htmlFor={statusId}>{t('quickWins.statusLabel')}</label>
            <select
              id={statusId}
              value={quickWin.status}
              onChange={(event) =>
                attempt(() =>
                  connection.workspace.updateQuickWin(quickWin.id, {
                    status: event.currentTarget.value as QuickWinStatus,
                  }),
                )
              }
            >
              {QUICK_WIN_STATUSES.map((status) => (
                <option key={status} value={status}>
                  {setLabel('quickWinStatuses', status)}
                </option>
              ))}
            </select>
          </div>
          <StoredField
            className="grow"
            label={t('quickWins.ownerLabel')}
            value={quickWin.owner}
            commit={(text) =>
              commitField('owner', () =>
                connection.workspace.updateQuickWin(quickWin.id, { owner: text.trim() }),
              )
            }
          />
        </div>
      )}
      {canEdit && (
        <div className="row row--end">
          <EditToggle editing={editing} onToggle={() => setEditing(!editing)} describedBy={textId} />
        </div>
      )}
      {editing && canEdit && (
        <div className="wb-options">
          <StoredField
            label={t('quickWins.quickWin')}
            multiline
            value={quickWin.text}
            commit={(text) =>
              commitField('text', () => connection.workspace.updateQuickWin(quickWin.id, { text }))
            }
          />
          <ThemeField
            id={themeFieldId}
            label={t('quickWins.fromTheme')}
            value={quickWin.themeId}
            themes={props.themes}
            onChange={(themeId) =>
              attempt(() => connection.workspace.updateQuickWin(quickWin.id, { themeId }))
            }
          />
          {props.mayRemove && (
            <div className="row row--end">
              <RemoveButton
                label={t('quickWins.remove')}
                onRemove={() => attempt(() => connection.workspace.removeQuickWin(quickWin.id))}
              />
            </div>
          )}
        </div>
      )}
    </li>
  )
}
