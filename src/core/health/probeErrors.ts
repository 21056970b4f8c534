// Transport failures of a probe in words an on-call engineer can act on: TLS problems named for what they are,
// timeouts with the runbook's timeout, connection failures with where they happened.
import { formatMs } from '../tables/quantity';
import type { ProbeError } from './probeOutcome';

const TLS: Record<string, string> = {
  DEPTH_ZERO_SELF_SIGNED_CERT:
    'the server presented a self-signed TLS certificate, which is not trusted. A hosted Supabase project has a valid certificate: check the API URL, or a proxy in between',
  SELF_SIGNED_CERT_IN_CHAIN:
    "the server's TLS certificate chain ends in a self-signed certificate that is not trusted (a corporate proxy re-signing traffic?)",
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: "the server's TLS certificate cannot be verified: its issuer is unknown",
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: "the issuer of the server's TLS certificate is not trusted on this machine",
  CERT_HAS_EXPIRED: "the server's TLS certificate has expired",
  CERT_NOT_YET_VALID: "the server's TLS certificate is not valid yet (is this machine's clock right?)",
  ERR_TLS_CERT_ALTNAME_INVALID: "the server's TLS certificate is for another host name than the API URL's",
  ERR_SSL_WRONG_VERSION_NUMBER:
    'the server does not speak TLS on this port: is the API URL http:// rather than https://?',
  EPROTO: 'the TLS handshake failed',
};

export function isTlsError(code: string): boolean {
  return code in TLS || /^ERR_SSL_|^ERR_TLS_|CERT/.test(code);
}

/** One sentence, without the leading capital, so it reads after "No answer: " or on its own. */
export function explainProbeError(error: ProbeError, timeoutMs?: number): string {
  const code = error.code;
  if (code in TLS) return `${TLS[code]} (${code})`;
  if (isTlsError(code)) return `the TLS connection failed: ${error.message} (${code})`;
  switch (code) {
    case 'TIMEOUT':
    case 'UND_ERR_HEADERS_TIMEOUT':
    case 'UND_ERR_BODY_TIMEOUT':
    case 'UND_ERR_CONNECT_TIMEOUT':
    case 'ETIMEDOUT':
      return `no answer within ${timeoutMs !== undefined ? formatMs(timeoutMs) : 'the timeout'}`;
    case 'ECONNREFUSED':
      return 'the connection was refused: nothing listens at that address and port';
    case 'ECONNRESET':
    case 'UND_ERR_SOCKET':
    case 'EPIPE':
      return 'the connection was reset before a complete answer arrived';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'the host name does not resolve (a typo in the API URL, or no network)';
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return 'the host cannot be reached from this machine';
    default:
      return `${error.message}${code ? ` (${code})` : ''}`;
  }
}
