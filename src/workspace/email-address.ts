/**
 * E-mail addresses as recipients.csv holds them: RFC 5322 addr-spec (`local@domain`, no display
 * name, no comments, no obsolete syntax), within the lengths of RFC 5321 (local part 64 octets,
 * address 254).
 */
const ATEXT = "[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]";
const DOT_ATOM = `${ATEXT}+(?:\\.${ATEXT}+)*`;
const QUOTED = '"(?:[\\x20\\x21\\x23-\\x5b\\x5d-\\x7e]|\\\\[\\x20-\\x7e])*"';
const DOMAIN_LITERAL = '\\[[\\x21-\\x5a\\x5e-\\x7e]*\\]';
const ADDR_SPEC = new RegExp(`^(?:${DOT_ATOM}|${QUOTED})@(?:${DOT_ATOM}|${DOMAIN_LITERAL})$`);

/** True when `s` is an RFC 5322 addr-spec of at most 254 characters, local part at most 64. */
export function isAddrSpec(s: string): boolean {
  if (s.length > 254 || !ADDR_SPEC.test(s)) return false;
  return s.lastIndexOf('@') <= 64;
}

/** The addresses of a cell: `;`-separated, blanks around each ignored, empty ones dropped. */
export function splitAddresses(cell: string): string[] {
  return cell
    .split(';')
    .map((a) => a.trim())
    .filter(Boolean);
}

/** `addr` or `Display Name <addr>`: the address and the name, or undefined when it is neither. */
export function parseMailbox(s: string): { name: string; address: string } | undefined {
  const t = s.trim();
  const m = /^([^<>]*?)\s*<([^<>]+)>$/.exec(t);
  const name = m ? m[1]!.replace(/^"(.*)"$/, '$1').trim() : '';
  const address = m ? m[2]!.trim() : t;
  return isAddrSpec(address) ? { name, address } : undefined;
}
