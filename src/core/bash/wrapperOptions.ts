// Options of wrapper programs (sudo, env, timeout, xargs, npx …) that take a separate value, so that the value is
// never taken for the command the wrapper runs. One table for the command splitter (simpleCommands.ts) and the
// second-shell check (secondShells.ts), which must agree on what a wrapper runs. Options whose value is itself a
// command line (`env -S`, `npx -c`) are listed too: secondShells marks that value before it peels the wrapper.
const OPTIONS_WITH_VALUE: Readonly<Record<string, ReadonlySet<string>>> = {
  sudo: new Set(['-u', '-g', '-C', '-D', '-h', '-p', '-r', '-t', '-U', '-T', '--user', '--group', '--chdir']),
  doas: new Set(['-u', '-C']),
  env: new Set(['-u', '-C', '-S', '--unset', '--chdir', '--split-string']),
  nice: new Set(['-n', '--adjustment']),
  ionice: new Set(['-c', '-n', '-p']),
  timeout: new Set(['-s', '-k', '--signal', '--kill-after']),
  watch: new Set(['-n', '--interval', '-d', '-q']),
  xargs: new Set('-I -n -P -L -d -a -E -s --max-args --max-procs --delimiter --arg-file --replace'.split(' ')),
  stdbuf: new Set(['-i', '-o', '-e']),
  time: new Set(['-o', '-f', '--output', '--format']),
  exec: new Set(['-a']),
  strace: new Set(['-o', '-e', '-p', '-s', '-u', '-E']),
  ltrace: new Set(['-o', '-e', '-p', '-s', '-u']),
  nsenter: new Set(['-t', '--target']),
  flock: new Set(['-w', '--timeout', '-E', '--conflict-exit-code']),
  chroot: new Set(['--userspec', '--groups']),
  npx: new Set(['-p', '--package', '-c', '--call']),
};
const NONE: ReadonlySet<string> = new Set();

/** The options of `program` that take the next word as their value (none for a program not listed). */
export function wrapperOptionsWithValue(program: string): ReadonlySet<string> {
  return Object.hasOwn(OPTIONS_WITH_VALUE, program) ? OPTIONS_WITH_VALUE[program] : NONE;
}
