import { type ComponentType, useEffect, useState } from 'react'
import { DrawShapeUtil, GeoShapeUtil, type TLShapeUtilCanvasSvgDef } from 'tldraw'

/**
 * tldraw's pattern fill (a shape filled "pattern") makes its tiles as the canvas mounts: an image
 * for each power of two between the smallest and largest zoom, in both themes, drawn on the
 * page's thread. With tldraw's zoom range (5% to 800%) the largest is 2,048 pixels square, and
 * together they were about 190 ms of the map's first mount (a profile of a borough's cold open),
 * before its first frame. They are made once the page is idle instead; a pattern-filled shape
 * drawn before then is unfilled for that moment.
 */
const IDLE_TIMEOUT_MS = 3000

const idleComponents = new WeakMap<ComponentType, ComponentType>()

function whenIdle(Component: ComponentType): ComponentType {
  let idle = idleComponents.get(Component)
  if (!idle) {
    idle = function IdleDef() {
      const [ready, setReady] = useState(false)
      useEffect(() => {
        const id = requestIdleCallback(() => setReady(true), { timeout: IDLE_TIMEOUT_MS })
        return () => cancelIdleCallback(id)
      }, [])
      return ready ? <Component /> : null
    }
    idleComponents.set(Component, idle)
  }
  return idle
}

/** A shape util's canvas definitions, each made once the page is idle. */
export function idleDefs(defs: TLShapeUtilCanvasSvgDef[]): TLShapeUtilCanvasSvgDef[] {
  return defs.map(({ key, component }) => ({ key, component: whenIdle(component) }))
}

/**
 * tldraw's draw and geo shapes, the other two whose definitions hold the pattern (the first
 * shape util to name a definition is the one drawn, and theirs come before the arrow's).
 */
export class IdleDrawShapeUtil extends DrawShapeUtil {
  override getCanvasSvgDefs(): TLShapeUtilCanvasSvgDef[] {
    return idleDefs(super.getCanvasSvgDefs())
  }
}

export class IdleGeoShapeUtil extends GeoShapeUtil {
  override getCanvasSvgDefs(): TLShapeUtilCanvasSvgDef[] {
    return idleDefs(super.getCanvasSvgDefs())
  }
}
