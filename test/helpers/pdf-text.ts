/** Reads text back from PDFs with pdfjs-dist (the legacy build runs on Node 20). */
import { readFileSync } from 'node:fs';

type PdfJs = typeof import('pdfjs-dist/legacy/build/pdf.mjs');
let lib: PdfJs | undefined;
async function pdfjs(): Promise<PdfJs> {
  lib ??= await import('pdfjs-dist/legacy/build/pdf.mjs');
  return lib;
}

export interface PdfItem {
  str: string;
  fontName: string;
  /** The font's real name (e.g. "ABCDEF+DejaVuSerif-Bold"). */
  font: string;
  page: number;
}

export interface PdfRead {
  pages: string[];
  items: PdfItem[];
  info: Record<string, unknown>;
  numPages: number;
}

export async function readPdf(pathOrBytes: string | Uint8Array): Promise<PdfRead> {
  const { getDocument } = await pdfjs();
  const data =
    typeof pathOrBytes === 'string' ? new Uint8Array(readFileSync(pathOrBytes)) : new Uint8Array(pathOrBytes);
  const doc = await getDocument({ data, useSystemFonts: false, isEvalSupported: false, verbosity: 0 })
    .promise;
  const pages: string[] = [];
  const items: PdfItem[] = [];
  for (let i = 1; i <= doc.numPages; i++) {
    const page = await doc.getPage(i);
    const tc = await page.getTextContent();
    // The operator list loads the page's fonts into commonObjs, where their real names are.
    await page.getOperatorList();
    let text = '';
    for (const it of tc.items) {
      if (!('str' in it)) continue;
      text += it.str + (it.hasEOL ? '\n' : '');
      const style = tc.styles[it.fontName] as { fontFamily?: string } | undefined;
      // The loaded font object knows the PDF font name.
      let font = style?.fontFamily ?? '';
      try {
        const f = page.commonObjs.get(it.fontName) as { name?: string } | undefined;
        if (f?.name) font = f.name;
      } catch {
        // not loaded
      }
      items.push({ str: it.str, fontName: it.fontName, font, page: i });
    }
    // A word nv hyphenated at a line end is read whole, as pdftotext does ("inter-" + "national").
    pages.push(text.replace(/(\p{Ll})-\n(?=\p{Ll})/gu, '$1'));
  }
  const meta = await doc.getMetadata();
  await doc.destroy();
  return { pages, items, info: meta.info as Record<string, unknown>, numPages: pages.length };
}

export function flat(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}
