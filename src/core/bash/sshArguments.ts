// Where ssh's own options end: its options that take a value (OpenSSH 9), so that the destination and the command
// run in the remote shell are found after them. Used by the risk rules, the long-running check and the second-shell
// check, which must agree on what ssh runs remotely.
export const SSH_OPTIONS_WITH_VALUE: ReadonlySet<string> = new Set(
  '-B -b -c -D -E -e -F -I -i -J -L -l -m -O -o -P -p -Q -R -S -W -w'.split(' '),
);

/** The index of ssh's destination among its arguments (args.length when there is none). */
export function sshDestinationIndex(args: readonly string[]): number {
  let i = 0;
  while (i < args.length && args[i].startsWith('-')) i += SSH_OPTIONS_WITH_VALUE.has(args[i]) ? 2 : 1;
  return i;
}

/** The words ssh hands to the remote shell; empty when it opens an interactive session. */
export function sshRemoteCommand(args: readonly string[]): readonly string[] {
  return args.slice(sshDestinationIndex(args) + 1);
}
