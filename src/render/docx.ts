/**
 * NoteDocument -> DOCX bytes.
 *
 * The `docx` library builds the package once per language (styles with the document language,
 * numbering, headers and footers with the PAGE field, settings, theme, font table, content types).
 * For each note only four parts are written here: word/document.xml (the same paragraph and run XML
 * the library writes, which the tests check against the library's own output),
 * word/_rels/document.xml.rels (hyperlink targets), word/numbering.xml (one `w:num` per list, so every
 * ordered list starts at 1) and docProps/core.xml (title, creator, language, fixed dates). The parts
 * are deflated with fflate into a ZIP written here, in a fixed order with the note's date as the
 * timestamp, so the same note gives the same bytes; the static parts are deflated once per batch.
 */
import { Packer, type Document } from 'docx';
import zlib from 'node:zlib';
import { deflateSync } from 'fflate';
import { InternalError } from '../errors.js';
import type { NoteDocument } from './document.js';
import {
  HYPERLINK_STYLE,
  buildLibraryDocument,
  groupRuns,
  layoutNote,
  sanitizeText,
  type LaidParagraph,
  type LaidRun,
} from './docx-layout.js';

const UTF8 = new TextEncoder();

export interface DocxBatchRenderer {
  render(doc: NoteDocument): Uint8Array;
}

// ---------------------------------------------------------------------------------------------
// Access to the docx library's compiler (the XML of every part, before zipping).

type PartData = string | Uint8Array;
interface DocxCompiler {
  compile(file: Document, prettify?: string): Map<string, PartData>;
}

/**
 * The package parts the docx library writes for `file`, by path, in its order. `Packer` only offers
 * zipped output behind a Promise; its compiler (a static field, not in the typings) gives the parts
 * synchronously. Checked here so a docx upgrade that moves it fails loudly.
 */
export function compileLibraryParts(file: Document): Map<string, PartData> {
  const compiler = (Packer as unknown as { compiler?: Partial<DocxCompiler> }).compiler;
  if (compiler === undefined || typeof compiler.compile !== 'function') {
    throw new InternalError(
      'The docx package has no Packer.compiler.compile: check the docx version (9.15 expected).',
    );
  }
  return compiler.compile(file, undefined) as Map<string, PartData>;
}

// ---------------------------------------------------------------------------------------------
// XML writing.

