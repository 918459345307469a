/** The reader's thread (bounded.ts): classifies each document it is sent and sends the verdict back. */
import { parentPort } from 'node:worker_threads';
import type { WorkerReply, WorkerRequest } from './bounded.js';
import { classifyHere } from './classify-document.js';

// Libraries print warnings (pdf.js, pdf-lib); nv's core prints nothing: their console is silenced here.
/* eslint-disable no-console -- silencing libraries, not printing */
for (const method of ['log', 'info', 'warn', 'error', 'debug'] as const) console[method] = () => {};
/* eslint-enable no-console */

parentPort?.on('message', (request: WorkerRequest) => {
  void classifyHere(request.bytes, request.kind, request.budgets).then((result) => {
    const { heapUsed, arrayBuffers } = process.memoryUsage();
    const reply: WorkerReply = { id: request.id, result, held: heapUsed + arrayBuffers };
    parentPort?.postMessage(reply);
  });
});
