/**
 * Types for the parts of graphology-layout-forceatlas2 that `forceAtlas2.assign` is made of
 * (the package types only its front door). layout.ts runs them itself to report progress
 * between iterations; the package's own index.js calls them the same way.
 */
declare module 'graphology-layout-forceatlas2/defaults.js' {
  import type { ForceAtlas2Settings } from 'graphology-layout-forceatlas2'

  const DEFAULT_SETTINGS: Required<ForceAtlas2Settings>
  export default DEFAULT_SETTINGS
}

declare module 'graphology-layout-forceatlas2/helpers.js' {
  import type Graph from 'graphology'

  interface Matrices {
    readonly nodes: Float32Array
    readonly edges: Float32Array
  }
  const helpers: {
    graphToByteArrays(graph: Graph, getEdgeWeight: () => number): Matrices
    assignLayoutChanges(graph: Graph, nodes: Float32Array, outputReducer: null): void
  }
  export default helpers
}

declare module 'graphology-layout-forceatlas2/iterate.js' {
  import type { ForceAtlas2Settings } from 'graphology-layout-forceatlas2'
  export default function iterate(
    settings: Required<ForceAtlas2Settings>,
    nodes: Float32Array,
    edges: Float32Array,
  ): void
}
