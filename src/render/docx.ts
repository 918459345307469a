/**
 * NoteDocument -> DOCX bytes.
 *
 * The `docx` library builds the package once per kind of document, through its public
 * `Packer.toBuffer`, unzipped here with fflate (styles with a stand-in for the document language,
 * numbering, headers and footers with the PAGE field, settings, theme, font table, content types).
 * For each note only four parts are written here: word/document.xml (the same paragraph and run XML
 * the library writes, which the tests check against the library's own output),
 * word/_rels/document.xml.rels (hyperlink targets), word/numbering.xml (one `w:num` per list, so every
 * ordered list starts at 1) and docProps/core.xml (title, creator, language, fixed dates). The parts
 * are deflated with node:zlib (native: twice as fast as fflate's JavaScript on DOCX parts, and 2 %
 * smaller) into a ZIP written here, in a fixed order with the note's date as the
 * timestamp, so the same note gives the same bytes. The static parts, built and deflated with the
 * library, are stored at build time (PACKAGE_FILE), so a batch neither loads the library nor
 * builds them; without that file (running from src/), once per batch.
 */
import type { Document } from 'docx';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';
import { deflateRawSync } from 'node:zlib';
import { strFromU8, unzipSync } from 'fflate';
import { InternalError } from '../errors.js';
import { isReport, type NoteDocument, type NvDocument, type ReportDocument } from './document.js';
import {
  CELL_MARGINS,
  FOOTER_FRAME,
  HYPERLINK_STYLE,
  docxLanguage,
  groupRuns,
  layoutDocument,
  sanitizeText,
  type LaidBlock,
  type LaidCell,
  type LaidParagraph,
  type LaidRun,
  type LaidTable,
} from './docx-layout.js';

const UTF8 = new TextEncoder();

export interface DocxBatchRenderer {
  /** A note or a report. */
  render(doc: NvDocument): Uint8Array;
}

// ---------------------------------------------------------------------------------------------
// The docx library's parts, through its public API.

type PartData = string | Uint8Array;

/**
 * The package parts the docx library writes for `file`, by path: `Packer.toBuffer` (its public
 * API), unzipped. XML parts as text, anything else as bytes.
 */
