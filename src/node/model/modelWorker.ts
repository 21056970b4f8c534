// The model worker (built as dist/modelWorker.js): parses and checks large runbooks on a thread of its own, so the
// extension host's main thread, which answers every keystroke, never waits for them.
import { parentPort } from 'node:worker_threads';
import { parseAndCheck } from './parseAndCheck';
import type { ParseReply, ParseRequest } from './parseMessages';

const port = parentPort;
if (!port) throw new Error('dist/modelWorker.js runs as a worker thread');
port.on('message', ({ id, text }: ParseRequest) => {
  let reply: ParseReply;
  try {
    reply = { id, ...parseAndCheck(text) };
  } catch (error) {
    reply = { id, error: (error as Error).message };
  }
  port.postMessage(reply);
});
