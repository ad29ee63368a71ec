import { nanoid } from 'nanoid'
import { type FormEvent, useEffect, useState } from 'react'
import { type RecentWorkspace, recentWorkspaces, rememberWorkspace } from '../recent.ts'
import { navigate } from '../router.ts'

/** Where a facilitator starts a workspace and anyone returns to one opened before. */
export function HomePage() {
  const [recent, setRecent] = useState<RecentWorkspace[] | null>(null)
  const [title, setTitle] = useState('')
  useEffect(() => {
    void recentWorkspaces().then(setRecent)
  }, [])

  const create = async (event: FormEvent) => {
    event.preventDefault()
    const room = nanoid(12)
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
          <button type="submit" className="button button--primary">
            Create workspace
          </button>
        </form>
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