export async function libraryParts(file: Document): Promise<Map<string, PartData>> {
  const { Packer } = await import('docx');
  const zip = await Packer.toBuffer(file);
  const files = unzipSync(new Uint8Array(zip.buffer, zip.byteOffset, zip.byteLength));
  const parts = new Map<string, PartData>();
  for (const [path, data] of Object.entries(files)) {
    parts.set(path, /\.(xml|rels)$/.test(path) ? strFromU8(data) : data);
  }
  return parts;
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
  if (run.eastAsia) props += '<w:rFonts w:hint="eastAsia"/>';
  if (run.bold) props += '<w:b/><w:bCs/>';
  if (run.italic) props += '<w:i/><w:iCs/>';
  if (run.size !== undefined) props += `<w:sz w:val="${run.size}"/><w:szCs w:val="${run.size}"/>`;
  if (run.rtl) props += '<w:rtl/>';
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
  if (p.pageBreak) return '<w:p><w:r><w:br w:type="page"/></w:r></w:p>';
  let xml = `<w:p><w:pPr><w:pStyle w:val="${p.style}"/>`;
  if (p.keepNext) xml += '<w:keepNext/>';
  if (p.keepLines) xml += '<w:keepLines/>';
  if (p.pageBreakBefore) xml += '<w:pageBreakBefore/>';
  if (p.pageBottomFrame) {
    xml +=
      `<w:framePr w:w="${FOOTER_FRAME.width}" w:h="0" w:x="0" w:y="${FOOTER_FRAME.y}"` +
      ' w:hAnchor="margin" w:vAnchor="page"/>';
  }
  if (p.list !== undefined) {
    xml += `<w:numPr><w:ilvl w:val="0"/><w:numId w:val="${numIdOf(p.list.index)}"/></w:numPr>`;
  }
  if (p.bidi) xml += '<w:bidi/>';
  if (p.spacing !== undefined) {
    xml += '<w:spacing';
    if (p.spacing.after !== undefined) xml += ` w:after="${p.spacing.after}"`;
    if (p.spacing.before !== undefined) xml += ` w:before="${p.spacing.before}"`;
    xml += '/>';
  }
  if (p.indentLeft !== undefined) xml += `<w:ind w:left="${p.indentLeft}"/>`;
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

const NONE_BORDER = 'w:val="none" w:color="auto" w:sz="0"';
const TABLE_RULE = 'w:val="single" w:color="000000" w:sz="6"';
const HEADER_RULE = '<w:tcBorders><w:bottom w:val="single" w:color="000000" w:sz="4"/></w:tcBorders>';

/** A table as the docx library writes it (render/docx-layout.ts libraryTable). */
function tableXml(t: LaidTable, links: LinkTable, numIdOf: (listIndex: number) => number): string {
  const total = t.widths.reduce((a, b) => a + b, 0);
  const m = CELL_MARGINS;
  let xml =
    `<w:tbl><w:tblPr><w:tblW w:type="dxa" w:w="${total}"/><w:tblBorders>` +
    `<w:top ${TABLE_RULE}/><w:left ${NONE_BORDER}/><w:bottom ${TABLE_RULE}/><w:right ${NONE_BORDER}/>` +
    `<w:insideH ${NONE_BORDER}/><w:insideV ${NONE_BORDER}/></w:tblBorders><w:tblLayout w:type="fixed"/>` +
    `<w:tblCellMar><w:top w:type="dxa" w:w="${m.top}"/><w:left w:type="dxa" w:w="${m.left}"/>` +
    `<w:bottom w:type="dxa" w:w="${m.bottom}"/><w:right w:type="dxa" w:w="${m.right}"/></w:tblCellMar></w:tblPr><w:tblGrid>`;
  for (const w of t.widths) xml += `<w:gridCol w:w="${w}"/>`;
  xml += '</w:tblGrid>';
  const row = (cells: LaidCell[], header: boolean): void => {
    xml += header
      ? '<w:tr><w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>'
      : '<w:tr><w:trPr><w:cantSplit/></w:trPr>';
    cells.forEach((cell, i) => {
      const p: LaidParagraph = { style: t.style, jc: cell.jc, runs: cell.runs };
      if (t.spacing) p.spacing = t.spacing;
      if (t.bidi) p.bidi = true;
      xml +=
        `<w:tc><w:tcPr><w:tcW w:type="dxa" w:w="${t.widths[i] ?? 0}"/>${header ? HEADER_RULE : ''}</w:tcPr>` +
        `${paragraphXml(p, links, numIdOf)}</w:tc>`;
    });
    xml += '</w:tr>';
  };
  if (t.header) row(t.header, true);
  for (const r of t.rows) row(r, false);
  return xml + '</w:tbl>';
}

function blockXml(b: LaidBlock, links: LinkTable, numIdOf: (listIndex: number) => number): string {
  return b.table ? tableXml(b, links, numIdOf) : paragraphXml(b, links, numIdOf);
}

/** docProps/core.xml; the dates are the document's, never the wall clock. */
function corePropertiesXml(doc: NvDocument, created: string): string {
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
// ZIP writing (node:zlib's raw DEFLATE; the container is written here so the static parts are deflated
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
    deflated: deflateRawSync(data, { level: DEFLATE_LEVEL }),
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

/**
 * A header or footer part holding the report's symbol or footer line: the library's XML with a
 * token in their place, filled in per document.
 */
interface TemplatedPart {
  path: string;
  xml: string;
}

/** Stand-ins for a report's symbol and footer line in the header and footer parts. */
const SYMBOL_TOKEN = 'NVREPORTSYMBOLTOKEN';
const FOOTER_TOKEN = 'NVREPORTFOOTERTOKEN';
/** Stand-in for the document language: the static package is built once for every language. */
const LANGUAGE_TOKEN = 'NVLANGUAGETOKEN';
/** The `w:lang` the library writes for LANGUAGE_TOKEN in the styles' run defaults. */
const LANGUAGE_ELEMENT = `<w:lang w:val="${LANGUAGE_TOKEN}"/>`;

/** `w:lang` of a document language, written as the docx library writes it (val, eastAsia, bidi). */
function languageXml(tag: string): string {
  const lang = docxLanguage(tag);
  if (lang === undefined) return '';
  let xml = `<w:lang w:val="${escapeXml(lang.value)}"`;
  if (lang.eastAsia !== undefined) xml += ` w:eastAsia="${escapeXml(lang.eastAsia)}"`;
  if (lang.bidirectional !== undefined) xml += ` w:bidi="${escapeXml(lang.bidirectional)}"`;
  return xml + '/>';
}

interface StaticPackage {
  /** ZIP order: a static entry, the name of a part written per document, or a templated part. */
  order: Array<ZipEntry | DynamicPart | TemplatedPart>;
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

/** A report exercising every static structure, with tokens for the symbol and the footer line. */
function sampleReport(language: string): ReportDocument {
  return {
    kind: 'report',
    meta: { title: 'Sample', author: 'Sample', language, created: new Date(Date.UTC(2000, 0, 1)) },
    symbol: SYMBOL_TOKEN,
    masthead: 'A',
    distribution: ['B'],
    titleLines: [[{ text: 'T' }]],
    body: [
      { type: 'paragraph', align: 'justify', runs: [{ text: 'Body' }] },
      { type: 'list', ordered: false, items: [[{ text: 'bullet' }]] },
      { type: 'list', ordered: true, items: [[{ text: 'ordered' }]] },
    ],
    footer: FOOTER_TOKEN,
  };
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

function partText(parts: ReadonlyMap<string, PartData>, path: string): string {
  const data = parts.get(path);
  if (typeof data !== 'string') throw new InternalError(`The docx library wrote no ${path}.`);
  return data;
}

function splitAround(text: string, start: number, end: number): [string, string] {
  return [text.slice(0, start), text.slice(end)];
}

function buildStaticPackage(parts: ReadonlyMap<string, PartData>): StaticPackage {
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
  const order: Array<ZipEntry | DynamicPart | TemplatedPart> = [];
  const paths = [PATH.contentTypes, ...[...parts.keys()].filter((p) => p !== PATH.contentTypes)];
  for (const path of paths) {
    const data = parts.get(path) as PartData;
    const kind = dynamic[path];
    if (kind !== undefined) {
      order.push(kind);
    } else if (typeof data === 'string' && (data.includes(SYMBOL_TOKEN) || data.includes(FOOTER_TOKEN))) {
      if (!/^word\/(header|footer)\d+\.xml$/.test(path)) {
        throw new InternalError(`Unexpected report text in ${path} from the docx library.`);
      }
      order.push({ path, xml: data });
    } else if (typeof data === 'string' && data.includes(LANGUAGE_TOKEN)) {
      if (path !== 'word/styles.xml' || data.split(LANGUAGE_ELEMENT).length !== 2) {
        throw new InternalError(`Unexpected document language in ${path} from the docx library.`);
      }
      order.push({ path, xml: data });
    } else {
      order.push(zipEntry(path, typeof data === 'string' ? UTF8.encode(data) : data));
    }
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

/** A part by `key` (its content, or what fills in its template), made by `xml` when not cached. */
function cachedEntry(pkg: StaticPackage, path: string, key: string, xml: () => string): ZipEntry {
  const k = `${path}\n${key}`;
  let entry = pkg.entries.get(k);
  if (entry === undefined) {
    if (pkg.entries.size >= ENTRY_CACHE_SIZE) pkg.entries.clear();
    entry = zipEntry(path, UTF8.encode(xml()));
    pkg.entries.set(k, entry);
  }
  return entry;
}

function renderWith(pkg: StaticPackage, doc: NvDocument): Uint8Array {
  const created = doc.meta.created;
  if (!(created instanceof Date) || Number.isNaN(created.getTime())) {
    throw new InternalError(
      `${isReport(doc) ? 'ReportDocument' : 'NoteDocument'}.meta.created is not a valid date.`,
    );
  }
  const blocks = layoutDocument(doc);

  // One w:num per list, so each ordered list starts at 1.
  const lists: boolean[] = [];
  for (const p of blocks) if (!p.table && p.list !== undefined) lists[p.list.index] = p.list.ordered;
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
  for (const b of blocks) body += blockXml(b, links, numIdOf);
  body += pkg.documentTail;

  const dynamic: Record<DynamicPart, () => ZipEntry> = {
    document: () => zipEntry(PATH.document, UTF8.encode(body)),
    // The notes of a batch mostly share their links and lists: these two parts are kept by content.
    documentRels: () => {
      const rels = links.relationshipsXml();
      return cachedEntry(pkg, PATH.documentRels, rels, () => pkg.relsHead + rels + pkg.relsTail);
    },
    numbering: () =>
      cachedEntry(pkg, PATH.numbering, nums, () => pkg.numberingHead + nums + pkg.numberingTail),
    core: () => zipEntry(PATH.core, UTF8.encode(corePropertiesXml(doc, isoSeconds(created)))),
  };
  const symbol = isReport(doc) ? escapeXml(sanitizeText(doc.symbol)) : '';
  const footer = isReport(doc) ? escapeXml(sanitizeText(doc.footer ?? '')) : '';
  const language = languageXml(doc.meta.language);
  const entries = pkg.order.map((e) => {
    if (typeof e === 'string') return dynamic[e]();
    if ('xml' in e) {
      // Kept by what fills the template in (short), not by the part's text.
      return cachedEntry(pkg, e.path, `${symbol}\n${footer}\n${language}`, () =>
        e.xml
          .replaceAll(SYMBOL_TOKEN, symbol)
          .replaceAll(FOOTER_TOKEN, footer)
          .replace(LANGUAGE_ELEMENT, language),
      );
    }
    return e;
  });
  return writeZip(entries, dosDateTime(created));
}

export type DocxKind = 'note' | 'report';

/** The static package of a kind of document, built with the docx library (~150 ms, and loading it ~100 ms). */
async function libraryPackage(kind: DocxKind): Promise<StaticPackage> {
  const { buildLibraryDocument } = await import('./docx-library.js');
  const sample = kind === 'report' ? sampleReport(LANGUAGE_TOKEN) : sampleDocument(LANGUAGE_TOKEN);
  return buildStaticPackage(await libraryParts(buildLibraryDocument(sample)));
}

// ---------------------------------------------------------------------------------------------
// The static packages stored at build time.

/**
 * The static packages, as the docx library builds them, are the same in every batch: `npm run
 * build` stores them next to this module (scripts/docx-package.mjs), with a fingerprint of the
 * modules and the library that make them. A batch then reads them (~1 ms) instead of loading the
 * library and building them; a file whose fingerprint is not this build's is ignored.
 */
export const PACKAGE_FILE = fileURLToPath(new URL('./docx-package.json', import.meta.url));

/** The modules whose code decides the static packages (compiled, next to this one), and the library's version. */
function packageFingerprint(): string {
  const hash = createHash('sha256');
  for (const name of ['docx.js', 'docx-library.js', 'docx-layout.js', 'typography.js', 'document.js']) {
    hash.update(readFileSync(fileURLToPath(new URL(`./${name}`, import.meta.url))));
  }
  // The library's package.json is not among its exports: found above its entry point.
  let dir = dirname(createRequire(import.meta.url).resolve('docx'));
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  hash.update(readFileSync(join(dir, 'package.json')));
  return hash.digest('hex');
}

type StoredEntry = { path: string; flags: number; crc: number; size: number; deflated: string };
type StoredPackage = Omit<StaticPackage, 'order' | 'entries'> & {
  order: Array<StoredEntry | DynamicPart | TemplatedPart>;
};

function storePackage(pkg: StaticPackage): StoredPackage {
  const { entries: _cache, order, ...rest } = pkg;
  return {
    ...rest,
    order: order.map((e) =>
      typeof e === 'string' || 'xml' in e
        ? e
        : {
            path: new TextDecoder().decode(e.name),
            flags: e.flags,
            crc: e.crc,
            size: e.size,
            deflated: Buffer.from(e.deflated).toString('base64'),
          },
    ),
  };
}

function loadPackage(stored: StoredPackage): StaticPackage {
  return {
    ...stored,
    order: stored.order.map((e) =>
      typeof e === 'string' || 'xml' in e
        ? e
        : {
            name: UTF8.encode(e.path),
            flags: e.flags,
            crc: e.crc,
            size: e.size,
            deflated: new Uint8Array(Buffer.from(e.deflated, 'base64')),
          },
    ),
    entries: new Map(),
  };
}

/** The text of PACKAGE_FILE: both kinds of document, built now with the docx library. */
export async function packageSnapshot(): Promise<string> {
  const packages: Record<DocxKind, StoredPackage> = {
    note: storePackage(await libraryPackage('note')),
    report: storePackage(await libraryPackage('report')),
  };
  return JSON.stringify({ fingerprint: packageFingerprint(), packages });
}

/** The stored static packages, when PACKAGE_FILE was written by this build; else undefined. */
function storedPackages(): Record<DocxKind, StoredPackage> | undefined {
  if (!existsSync(PACKAGE_FILE)) return undefined;
  try {
    const stored = JSON.parse(readFileSync(PACKAGE_FILE, 'utf8')) as {
      fingerprint: string;
      packages: Record<DocxKind, StoredPackage>;
    };
    return stored.fingerprint === packageFingerprint() ? stored.packages : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A renderer for a batch of notes (or reports): the static package of each kind of document is
 * the one stored at build time, else built once, here, with the docx library (asynchronous: its
 * public `Packer`), for every language. Rendering is then synchronous. Output is a function of the
 * document alone (byte-identical for the same document, whatever was rendered before it).
 * `source: 'library'` builds with the library whatever is stored (tests compare the two).
 */
export async function createDocxRenderer(
  kinds: readonly DocxKind[] = ['note', 'report'],
  source: 'stored' | 'library' = 'stored',
): Promise<DocxBatchRenderer> {
  const stored = source === 'stored' ? storedPackages() : undefined;
  const packages = new Map<DocxKind, StaticPackage>();
  for (const kind of kinds) {
    const own = stored?.[kind];
    packages.set(kind, own ? loadPackage(own) : await libraryPackage(kind));
  }
  return {
    render(doc: NvDocument): Uint8Array {
      const kind: DocxKind = isReport(doc) ? 'report' : 'note';
      const pkg = packages.get(kind);
      if (pkg === undefined) throw new InternalError(`This DOCX renderer was created without ${kind}s.`);
      return renderWith(pkg, doc);
    },
  };
}

const shared = new Map<DocxKind, Promise<DocxBatchRenderer>>();

/**
 * One note or report to DOCX bytes (a module-wide renderer per kind keeps the static parts between
 * calls; only the kind asked for is built).
 */
export async function renderDocx(doc: NvDocument): Promise<Uint8Array> {
  const kind: DocxKind = isReport(doc) ? 'report' : 'note';
  let renderer = shared.get(kind);
  if (renderer === undefined) {
    renderer = createDocxRenderer([kind]);
    shared.set(kind, renderer);
  }
  return (await renderer).render(doc);
}
