/**
 * Saves a file on the person's device. A link with `download` works everywhere, including the
 * plain-http venue network, where newer file APIs are not available.
 */
export function download(filename: string, body: Blob | Uint8Array | string, mediaType: string): void {
  const blob = body instanceof Blob ? body : new Blob([body as BlobPart], { type: mediaType })
  const url = URL.createObjectURL(blob)
  const link = document.createElement('a')
  link.href = url
  link.download = filename
  document.body.append(link)
  link.click()
  link.remove()
  setTimeout(() => URL.revokeObjectURL(url), 10_000)
}
