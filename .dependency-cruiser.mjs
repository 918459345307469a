/**
 * The layering of src/, checked by dependency-cruiser (`npm run lint:deps`, part of `npm run check`;
 * test/project/layering.test.ts runs it too, so `npm test` and CI count it). Type-only imports
 * count: a layer that names another's types depends on it.
 *
 * Folders:
 * - src/cli/: the only layer that prints, prompts or exits; nothing else imports it.
 * - use cases: notes/ (generate), dispatch/ (but its records), replies/ (ingest, review), the import of delegation lists
 *   (delegations/import.ts) and the export of participants (participants/).
 * - domain: every other folder (delegations/ but its import, intake/, references/, render/,
 *   rules/, states/, storage/, templates/, workspace/) and the files at the root of src/
 *   (errors.ts, dates.ts, files.ts, rule-ids.ts). The domain never imports a use case.
 * - src/index.ts: the library's entry, which re-exports all of them.
 * No cycle between two folders either: test/project/layering.test.ts folds the modules into
 * their folders and looks for one.
 */
const USE_CASES =
  '^src/(notes|participants)/|^src/replies/(?!records[.]ts$)|^src/dispatch/(?!records[.]ts$)|^src/delegations/import[.]ts$';
const DB_DRIVERS = '(^|/)node_modules/(@types/)?(better-sqlite3|pg|pg-pool|pg-native|postgres)/';

/** @type {import('dependency-cruiser').IConfiguration} */
export default {
  forbidden: [
    {
      name: 'cli-only-from-cli',
      comment: 'Only src/cli/ prints, prompts or exits; nothing outside it imports the CLI.',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/cli/' },
      to: { path: '^src/cli/' },
    },
    {
      name: 'render-is-pure',
      comment:
        'render/ lays out documents from data: it reads neither the register, nor replies, nor intake.',
      severity: 'error',
      from: { path: '^src/render/' },
      to: { path: '^src/(storage|intake|replies)/' },
    },
    {
      name: 'db-driver-only-in-storage',
      comment: 'Only src/storage/ talks to a database driver (better-sqlite3 today, pg later).',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/storage/' },
      to: { path: DB_DRIVERS },
    },
    {
      name: 'domain-not-use-case',
      comment:
        'Domain folders do not import the use cases (notes/, replies/, delegations/import.ts, participants/): a use case composes the domain, never the reverse.',
      severity: 'error',
      from: { path: '^src/', pathNot: `^src/cli/|^src/index[.]ts$|${USE_CASES}` },
      to: { path: USE_CASES },
    },
    {
      name: 'no-circular',
      comment: 'No module imports itself through others.',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^dist/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.d.ts', '.js', '.mjs', '.cjs', '.json'],
    },
  },
};
