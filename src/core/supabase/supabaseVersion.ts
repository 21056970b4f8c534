// The version a Supabase CLI binary prints for `supabase --version` ("3.1.0", sometimes with a notice about a newer
// release on the following lines). Which binary and running it is the caller's business.

export interface CliVersion {
  major: number;
  minor: number;
  patch: number;
  text: string;
}

/** The first `x.y.z` at the start of a line of the output; undefined when there is none. */
export function parseCliVersion(output: string): CliVersion | undefined {
  for (const line of output.split(/\r?\n/)) {
    const m = /^\s*v?(\d+)\.(\d+)\.(\d+)(?:[-+][0-9A-Za-z.-]+)?\s*$/.exec(line);
    if (m)
      return { major: Number(m[1]), minor: Number(m[2]), patch: Number(m[3]), text: line.trim().replace(/^v/, '') };
  }
  return undefined;
}

/** What the extension assumes when the version cannot be read: the major version the project pins. */
export const ASSUMED_CLI_MAJOR_VERSION = 3;
