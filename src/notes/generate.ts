import { existsSync, readFileSync, statSync } from 'node:fs';
import { diskFullError, isDiskFull, type DiskFullContext } from './disk-full.js';
import { dirname } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { NoteDocument } from '../render/document.js';
import type { Actor } from '../audit.js';
import type { EnsureResult, NoteRecord, WrittenNote } from '../references/records.js';
import type { DispatchRegister } from '../storage/register.js';
import { buildValues } from '../templates/values.js';
import type { Workspace } from '../workspace/load.js';
import { buildNote } from './build-note.js';
import type { DocxJob, PdfBytes, WrittenMessage } from './render-worker.js';
import type { PdfBatchRenderer } from '../render/pdf.js';
import { ensureWritableDir, removeStaleTemporaries, sha256, WriteQueue } from '../files.js';
import {
  formatRef,
  notePath,
  relativeToWorkspace,
  summarisePlan,
  type Format,
  type PlanSummary,
  type Plan,
  type PlannedNote,
} from './plan.js';

/** Bumped when the renderers' output changes, so that notes written by an older nv are rewritten. */
export const RENDER_VERSION = 1;

/** How many written notes are recorded in the register per transaction. */
const RECORD_BATCH = 25;

/** Below this many DOCX notes a second thread costs more than it saves. */
const PARALLEL_THRESHOLD = 16;

/**
 * How many notes are built and rendered at a time: the documents of one chunk are alive at once,
 * not those of the whole batch, so memory does not grow with the batch.
 */
const CHUNK = 50;

/**
 * How many bytes of rendered PDFs may wait for the second thread to write them (notes with large
 * enclosures are large): past this the main thread waits.
 */
const PDF_BYTES_IN_FLIGHT = 32 * 1024 * 1024;

/**
 * The second thread (src/notes/render-worker.ts): it renders and writes the DOCX notes, taking
 * chunks as they are built (at most two ahead), and hashes and writes the PDFs this thread
 * renders. It reports each file written; `end()` resolves once all are written.
 */
class RenderThread {
  private readonly worker: Worker;
  private readonly done: Promise<void>;
  /** Per note handed over, its files not yet reported written. */
  private readonly jobs = new Map<number, { job: Job; left: number }>();
  private readonly indices = new WeakMap<Job, number>();
  private docxInWorker = 0;
  /** Bytes of PDFs handed over and not yet written: bounded, so that memory stays flat. */
  private pdfBytesInWorker = 0;
  private next = 0;
  private waiting: (() => void)[] = [];
  private failure: Error | undefined;
  private exited = false;

  constructor(written: (j: Job, f: Format, hash: string, size: number) => void) {
    this.worker = new Worker(new URL('./render-worker.js', import.meta.url), {
      resourceLimits: { maxYoungGenerationSizeMb: 4 },
    });
    this.done = new Promise<void>((resolve, reject) => {
      this.worker.on('message', (m: WrittenMessage) => {
        if ('error' in m) {
          this.failure ??= Object.assign(new Error(`Rendering or writing the notes failed: ${m.error}`), {
            code: m.code,
          });
          return;
        }
        const entry = this.jobs.get(m.index)!;
        if (--entry.left === 0) this.jobs.delete(m.index);
        if (m.format === 'docx') this.docxInWorker--;
        else this.pdfBytesInWorker -= m.size;
        written(entry.job, m.format, m.hash, m.size);
        this.wake();
      });
      this.worker.on('error', (e) => (this.failure ??= e));
      this.worker.on('exit', () => {
        this.exited = true;
        this.wake();
        if (this.failure) reject(this.failure);
        else resolve();
      });
    });
    // Awaited in end(); until then a failure must not count as an unhandled rejection.
    this.done.catch(() => {});
  }

  private wake(): void {
    for (const w of this.waiting.splice(0)) w();
  }

  private check(): void {
    if (this.failure) throw this.failure;
    if (this.exited) throw new Error('the second thread stopped early');
  }

  /** The note's index for the worker; one more of its files is in the worker's hands. */
  private handOver(job: Job): number {
    let index = this.indices.get(job);
    if (index === undefined) {
      index = this.next++;
      this.indices.set(job, index);
    }
    const entry = this.jobs.get(index);
    if (entry) entry.left++;
    else this.jobs.set(index, { job, left: 1 });
    return index;
  }

