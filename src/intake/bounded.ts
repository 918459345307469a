/**
 * Reading a document within its time and memory budgets. The reader (pdf-lib, pdf.js, fflate) runs
 * in one worker thread, reused from document to document: its JS heap is capped (resourceLimits),
 * the main thread stops it when the document takes longer than `seconds`, or when the process's
 * resident memory passes `memoryMb` (pdf.js's buffers are not on the JS heap; a watch on RSS
 * catches them too). A stopped or crashed reader gives an over-budget or unreadable verdict, the
 * next document gets a fresh worker, and the batch goes on.
 *
 * Built code only: under a TypeScript runner (the unit tests) there is no compiled worker, and
 * documents are read in this thread with the budgets that hold there (pages, operators, inflation).
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { overBudgetReason, type IntakeBudgets } from './budgets.js';
import type { DocumentClassification } from './classification.js';
import type { FileKind } from './sniff.js';

const WORKER_URL = new URL('./read-worker.js', import.meta.url);
const HAS_WORKER = import.meta.url.endsWith('.js') && existsSync(fileURLToPath(WORKER_URL));
/** How often the main thread looks at the process's memory while a document is read. */
const WATCH_MS = 10;
const HEADROOM = 64 * 1024 * 1024;

export interface WorkerRequest {
  id: number;
  bytes: Uint8Array;
  kind: FileKind;
  budgets: IntakeBudgets;
}
export interface WorkerReply {
  id: number;
  result: DocumentClassification;
  /** The worker's own heap and buffers after the document, in bytes. */
  held: number;
}

/** A worker that holds more than this after a document is replaced: its memory goes back at once, not at its next GC. */
const RECYCLE_ABOVE = 64 * 1024 * 1024;

let worker: Worker | null = null;
let workerHeapMb = 0;
let nextId = 0;

/** The worker's own heap limit: most of the memory budget, leaving room for the main thread and the buffers. */
function heapMbFor(budgets: IntakeBudgets): number {
  return Math.max(64, Math.round(budgets.memoryMb * 0.6));
}

function startWorker(budgets: IntakeBudgets): Worker {
  const heapMb = heapMbFor(budgets);
  if (worker && workerHeapMb === heapMb) return worker;
  if (worker) void worker.terminate();
  const w = new Worker(WORKER_URL, {
    resourceLimits: { maxOldGenerationSizeMb: heapMb, maxYoungGenerationSizeMb: 16, stackSizeMb: 4 },
  });
  w.unref(); // an idle reader never keeps nv running
  worker = w;
  workerHeapMb = heapMb;
  return w;
}

/**
 * The document classified in the worker, or `{ overBudget }` with the reason when it took too long
 * or too much memory. Without a compiled worker, `here()` classifies in this thread.
 */
export async function readInWorker(
  bytes: Uint8Array,
  kind: FileKind,
  budgets: IntakeBudgets,
  here: () => Promise<DocumentClassification>,
): Promise<DocumentClassification | { overBudget: string }> {
  if (!HAS_WORKER) return here();
  const w = startWorker(budgets);
  const id = ++nextId;
  // Memory a stopped reader freed may stay in the process (the allocator keeps it for reuse, so RSS
  // does not fall): each document may still grow the process by HEADROOM before it is stopped.
  const memoryLimit = Math.max(budgets.memoryMb * 1024 * 1024, process.memoryUsage.rss() + HEADROOM);
  return new Promise((resolve) => {
    let done = false;
    const finish = (result: DocumentClassification | { overBudget: string }, stop: boolean): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      clearInterval(watch);
      w.off('message', onMessage);
      w.off('error', onError);
      w.off('exit', onExit);
      if (stop) {
        if (worker === w) worker = null;
        // Its memory is given back before the next document is read (and measured).
        void w.terminate().then(
          () => resolve(result),
          () => resolve(result),
        );
      } else {
        w.unref();
        resolve(result);
      }
    };
    const overMemory = (): { overBudget: string } => ({
      overBudget: overBudgetReason('memoryMb', budgets.memoryMb, 'reading it takes too much memory'),
    });
    const onMessage = (reply: WorkerReply): void => {
      if (reply.id === id) finish(reply.result, reply.held > RECYCLE_ABOVE);
    };
    const onError = (e: Error & { code?: string }): void => {
      // An allocation refused inside a library (pdf.js's RangeError on a 500 MB stream) is the same budget.
      const memory =
        e.code === 'ERR_WORKER_OUT_OF_MEMORY' ||
        /allocation failed|invalid (typed )?array length|out of memory/i.test(e.message);
      finish(memory ? overMemory() : unreadable(`could not be read: ${e.message}`), true);
    };
    const onExit = (code: number): void =>
      finish(unreadable(`could not be read: the reader stopped (exit ${code})`), true);
    const timer = setTimeout(
      () =>
        finish(
          { overBudget: overBudgetReason('seconds', budgets.seconds, 'reading it takes too long') },
          true,
        ),
      budgets.seconds * 1000,
    );
    const watch = setInterval(() => {
      if (process.memoryUsage.rss() > memoryLimit) finish(overMemory(), true);
    }, WATCH_MS);
    w.on('message', onMessage);
    w.on('error', onError);
    w.on('exit', onExit);
    w.ref();
    // A view into a larger buffer (an attachment inside a parsed e-mail) would be copied whole.
    const own =
      bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes : bytes.slice();
    const request: WorkerRequest = { id, bytes: own, kind, budgets };
    w.postMessage(request);
  });
}

function unreadable(reason: string): DocumentClassification {
  return { class: 'unreadable', reason, pages: [], encrypted: false };
}
