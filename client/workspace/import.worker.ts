import { readImport } from '../../model/formats/index.ts'
import { layoutNewActors } from '../../model/layout.ts'
import type { ImportReply, ImportRequest } from './import-work.ts'

/**
 * Reads and checks an import's files, and lays its actors out, away from the page's thread: on a
 * borough's directory (5,000 actors, 20,000 links) each takes a second or more, and the page
 * must keep answering meanwhile. Progress is posted as it goes, for the dialog's progress bar.
 */
const scope = self as unknown as {
  onmessage: ((event: MessageEvent<ImportRequest>) => void) | null
  postMessage: (reply: ImportReply) => void
}

scope.onmessage = (event) => {
  const request = event.data
  const { id } = request
  const onProgress = (fraction: number) => scope.postMessage({ id, type: 'progress', fraction })
  const started = performance.now()
  try {
    if (request.type === 'read') {
      const result = readImport(request.sources, { onProgress })
      scope.postMessage({ id, type: 'read', result, ms: performance.now() - started })
    } else {
      const positions = layoutNewActors(request.actorIds, request.links, request.placed, { onProgress })
      scope.postMessage({ id, type: 'layout', positions, ms: performance.now() - started })
    }
  } catch (error) {
    scope.postMessage({ id, type: 'error', message: error instanceof Error ? error.message : String(error) })
  }
}
