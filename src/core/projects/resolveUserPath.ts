// A file path a user wrote in a setting (caFile): `~` is their home directory and a relative
// path belongs to the workspace folder, never to the extension host's working directory (which
// is wherever VS Code happened to start). Pure string work, for POSIX and Windows paths alike.

export interface UserPathBase {
  /** The workspace folder's file-system path. */
  workspaceFolder?: string;
  /** The user's home directory. */
  home?: string;
}

export function resolveUserPath(path: string, base: UserPathBase): string {
  const trimmed = path.trim();
  if (trimmed === '~') return base.home ?? trimmed;
  const tilde = /^~[\\/]/.exec(trimmed);
  if (tilde) return base.home ? join(base.home, trimmed.slice(2)) : trimmed;
  if (isAbsolute(trimmed) || !base.workspaceFolder) return trimmed;
  return join(base.workspaceFolder, trimmed.replace(/^\.[\\/]/, ''));
}

function isAbsolute(path: string): boolean {
  return path.startsWith('/') || /^[A-Za-z]:[\\/]/.test(path) || path.startsWith('\\\\');
}

function join(directory: string, relative: string): string {
  const separator = directory.includes('\\') && !directory.includes('/') ? '\\' : '/';
  return `${directory.replace(/[\\/]+$/, '')}${separator}${relative}`;
}
