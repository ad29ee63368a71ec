import QRCode from 'qrcode'
import { useEffect, useRef, useState } from 'react'

/**
 * The link to this workspace and a QR code of it, drawn here on the device (no service is
 * asked), so a facilitator can put it on the projector for phones to scan.
 */
export function ShareDialog({ room, onClose }: { room: string; onClose: () => void }) {
  const dialog = useRef<HTMLDialogElement>(null)
  const [qr, setQr] = useState('')
  const [copied, setCopied] = useState(false)
  const url = `${location.origin}/w/${room}`
  useEffect(() => {
    dialog.current?.showModal()
    void QRCode.toDataURL(url, { margin: 1, width: 440, errorCorrectionLevel: 'M' }).then(setQr)
  }, [url])

  const copy = async () => {
    // The clipboard API exists only in a secure context; over plain http the link is selected instead.
    if (navigator.clipboard && window.isSecureContext) {
      await navigator.clipboard.writeText(url)
      setCopied(true)
    } else {
      const input = document.getElementById('share-url') as HTMLInputElement | null
      input?.select()
    }
  }

  return (
    <dialog ref={dialog} className="dialog" aria-labelledby="share-heading" onClose={onClose}>
      <h2 id="share-heading">Invite people</h2>
      <p>Anyone on this network can join with this link or by scanning the code.</p>
      {qr && <img className="share__qr" src={qr} alt={`QR code for ${url}`} width={220} height={220} />}
      <label htmlFor="share-url">Link</label>
      <div className="share__row">
        <input id="share-url" readOnly value={url} onFocus={(event) => event.currentTarget.select()} />
        <button type="button" className="button" onClick={() => void copy()}>
          {copied ? 'Copied' : 'Copy'}
        </button>
      </div>
      <form method="dialog" className="dialog__actions">
        <button type="submit" className="button button--primary">
          Done
        </button>
      </form>
    </dialog>
  )
}
