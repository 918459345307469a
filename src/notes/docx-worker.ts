/**
 * Renders and writes DOCX notes on a second thread while the main thread does the PDFs (the
 * machine this is sized for has two cores). Posts back each note's index and the SHA-256 of the
 * bytes written; the main thread records them in the register.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { NoteDocument } from '../render/document.js';
import { sha256, WriteQueue } from '../files.js';

export interface DocxJob {
  index: number;
  doc: NoteDocument;
  path: string;
}

export type DocxMessage = { index: number; hash: string } | { error: string };

const { jobs } = workerData as { jobs: DocxJob[] };
const port = parentPort!;
try {
  const { createDocxRenderer } = await import('../render/docx.js');
  const renderer = createDocxRenderer();
  const queue = new WriteQueue(8, false);
  for (let i = 0; i < jobs.length; i++) {
    const job = jobs[i]!;
    const bytes = renderer.render(job.doc);
    // A rendered note's document is not needed any more: memory stays flat with the batch.
    (jobs as (DocxJob | undefined)[])[i] = undefined;
    const hash = sha256(bytes);
    await queue.add(job.path, bytes, () =>
      port.postMessage({ index: job.index, hash } satisfies DocxMessage),
    );
  }
  await queue.drain();
} catch (e) {
  port.postMessage({ error: (e as Error).message } satisfies DocxMessage);
}
