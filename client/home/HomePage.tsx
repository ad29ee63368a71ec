import { nanoid } from 'nanoid'
import { type FormEvent, useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import '../access/access.css'
import {
  anyFacilitatorToken,
  lastKnownOpenAccess,
  rememberOpenAccess,
  saveToken,
  takeLinkToken,
} from '../access/tokens.ts'
import { intlLocale } from '../i18n/i18n.ts'
import { LanguagePicker } from '../i18n/LanguagePicker.tsx'
import { type RecentWorkspace, recentWorkspaces, rememberWorkspace } from '../recent.ts'
import { navigate } from '../router.ts'

/** Why a workspace could not be started, as the home page says it. */
type Problem = { kind: 'offline' } | { kind: 'not-facilitator' } | { kind: 'server'; status: number }

/** Where a facilitator starts a workspace and anyone returns to one opened before. */
export function HomePage() {
  const { t, i18n } = useTranslation()
  const [recent, setRecent] = useState<RecentWorkspace[] | null>(null)
  const [title, setTitle] = useState('')
  const [problem, setProblem] = useState<Problem | null>(null)
  const [busy, setBusy] = useState(false)
  useEffect(() => {
    takeLinkToken()
    void recentWorkspaces().then(setRecent)
  }, [])

  const create = async (event: FormEvent) => {
    event.preventDefault()
    setProblem(null)
    setBusy(true)
    const made = await newWorkspace().finally(() => setBusy(false))
    if (!made.ok) {
      setProblem(made.problem)
      return
    }
    const { room } = made
    const name = title.trim() || t('home.untitled')
    sessionStorage.setItem(`network-map:new-title:${room}`, name)
    await rememberWorkspace(room, name)
    navigate(`/w/${room}`)
  }

  const problemText = (current: Problem) =>
    current.kind === 'offline'
      ? t('home.problems.offline')
      : current.kind === 'not-facilitator'
        ? t('home.problems.notFacilitator')
        : t('home.problems.server', { status: current.status })
  // A 24-hour clock in every language: Urdu's 12-hour one would say AM and PM in English.
  const when = (ms: number) =>
    new Date(ms).toLocaleString(intlLocale(i18n.resolvedLanguage), { hourCycle: 'h23' })

  return (
    <main className="home">
      {/* First, so someone who does not read English can change it before anything else. */}
      <LanguagePicker className="home__language" />
      <header className="home__header">
        <img src="/icon.svg" alt="" width="48" height="48" />
        <h1>{t('home.heading')}</h1>
        <p>{t('home.intro')}</p>
      </header>
      <section aria-labelledby="new-heading" className="home__card">
        <h2 id="new-heading">{t('home.start')}</h2>
        <form onSubmit={create} className="home__form">
          <label htmlFor="new-title">{t('home.title')}</label>
          <input
            id="new-title"
            value={title}
            maxLength={200}
            placeholder={t('home.titlePlaceholder')}
            onChange={(event) => setTitle(event.target.value)}
          />
          <button type="submit" className="button button--primary" disabled={busy}>
            {busy ? t('home.creating') : t('home.create')}
          </button>
        </form>
        {problem && (
          <p className="home__problem" role="alert">
            {problemText(problem)}
          </p>
        )}
      </section>
      <section aria-labelledby="recent-heading" className="home__card">
        <h2 id="recent-heading">{t('home.recent')}</h2>
        {recent === null ? (
          <p>{t('home.loading')}</p>
        ) : recent.length === 0 ? (
          <p>{t('home.noneYet')}</p>
        ) : (
          <ul className="home__recent">
            {recent.map((entry) => (
              <li key={entry.room}>
                <a
                  href={`/w/${entry.room}`}
                  onClick={(event) => {
                    event.preventDefault()
                    navigate(`/w/${entry.room}`)
                  }}
                >
                  {entry.title}
                </a>
                <span className="home__when">{t('home.opened', { when: when(entry.openedAt) })}</span>
              </li>
            ))}
          </ul>
        )}
      </section>
    </main>
  )
}

/**
 * A new workspace, with this device as its facilitator: the server makes its id and a
 * facilitator token for it, given a facilitator's token of any workspace here, or if it runs in
 * open access mode. Offline, a workspace can still be started on an open-access server (it is
 * saved there on reconnection); a server that needs invites has to be reached first.
 */
async function newWorkspace(): Promise<{ ok: true; room: string } | { ok: false; problem: Problem }> {
  const token = anyFacilitatorToken()
  let response: Response
  try {
    response = await fetch('/api/workspaces', {
      method: 'POST',
      headers: token ? { authorization: `Bearer ${token}` } : {},
    })
  } catch {
    if (lastKnownOpenAccess()) return { ok: true, room: nanoid(12) }
    return { ok: false, problem: { kind: 'offline' } }
  }
  const body = (await response.json().catch(() => ({}))) as { room?: string; token?: string; open?: boolean }
  if (response.ok && body.room && body.token) {
    saveToken(body.room, body.token)
    rememberOpenAccess(body.open === true)
    return { ok: true, room: body.room }
  }
  if (response.status === 401 || response.status === 403) {
    return { ok: false, problem: { kind: 'not-facilitator' } }
  }
  return { ok: false, problem: { kind: 'server', status: response.status } }
}
