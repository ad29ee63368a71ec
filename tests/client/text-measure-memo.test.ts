import type { Editor } from 'tldraw'
import { describe, expect, it } from 'vitest'
import { MEASURES_KEPT, memoiseTextMeasure } from '../../client/canvas/text-measure-memo.ts'

type Face = { status: 'unloaded' | 'loading' | 'loaded' | 'error' }
type Opts = Parameters<Editor['textMeasure']['measureHtml']>[1]

/**
 * tldraw's text measuring as the memo sees it: `measureHtml` (here counting its calls, a size
 * from the text's length) and the page's fonts. The memo's own rules are what is tested; the
 * real measuring is exercised by the canvas browser test's captions.
 */
function measuring(faces: Face[]) {
  const fonts = new Set(faces)
  const measured: string[] = []
  const textMeasure = {
    measureHtml(html: string, opts: Opts) {
      measured.push(html)
      return { x: 0, y: 0, w: html.length * opts.fontSize, h: opts.fontSize, scrollWidth: 0 }
    },
  }
  const editor = { textMeasure, getContainer: () => ({ ownerDocument: { fonts } }) } as unknown as Editor
  memoiseTextMeasure(editor)
  return { measure: editor.textMeasure.measureHtml, measured, fonts }
}

const opts = (fontSize: number, maxWidth: number | null = null) =>
  ({
    fontFamily: 'draw',
    fontSize,
    fontWeight: 'normal',
    fontStyle: 'normal',
    lineHeight: 1.35,
    padding: '0px',
    maxWidth,
  }) as Opts

describe('remembered text sizes', () => {
  it('measures a caption once for the same options, and gives a copy each time', () => {
    const { measure, measured } = measuring([{ status: 'loaded' }])
    const first = measure('<p>Referrals</p>', opts(18))
    const again = measure('<p>Referrals</p>', opts(18))
    expect(measured).toHaveLength(1)
    expect(again).toEqual(first)
    expect(again).not.toBe(first)
  })

  it('measures again for other options or other words', () => {
    const { measure, measured } = measuring([{ status: 'loaded' }])
    measure('<p>Referrals</p>', opts(18))
    measure('<p>Referrals</p>', opts(18, 120))
    measure('<p>Referrals</p>', opts(24))
    measure('<p>Funding</p>', opts(18))
    expect(measured).toHaveLength(4)
  })

  it('measures again once a font has loaded, or been added, since', () => {
    const face: Face = { status: 'loading' }
    const { measure, measured, fonts } = measuring([{ status: 'loaded' }, face])
    measure('<p>Referrals</p>', opts(18))
    face.status = 'loaded'
    measure('<p>Referrals</p>', opts(18))
    expect(measured).toHaveLength(2)
    fonts.add({ status: 'unloaded' })
    measure('<p>Referrals</p>', opts(18))
    expect(measured).toHaveLength(3)
    measure('<p>Referrals</p>', opts(18))
    expect(measured).toHaveLength(3)
  })

  it(`keeps at most ${MEASURES_KEPT} sizes, the oldest going first`, () => {
    const { measure, measured } = measuring([])
    for (let i = 0; i <= MEASURES_KEPT; i++) measure(`<p>${i}</p>`, opts(18))
    expect(measured).toHaveLength(MEASURES_KEPT + 1)
    measure(`<p>${MEASURES_KEPT}</p>`, opts(18))
    expect(measured).toHaveLength(MEASURES_KEPT + 1)
    measure('<p>0</p>', opts(18))
    expect(measured).toHaveLength(MEASURES_KEPT + 2)
  })
})
