// The PostgreSQL cancel request: a fresh TCP connection carrying the backend's process id and
// secret key (from BackendKeyData). It needs no free pool slot and no authentication, so it works
// while every pooled connection is busy. Like libpq's PQcancelCreate, it negotiates TLS first when
// the connection uses TLS, so it also passes proxies that accept nothing but TLS.
import { connect as connectTcp, type Socket } from 'node:net';
import { connect as connectTls, type ConnectionOptions } from 'node:tls';

const CANCEL_REQUEST_CODE = 80877102;
const SSL_REQUEST_CODE = 80877103;

export interface CancelTarget {
  host: string;
  port: number;
  processId: number;
  secretKey: number;
  /** TLS options of the connection, or false for plain TCP. */
  tls: ConnectionOptions | false;
}

/**
 * Sends the cancel request and resolves once the server has closed the cancel connection (it
 * does so after acting on the request) or after `timeoutMs`. Never rejects: cancelling is best
 * effort, and the caller has its own fallback.
 */
export function sendCancelRequest(target: CancelTarget, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    let sent = false;
    let socket: Socket = connectTcp({ host: target.host, port: target.port });
    const finish = () => {
      clearTimeout(timer);
      socket.destroy();
      resolve(sent);
    };
    const timer = setTimeout(finish, timeoutMs);
    const send = (stream: Socket) => {
      stream.write(cancelPacket(target.processId, target.secretKey));
      sent = true;
    };
    socket.on('error', finish);
    socket.on('close', finish);
    socket.once('connect', () => {
      if (target.tls === false) return send(socket);
      socket.write(int32Packet(8, SSL_REQUEST_CODE));
      socket.once('data', (answer) => {
        if (answer[0] !== 0x53 /* 'S' */) return send(socket); // no TLS here: plain is all there is
        const plain = socket;
        plain.removeAllListeners('close');
        socket = connectTls({ ...(target.tls as ConnectionOptions), socket: plain, ...serverName(target.host) });
        socket.on('error', finish);
        socket.on('close', finish);
        socket.once('secureConnect', () => send(socket));
      });
    });
  });
}

function cancelPacket(processId: number, secretKey: number): Buffer {
  const packet = Buffer.alloc(16);
  packet.writeInt32BE(16, 0);
  packet.writeInt32BE(CANCEL_REQUEST_CODE, 4);
  writeInt32(packet, processId, 8);
  writeInt32(packet, secretKey, 12);
  return packet;
}

function int32Packet(length: number, code: number): Buffer {
  const packet = Buffer.alloc(8);
  packet.writeInt32BE(length, 0);
  packet.writeInt32BE(code, 4);
  return packet;
}

/** pg reads the key as a signed 32-bit number; accept either reading. */
function writeInt32(packet: Buffer, value: number, offset: number): void {
  if (value < 0) packet.writeInt32BE(value, offset);
  else packet.writeUInt32BE(value >>> 0, offset);
}

/** SNI must not be an IP address (RFC 6066); the host still drives certificate checks. */
function serverName(host: string): { servername?: string; host: string } {
  return /^[\d.]+$|:/.test(host) ? { host } : { servername: host, host };
}
