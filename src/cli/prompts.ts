/**
 * The one module that talks to the prompt library, so that tests drive prompts in one place and
 * every prompt has a flag. Callers check `io.interactive` first: without a TTY nothing is asked.
 */
import {
  confirm as inqConfirm,
  input as inqInput,
  search as inqSearch,
  select as inqSelect,
} from '@inquirer/prompts';

const opts = { output: process.stderr };

export async function confirm(message: string, defaultValue = true): Promise<boolean> {
  return inqConfirm({ message, default: defaultValue }, opts);
}

export async function input(
  message: string,
  options: { default?: string; validate?: (v: string) => true | string } = {},
): Promise<string> {
  return inqInput(
    {
      message,
      ...(options.default !== undefined ? { default: options.default } : {}),
      ...(options.validate ? { validate: options.validate } : {}),
    },
    opts,
  );
}

export async function select<T extends string>(
  message: string,
  choices: { name: string; value: T }[],
): Promise<T> {
  return inqSelect({ message, choices }, opts);
}

/** Pick one of many with type-ahead. */
export async function searchPick<T extends string>(
  message: string,
  choices: { name: string; value: T }[],
): Promise<T> {
  return inqSearch(
    {
      message,
      source: (term) => {
        const t = (term ?? '').toLowerCase();
        return choices.filter((c) => c.name.toLowerCase().includes(t)).slice(0, 20);
      },
    },
    opts,
  );
}
