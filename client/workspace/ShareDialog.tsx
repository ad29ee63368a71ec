import QRCode from 'qrcode'
import { type FormEvent, useCallback, useEffect, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { Role } from '../access/access.ts'
import { claimsOf, storedToken } from '../access/tokens.ts'
import { useAccess } from '../access/useAccess.ts'
import { intlLocale } from '../i18n/i18n.ts'

/** An invite as the server lists it (its token is never kept, so it cannot be shown again). */
interface InviteSummary {
  readonly jti: string
  readonly role: Role
  readonly label: string
  readonly createdAt: number
  readonly expiresAt: number
  readonly revokedAt: number | null
}

/** How long a link lasts, as the server reads it, and as a count of hours or days. */
const EXPIRY_CHOICES = [
  ['8h', 'hours', 8],
  ['1d', 'days', 1],
  ['7d', 'days', 7],
  ['30d', 'days', 30],
] as const

const ROLES = ['participant', 'viewer', 'facilitator'] as const

/**
 * The label the server gives the facilitator's link it makes with a new workspace
 * (sync-server/access-api.ts): the server's words, shown in the chosen language.
 */
const WORKSPACE_CREATOR_LABEL = 'Created the workspace'

/** The link just made: the server's words come back only as its expiry; said when shown. */
type LinkNote = { kind: 'open' } | { kind: 'made'; role: Role; label: string; expiresAt: number } | null

/** Why the dialog cannot do something, with the server's own words where it gave them. */
type Problem = { kind: 'list' | 'make' | 'withdraw'; reason: Reason } | { kind: 'offline' } | null

/** The server's words, else its status; null when no answer came (the request itself failed). */
type Reason = string | number | null

/**
 * Invites for this workspace: a facilitator makes a link per role with an expiry, shows it as a
 * QR code (drawn here on the device, no service is asked) for phones to scan, and lists and
 * withdraws the links made so far. On an open-access server the plain link works for anyone on
 * the network, so it is offered too.
 */
export function ShareDialog({ room, onClose }: { room: string; onClose: () => void }) {
  const { t, i18n } = useTranslation()
  const when = (ms: number) =>
    new Date(ms).toLocaleString(intlLocale(i18n.resolvedLanguage), {
      day: 'numeric',
      month: 'short',
      hour: '2-digit',
      minute: '2-digit',
      // A 24-hour clock in every language: Urdu's 12-hour one would say AM and PM in English.
      hourCycle: 'h23',
    })
  const dialog = useRef<HTMLDialogElement>(null)
  const { open } = useAccess()
  const ownToken = storedToken(room)
  const ownJti = ownToken ? claimsOf(ownToken)?.jti : undefined
  const [role, setRole] = useState<Role>('participant')
  const [expiresIn, setExpiresIn] = useState<string>('1d')
  const [label, setLabel] = useState('')
  const [link, setLink] = useState<string | null>(open ? `${location.origin}/w/${room}` : null)
  const [linkNote, setLinkNote] = useState<LinkNote>(open ? { kind: 'open' } : null)
  const [qr, setQr] = useState('')
  const [copied, setCopied] = useState(false)
  const [invites, setInvites] = useState<InviteSummary[] | null>(null)
  const [problem, setProblem] = useState<Problem>(null)
  const [busy, setBusy] = useState(false)

  const api = useCallback(
    async (path: string, init: RequestInit = {}) => {
      const headers: Record<string, string> = { 'content-type': 'application/json' }
      if (ownToken) headers.authorization = `Bearer ${ownToken}`
      const response = await fetch(`/api/rooms/${encodeURIComponent(room)}/invites${path}`, {
        ...init,
        headers,
      })
      const body = (await response.json().catch(() => ({}))) as Record<string, unknown>
      // The server's own words where it gave them, else its status (said in words when shown).
      if (!response.ok) throw new ApiError(body.error === undefined ? response.status : String(body.error))
      return body
    },
    [room, ownToken],
  )
  const refresh = useCallback(async () => {
    try {
      const body = await api('')
      setInvites(body.invites as InviteSummary[])
    } catch (error) {
      setProblem(navigator.onLine ? { kind: 'list', reason: reasonOf(error) } : { kind: 'offline' })
    }
  }, [api])

  useEffect(() => {
    dialog.current?.showModal()
    void refresh()
  }, [refresh])
  useEffect(() => {
    setCopied(false)
    if (!link) return setQr('')
    void QRCode.toDataURL(link, { margin: 1, width: 440, errorCorrectionLevel: 'M' }).then(setQr)
  }, [link])

  const create = async (event: FormEvent) => {
    event.preventDefault()
    setBusy(true)
    setProblem(null)
    try {
      const body = await api('', { method: 'POST', body: JSON.stringify({ role, expiresIn, label }) })
      // Built from this page's own address: the one the participants' devices can reach.
      setLink(`${location.origin}/w/${encodeURIComponent(room)}#token=${String(body.token)}`)
      setLinkNote({ kind: 'made', role, label, expiresAt: Number(body.expiresAt) })
      setLabel('')
      await refresh()
    } catch (error) {
      setProblem({ kind: 'make', reason: reasonOf(error) })
    } finally {
      setBusy(false)
    }
  }

  const withdraw = async (invite: InviteSummary) => {
    setProblem(null)
    try {
      await api(`/${encodeURIComponent(invite.jti)}`, { method: 'DELETE' })
      await refresh()
    } catch (error) {
      setProblem({ kind: 'withdraw', reason: reasonOf(error) })
    }
  }

  const copy = async () => {
    if (!link) return
    // The clipboard API exists only in a secure context; over plain http the link is selected instead.
    if (navigator.clipboard && window.isSecureContext) {
      await navigator.clipboard.writeText(link)
      setCopied(true)
    } else {
      const input = document.getElementById('share-url') as HTMLInputElement | null
      input?.select()
    }
  }

  const reasonText = (reason: Reason) =>
    reason === null
      ? t('share.noAnswer')
      : typeof reason === 'number'
        ? t('share.serverAnswered', { status: reason })
        : reason
  const problemText =
    problem === null
      ? null
      : problem.kind === 'offline'
        ? t('share.needsConnection')
        : problem.kind === 'list'
          ? t('share.couldNotList', { reason: reasonText(problem.reason) })
          : problem.kind === 'make'
            ? t('share.couldNotMake', { reason: reasonText(problem.reason) })
            : t('share.couldNotWithdraw', { reason: reasonText(problem.reason) })
  const linkNoteText =
    linkNote === null
      ? ''
      : linkNote.kind === 'open'
        ? t('share.plainLink')
        : linkNote.label
          ? t(`share.linkForNamed.${linkNote.role}`, {
              label: linkNote.label,
              until: when(linkNote.expiresAt),
            })
          : t(`share.linkFor.${linkNote.role}`, { until: when(linkNote.expiresAt) })

  const now = Date.now()
  return (
    <dialog ref={dialog} className="dialog dialog--wide" aria-labelledby="share-heading" onClose={onClose}>
      <h2 id="share-heading">{t('share.heading')}</h2>
      {open && <p>{t('share.openAccess')}</p>}
      <form className="share__form" onSubmit={(event) => void create(event)}>
        <label>
          {t('share.role')}
          <select value={role} onChange={(event) => setRole(event.target.value as Role)}>
            {ROLES.map((choice) => (
              <option key={choice} value={choice}>
                {t(`roles.${choice}`)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('share.expiresAfter')}
          <select value={expiresIn} onChange={(event) => setExpiresIn(event.target.value)}>
            {EXPIRY_CHOICES.map(([value, unit, count]) => (
              <option key={value} value={value}>
                {t(`share.${unit}`, { count })}
              </option>
            ))}
          </select>
        </label>
        <label className="share__label-field">
          {t('share.linkName')}
          <input
            value={label}
            maxLength={100}
            placeholder={t('share.linkNamePlaceholder')}
            onChange={(event) => setLabel(event.target.value)}
          />
        </label>
        <p className="share__help">{t(`share.roleHelp.${role}`)}</p>
        <button type="submit" className="button button--primary" disabled={busy}>
          {busy ? t('share.making') : t('share.make')}
        </button>
      </form>
      {link && (
        <>
          {qr && <img className="share__qr" src={qr} alt={t('share.qrAlt')} width={220} height={220} />}
          <label htmlFor="share-url">{t('share.link')}</label>
          <p className="share__help" id="share-url-note">
            {linkNoteText}
          </p>
          <div className="share__row">
            <input
              id="share-url"
              // An address reads left to right in every language, from its start.
              dir="ltr"
              readOnly
              value={link}
              aria-describedby="share-url-note"
              onFocus={(event) => event.currentTarget.select()}
            />
            <button type="button" className="button" onClick={() => void copy()}>
              {copied ? t('share.copied') : t('share.copy')}
            </button>
          </div>
        </>
      )}
      <p role="status" aria-live="polite">
        {problemText}
      </p>
      <h3>{t('share.madeHeading')}</h3>
      {invites === null ? (
        <p>{problem ? '' : t('share.loading')}</p>
      ) : invites.length === 0 ? (
        <p>{t('share.noneYet')}</p>
      ) : (
        <ul className="share__invites" aria-label={t('share.invites')}>
          {invites.map((invite) => {
            const made = when(invite.createdAt)
            const status =
              invite.revokedAt !== null
                ? t('share.withdrawnOn', { made, when: when(invite.revokedAt) })
                : invite.expiresAt <= now
                  ? t('share.expiredOn', { made, when: when(invite.expiresAt) })
                  : t('share.until', { made, when: when(invite.expiresAt) })
            const live = invite.revokedAt === null && invite.expiresAt > now
            const own = invite.jti === ownJti
            const label =
              invite.label === WORKSPACE_CREATOR_LABEL ? t('share.createdWorkspace') : invite.label
            const name = label
              ? t('share.inviteNamed', { role: t(`roles.${invite.role}`), label })
              : t(`roles.${invite.role}`)
            return (
              <li key={invite.jti} className="share__invite">
                <span className="share__invite-text">
                  {own ? t('share.thisDevice', { name }) : name}
                  <span className="share__invite-when">{status}</span>
                </span>
                {live && !own && (
                  <button
                    type="button"
                    className="button"
                    onClick={() => void withdraw(invite)}
                    aria-label={
                      invite.label
                        ? t(`share.withdrawNamed.${invite.role}`, { label: invite.label, made })
                        : t(`share.withdrawLink.${invite.role}`, { made })
                    }
                  >
                    {t('share.withdraw')}
                  </button>
                )}
              </li>
            )
          })}
        </ul>
      )}
      <form method="dialog" className="dialog__actions">
        <button type="submit" className="button button--primary">
          {t('shared.done')}
        </button>
      </form>
    </dialog>
  )
}

/** A refusal from the invites API: the server's words, or its status when it gave none. */
class ApiError extends Error {
  constructor(readonly reason: Exclude<Reason, null>) {
    super(String(reason))
  }
}

/** What went wrong, for the problem line: the server's words or status, or no answer at all. */
const reasonOf = (error: unknown): Reason => (error instanceof ApiError ? error.reason : null)
