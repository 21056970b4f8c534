// The shell a fence runs in: zsh for ```zsh fences when zsh is installed (its syntax differs from bash: arrays,
// globbing, `setopt`), bash for everything else, so that shell integration can report exit codes.
import { existsSync } from 'node:fs';

export interface TerminalShell {
  /** Absolute path of the shell; undefined leaves VS Code's default profile. */
  path?: string;
  name: string;
  /** Said to the user when the fence's own shell is not available. */
  fallback?: string;
}

const ZSH_PATHS = ['/bin/zsh', '/usr/bin/zsh', '/usr/local/bin/zsh', '/opt/homebrew/bin/zsh'];
const BASH_PATHS = ['/bin/bash', '/usr/bin/bash'];

export function shellForLanguage(language: string, exists: (path: string) => boolean = existsSync): TerminalShell {
  if (process.platform === 'win32') return { name: 'the default shell' };
  const bash = BASH_PATHS.find(exists);
  const bashShell: TerminalShell = bash ? { path: bash, name: 'bash' } : { name: 'the default shell' };
  if (language.toLowerCase() !== 'zsh') return bashShell;
  const zsh = ZSH_PATHS.find(exists);
  if (zsh) return { path: zsh, name: 'zsh' };
  return {
    ...bashShell,
    fallback: `This block is written for zsh, which is not installed here, so it runs in ${bashShell.name}; zsh-only syntax may fail.`,
  };
}
