/**
 * The one module that talks to the prompt library, so that tests drive prompts in one place and
 * every prompt has a flag. Callers check `io.interactive` first: without a TTY nothing is asked.
 */
// Loaded on first use: only a terminal session is asked anything.
const inquirer = () => import('@inquirer/prompts');

const opts = { output: process.stderr };

export async function confirm(message: string, defaultValue = true): Promise<boolean> {
  return (await inquirer()).confirm({ message, default: defaultValue }, opts);
}

export async function input(
  message: string,
  options: { default?: string; validate?: (v: string) => true | string } = {},
): Promise<string> {
  return (await inquirer()).input(
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
  return (await inquirer()).select({ message, choices }, opts);
}

/** Pick one of many with type-ahead. */
export async function searchPick<T extends string>(
  message: string,
  choices: { name: string; value: T }[],
): Promise<T> {
  return (await inquirer()).search(
    {
      message,
      source: (term: string | undefined) => {
        const t = (term ?? '').toLowerCase();
        return choices.filter((c) => c.name.toLowerCase().includes(t)).slice(0, 20);
      },
    },
    opts,
  );
}