  private async until(ready: () => boolean): Promise<void> {
    while (!ready() && !this.exited && !this.failure) await new Promise<void>((r) => this.waiting.push(r));
    this.check();
  }

  /** Sends a chunk's DOCX; waits while two chunks are still in the worker. */
  async send(chunk: { job: Job; doc: NoteDocument }[]): Promise<void> {
    await this.until(() => this.docxInWorker < 2 * CHUNK);
    const jobs: DocxJob[] = chunk.map(({ job, doc }) => ({
      index: this.handOver(job),
      doc,
      path: job.paths.docx,
    }));
    this.docxInWorker += jobs.length;
    this.worker.postMessage({ jobs });
  }

  /**
   * Hands a PDF's bytes over to be hashed and written (the buffer is transferred when it can be);
   * waits while more than PDF_BYTES_IN_FLIGHT are still to be written.
   */
  async writePdf(job: Job, bytes: Uint8Array): Promise<void> {
    await this.until(() => this.pdfBytesInWorker < PDF_BYTES_IN_FLIGHT);
    const whole = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength;
    const own = whole ? bytes : new Uint8Array(bytes);
    const pdf: PdfBytes = { index: this.handOver(job), path: job.paths.pdf, bytes: own };
    this.pdfBytesInWorker += own.byteLength;
    this.worker.postMessage({ pdf }, [own.buffer as ArrayBuffer]);
  }

  end(): Promise<void> {
    if (!this.exited) this.worker.postMessage({ end: true });
    return this.done;
  }
}

export interface NoteResult {
  state: string;
  name: string;
  variant: string;
  reference: string;
  status: 'written' | 'unchanged';
  files: string[];
}

export interface GenerateResult {
  template: string;
  kind: 'circular' | 'individual';
  date: string;
  references: { reference: string; variant: string; allocated: boolean; notes: number }[];
  notes: NoteResult[];
  totals: { notes: number; written: number; unchanged: number; files: number; allocated: number };
  /** Recipients whose reply was refused (their note is the text for a refused reply). */
  refusedReplies: PlanSummary['refusedReplies'];
  /** Recipients selected but not written to, and why. */
  leftOut: PlanSummary['leftOut'];
}

export interface ExecuteOptions {
  actor: Actor;
  sourceDateEpoch?: number;
  onProgress?: (done: number, total: number) => void;
  /** Testing aid (NV_THROTTLE_MS): wait this long after each note, so a test can kill a batch half-way. */
  throttleMs?: number;
}

interface Job {
  planned: PlannedNote;
  record: NoteRecord;
  reference: string;
  /** Known once the note's document is built (before rendering, or while checking a rerun). */
  inputHash: string | null;
  paths: Record<Format, string>;
  /** Formats whose file is missing or not what we would write. */
  todo: Format[];
}

function fileMatches(path: string, expected: string | undefined): boolean {
  if (!expected || !existsSync(path)) return false;
  return sha256(readFileSync(path)) === expected;
}

/**
 * Allocates the plan's numbers (one transaction, after every check has passed) and writes the
 * notes that are missing or out of date; notes whose files are already what they would be are
 * left alone. Re-running after a crash completes the batch under the same numbers.
 */
