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

/**
 * Pick one of many with type-ahead. The search prompt answers Enter with the list it shows, which
 * can be older than what was typed: a name pasted, or typed with Enter at once, reaches Enter
 * before the list of that name is made, and the prompt answered with the first entry of the full
 * list (Afghanistan) while its screen showed the name. So the answer is checked against the last
 * text typed: the entry that text names (exactly, or as the only match) wins, and when the text
 * matches several entries the question is asked again among them.
 */
export async function searchPick<T extends string>(
  message: string,
  choices: { name: string; value: T }[],
): Promise<T> {
  const matching = (term: string) => {
    const t = term.toLowerCase();
    return choices.filter((c) => c.name.toLowerCase().includes(t));
  };
  let typed = '';
  const picked = await (
    await inquirer()
  ).search(
    {
      message,
      source: (term: string | undefined) => {
        typed = term ?? '';
        return matching(typed).slice(0, 20);
      },
    },
    opts,
  );
  const matches = matching(typed);
  if (matches.some((c) => c.value === picked)) return picked;
  const t = typed.trim().toLowerCase();
  const exact = matches.find(
    (c) => c.value.toLowerCase() === t || c.name.replace(/\s*\([^)]*\)$/, '').toLowerCase() === t,
  );
  if (exact) return exact.value;
  if (matches.length === 1) return matches[0]!.value;
  return searchPick(
    `"${typed}" matches ${matches.length || 'no'} entries; ${message}`,
    matches.length ? matches : choices,
  );
}
