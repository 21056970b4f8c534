// The project a run really reached, as the journal and the incident timeline keep it.

/** How a run's project was decided; see `resolveCommandTarget`. */
export type RunTargetKind = 'active' | 'linked' | 'configured' | 'unknown-remote' | 'local' | 'none';

export interface RunTarget {
  /** The project's name, or the ref / host when no configured project matches. */
  name: string;
  ref?: string;
  production: boolean;
  kind: RunTargetKind;
}
