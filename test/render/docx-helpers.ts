/** Helpers of the DOCX tests: unzip, split paragraphs, check well-formedness, compile with the docx library. */
import { DOMParser, type Document as XmlDocument, type Element as XmlElement } from '@xmldom/xmldom';
import { strFromU8, unzipSync } from 'fflate';
import { expect } from 'vitest';
import type { NvDocument } from '../../src/render/document.js';
import { libraryParts as packerParts } from '../../src/render/docx.js';
import { buildLibraryDocument } from '../../src/render/docx-library.js';

export type Parts = Record<string, string>;

export function unzip(bytes: Uint8Array): Parts {
  const files = unzipSync(bytes);
  return Object.fromEntries(Object.entries(files).map(([k, v]) => [k, strFromU8(v)]));
}

export function zipOrder(bytes: Uint8Array): string[] {
  const names: string[] = [];
  unzipSync(bytes, {
    filter: (f) => {
      names.push(f.name);
      return false;
    },
  });
  return names;
}

/** The `<w:p>` elements of a part, in order. */
export function paragraphs(xml: string): string[] {
  return [...xml.matchAll(/<w:p>.*?<\/w:p>|<w:p\/>/g)].map((m) => m[0]);
}

export function unescapeXml(s: string): string {
  return s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');
}

/** The text of a paragraph: its `w:t` contents, tabs as '\t'. */
export function paragraphText(p: string): string {
  return [...p.matchAll(/<w:t xml:space="preserve">([^<]*)<\/w:t>|<w:tab\/>/g)]
    .map((m) => (m[0] === '<w:tab/>' ? '\t' : unescapeXml(m[1] as string)))
    .join('');
}

const ILLEGAL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/;

/**
 * A strict well-formedness check (no XML parser is installed): balanced tags, quoted attributes
 * without '<', only the predefined or numeric entities, no characters illegal in XML 1.0.
 */
export function assertWellFormed(xml: string, name: string): void {
  expect(ILLEGAL.test(xml), `${name}: illegal character`).toBe(false);
  expect(
    /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(xml),
    `${name}: lone surrogate`,
  ).toBe(false);
  let rest = xml.replace(/^<\?xml [^?]*\?>/, '');
  const stack: string[] = [];
  const token =
    /^(?:<([A-Za-z_][\w.:-]*)((?:\s+[A-Za-z_][\w.:-]*="[^"<]*")*)\s*(\/?)>|<\/([A-Za-z_][\w.:-]*)>|([^<]+))/;
  while (rest.length > 0) {
    const m = token.exec(rest);
    if (m === null) throw new Error(`${name}: not well-formed near ${JSON.stringify(rest.slice(0, 80))}`);
    const [whole, open, attrs, selfClose, close, text] = m;
    const checkEntities = (s: string) => {
      for (const e of s.matchAll(/&([^;]*);?/g)) {
        expect(
          /^&(amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);$/.test(e[0]),
          `${name}: bad entity ${e[0]}`,
        ).toBe(true);
      }
    };
    if (open !== undefined) {
      checkEntities(attrs ?? '');
      if (selfClose !== '/') stack.push(open);
    } else if (close !== undefined) {
      expect(stack.pop(), `${name}: unbalanced </${close}>`).toBe(close);
    } else if (text !== undefined) {
      expect(text.includes('>') && /]]>/.test(text), `${name}: ]]> in text`).toBe(false);
      checkEntities(text);
    }
    rest = rest.slice(whole.length);
  }
  expect(stack, `${name}: unclosed elements`).toEqual([]);
}

/** document.xml with the library's random hyperlink relationship ids replaced by placeholders. */
export function normaliseLinkIds(xml: string): string {
  const ids = new Map<string, string>();
  return xml.replace(/r:id="([^"]+)"/g, (_, id: string) => {
    if (/^rId\d+$/.test(id)) return `r:id="${id}"`;
    if (!ids.has(id)) ids.set(id, `L${ids.size + 1}`);
    return `r:id="${ids.get(id)}"`;
  });
}

/** The parts the docx library itself writes for `doc` (its public Packer, unzipped). */
export async function libraryParts(doc: NvDocument): Promise<Parts> {
  const out: Parts = {};
  for (const [k, v] of await packerParts(buildLibraryDocument(doc))) if (typeof v === 'string') out[k] = v;
  return out;
}

// ---------------------------------------------------------------------------------------------
// A real XML parser (@xmldom/xmldom) for the WordprocessingML parts.

export type { XmlDocument, XmlElement };

export const W_NS = 'http://schemas.openxmlformats.org/wordprocessingml/2006/main';

/** Parses a part; a parse error (not well-formed XML) throws. */
export function parseXml(xml: string): XmlDocument {
  const errors: string[] = [];
  const doc = new DOMParser({
    onError: (level, message) => {
      if (level !== 'warning') errors.push(message);
    },
  }).parseFromString(xml, 'text/xml');
  if (errors.length > 0) throw new Error(`XML parse error: ${errors.join('; ')}`);
  return doc;
}

/** The `w:` descendants of `node` named `local`, in document order. */
export function wAll(node: XmlDocument | XmlElement, local: string): XmlElement[] {
  return Array.from(node.getElementsByTagNameNS(W_NS, local));
}

/** The first `w:` child (not descendant) of `el` named `local`. */
export function wChild(el: XmlElement | null | undefined, local: string): XmlElement | undefined {
  if (!el) return undefined;
  for (let n = el.firstChild; n !== null; n = n.nextSibling) {
    if (
      n.nodeType === 1 &&
      (n as XmlElement).namespaceURI === W_NS &&
      (n as XmlElement).localName === local
    ) {
      return n as XmlElement;
    }
  }
  return undefined;
}

/** A `w:` attribute of `el`, or undefined. */
export function wAttr(el: XmlElement | null | undefined, local: string): string | undefined {
  return el?.hasAttributeNS(W_NS, local) ? (el.getAttributeNS(W_NS, local) ?? undefined) : undefined;
}

/** The text of a run or paragraph: its `w:t`, tabs as '\t'. */
export function wText(el: XmlElement): string {
  let s = '';
  for (const t of Array.from(el.getElementsByTagNameNS(W_NS, '*'))) {
    if (t.localName === 't') s += t.textContent ?? '';
    else if (t.localName === 'tab' && t.parentNode && (t.parentNode as XmlElement).localName === 'r')
      s += '\t';
  }
  return s;
}
