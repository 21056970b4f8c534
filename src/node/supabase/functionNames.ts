// The Edge Functions a workspace holds, read from supabase/functions.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** The workspace's Edge Functions: the folders of supabase/functions, shared code (`_shared`) left out. */
export function listFunctionNames(root: string | undefined): string[] {
  if (!root) return [];
  const dir = join(root, 'supabase', 'functions');
  try {
    return readdirSync(dir)
      .filter((name) => !name.startsWith('_') && !name.startsWith('.') && statSync(join(dir, name)).isDirectory())
      .sort();
  } catch {
    return [];
  }
}
