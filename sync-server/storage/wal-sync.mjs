// Makes the SQLite WAL durable apart from the commits (the writer's `saved` mode, see
// sqlite-writer.mjs): an fsync of the WAL file makes every commit written to it before the
// fsync began survive a power cut, as synchronous=FULL would have at each commit. Measured on
// this machine's disk: 0.6 ms for the WAL's fsync against 1.3 ms for a PASSIVE checkpoint
// (which syncs the WAL, copies the pages into the database and syncs that too).
//
// One fsync at a time, on libuv's thread pool (the writer keeps committing meanwhile); waiters
// that came during one wait for the next, which covers them. Plain JavaScript, like the writer.
import { close, fsync, open } from 'node:fs'
import { dirname } from 'node:path'

/**
 * Syncs begin at least this far apart. Every client asks whether it is saved a quarter of a
 * second after its last edit: 500 small rooms asked 1,500 times a second, and syncing back to
 * back (up to a thousand fsyncs a second) cost the server more than syncing every commit did.
 * Everything that asks meanwhile waits for the next sync, which covers it.
 */
const MIN_GAP_MS = 20

export class WalSync {
  /** Commits (groups, numbered by the writer) known to be on disk. */
  #durable = 0
  /** The last commit made. */
  #committed = 0
  #syncing = false
  /** The directory's entry for the WAL is synced once, with the first sync. */
  #directorySynced = false
  /** @type {ReturnType<typeof setTimeout> | null} */
  #timer = null
  /** When the last sync began, and the wait until the next may (MIN_GAP_MS). */
  #lastStarted = Number.NEGATIVE_INFINITY
  /** @type {ReturnType<typeof setTimeout> | null} */
  #gapTimer = null
  /** @type {{ id: number, upto: number }[]} */
  #waiters = []
  /** @type {(() => void) | null} */
  #onClosed = null

  /**
   * @param {string} walFile the database's `-wal` file
   * @param {number} intervalMs a commit is synced at the latest this long after it was made
   * @param {(covered: number, replies: { id: number, value?: unknown, error?: { message: string, code?: string } }[]) => void} synced
   *   called after each sync with the commits it covered and the waiters it answers
   */
  constructor(walFile, intervalMs, synced) {
    this.walFile = walFile
    this.intervalMs = intervalMs
    this.synced = synced
  }

  /** A commit was made: synced with the next one asked for, or else after the interval. */
  committed(/** @type {number} */ upto) {
    this.#committed = upto
    if (this.#timer === null && Number.isFinite(this.intervalMs))
      this.#timer = setTimeout(() => {
        this.#timer = null
        this.#sync()
      }, this.intervalMs)
  }

  /** Answers request `id` once every commit up to `upto` is on disk. */
  wait(/** @type {number} */ id, /** @type {number} */ upto) {
    if (upto <= this.#durable) {
      this.synced(this.#durable, [{ id, value: undefined }])
      return
    }
    this.#waiters.push({ id, upto })
    this.#sync()
  }

  /** Syncs what is left, then calls `done` (the writer closes its connection after). */
  close(/** @type {() => void} */ done) {
    if (this.#timer !== null) clearTimeout(this.#timer)
    if (this.#gapTimer !== null) clearTimeout(this.#gapTimer)
    this.#timer = null
    this.#gapTimer = null
    this.#onClosed = done
    if (!this.#syncing) this.#sync()
  }

  #sync() {
    if (this.#syncing || this.#gapTimer !== null) return
    if (this.#durable >= this.#committed) {
      this.#finishIfClosing()
      return
    }
    const wait = this.#lastStarted + MIN_GAP_MS - performance.now()
    if (wait > 0 && this.#onClosed === null) {
      this.#gapTimer = setTimeout(() => {
        this.#gapTimer = null
        this.#sync()
      }, wait)
      return
    }
    this.#lastStarted = performance.now()
    this.#syncing = true
    const covering = this.#committed
    const directory = this.#directorySynced ? null : dirname(this.walFile)
    // Opened for each sync, not kept: a WAL removed and made again (the last connection closing)
    // would leave a kept descriptor syncing a file nobody writes.
    syncFile(this.walFile, 'r+', (error) => {
      if (error || directory === null) return this.#synced(covering, error)
      // Best effort: the entry was made when SQLite created the WAL, and some systems (Windows)
      // cannot open a directory to sync it.
      syncFile(directory, 'r', () => {
        this.#directorySynced = true
        this.#synced(covering, null)
      })
    })
  }

  #synced(/** @type {number} */ covering, /** @type {NodeJS.ErrnoException | null} */ error) {
    this.#syncing = false
    const answered = this.#waiters.filter((waiter) => waiter.upto <= covering)
    this.#waiters = this.#waiters.filter((waiter) => waiter.upto > covering)
    if (error) {
      // Not on disk, so not acknowledged: the clients keep their edits as unsaved and ask again.
      const failed = { message: `could not sync the WAL: ${error.message}`, code: error.code }
      this.synced(
        this.#durable,
        answered.map(({ id }) => ({ id, error: failed })),
      )
    } else {
      this.#durable = Math.max(this.#durable, covering)
      this.synced(
        this.#durable,
        answered.map(({ id }) => ({ id, value: undefined })),
      )
    }
    // Closing after a failed sync does not retry for ever: the failure was answered.
    if (this.#waiters.length > 0 || (this.#onClosed && !error && this.#durable < this.#committed))
      this.#sync()
    else this.#finishIfClosing()
  }

  #finishIfClosing() {
    const done = this.#onClosed
    if (!done || this.#syncing) return
    this.#onClosed = null
    done()
  }
}

/**
 * fsync of a file or directory by path, on the thread pool. A file is opened for writing:
 * Windows refuses to flush a handle opened only to read.
 */
function syncFile(
  /** @type {string} */ path,
  /** @type {'r' | 'r+'} */ flags,
  /** @type {(error: NodeJS.ErrnoException | null) => void} */ done,
) {
  open(path, flags, (openError, fd) => {
    if (openError) return done(openError)
    fsync(fd, (syncError) => close(fd, () => done(syncError)))
  })
}
