// The one module that loads undici. Its callers reach it with import(), so that its half a megabyte of code is
// loaded on the first request (dist/lazy/node.http.undiciAgent.js), not at activation.
import { Agent } from 'undici';

export function createAgent(options: Agent.Options): Agent {
  return new Agent(options);
}
