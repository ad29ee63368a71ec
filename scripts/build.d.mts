/** The server's entry points, by output name (dist/server/<name>.js). */
export declare const SERVER_ENTRIES: Readonly<Record<string, string>>
/** Builds the client and the server, or with `ifStale` only what is older than its sources. */
export declare function build(options?: { ifStale?: boolean; log?: (message: string) => void }): Promise<void>
