import chardet from 'chardet';
import iconv from 'iconv-lite';

import { UserError } from '../errors.js';

/**
 * The encodings a delegation list arrives in. `utf-8-bom` is Excel's "CSV UTF-8"; `utf-16le`
 * with a BOM is Excel's "Unicode text" (tab-separated); the legacy code pages are what Excel
 * writes as plain "CSV" on a Windows set to that language.
 */
export const LEGACY_ENCODINGS = [
  'windows-1250',
  'windows-1251',
  'windows-1252',
  'windows-1253',
  'windows-1254',
  'windows-1255',
  'windows-1256',
  'windows-1257',
  'iso-8859-2',
  'iso-8859-5',
  'iso-8859-6',
  'iso-8859-7',
  'iso-8859-8',
  'iso-8859-9',
  'koi8-r',
  'gb18030',
  'big5',
  'shift_jis',
  'euc-jp',
  'euc-kr',
  'macintosh',
] as const;

export type LegacyEncoding = (typeof LEGACY_ENCODINGS)[number];
export type TextEncodingName = 'utf-8' | 'utf-8-bom' | 'utf-16le' | 'utf-16be' | LegacyEncoding;

export interface DecodedText {
  /** The text, without its byte order mark. */
  text: string;
  encoding: TextEncodingName;
  /**
   * True when the encoding was guessed from the bytes (no BOM, not valid UTF-8): the caller
   * should say so ("assumed windows-1251"), because a guess can be wrong.
   */
  assumed: boolean;
  /**
   * When the encoding was assumed: the other encodings the bytes also decode in, and why this one
   * was taken ("of windows-1252 and macintosh, only macintosh reads as names").
   */
  guess?: { candidates: string[]; reason: string };
}

/**
 * Multi-byte legacy encodings need a confident detection: short runs of arbitrary high bytes are
 * "valid" Shift_JIS or EUC with a low score. Single-byte code pages decode anything, so any
 * ranking above zero is taken, and windows-1252 is the last resort.
 */
const MULTIBYTE: ReadonlySet<string> = new Set(['gb18030', 'big5', 'shift_jis', 'euc-jp', 'euc-kr']);
const MIN_MULTIBYTE_CONFIDENCE = 50;

/**
 * Decodes the bytes of a text file the way Governments' spreadsheets write them:
 * 1. a byte order mark decides (UTF-8, UTF-16LE, UTF-16BE);
 * 2. bytes that are valid UTF-8 are UTF-8;
 * 3. NUL bytes at every other position, with no BOM, are UTF-16 (assumed);
 * 4. otherwise chardet ranks the legacy encodings and the best plausible one is taken (assumed).
 *    chardet names a cp1252 file without bytes 0x80–0x9F "ISO-8859-1": it is read as
 *    windows-1252, which is the same on every printable character and is what Excel writes.
 *    When nothing plausible is found, windows-1252 is assumed (it decodes every byte; a wrong
 *    guess shows in the header check and in the "assumed" note).
 *
 * Throws UserError when the bytes are not text (NUL characters, broken UTF-16, a UTF-8 BOM
 * followed by invalid UTF-8, UTF-32).
 */
export function decodeText(bytes: Uint8Array, options: { file?: string } = {}): DecodedText {
  const name = options.file ?? 'the file';
  const decoded = decodeBytes(bytes, name);
  if (decoded.text.includes('\u0000')) throw notText(name);
  return decoded;
}

function notText(name: string): UserError {
  return new UserError(`${name} is not a text file (it contains NUL characters): save the list as CSV.`, {
    hint: 'In Excel: File > Save As > "CSV UTF-8 (comma delimited)".',
  });
}

function decodeBytes(bytes: Uint8Array, name: string): DecodedText {
  // A ZIP (a workbook nv could not open, or another Office file) is never a CSV, whatever it decodes as.
  if (bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04)
    throw new UserError(
      `${name} is a ZIP archive but not a workbook nv can open (it is damaged, or not an Excel file): save the list again as XLSX or CSV.`,
    );
  const b0 = bytes[0];
  const b1 = bytes[1];
  const b2 = bytes[2];
  if (b0 === 0xef && b1 === 0xbb && b2 === 0xbf) {
    return {
      text: strict('utf-8', bytes.subarray(3), name, 'UTF-8 (it starts with a UTF-8 BOM)'),
      encoding: 'utf-8-bom',
      assumed: false,
    };
  }
  if (
    (b0 === 0xff && b1 === 0xfe && b2 === 0 && bytes[3] === 0) ||
    (b0 === 0 && b1 === 0 && b2 === 0xfe && bytes[3] === 0xff)
  ) {
    throw new UserError(`${name} is in UTF-32, which nv does not read: save it as UTF-8 or UTF-16.`);
  }
  if (b0 === 0xff && b1 === 0xfe) {
    return {
      text: strict('utf-16le', bytes.subarray(2), name, 'UTF-16LE (it starts with a UTF-16LE BOM)'),
      encoding: 'utf-16le',
      assumed: false,
    };
  }
  if (b0 === 0xfe && b1 === 0xff) {
    return {
      text: strict('utf-16be', bytes.subarray(2), name, 'UTF-16BE (it starts with a UTF-16BE BOM)'),
      encoding: 'utf-16be',
      assumed: false,
    };
  }
  const utf16 = utf16WithoutBom(bytes);
  if (utf16 !== undefined) {
    return { text: strict(utf16, bytes, name, utf16.toUpperCase()), encoding: utf16, assumed: true };
  }
  try {
    return {
      text: new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes),
      encoding: 'utf-8',
      assumed: false,
    };
  } catch {
    // Not UTF-8: a legacy code page.
  }
  // Bytes no code page reads as text are not a list: say what they are, not which encoding fails.
  if (bytes.includes(0)) throw notText(name);
  return guessLegacy(bytes, name);
}

