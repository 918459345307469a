/**
 * The second thread of `nv generate` (the machine this is sized for has two cores). It renders
 * and writes the DOCX notes, chunk by chunk as the main thread builds them (`{jobs}`), and takes
 * off the main thread what follows a PDF's rendering: the main thread hands over each PDF's bytes
 * (`{pdf}`, the buffer transferred, not copied) and goes on rendering while this thread hashes
 * and writes them. It posts back each file written (the note's index, the format, the SHA-256 of
 * the bytes, their size), which the main thread records in the register; `{end: true}` drains.
 */
import { parentPort } from 'node:worker_threads';
import type { NoteDocument } from '../render/document.js';
import { sha256, WriteQueue } from '../files.js';

export interface DocxJob {
  index: number;
  doc: NoteDocument;
  path: string;
}

export interface PdfBytes {
  index: number;
  path: string;
  bytes: Uint8Array;
}

export type WrittenMessage =
  { index: number; format: 'docx' | 'pdf'; hash: string; size: number } | { error: string; code?: string };
type Incoming = { jobs: DocxJob[] } | { pdf: PdfBytes } | { end: true };

const port = parentPort!;
const renderer = import('../render/docx.js').then((m) => m.createDocxRenderer(['note']));
// Files are written without an fsync (see WriteQueue): a copy into the page cache, done here.
const queue = new WriteQueue(8, false);
let failed = false;

function fail(e: unknown): void {
  if (failed) return;
  failed = true;
  const code = (e as NodeJS.ErrnoException).code;
  port.postMessage({
    error: (e as Error).message,
    ...(typeof code === 'string' ? { code } : {}),
  } satisfies WrittenMessage);
  port.close();
}

async function write(index: number, format: 'docx' | 'pdf', path: string, bytes: Uint8Array): Promise<void> {
  const hash = sha256(bytes);
  await queue.add(path, bytes, () =>
    port.postMessage({ index, format, hash, size: bytes.length } satisfies WrittenMessage),
  );
}

// DOCX chunks are handled one after the other, in order; a PDF as soon as it comes: the DOCX loop
// lets the event loop run after each note, so the main thread's PDFs do not pile up in memory.
let work = Promise.resolve();

port.on('message', (m: Incoming) => {
  if ('pdf' in m) {
    if (!failed) write(m.pdf.index, 'pdf', m.pdf.path, m.pdf.bytes).catch(fail);
    return;
  }
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
        await write(job.index, 'docx', job.path, r.render(job.doc));
        await new Promise((resolve) => setImmediate(resolve));
      }
    } catch (e) {
      fail(e);
    }
  });
});
