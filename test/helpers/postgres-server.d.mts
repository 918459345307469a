/** Types of postgres-server.mjs (plain JavaScript so that .ci/run can call it with node alone). */
export interface PostgresServer {
  /** The superuser's URL: postgres://postgres@127.0.0.1:PORT/postgres (trust authentication). */
  url: string;
  dir: string;
  port: number;
  /** With `ssl: true`: the CA that signed the server's certificate (for 127.0.0.1 and localhost). */
  caFile?: string;
  /** Starts it again on the same port (after kill()). */
  start(): Promise<void>;
  /** A fast shutdown and a start on the same port, with the same data. */
  restart(): Promise<void>;
  /** An immediate shutdown, as after a crash. */
  kill(): Promise<void>;
  /** Stops the server; removes the folder only when startServer made it. */
  stop(): Promise<void>;
}
/** A program of the PostgreSQL server on the PATH or under /usr/lib/postgresql/VERSION/bin, or null. */
export declare function postgresBinary(name: string): string | null;
/** Why a test server cannot be started here, or null when it can. */
export declare function whyNoPostgresServer(): string | null;
/** The last `n` lines of a text file ('' when it does not exist). */
export declare function lastLines(file: string, n?: number): string;
/** Starts a throwaway server in `dir` (or a new /tmp/nvpg-XXXXXX). */
export declare function startServer(opts?: { dir?: string; ssl?: boolean }): Promise<PostgresServer>;
/** Stops the server started in `dir`; leaves the folder. */
export declare function stopServer(dir: string): void;
