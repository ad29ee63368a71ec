import { nanoid } from 'nanoid'
import { z } from 'zod'

/**
 * Stable record ids: URL-safe, short, unique without coordination. nanoid draws from
 * crypto.getRandomValues, which exists on the plain-http venue network (the UUID helper does not).
 */
export const Id = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'an id is 1 to 64 letters, digits, "-" or "_"')
export type Id = z.infer<typeof Id>

/** A new random id (21 characters, ~126 bits). */
export const newId = (): string => nanoid()
