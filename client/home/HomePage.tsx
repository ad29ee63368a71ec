import { nanoid } from 'nanoid'
import { type FormEvent, useEffect, useState } from 'react'
import '../access/access.css'
import {
  anyFacilitatorToken,
  lastKnownOpenAccess,
  rememberOpenAccess,
  saveToken,
  takeLinkToken,
} from '../access/tokens.ts'
import { type RecentWorkspace, recentWorkspaces, rememberWorkspace } from '../recent.ts'
import { navigate } from '../router.ts'

/** Where a facilitator starts a workspace and anyone returns to one opened before. */
export function HomePage() {
  const [recent, setRecent] = useState<RecentWorkspace[] | null>(null)
  const [title, setTitle] = useState('')
  const [problem, setProblem] = useState<string | null>(null)
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
    const name = title.trim() || 'Untitled workspace'
    sessionStorage.setItem(`network-map:new-title:${room}`, name)
    await rememberWorkspace(room, name)
    navigate(`/w/${room}`)
  }

  return (
    <main className="home">
      <header className="home__header">
        <img src="/icon.svg" alt="" width="48" height="48" />
        <h1>Network map</h1>
        <p>Map who supports residents in your neighbourhood, together, on any device. Works offline.</p>
      </header>
      <section aria-labelledby="new-heading" className="home__card">
        <h2 id="new-heading">Start a workspace</h2>
        <form onSubmit={create} className="home__form">
          <label htmlFor="new-title">Title</label>
          <input
            id="new-title"
            value={title}
            maxLength={200}
            placeholder="e.g. Early Help workshop 1"
            onChange={(event) => setTitle(event.target.value)}
          />
          <button type="submit" className="button button--primary" disabled={busy}>
            {busy ? 'Creating…' : 'Create workspace'}
          </button>
        </form>
        {problem && (
          <p className="home__problem" role="alert">
            {problem}
          </p>
        )}
      </section>
      <section aria-labelledby="recent-heading" className="home__card">
        <h2 id="recent-heading">Recent workspaces</h2>
        {recent === null ? (
          <p>Loading…</p>
        ) : recent.length === 0 ? (
          <p>None yet on this device. Open a link a facilitator shared, or start one above.</p>
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
                <span className="home__when">opened {new Date(entry.openedAt).toLocaleString('en-GB')}</span>
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
async function newWorkspace(): Promise<{ ok: true; room: string } | { ok: false; problem: string }> {
  const token = anyFacilitatorToken()
  let response: Response
  try {
    response = await fetch('/api/workspaces', {
      method: 'POST',
      headers: token ? { authorization: `Bearer ${token}` } : {},
    })
  } catch {
    if (lastKnownOpenAccess()) return { ok: true, room: nanoid(12) }
    return {
      ok: false,
      problem: 'Starting a workspace needs a connection to the server. Try again when you are back online.',
    }
  }
  const body = (await response.json().catch(() => ({}))) as { room?: string; token?: string; open?: boolean }
  if (response.ok && body.room && body.token) {
    saveToken(body.room, body.token)
    rememberOpenAccess(body.open === true)
    return { ok: true, room: body.room }
  }
  if (response.status === 401 || response.status === 403) {
    return {
      ok: false,
      problem:
        'Only a facilitator can start a workspace on this server. Open a facilitator’s invite link on ' +
        'this device first: whoever runs the server has one, printed when it starts.',
    }
  }
  return { ok: false, problem: `The server could not start a workspace (${response.status}). Try again.` }
}