const XML_SPECIAL = /[&<>"']/;
const XML_SPECIAL_G = /[&<>"']/g;
const XML_ENTITY: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
};

/** Escapes text or an attribute value (as the docx library does: & < > " '). */
export function escapeXml(text: string): string {
  return XML_SPECIAL.test(text) ? text.replace(XML_SPECIAL_G, (c) => XML_ENTITY[c] as string) : text;
}

function runXml(run: LaidRun): string {
  let props = '';
  if (run.link !== undefined) props += `<w:rStyle w:val="${HYPERLINK_STYLE}"/>`;
  if (run.bold) props += '<w:b/><w:bCs/>';
  if (run.italic) props += '<w:i/><w:iCs/>';
  let xml = props === '' ? '<w:r>' : `<w:r><w:rPr>${props}</w:rPr>`;
  for (const part of run.parts) {
    xml += part === '\t' ? '<w:tab/>' : `<w:t xml:space="preserve">${escapeXml(part)}</w:t>`;
  }
  return xml + '</w:r>';
}

/** Hyperlink relationships of one document.xml: one per distinct target. */
class LinkTable {
  private readonly ids = new Map<string, string>();

  idFor(target: string): string {
    let id = this.ids.get(target);
    if (id === undefined) {
      id = `rIdLink${this.ids.size + 1}`;
      this.ids.set(target, id);
    }
    return id;
  }

  relationshipsXml(): string {
    let xml = '';
    for (const [target, id] of this.ids) {
      xml +=
        `<Relationship Id="${id}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink"` +
        ` Target="${escapeXml(target)}" TargetMode="External"/>`;
    }
    return xml;
  }
}

function paragraphXml(p: LaidParagraph, links: LinkTable, numIdOf: (listIndex: number) => number): string {
  let xml = `<w:p><w:pPr><w:pStyle w:val="${p.style}"/>`;
  if (p.list !== undefined) {
    xml += `<w:numPr><w:ilvl w:val="0"/><w:numId w:val="${numIdOf(p.list.index)}"/></w:numPr>`;
  }
  xml += `<w:jc w:val="${p.jc}"/></w:pPr>`;
  for (const group of groupRuns(p.runs)) {
    if (group.link === undefined) {
      for (const run of group.runs) xml += runXml(run);
    } else {
      xml += `<w:hyperlink w:history="1" r:id="${links.idFor(group.link)}">`;
      for (const run of group.runs) xml += runXml(run);
      xml += '</w:hyperlink>';
    }
  }
  return xml + '</w:p>';
}

/** docProps/core.xml; the dates are the note's, never the wall clock. */
function corePropertiesXml(doc: NoteDocument, created: string): string {
  const { meta } = doc;
  const text = (s: string) => escapeXml(sanitizeText(s));
  return (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' +
    '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties"' +
    ' xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/"' +
    ' xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">' +
    `<dc:title>${text(meta.title)}</dc:title>` +
    (meta.subject !== undefined && meta.subject !== ''
      ? `<dc:subject>${text(meta.subject)}</dc:subject>`
      : '') +
    `<dc:creator>${text(meta.author)}</dc:creator>` +
    (meta.language.trim() !== '' ? `<dc:language>${text(meta.language.trim())}</dc:language>` : '') +
    `<cp:lastModifiedBy>${text(meta.author)}</cp:lastModifiedBy>` +
    '<cp:revision>1</cp:revision>' +
    `<dcterms:created xsi:type="dcterms:W3CDTF">${created}</dcterms:created>` +
    `<dcterms:modified xsi:type="dcterms:W3CDTF">${created}</dcterms:modified>` +
    '</cp:coreProperties>'
  );
}

// ---------------------------------------------------------------------------------------------
// ZIP writing (fflate's DEFLATE; the container is written here so the static parts are deflated
// once and every field is fixed: no wall-clock time, no extra fields, fixed order).

/** CRC-32 of a ZIP entry (node:zlib's, in Node >= 20.15). */
function crc32(data: Uint8Array): number {
  return zlib.crc32(data);
}

/** A part ready for the ZIP: name, CRC and sizes computed, data deflated. */
interface ZipEntry {
  name: Uint8Array;
  /** General purpose flags: bit 11 when the name is not ASCII. */
  flags: number;
  crc: number;
  size: number;
  deflated: Uint8Array;
}

const DEFLATE_LEVEL = 6;

function zipEntry(path: string, data: Uint8Array): ZipEntry {
  const name = UTF8.encode(path);
  return {
    name,
    flags: name.length === path.length ? 0 : 0x0800,
    crc: crc32(data),
    size: data.length,
    deflated: deflateSync(data, { level: DEFLATE_LEVEL }),
  };
}

/** MS-DOS date and time of `date`'s UTC calendar fields, clamped to the range ZIP can hold. */
function dosDateTime(date: Date): { time: number; date: number } {
  const year = Math.min(2107, Math.max(1980, date.getUTCFullYear()));
  if (year !== date.getUTCFullYear()) return { time: 0, date: ((year - 1980) << 9) | (1 << 5) | 1 };
  return {
    time: (date.getUTCHours() << 11) | (date.getUTCMinutes() << 5) | (date.getUTCSeconds() >> 1),
    date: ((year - 1980) << 9) | ((date.getUTCMonth() + 1) << 5) | date.getUTCDate(),
  };
}

function writeZip(entries: ZipEntry[], stamp: { time: number; date: number }): Uint8Array {
  let size = 22;
  for (const e of entries) size += 30 + 46 + 2 * e.name.length + e.deflated.length;
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  const offsets: number[] = [];
  let o = 0;
  for (const e of entries) {
    offsets.push(o);
    view.setUint32(o, 0x04034b50, true);
    view.setUint16(o + 4, 20, true); // version needed: 2.0 (deflate)
    view.setUint16(o + 6, e.flags, true);
    view.setUint16(o + 8, 8, true); // deflate
    view.setUint16(o + 10, stamp.time, true);
    view.setUint16(o + 12, stamp.date, true);
    view.setUint32(o + 14, e.crc, true);
    view.setUint32(o + 18, e.deflated.length, true);
    view.setUint32(o + 22, e.size, true);
    view.setUint16(o + 26, e.name.length, true);
    view.setUint16(o + 28, 0, true);
    out.set(e.name, o + 30);
    out.set(e.deflated, o + 30 + e.name.length);
    o += 30 + e.name.length + e.deflated.length;
  }
  const cdStart = o;
  entries.forEach((e, i) => {
    view.setUint32(o, 0x02014b50, true);
    view.setUint16(o + 4, 20, true); // made by: MS-DOS, 2.0
    view.setUint16(o + 6, 20, true);
    view.setUint16(o + 8, e.flags, true);
    view.setUint16(o + 10, 8, true);
    view.setUint16(o + 12, stamp.time, true);
    view.setUint16(o + 14, stamp.date, true);
    view.setUint32(o + 16, e.crc, true);
    view.setUint32(o + 20, e.deflated.length, true);
    view.setUint32(o + 24, e.size, true);
    view.setUint16(o + 28, e.name.length, true);
    // extra length, comment length, disk, internal attributes, external attributes: 0
    view.setUint32(o + 42, offsets[i] as number, true);
    out.set(e.name, o + 46);
    o += 46 + e.name.length;
  });
  view.setUint32(o, 0x06054b50, true);
  view.setUint16(o + 8, entries.length, true);
  view.setUint16(o + 10, entries.length, true);
  view.setUint32(o + 12, o - cdStart, true);
  view.setUint32(o + 16, cdStart, true);
  return out;
}

// ---------------------------------------------------------------------------------------------
// The static package of one language, built once with the docx library.

const PATH = {
  contentTypes: '[Content_Types].xml',
  document: 'word/document.xml',
  documentRels: 'word/_rels/document.xml.rels',
  numbering: 'word/numbering.xml',
  core: 'docProps/core.xml',
} as const;

/** The parts written per note, in the order they go into the ZIP among the static ones. */
type DynamicPart = 'document' | 'documentRels' | 'numbering' | 'core';

interface StaticPackage {
  /** ZIP order: a static entry, or the name of a part written per note. */
  order: Array<ZipEntry | DynamicPart>;
  documentHead: string;
  documentTail: string;
  relsHead: string;
  relsTail: string;
  numberingHead: string;
  numberingTail: string;
  /** `w:num` elements the library writes whatever the document (its own default bullet list). */
  baseNums: string;
  /** The first `w:numId` free for the note's lists. */
  firstNumId: number;
  bulletAbstractId: string;
  orderedAbstractId: string;
  /** Per-note parts seen before in this batch, by path and content. */
  entries: Map<string, ZipEntry>;
}

/** A note exercising every static structure: both kinds of list, all paragraph styles. */
function sampleDocument(language: string): NoteDocument {
  return {
    meta: { title: 'Sample', author: 'Sample', language, created: new Date(Date.UTC(2000, 0, 1)) },
    letterhead: ['A', 'B'],
    referenceLine: 'Reference: X',
    body: [
      { type: 'paragraph', align: 'justify', runs: [{ text: 'Body' }] },
      { type: 'list', ordered: false, items: [[{ text: 'bullet' }]] },
      { type: 'list', ordered: true, items: [[{ text: 'ordered' }]] },
    ],
    dateLine: '1 January 2000',
    footer: 'Footer',
    enclosures: 1,
    attachments: [],
  };
}

function partText(parts: Map<string, PartData>, path: string): string {
  const data = parts.get(path);
  if (typeof data !== 'string') throw new InternalError(`The docx library wrote no ${path}.`);
  return data;
}

function splitAround(text: string, start: number, end: number): [string, string] {
  return [text.slice(0, start), text.slice(end)];
}

function buildStaticPackage(language: string): StaticPackage {
  const parts = compileLibraryParts(buildLibraryDocument(sampleDocument(language)));

  // document.xml: everything before the first paragraph and from the section properties on.
  const documentXml = partText(parts, PATH.document);
  const bodyStart = documentXml.indexOf('<w:body>');
  const sectStart = documentXml.indexOf('<w:sectPr');
  if (bodyStart < 0 || sectStart < bodyStart || documentXml.indexOf('<w:sectPr', sectStart + 1) >= 0) {
    throw new InternalError('Unexpected word/document.xml from the docx library.');
  }
  const [documentHead, documentTail] = splitAround(documentXml, bodyStart + '<w:body>'.length, sectStart);

  // document.xml.rels: hyperlink relationships go before the closing tag.
  const relsXml = partText(parts, PATH.documentRels);
  if (relsXml.includes('/relationships/hyperlink"'))
    throw new InternalError('The sample note has a hyperlink.');
  const relsEnd = relsXml.lastIndexOf('</Relationships>');
  const [relsHead, relsTail] = splitAround(relsXml, relsEnd, relsEnd);

  // numbering.xml: abstract definitions stay; the w:num elements are written per note.
  const numberingXml = partText(parts, PATH.numbering);
  const numRe = /<w:num w:numId="(\d+)"><w:abstractNumId w:val="(\d+)"\/>.*?<\/w:num>/g;
  const nums = [...numberingXml.matchAll(numRe)];
  const numsStart = nums[0]?.index;
  const last = nums[nums.length - 1];
  if (nums.length < 3 || numsStart === undefined || last === undefined) {
    throw new InternalError('Unexpected word/numbering.xml from the docx library.');
  }
  // The sample's bullet list and ordered list are the last two w:num (document order).
  const bulletNum = nums[nums.length - 2] as RegExpMatchArray;
  const orderedNum = last;
  const numsEnd = (last.index as number) + last[0].length;
  const [numberingHead, numberingTail] = splitAround(numberingXml, numsStart, numsEnd);
  const baseNums = nums
    .slice(0, -2)
    .map((m) => m[0])
    .join('');
  const firstNumId = Number(bulletNum[1]);
  if (
    !documentXml.includes(`<w:numId w:val="${bulletNum[1]}"/>`) ||
    !documentXml.includes(`<w:numId w:val="${orderedNum[1]}"/>`) ||
    Number(orderedNum[1]) !== firstNumId + 1
  ) {
    throw new InternalError('Unexpected list numbering from the docx library.');
  }

  const dynamic: Record<string, DynamicPart> = {
    [PATH.document]: 'document',
    [PATH.documentRels]: 'documentRels',
    [PATH.numbering]: 'numbering',
    [PATH.core]: 'core',
  };
  const order: Array<ZipEntry | DynamicPart> = [];
  const paths = [PATH.contentTypes, ...[...parts.keys()].filter((p) => p !== PATH.contentTypes)];
  for (const path of paths) {
    const data = parts.get(path) as PartData;
    const kind = dynamic[path];
    order.push(kind ?? zipEntry(path, typeof data === 'string' ? UTF8.encode(data) : data));
  }
  for (const kind of Object.values(dynamic)) {
    if (!order.includes(kind)) throw new InternalError(`The docx library wrote no ${kind} part.`);
  }

  return {
    order,
    documentHead,
    documentTail,
    relsHead,
    relsTail,
    numberingHead,
    numberingTail,
    baseNums,
    firstNumId,
    bulletAbstractId: bulletNum[2] as string,
    orderedAbstractId: orderedNum[2] as string,
    entries: new Map(),
  };
}

// ---------------------------------------------------------------------------------------------
// The renderer.

function isoSeconds(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

const ENTRY_CACHE_SIZE = 64;

function cachedEntry(pkg: StaticPackage, path: string, xml: string): ZipEntry {
  const key = `${path}\n${xml}`;
  let entry = pkg.entries.get(key);
  if (entry === undefined) {
    if (pkg.entries.size >= ENTRY_CACHE_SIZE) pkg.entries.clear();
    entry = zipEntry(path, UTF8.encode(xml));
    pkg.entries.set(key, entry);
  }
  return entry;
}

function renderWith(pkg: StaticPackage, doc: NoteDocument): Uint8Array {
  const created = doc.meta.created;
  if (!(created instanceof Date) || Number.isNaN(created.getTime())) {
    throw new InternalError('NoteDocument.meta.created is not a valid date.');
  }
  const paragraphs = layoutNote(doc);

  // One w:num per list, so each ordered list starts at 1.
  const lists: boolean[] = [];
  for (const p of paragraphs) if (p.list !== undefined) lists[p.list.index] = p.list.ordered;
  let nums = pkg.baseNums;
  lists.forEach((ordered, i) => {
    const abstractId = ordered ? pkg.orderedAbstractId : pkg.bulletAbstractId;
    nums +=
      `<w:num w:numId="${pkg.firstNumId + i}"><w:abstractNumId w:val="${abstractId}"/>` +
      '<w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride></w:num>';
  });
  const numIdOf = (index: number) => pkg.firstNumId + index;

  const links = new LinkTable();
  let body = pkg.documentHead;
  for (const p of paragraphs) body += paragraphXml(p, links, numIdOf);
  body += pkg.documentTail;

  const dynamic: Record<DynamicPart, () => ZipEntry> = {
    document: () => zipEntry(PATH.document, UTF8.encode(body)),
    // The notes of a batch mostly share their links and lists: these two parts are kept by content.
    documentRels: () =>
      cachedEntry(pkg, PATH.documentRels, pkg.relsHead + links.relationshipsXml() + pkg.relsTail),
    numbering: () => cachedEntry(pkg, PATH.numbering, pkg.numberingHead + nums + pkg.numberingTail),
    core: () => zipEntry(PATH.core, UTF8.encode(corePropertiesXml(doc, isoSeconds(created)))),
  };
  const entries = pkg.order.map((e) => (typeof e === 'string' ? dynamic[e]() : e));
  return writeZip(entries, dosDateTime(created));
}

/**
 * A renderer for a batch of notes: the static package of each language is built on first use and
 * kept. Output is a function of the note alone (byte-identical for the same note, whatever was
 * rendered before it).
 */
export function createDocxRenderer(): DocxBatchRenderer {
  const packages = new Map<string, StaticPackage>();
  return {
    render(doc: NoteDocument): Uint8Array {
      const language = doc.meta.language;
      let pkg = packages.get(language);
      if (pkg === undefined) {
        pkg = buildStaticPackage(language);
        packages.set(language, pkg);
      }
      return renderWith(pkg, doc);
    },
  };
}

let shared: DocxBatchRenderer | undefined;

/** One note to DOCX bytes (a module-wide renderer keeps the static parts between calls). */
export function renderDocx(doc: NoteDocument): Uint8Array {
  shared ??= createDocxRenderer();
  return shared.render(doc);
}
