/**
 * Renders and writes DOCX notes on a second thread while the main thread does the PDFs (the
 * machine this is sized for has two cores). Takes chunks of jobs by message (`{jobs}`), then
 * `{end: true}`; posts back each note's index and the SHA-256 of the bytes written, which the
 * main thread records in the register.
 */
import { parentPort } from 'node:worker_threads';
import type { NoteDocument } from '../render/document.js';
import { sha256, WriteQueue } from '../files.js';

export interface DocxJob {
  index: number;
  doc: NoteDocument;
  path: string;
}

export type DocxMessage = { index: number; hash: string; size: number } | { error: string; code?: string };
type Incoming = { jobs: DocxJob[] } | { end: true };

const port = parentPort!;
const renderer = import('../render/docx.js').then((m) => m.createDocxRenderer(['note']));
const queue = new WriteQueue(8, false);
// Messages are handled one after the other, in order.
let work = Promise.resolve();
let failed = false;

port.on('message', (m: Incoming) => {
  work = work.then(async () => {
    if (failed) return;
    try {
      if ('end' in m) {
        await queue.drain();
        port.close();
        return;
      }
      const r = await renderer;
      for (const job of m.jobs) {
        const bytes = r.render(job.doc);
        const hash = sha256(bytes);
        await queue.add(job.path, bytes, () =>
          port.postMessage({ index: job.index, hash, size: bytes.length } satisfies DocxMessage),
        );
      }
    } catch (e) {
      failed = true;
      const code = (e as NodeJS.ErrnoException).code;
      port.postMessage({
        error: (e as Error).message,
        ...(typeof code === 'string' ? { code } : {}),
      } satisfies DocxMessage);
      port.close();
    }
  });
});