export async function executePlan(
  ws: Workspace,
  register: DispatchRegister,
  plan: Plan,
  opts: ExecuteOptions,
): Promise<GenerateResult> {
  ensureWritableDir(plan.outDir);
  const attachmentBytes = plan.attachments.reduce((n, p) => n + statSync(p).size, 0);
  const attachmentHashes = plan.attachments.map((p) => sha256(readFileSync(p)));
  const fullDisk = (e: unknown, ctx: Omit<DiskFullContext, 'references'>, references: string[]) =>
    isDiskFull(e) ? diskFullError({ ...ctx, references }, e) : e;
  let ensured: EnsureResult[];
  try {
    ensured = await register.ensureDispatches(
      plan.dispatches.map((d) => d.request),
      opts.actor,
    );
  } catch (e) {
    throw fullDisk(
      e,
      { shown: relativeToWorkspace(ws, ws.paths.state), folder: ws.paths.state, what: 'the register' },
      [],
    );
  }
  const byKey = new Map(ensured.map((e) => [e.dispatch.key, e]));

  const build = (planned: PlannedNote, reference: string): { doc: NoteDocument; inputHash: string } => {
    const doc = buildNote({
      config: ws.config,
      template: planned.template,
      variant: planned.variant,
      values: buildValues(ws.config, planned.recipient, planned.template.language, {
        ...planned.facts,
        reference,
      }),
      reference,
      recipientName: planned.recipient.name,
      recipientState: planned.recipient.code,
      date: plan.date,
      attachments: plan.attachments,
      sourceDateEpoch: opts.sourceDateEpoch,
    });
    return { doc, inputHash: sha256(JSON.stringify({ v: RENDER_VERSION, doc, attachmentHashes })) };
  };

  // What is to do. A note never written needs everything; one written before is compared with
  // what it would be now (the hash of its inputs, the bytes of its files). No document is kept
  // here: they are built again chunk by chunk below.
  const jobs: Job[] = [];
  for (const planned of plan.notes) {
    const e = byKey.get(planned.dispatchKey)!;
    const record = e.notes.find((n) => n.recipient === planned.recipient.code)!;
    const reference = formatRef(ws, e.dispatch.seq, e.dispatch.year, planned.variant);
    const inputHash = record.inputHash === null ? null : build(planned, reference).inputHash;
    const paths = {} as Record<Format, string>;
    const todo: Format[] = [];
    for (const f of plan.formats) {
      paths[f] = notePath(plan, ws, e.dispatch.seq, planned.variant, planned.recipient, f);
      const rel = relativeToWorkspace(ws, paths[f]);
      if (record.inputHash !== inputHash || !fileMatches(paths[f], record.files[rel])) todo.push(f);
    }
    jobs.push({ planned, record, reference, inputHash, paths, todo });
  }

  const dirs = new Set(jobs.flatMap((j) => Object.values(j.paths).map((p) => dirname(p))));
  for (const d of dirs) {
    ensureWritableDir(d);
    removeStaleTemporaries(d);
  }

  const pending = jobs.filter((j) => j.todo.length > 0);
  let done = 0;
  opts.onProgress?.(0, pending.length);
  const left = new Map(pending.map((j) => [j, j.todo.length]));
  const files = new Map<Job, Record<string, string>>();
  /** A note is recorded as written once all its files are on disk under their names. */
  // For a full disk: the files written so far and their sizes, to say how much more is needed.
  const sizes: Record<Format, { files: number; bytes: number }> = {
    pdf: { files: 0, bytes: 0 },
    docx: { files: 0, bytes: 0 },
  };
  const fileWritten = (j: Job, f: Format, hash: string, size: number) => {
    sizes[f].files++;
    sizes[f].bytes += size;
    files.get(j)![relativeToWorkspace(ws, j.paths[f])] = hash;
    const n = left.get(j)! - 1;
    left.set(j, n);
    if (n > 0) return;
    // Recorded in small batches (one transaction each): a note written but not yet recorded is
    // only written again by the next run, under the same number.
    written.push({ noteId: j.record.id, inputHash: j.inputHash!, files: files.get(j)! });
    files.delete(j);
    if (written.length >= RECORD_BATCH) void flush();
    opts.onProgress?.(++done, pending.length);
  };
  const written: WrittenNote[] = [];
  // Batches are recorded one after the other; the first failure is kept and stops the batch.
  let recording = Promise.resolve();
  let recordFailure: unknown;
  const flush = (): Promise<void> => {
    const batch = written.splice(0);
    if (batch.length > 0)
      recording = recording
        .then(() => register.recordNotesWritten(batch, opts.actor))
        .catch((e: unknown) => {
          recordFailure ??= e;
        });
    return recording;
  };

  const wantsPdf = pending.some((j) => j.todo.includes('pdf'));
  const docxCount = pending.filter((j) => j.todo.includes('docx')).length;
  // Both formats and a real batch: a second thread renders the DOCX and writes every file while
  // this one renders the PDFs.
  const thread = wantsPdf && docxCount >= PARALLEL_THRESHOLD ? new RenderThread(fileWritten) : undefined;
  // The renderers load large libraries: only when there is something to render.
  const docx =
    docxCount && !thread ? await (await import('../render/docx.js')).createDocxRenderer(['note']) : undefined;
  let pdf: PdfBatchRenderer | undefined;
  const queue = new WriteQueue(8, false);
  const write = async (j: Job, f: Format, bytes: Uint8Array) => {
    const hash = sha256(bytes);
    await queue.add(j.paths[f], bytes, () => fileWritten(j, f, hash, bytes.length));
  };
  let failure: unknown;
  try {
    try {
      for (let i = 0; i < pending.length; i += CHUNK) {
        const chunk = pending.slice(i, i + CHUNK).map((job) => {
          const built = build(job.planned, job.reference);
          // Keep the record of formats that were fine and are not written again.
          files.set(job, job.record.inputHash === built.inputHash ? { ...job.record.files } : {});
          job.inputHash = built.inputHash;
          return { job, doc: built.doc };
        });
        if (thread) await thread.send(chunk.filter((c) => c.job.todo.includes('docx')));
        for (const { job, doc } of chunk) {
          if (job.todo.includes('pdf')) {
            pdf ??= await (await import('../render/pdf.js')).createPdfRenderer([doc]);
            const bytes = await pdf.render(doc);
            if (thread) await thread.writePdf(job, bytes);
            else await write(job, 'pdf', bytes);
          }
          if (docx && job.todo.includes('docx')) await write(job, 'docx', docx.render(doc));
          if (opts.throttleMs) await new Promise((r) => setTimeout(r, opts.throttleMs));
          if (recordFailure !== undefined) throw recordFailure;
        }
      }
      await queue.drain();
    } finally {
      await thread?.end();
    }
  } catch (e) {
    failure = e;
  }
  await flush(); // what was written is recorded, even when something failed
  failure ??= recordFailure;
  if (failure !== undefined) {
    const references = [...new Set(jobs.map((j) => j.reference))];
    const onRegister = (failure as { code?: unknown }).code === 'SQLITE_FULL';
    // The files not yet written, at the average size of those written in their format (else a
    // guess: a PDF carries the enclosures).
    const guess: Record<Format, number> = { pdf: attachmentBytes + 64 * 1024, docx: 32 * 1024 };
    let filesLeft = 0;
    let neededBytes = 0;
    for (const f of plan.formats) {
      const left = pending.filter((j) => j.todo.includes(f)).length - sizes[f].files;
      filesLeft += left;
      neededBytes += left * (sizes[f].files ? sizes[f].bytes / sizes[f].files : guess[f]);
    }
    throw fullDisk(
      failure,
      onRegister
        ? { shown: relativeToWorkspace(ws, ws.paths.state), folder: ws.paths.state, what: 'the register' }
        : {
            shown: relativeToWorkspace(ws, plan.outDir),
            folder: plan.outDir,
            neededBytes: Math.ceil(neededBytes),
            what: `the ${filesLeft} file(s) not yet written`,
          },
      references,
    );
  }

  const references = new Map<
    string,
    { reference: string; variant: string; allocated: boolean; notes: number }
  >();
  for (const j of jobs) {
    const e = byKey.get(j.planned.dispatchKey)!;
    const entry = references.get(j.reference) ?? {
      reference: j.reference,
      variant: j.planned.variant,
      allocated: e.allocated,
      notes: 0,
    };
    entry.notes++;
    references.set(j.reference, entry);
  }
  const notes: NoteResult[] = jobs.map((j) => ({
    state: j.planned.recipient.code,
    name: j.planned.recipient.name,
    variant: j.planned.variant,
    reference: j.reference,
    status: j.todo.length ? 'written' : 'unchanged',
    files: plan.formats.map((f) => relativeToWorkspace(ws, j.paths[f])),
  }));
  return {
    template: plan.templateName,
    kind: plan.kind,
    date: plan.date,
    references: [...references.values()],
    notes,
    totals: {
      notes: notes.length,
      written: pending.length,
      unchanged: notes.length - pending.length,
      files: pending.reduce((s, j) => s + j.todo.length, 0),
      allocated: ensured.filter((e) => e.allocated).length,
    },
    refusedReplies: summarisePlan(ws, plan).refusedReplies,
    leftOut: plan.leftOut,
  };
}
