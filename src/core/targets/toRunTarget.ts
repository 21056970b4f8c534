// The part of a command's target that the run journal keeps: no `via`, no confirmation text.
import type { RunTarget } from './runTarget';

export function toRunTarget(target: RunTarget): RunTarget {
  return {
    name: target.name,
    production: target.production,
    kind: target.kind,
    ...(target.ref ? { ref: target.ref } : {}),
  };
}
