/**
 * A reader of PDF content streams (ISO 32000 §7.8.2): operands and operators, with inline images
 * (`BI … ID data EI`) skipped over. It keeps only what measuring a page needs: numbers, names,
 * the byte length of strings, arrays and dictionaries. Damaged input never throws: what cannot be
 * read is skipped.
 */

export class Name {
  constructor(readonly name: string) {}
}

/** A string operand; only its length in bytes matters here (glyph codes). */
export class Str {
  constructor(readonly bytes: number) {}
}

export class Dict {
  constructor(readonly entries: Map<string, Operand>) {}
  get(key: string): Operand | undefined {
    return this.entries.get(key);
  }
}

export type Operand = number | boolean | null | Name | Str | Dict | Operand[];

/** Called for each operator with its operands; `BI` gets the inline image's dictionary as its one operand. */
export type OperatorHandler = (operator: string, operands: Operand[]) => void;

const WS = new Uint8Array(256);
for (const c of [0, 9, 10, 12, 13, 32]) WS[c] = 1;
const DELIM = new Uint8Array(256);
for (const c of '()<>[]{}/%') DELIM[c.charCodeAt(0)] = 1;
const isRegular = (c: number): boolean => !WS[c] && !DELIM[c];
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)$/;

const ABBREVIATIONS: Record<string, string> = {
  W: 'Width',
  H: 'Height',
  BPC: 'BitsPerComponent',
  CS: 'ColorSpace',
  F: 'Filter',
  IM: 'ImageMask',
  DP: 'DecodeParms',
  D: 'Decode',
  I: 'Interpolate',
};

/**
 * Reads `bytes` and calls `onOperator` for each operator. Stops after `maxOperators` (returns
 * false then), so that a hostile stream cannot keep it busy.
 */
export function readContentStream(
  bytes: Uint8Array,
  onOperator: OperatorHandler,
  maxOperators = 2_000_000,
  inlineImages = true,
): boolean {
  const n = bytes.length;
  let pos = 0;
  let operands: Operand[] = [];
  // Open arrays and dictionaries; a dictionary collects key, value, key, value…
  const open: { kind: '[' | '<<'; items: Operand[] }[] = [];
  let operators = 0;

  const push = (value: Operand): void => {
    const top = open[open.length - 1];
    if (top) top.items.push(value);
    else operands.push(value);
  };

  while (pos < n) {
    const c = bytes[pos] as number;
    if (WS[c]) {
      pos++;
    } else if (c === 0x25 /* % */) {
      while (pos < n && bytes[pos] !== 10 && bytes[pos] !== 13) pos++;
    } else if (c === 0x2f /* / */) {
      const start = ++pos;
      while (pos < n && isRegular(bytes[pos] as number)) pos++;
      push(new Name(latin1(bytes, start, pos)));
    } else if (c === 0x28 /* ( */) {
      const [length, end] = readLiteralString(bytes, pos);
      push(new Str(length));
      pos = end;
    } else if (c === 0x3c /* < */) {
      if (bytes[pos + 1] === 0x3c) {
        open.push({ kind: '<<', items: [] });
        pos += 2;
      } else {
        let digits = 0;
        pos++;
        while (pos < n && bytes[pos] !== 0x3e) {
          if (!WS[bytes[pos] as number]) digits++;
          pos++;
        }
        pos++;
        push(new Str(Math.ceil(digits / 2)));
      }
    } else if (c === 0x3e /* > */) {
      pos += bytes[pos + 1] === 0x3e ? 2 : 1;
      const top = open[open.length - 1];
      if (top?.kind === '<<') {
        open.pop();
        push(toDict(top.items));
      }
    } else if (c === 0x5b /* [ */) {
      open.push({ kind: '[', items: [] });
      pos++;
    } else if (c === 0x5d /* ] */) {
      pos++;
      const top = open[open.length - 1];
      if (top?.kind === '[') {
        open.pop();
        push(top.items);
      }
    } else if (c === 0x7b || c === 0x7d || c === 0x29) {
      pos++; // braces (never in page content) and a stray ")"
    } else {
      const start = pos;
      while (pos < n && isRegular(bytes[pos] as number)) pos++;
      const word = latin1(bytes, start, pos);
      if (NUMBER.test(word)) push(Number(word));
      else if (word === 'true' || word === 'false') push(word === 'true');
      else if (word === 'null') push(null);
      else {
        // An operator ends any array or dictionary left open by damage.
        open.length = 0;
        if (word === 'BI' && inlineImages) {
          const inline = readInlineImage(bytes, pos);
          pos = inline.end;
          onOperator('BI', [inline.dict]);
        } else {
          onOperator(word, operands);
        }
        operands = [];
        if (++operators >= maxOperators) return false;
      }
    }
  }
  return true;
}

function latin1(bytes: Uint8Array, start: number, end: number): string {
  let s = '';
  for (let i = start; i < end && i < start + 256; i++) s += String.fromCharCode(bytes[i] as number);
  return s;
}