/**
 * A legacy code page is a guess: every single-byte code page decodes any bytes, so a decode that
 * succeeds is not a decode that is right (a MacRoman list read as windows-1252 gives
 * "JŸrg M†LLER"). Each encoding chardet finds likely, and MacRoman (which chardet reads as
 * windows-1252), is tried; the text that reads as names (letters, not symbols, inside words; no
 * capital inside a lower-case word) wins, chardet's order breaking ties (MacRoman first when the
 * lines end in a bare CR, as on a Mac). When no candidate reads as names, the list is refused with
 * the candidates and what each makes of a word.
 */
function guessLegacy(bytes: Uint8Array, name: string): DecodedText {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const ranked = detectLegacy(bytes);
  const macLines = bareCrLines(buf);
  const order: LegacyEncoding[] = macLines
    ? ['macintosh', ...ranked.filter((e) => e !== 'macintosh')]
    : [...ranked.filter((e) => e !== 'macintosh'), 'macintosh'];
  // windows-1252 and windows-1254 differ only in Icelandic and Turkish letters (Þ/Ş, Ð/Ğ, Ý/İ):
  // chardet often ranks only the first, so where those bytes occur both are tried.
  if (
    order.includes('windows-1252') &&
    !order.includes('windows-1254') &&
    /[\xd0\xdd\xde\xf0\xfd\xfe]/.test(buf.toString('latin1'))
  )
    order.splice(order.indexOf('windows-1252') + 1, 0, 'windows-1254');
  const tried = order.map((encoding) => {
    const text = iconv.decode(buf, encoding, { stripBOM: false });
    return { encoding, text, odd: implausible(text) };
  });
  const best = tried.reduce((a, b) => (b.odd.count < a.odd.count ? b : a));
  const decoding = tried.filter((t) => t.odd.count === 0).map((t) => t.encoding);
  if (best.odd.count > 0) {
    throw new UserError(
      `${name} is not UTF-8, and no encoding reads it as names: ${tried
        .slice(0, 4)
        .map((t) => `as ${t.encoding} it reads "${t.odd.first}"`)
        .join('; ')}.`,
      { hint: 'Open it in Excel or LibreOffice and save it again as "CSV UTF-8".' },
    );
  }
  const others = decoding.filter((e) => e !== best.encoding);
  const rejected = tried.filter((t) => t.odd.count > 0).map((t) => `${t.encoding} ("${t.odd.first}")`);
  return {
    text: best.text,
    encoding: best.encoding,
    assumed: true,
    guess: {
      candidates: tried.map((t) => t.encoding),
      reason:
        rejected.length > 0
          ? `${best.encoding} reads as names where ${rejected.slice(0, 3).join(', ')} ${rejected.length === 1 ? 'does' : 'do'} not`
          : others.length > 0
            ? `${best.encoding} and ${others.slice(0, 3).join(', ')} all read as names; ${best.encoding} ranks first${macLines ? ' (lines end in a bare CR, as on a Mac)' : ''}`
            : `${best.encoding} is the likeliest`,
    },
  };
}

/** Lines that end in a bare CR and never in LF: a file written by classic Mac software (Excel for Mac). */
function bareCrLines(buf: Buffer): boolean {
  return buf.includes(0x0d) && !buf.includes(0x0a);
}

/**
 * A symbol or a punctuation mark outside ASCII that has no business touching a letter ("†", "•",
 * "¶", "√"): not quotes nor brackets («», „“), not the ellipsis, the middle dot of "l·l", Spanish
 * ¿¡, nor the punctuation of Arabic, Armenian, Devanagari and CJK.
 */
const SYMBOL = String.raw`(?![\u2026\u00b7\u00bf\u00a1\u055a-\u055f\u060c\u061b\u061f\u066a-\u066d\u06d4\u0964\u0965\u3001\u3002\uff01\uff0c\uff1a\uff1b\uff1f])(?=[^\x00-\x7f])[\p{S}\p{Po}]`;

