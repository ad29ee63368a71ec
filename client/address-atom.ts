import { useEffect } from 'react'
import { type Atom, react } from 'tldraw'

/**
 * A per-device view state kept in the page's address, so a link opens the same view: the lens
 * (`?lens=`), the sub-map (`?area=&domain=`). Read from the address on opening, written back as
 * it changes (replacing the entry, not adding history), and put back to `reset` on leaving.
 * `toSearch` keeps the other parameters of the search it is given.
 */
export function useAtomInAddress<T>(
  name: string,
  atom: Atom<T>,
  fromSearch: (search: string) => T,
  toSearch: (value: T, search: string) => string,
  reset: T,
): void {
  useEffect(() => {
    atom.set(fromSearch(location.search))
    const stop = react(`${name} in the address`, () => {
      const search = toSearch(atom.get(), location.search)
      if (search === location.search.replace(/^\?/, '')) return
      history.replaceState(
        history.state,
        '',
        `${location.pathname}${search ? `?${search}` : ''}${location.hash}`,
      )
    })
    return () => {
      // Stopped first: leaving the workspace must not strip the address it is leaving for.
      stop()
      atom.set(reset)
    }
  }, [name, atom, fromSearch, toSearch, reset])
}