function toDict(items: Operand[]): Dict {
  const entries = new Map<string, Operand>();
  for (let i = 0; i + 1 < items.length; i += 2) {
    const key = items[i];
    if (key instanceof Name) entries.set(key.name, items[i + 1] as Operand);
  }
  return new Dict(entries);
}

/** Returns [byte length, position after the closing parenthesis]. */
function readLiteralString(bytes: Uint8Array, start: number): [number, number] {
  let pos = start + 1;
  let depth = 1;
  let length = 0;
  const n = bytes.length;
  while (pos < n) {
    const c = bytes[pos] as number;
    if (c === 0x5c /* \ */) {
      const next = bytes[pos + 1];
      if (next === undefined) {
        pos++;
        break;
      }
      if (next >= 0x30 && next <= 0x37) {
        // \ddd: one to three octal digits, one byte
        let k = pos + 1;
        while (k < pos + 4 && (bytes[k] as number) >= 0x30 && (bytes[k] as number) <= 0x37) k++;
        pos = k;
        length++;
      } else if (next === 13 || next === 10) {
        // a backslash at the end of a line continues the string: no byte
        pos += next === 13 && bytes[pos + 2] === 10 ? 3 : 2;
      } else {
        pos += 2;
        length++;
      }
      continue;
    }
    if (c === 0x28) depth++;
    else if (c === 0x29 && --depth === 0) return [length, pos + 1];
    length++;
    pos++;
  }
  return [length, pos];
}

/**
 * After `BI`: the dictionary up to `ID`, then the data, then `EI`. Unfiltered data has a known
 * length; filtered data ends at the first `EI` between white space (as readers do).
 */
function readInlineImage(bytes: Uint8Array, from: number): { dict: Dict; end: number } {
  // The ID keyword: "ID" between non-regular characters, then one white-space byte, then data.
  let id = -1;
  for (let i = from; i + 1 < bytes.length; i++) {
    if (
      bytes[i] === 0x49 &&
      bytes[i + 1] === 0x44 &&
      !isRegular(bytes[i - 1] as number) &&
      (i + 2 >= bytes.length || !isRegular(bytes[i + 2] as number))
    ) {
      id = i;
      break;
    }
  }
  const entries = new Map<string, Operand>();
  const dictEnd = id < 0 ? bytes.length : id;
  const dictBytes = new Uint8Array(dictEnd - from + 3);
  dictBytes.set(bytes.subarray(from, dictEnd));
  dictBytes.set([0x20, 0x49, 0x44], dictEnd - from); // " ID": the operator that hands us the operands
  let items: Operand[] = [];
  readContentStream(
    dictBytes,
    (op, operands) => {
      if (op === 'ID') items = operands;
    },
    10_000,
    false,
  );
  for (let i = 0; i + 1 < items.length; i += 2) {
    const key = items[i];
    if (key instanceof Name) entries.set(ABBREVIATIONS[key.name] ?? key.name, items[i + 1] as Operand);
  }
  const dict = new Dict(entries);
  if (id < 0) return { dict, end: bytes.length };
  const dataStart = id + 3;
  const known = unfilteredLength(dict);
  const searchFrom = known === null ? dataStart : Math.min(bytes.length, dataStart + known);
  for (let i = searchFrom; i + 1 < bytes.length; i++) {
    if (
      bytes[i] === 0x45 &&
      bytes[i + 1] === 0x49 &&
      (i === searchFrom || WS[bytes[i - 1] as number]) &&
      (i + 2 >= bytes.length || !isRegular(bytes[i + 2] as number))
    ) {
      return { dict, end: i + 2 };
    }
  }
  return { dict, end: bytes.length };
}

function unfilteredLength(dict: Dict): number | null {
  if (dict.get('Filter') !== undefined) return null;
  const w = dict.get('Width');
  const h = dict.get('Height');
  if (typeof w !== 'number' || typeof h !== 'number' || w <= 0 || h <= 0) return null;
  const mask = dict.get('ImageMask') === true;
  const bpcValue = dict.get('BitsPerComponent');
  const bpc = mask ? 1 : typeof bpcValue === 'number' ? bpcValue : 8;
  const cs = dict.get('ColorSpace');
  const csName =
    cs instanceof Name ? cs.name : Array.isArray(cs) && cs[0] instanceof Name ? cs[0].name : 'DeviceGray';
  const components: Record<string, number> = {
    G: 1,
    DeviceGray: 1,
    CalGray: 1,
    I: 1,
    Indexed: 1,
    RGB: 3,
    DeviceRGB: 3,
    CalRGB: 3,
    CMYK: 4,
    DeviceCMYK: 4,
  };
  const comps = mask ? 1 : components[csName];
  if (comps === undefined) return null;
  return Math.ceil((w * bpc * comps) / 8) * h;
}
