// Turns libpq's sslmode (what users copy from the Supabase dashboard) into Node TLS options for pg.
//
//   disable      no TLS
//   prefer       TLS without verification; the runner falls back to plain TCP when the server
//                has no TLS (pg itself cannot fall back, so the runner handles that)
//   require      TLS without verification, as libpq does; with a CA file libpq verifies the chain,
//                and so do we
//   verify-ca    TLS, the chain must lead to the CA file (or the system CAs); any host name
//   verify-full  TLS, chain verified and the certificate must name the host
import type { ConnectionOptions } from 'node:tls';

export type SslMode = 'disable' | 'prefer' | 'require' | 'verify-ca' | 'verify-full';

export const SSL_MODES: readonly SslMode[] = ['disable', 'prefer', 'require', 'verify-ca', 'verify-full'];

/** A CA file that could not be read; explainDatabaseError recognises the code. */
export class CaFileError extends Error {
  readonly code = 'RUNBOOK_CA_FILE';
  constructor(
    readonly path: string,
    cause: unknown,
  ) {
    super(`Cannot read the CA certificate file ${path}: ${cause instanceof Error ? cause.message : String(cause)}`);
    this.name = 'CaFileError';
  }
}

export async function tlsOptionsFor(
  sslmode: SslMode,
  caFile: string | undefined,
  readFile: (path: string) => Promise<string>,
): Promise<ConnectionOptions | false> {
  if (sslmode === 'disable') return false;
  let ca: string | undefined;
  if (caFile && sslmode !== 'prefer') {
    try {
      ca = await readFile(caFile);
    } catch (error) {
      throw new CaFileError(caFile, error);
    }
  }
  switch (sslmode) {
    case 'prefer':
      return { rejectUnauthorized: false };
    case 'require':
      return ca
        ? { ca, rejectUnauthorized: true, checkServerIdentity: () => undefined }
        : { rejectUnauthorized: false };
    case 'verify-ca':
      return { ...(ca ? { ca } : {}), rejectUnauthorized: true, checkServerIdentity: () => undefined };
    case 'verify-full':
      return { ...(ca ? { ca } : {}), rejectUnauthorized: true };
  }
}
