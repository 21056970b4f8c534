// Moved to src/shared/results/protocol.ts. Kept only so that code written against the old path (the SQL runner is
// being refactored on another branch) still builds after the merge; import from './results/protocol'.
export * from './results/protocol';
