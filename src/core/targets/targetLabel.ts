// A project as the user must check it before something runs there: the name with the full ref and whether it is
// production. Confirmations, terminal names, tooltips and notices use this; only places short of space (lenses, the
// status bar's text) abbreviate the ref, and their hover shows this.
import { nameSaysProduction } from '../projects/linkedProject';
import { targetName, type CommandTarget } from './commandTarget';

/** "linked project linkedprojectrefabcd", "project abcdefghijklmnopqrst", "staging": the name, any ref in full. */
export function targetNameWithRef(target: Pick<CommandTarget, 'name' | 'ref' | 'kind'>): string {
  if (target.kind === 'linked' && target.name === 'linked')
    return target.ref ? `linked project ${target.ref}` : 'the linked project';
  if (target.kind === 'unknown-remote' && target.ref && target.name === target.ref) return `project ${target.ref}`;
  return targetName(target);
}

/**
 * "linked project linkedprojectrefabcd (production)", "prod-eu (ref abcdefghijklmnopqrst)", "acme (production, ref
 * abcdefghijklmnopqrst)", "fixture": production said unless the name says it, the ref in full unless already there.
 */
export function labelWithRef(name: string, ref: string | undefined, production: boolean): string {
  const qualifiers = [
    ...(production && !nameSaysProduction(name) ? ['production'] : []),
    ...(ref && !name.includes(ref) ? [`ref ${ref}`] : []),
  ];
  return qualifiers.length ? `${name} (${qualifiers.join(', ')})` : name;
}

export function targetLabelWithRef(target: Pick<CommandTarget, 'name' | 'ref' | 'kind' | 'production'>): string {
  return labelWithRef(targetNameWithRef(target), target.ref, target.production);
}
