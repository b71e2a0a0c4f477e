/**
 * Where the SQL migrations live. A module of its own so that scripts, benchmarks and the test
 * database helper can find them without loading the whole server (runtime.ts).
 */
import { fileURLToPath } from 'node:url';

export const migrationsDir = fileURLToPath(new URL('../migrations', import.meta.url));
