import { execSync } from 'node:child_process'
import { readdirSync, readFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { WebSocket } from 'ws'
import type { WebsocketProvider } from 'y-websocket'
import { MESSAGE_ACCESS, MESSAGE_REFUSED } from '../sync-server/protocol.ts'

const TICKS_PER_SECOND = Number(execSync('getconf CLK_TCK').toString().trim()) || 100

/** CPU time (user + system) a process has used so far, in milliseconds, read from /proc. */
export function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
  // The command name may contain spaces; the fields we need follow its closing parenthesis.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  const utime = Number(fields[11])
  const stime = Number(fields[12])
  return ((utime + stime) * 1000) / TICKS_PER_SECOND
}

/** Resident memory of a process now and at its peak, in MiB. */
export function memoryMiB(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8')
  const kib = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? 0)
  return { rss: kib('VmRSS') / 1024, peak: kib('VmHWM') / 1024 }
}

/**
 * Resident memory of a whole process group (a server and any helpers it or its launcher keep
 * running, such as npm or a loader's child), in MiB: what an operator's machine actually pays.
 */
export function groupMemoryMiB(pgid: number): number {
  let kib = 0
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8')
      // Field 5 (pgrp) follows the command name's closing parenthesis and two more fields.
      const group = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2])
      if (group !== pgid) continue
      const status = readFileSync(`/proc/${entry}/status`, 'utf8')
      kib += Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0)
    } catch {
      // The process ended while we looked.
    }
  }
  return kib / 1024
}

/** The value at quantile q (0..1) of an unsorted list. */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return Number.NaN
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] as number
}

/** Bytes a process has handed to write-like system calls (sockets and files), from /proc. */
export function bytesWritten(pid: number): number {
  return Number(/wchar:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/io`, 'utf8'))?.[1] ?? 0)
}

/** A port free on loopback right now. */
export async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const address = probe.address()
      probe.close(() => resolve(typeof address === 'object' && address ? address.port : 0))
    })
  })
}

/** Waits until a server answers WebSocket upgrades on `port` (30 s at most). */
export async function waitForPort(port: number): Promise<void> {
  for (let i = 0; i < 300; i++) {
    const ok = await new Promise<boolean>((resolve) => {
      const socket = new WebSocket(`ws://127.0.0.1:${port}/sync/probe`)
      socket.on('open', () => {
        socket.close()
        resolve(true)
      })
      socket.on('error', () => resolve(false))
    })
    if (ok) return
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  throw new Error(`server on ${port} did not start`)
}

/**
 * Lets a stock provider take the server's own messages (its role, a refusal) quietly: it would
 * log each as a message it cannot compute, thousands of lines in a bench.
 */
export function acceptServerMessages(provider: WebsocketProvider): WebsocketProvider {
  const handlers = provider.messageHandlers as unknown as (() => void)[]
  handlers[MESSAGE_REFUSED] = () => undefined
  handlers[MESSAGE_ACCESS] = () => undefined
  return provider
}