/**
 * Marks of a wrong decode, counted in the words of a text: C1 control characters; a symbol
 * outside ASCII next to a letter ("M†LLER"), an ellipsis inside a word ("G…TZE"), an opening
 * quote right after a letter ("Zo‘"); a capital letter outside ASCII between a letter and
 * a lower-case letter ("JŸrg"); a lower-case letter outside ASCII between two capitals ("MöLLER").
 */
/**
 * A word with a letter only Icelandic writes (Þ, Ð) beside a letter Icelandic never writes
 * ("Þükrü", "ÇAÐLAR": Turkish read as windows-1252), or with a letter only Turkish writes (Ğ, İ, ı)
 * beside one Turkish never writes ("Guğrún": Icelandic read as windows-1254). Ý and Ş are left
 * out: Czech writes "Černý", Romanian "Ştefănescu".
 */
const MIXED_ALPHABET =
  /(?=[\p{L}]*[ÐðÞþ])[\p{L}]*[^\P{L}a-zA-ZáéíóúýðþæöøÁÉÍÓÚÝÐÞÆÖØ][\p{L}]*|(?=[\p{L}]*[Ğğİı])[\p{L}]*[^\P{L}a-zA-ZçöüğışâîûÇÖÜĞİŞÂÎÛ][\p{L}]*/gu;

function implausible(text: string): { count: number; first: string } {
  let count = 0;
  let first = '';
  const sample = text.length > 1_000_000 ? text.slice(0, 1_000_000) : text;
  const odd = new RegExp(
    String.raw`[\u0080-\u009f]|(?<=\p{L})${SYMBOL}|${SYMBOL}(?=\p{L})|(?<=\p{L})[\u2026\u2018\u201c\u201e](?=\p{L})|(?<=\p{L})[\u2018\u201c\u201e]|(?<=\p{L})[^\x00-\x7f](?<=\p{Lu})(?=\p{Ll})|(?<=\p{Lu})[^\x00-\x7f](?<=\p{Ll})(?=\p{Lu})`,
    'gu',
  );
  const matches = [...sample.matchAll(odd), ...sample.matchAll(MIXED_ALPHABET)].sort(
    (a, b) => a.index - b.index,
  );
  for (const m of matches) {
    if (count++ === 0) {
      const at = m.index;
      const start =
        Math.max(
          sample.lastIndexOf(' ', at),
          sample.lastIndexOf(',', at),
          sample.lastIndexOf(';', at),
          sample.lastIndexOf('\r', at),
          sample.lastIndexOf('\n', at),
        ) + 1;
      const end = sample.slice(at).search(/[\s,;]/);
      first = sample.slice(start, end === -1 ? undefined : at + end).slice(0, 40);
    }
  }
  return { count, first };
}

function strict(
  encoding: 'utf-8' | 'utf-16le' | 'utf-16be',
  bytes: Uint8Array,
  name: string,
  what: string,
): string {
  if (encoding !== 'utf-8' && bytes.byteLength % 2 !== 0) {
    throw new UserError(
      `${name} should be ${what} but has an odd number of bytes: it is truncated or damaged.`,
    );
  }
  try {
    return new TextDecoder(encoding, { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    throw new UserError(
      `${name} should be ${what} but contains bytes that are not valid ${encoding.toUpperCase()}: it is damaged, or was saved in another encoding.`,
      {
        hint: 'Open it in Excel or LibreOffice and save it again as "CSV UTF-8".',
      },
    );
  }
}

/** UTF-16 written without a BOM: most characters of a CSV are ASCII, so one byte of each pair is 0. */
function utf16WithoutBom(bytes: Uint8Array): 'utf-16le' | 'utf-16be' | undefined {
  const n = Math.min(bytes.byteLength, 4096) & ~1;
  if (n < 4) return undefined;
  let zeroEven = 0;
  let zeroOdd = 0;
  for (let i = 0; i < n; i += 2) {
    if (bytes[i] === 0) zeroEven++;
    if (bytes[i + 1] === 0) zeroOdd++;
  }
  const pairs = n / 2;
  if (zeroOdd >= pairs * 0.4 && zeroEven <= pairs * 0.05) return 'utf-16le';
  if (zeroEven >= pairs * 0.4 && zeroOdd <= pairs * 0.05) return 'utf-16be';
  return undefined;
}

/** The legacy encodings chardet finds likely, likeliest first; windows-1252 when it finds none. */
function detectLegacy(bytes: Uint8Array): LegacyEncoding[] {
  const found: LegacyEncoding[] = [];
  for (const match of chardet.analyse(bytes)) {
    const name = match.name === 'ISO-8859-1' ? 'windows-1252' : match.name.toLowerCase();
    if (!isLegacy(name) || found.includes(name)) continue;
    if (MULTIBYTE.has(name) ? match.confidence < MIN_MULTIBYTE_CONFIDENCE : match.confidence <= 0) continue;
    found.push(name);
  }
  return found.length > 0 ? found : ['windows-1252'];
}

function isLegacy(name: string): name is LegacyEncoding {
  return (LEGACY_ENCODINGS as readonly string[]).includes(name);
}
