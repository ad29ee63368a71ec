import type { GroupLines } from './layer-drawing.ts'
import type { Stroke } from './layer-paint.ts'

/**
 * Up to this many lines and bands, the selected boxes' lines are elements (see HotLines); more
 * (a large selection dragged) are drawn on the link layer's canvas for them, as before: a
 * compositor layer each would cost more than the canvas then.
 */
export const HOT_ELEMENTS_UP_TO = 64

/**
 * The lines of the selected boxes (the lines a drag moves), as one element each in the link
 * layer, in page space: a 1 px square scaled and turned into the line by its CSS transform, a
 * compositor layer of its own (`will-change: transform`). A frame of a drag changes only their
 * transforms, which the compositor applies without painting anything.
 *
 * Redrawn on a canvas each frame, they cost a bitmap as large as the lines reach (most of the
 * view and its margin: a box's links join wards all over the map) cleared, stroked and handed to
 * the compositor at a new size every frame. Measured on the borough at 100% with the machine
 * busy (the same page, drags in turn): hiding that canvas cut the page's thread per frame of a
 * drag by a third to a half; on an idle machine it costs little (README, runs G and H).
 */
export class HotLines {
  private readonly elements: HTMLDivElement[] = []
  /** What each element was last given, so an unchanged colour or opacity is not set again. */
  private readonly looks: string[] = []
  private shown = 0

  constructor(private readonly container: HTMLElement) {}

  /**
   * Draws these lines (and the funding lens's bands under them), hiding what is left of the last
   * drawing. Says false, drawing nothing, when there are more than HOT_ELEMENTS_UP_TO.
   */
  draw(lines: GroupLines, line: (colour: string) => Stroke, band: (width: number) => Stroke): boolean {
    const total = lines.count + lines.bands.length / 5
    if (total > HOT_ELEMENTS_UP_TO) {
      this.clear()
      return false
    }
    let used = 0
    const { bands } = lines
    for (let i = 0; i < bands.length; i += 5) {
      this.place(used++, bands, i, band(bands[i + 4] as number))
    }
    for (const [colour, coords] of lines.byColour) {
      const stroke = line(colour)
      for (let i = 0; i < coords.length; i += 4) this.place(used++, coords, i, stroke)
    }
    this.hideFrom(used)
    return true
  }

  clear(): void {
    this.hideFrom(0)
  }

  /** Element `index` as the line x1 y1 x2 y2 at `coords[i]`. */
  private place(index: number, coords: readonly number[], i: number, stroke: Stroke): void {
    const element = this.element(index)
    const x1 = coords[i] as number
    const y1 = coords[i + 1] as number
    const dx = (coords[i + 2] as number) - x1
    const dy = (coords[i + 3] as number) - y1
    // Right to left: centred on its axis, stretched to the line's length and thickness, turned
    // to its direction, moved to its start.
    element.style.transform = `translate(${x1}px, ${y1}px) rotate(${Math.atan2(dy, dx)}rad) scale(${Math.hypot(dx, dy)}, ${stroke.thickness}) translateY(-0.5px)`
    const look = `${stroke.colour} ${stroke.alpha}`
    if (this.looks[index] !== look) {
      this.looks[index] = look
      element.style.background = stroke.colour
      element.style.opacity = String(stroke.alpha)
    }
    if (index >= this.shown) element.style.display = 'block'
  }

  private element(index: number): HTMLDivElement {
    let element = this.elements[index]
    if (!element) {
      element = document.createElement('div')
      element.className = 'link-lines__hot'
      this.container.append(element)
      this.elements[index] = element
    }
    return element
  }

  private hideFrom(used: number): void {
    for (let index = used; index < this.shown; index++) {
      const element = this.elements[index]
      if (element) element.style.display = 'none'
    }
    this.shown = used
  }
}
