// The project `supabase link` recorded in a workspace folder: supabase/.temp/project-ref.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const REF = /^[a-z0-9]{20}$/;

/** The linked ref of the folder (an absolute path), or undefined when nothing valid is linked there. */
export function readLinkedRef(folder: string): string | undefined {
  try {
    const text = readFileSync(join(folder, 'supabase', '.temp', 'project-ref'), 'utf8').trim();
    return REF.test(text) ? text : undefined;
  } catch {
    return undefined;
  }
}
