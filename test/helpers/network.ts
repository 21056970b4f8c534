// Small TCP helpers the database tests share: a free port, and a proxy that loses cancel requests.
import { connect, createServer, type Socket } from 'node:net';

export { freePort } from '../../scripts/lib/ports.mjs';

// The 16-byte CancelRequest message of the Postgres protocol starts with this code after its length.
const CANCEL_REQUEST_CODE = 80877102;

/** A proxy in front of Postgres that swallows cancel requests, as a misbehaving pooler might. */
export async function cancelSwallowingProxy(target: {
  host: string;
  port: number;
}): Promise<{ port: number; close(): void }> {
  const sockets = new Set<Socket>();
  const proxy = createServer((socket) => {
    sockets.add(socket);
    socket.once('data', (first) => {
      if (first.length === 16 && first.readInt32BE(4) === CANCEL_REQUEST_CODE) return void socket.destroy();
      const upstream = connect(target.port, target.host);
      sockets.add(upstream);
      upstream.write(first);
      socket.pipe(upstream).pipe(socket);
      const close = () => (socket.destroy(), upstream.destroy());
      socket.on('error', close).on('close', close);
      upstream.on('error', close).on('close', close);
    });
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  const address = proxy.address();
  return {
    port: typeof address === 'object' && address ? address.port : 0,
    close: () => {
      for (const socket of sockets) socket.destroy();
      proxy.close();
    },
  };
}
