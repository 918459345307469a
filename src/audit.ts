/** Who changed the register, and what the audit log keeps of it. */

/** Who changed the register, for the audit log. */
export interface Actor {
  /** NV_ACTOR when set (a name the office gives, e.g. "clerk-2 Marie"), else the OS user name. */
  user: string;
  /** The command line, e.g. "nv generate --template invitation". */
  command: string;
}

export interface AuditEntry {
  id: number;
  at: string;
  user: string;
  command: string;
  action: string;
  detail: Record<string, unknown>;
}
