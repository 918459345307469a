import type { Command } from 'commander';
import { openRegister } from '../storage/open.js';
import { actor } from './io.js';
import type { Register } from '../storage/register.js';
import { findWorkspaceRoot, loadWorkspace, type Workspace } from '../workspace/load.js';

/** Adds -w/--workspace to a command (it is also accepted before the command name). */
export function workspaceOption(cmd: Command): Command {
  return cmd.option(
    '-w, --workspace <dir>',
    'the workspace folder (default: nearest folder with nv.yaml, or $NV_WORKSPACE)',
  );
}

export function workspaceRoot(cmd: Command): string {
  const own = cmd.opts<{ workspace?: string }>().workspace;
  const global =
    cmd.parent?.opts<{ workspace?: string }>().workspace ??
    cmd.parent?.parent?.opts<{ workspace?: string }>().workspace;
  return findWorkspaceRoot(process.cwd(), own ?? global ?? process.env.NV_WORKSPACE);
}

/** Loads the workspace and opens its register; the caller closes the register. */
export async function openWorkspace(cmd: Command): Promise<{ ws: Workspace; register: Register }> {
  const ws = loadWorkspace(workspaceRoot(cmd));
  return {
    ws,
    register: await openRegister(ws.paths.database, process.env, {
      register: ws.config.register,
      workspace: ws.root,
      holder: actor().command,
      onWait: (holder) => void process.stderr.write(`nv: waiting for the register, held by ${holder}…\n`),
    }),
  };
}
