// The bench's project endpoints in a process of their own, so their CPU time is not counted as the extension's:
// starts `count` gateway-shaped stand-ins and prints their origins as one JSON line.
import { startProjectEndpoints } from '../../scripts/lib/projectEndpoints.mjs';

const count = Number(process.argv[2] ?? 20);
const servers = [];
for (let i = 0; i < count; i++) servers.push(await startProjectEndpoints({ maxRequests: 10 }));
process.stdout.write(`${JSON.stringify(servers.map((s) => s.origin))}\n`);
process.on('message', async (message) => {
  if (message === 'stop') {
    for (const server of servers) await server.close();
    process.exit(0);
  }
});
