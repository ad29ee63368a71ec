import QRCode from 'qrcode'
import { type FormEvent, useCallback, useEffect, useRef, useState } from 'react'
import { ROLE_LABEL, type Role } from '../access/access.ts'
import { claimsOf, storedToken } from '../access/tokens.ts'
import { useAccess } from '../access/useAccess.ts'

/** An invite as the server lists it (its token is never kept, so it cannot be shown again). */
interface InviteSummary {
  readonly jti: string
  readonly role: Role
  readonly label: string
  readonly createdAt: number
  readonly expiresAt: number
  readonly revokedAt: number | null
}

const EXPIRY_CHOICES = [
  ['8h', '8 hours'],
  ['1d', '1 day'],
  ['7d', '7 days'],
  ['30d', '30 days'],
] as const

const ROLE_HELP: Record<Role, string> = {
  participant: 'can add to the map, notes, themes, quick wins and votes',
  viewer: 'can look but not change anything',
  facilitator: 'can do everything, including locking the map, exporting and inviting',
}

const when = (ms: number) =>
  new Date(ms).toLocaleString('en-GB', { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' })

/**
 * Invites for this workspace: a facilitator makes a link per role with an expiry, shows it as a
 * QR code (drawn here on the device, no service is asked) for phones to scan, and lists and
 * withdraws the links made so far. On an open-access server the plain link works for anyone on
 * the network, so it is offered too.
 */
export function ShareDialog({ room, onClose }: { room: string; onClose: () => void }) {
  const dialog = useRef<HTMLDialogElement>(null)
  const { open } = useAccess()
  const ownToken = storedToken(room)
  const ownJti = ownToken ? claimsOf(ownToken)?.jti : undefined
  const [role, setRole] = useState<Role>('participant')
  const [expiresIn, setExpiresIn] = useState<string>('1d')
  const [label, setLabel] = useState('')
  const [link, setLink] = useState<string | null>(open ? `${location.origin}/w/${room}` : null)
  const [linkNote, setLinkNote] = useState<string>(
    open ? 'The plain link: anyone on this network, as a facilitator.' : '',
  )
  const [qr, setQr] = useState('')
  const [copied, setCopied] = useState(false)
  const [invites, setInvites] = useState<InviteSummary[] | null>(null)
  const [problem, setProblem] = useState<string | null>(null)
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
      if (!response.ok) throw new Error(String(body.error ?? `the server answered ${response.status}`))
      return body
    },
    [room, ownToken],
  )
  const refresh = useCallback(async () => {
    try {
      const body = await api('')
      setInvites(body.invites as InviteSummary[])
    } catch (error) {
      setProblem(
        navigator.onLine
          ? `Could not list the links: ${(error as Error).message}`
          : 'Invite links need a connection to the server.',
      )
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
      setLinkNote(
        `For a ${ROLE_LABEL[role].toLowerCase()}${label ? ` (${label})` : ''}, until ${when(Number(body.expiresAt))}.`,
      )
      setLabel('')
      await refresh()
    } catch (error) {
      setProblem(`Could not make a link: ${(error as Error).message}`)
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
      setProblem(`Could not withdraw the link: ${(error as Error).message}`)
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

  const now = Date.now()
  return (
    <dialog ref={dialog} className="dialog dialog--wide" aria-labelledby="share-heading" onClose={onClose}>
      <h2 id="share-heading">Invite people</h2>
      {open && (
        <p>
          This server is in open access mode: anyone on this network can join with the plain link, as a
          facilitator. Links made below carry a role.
        </p>
      )}
      <form className="share__form" onSubmit={(event) => void create(event)}>
        <label>
          Role
          <select value={role} onChange={(event) => setRole(event.target.value as Role)}>
            {(['participant', 'viewer', 'facilitator'] as const).map((choice) => (
              <option key={choice} value={choice}>
                {ROLE_LABEL[choice]}
              </option>
            ))}
          </select>
        </label>
        <label>
          Expires after
          <select value={expiresIn} onChange={(event) => setExpiresIn(event.target.value)}>
            {EXPIRY_CHOICES.map(([value, text]) => (
              <option key={value} value={value}>
                {text}
              </option>
            ))}
          </select>
        </label>
        <label className="share__label-field">
          Name for this link (optional)
          <input
            value={label}
            maxLength={100}
            placeholder="e.g. Tuesday workshop tables"
            onChange={(event) => setLabel(event.target.value)}
          />
        </label>
        <p className="share__help">
          A {ROLE_LABEL[role].toLowerCase()} {ROLE_HELP[role]}.
        </p>
        <button type="submit" className="button button--primary" disabled={busy}>
          {busy ? 'Making…' : 'Make link'}
        </button>
      </form>
      {link && (
        <>
          {qr && <img className="share__qr" src={qr} alt="QR code for the link" width={220} height={220} />}
          <label htmlFor="share-url">Link</label>
          <p className="share__help" id="share-url-note">
            {linkNote}
          </p>
          <div className="share__row">
            <input
              id="share-url"
              readOnly
              value={link}
              aria-describedby="share-url-note"
              onFocus={(event) => event.currentTarget.select()}
            />
            <button type="button" className="button" onClick={() => void copy()}>
              {copied ? 'Copied' : 'Copy'}
            </button>
          </div>
        </>
      )}
      <p role="status" aria-live="polite">
        {problem}
      </p>
      <h3>Links made for this workspace</h3>
      {invites === null ? (
        <p>{problem ? '' : 'Loading…'}</p>
      ) : invites.length === 0 ? (
        <p>None yet.</p>
      ) : (
        <ul className="share__invites" aria-label="Invite links">
          {invites.map((invite) => {
            const status =
              invite.revokedAt !== null
                ? `withdrawn ${when(invite.revokedAt)}`
                : invite.expiresAt <= now
                  ? `expired ${when(invite.expiresAt)}`
                  : `until ${when(invite.expiresAt)}`
            const live = invite.revokedAt === null && invite.expiresAt > now
            return (
              <li key={invite.jti} className="share__invite">
                <span className="share__invite-text">
                  {ROLE_LABEL[invite.role]}
                  {invite.label ? `: ${invite.label}` : ''}
                  {invite.jti === ownJti ? ' (this device)' : ''}
                  <span className="share__invite-when">
                    made {when(invite.createdAt)}, {status}
                  </span>
                </span>
                {live && invite.jti !== ownJti && (
                  <button
                    type="button"
                    className="button"
                    onClick={() => void withdraw(invite)}
                    aria-label={`Withdraw the ${ROLE_LABEL[invite.role].toLowerCase()} link${invite.label ? ` ${invite.label}` : ''} made ${when(invite.createdAt)}`}
                  >
                    Withdraw
                  </button>
                )}
              </li>
            )
          })}
        </ul>
      )}
      <form method="dialog" className="dialog__actions">
        <button type="submit" className="button button--primary">
          Done
        </button>
      </form>
    </dialog>
  )
}
