// The typed client's generated types are current: regenerating them in memory from the OpenAPI document gives the
// committed clients/typescript/src/schema.d.ts byte for byte (run `npm run client:generate` after changing a route).
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { routeList } from '#http/routes';

const REPO_ROOT = resolve(__dirname, '..', '..');
const CLIENT_SCHEMA = resolve(REPO_ROOT, 'clients', 'typescript', 'src', 'schema.d.ts');

// openapi-typescript loads ESM-only dependencies jest's CommonJS runtime cannot: the generator runs in a child Node
// process (the same script `npm run client:generate` runs) and prints the file's text instead of writing it.
jest.setTimeout(120_000);

describe('clients/typescript/src/schema.d.ts', () => {
  let generated: string;
  beforeAll(async () => {
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'scripts/generate-client.ts', '--stdout'], { cwd: REPO_ROOT, maxBuffer: 64 * 1024 * 1024 });
    generated = stdout;
  });

  it('is what the generator writes from the current document (run `npm run client:generate`)', () => {
    // One boolean, not a diff of 400 kB: the message says what to do.
    expect({ stale: readFileSync(CLIENT_SCHEMA, 'utf8') !== generated, fix: 'npm run client:generate' }).toEqual({ stale: false, fix: 'npm run client:generate' });
  });

  it('types every operation of the route table', () => {
    for (const r of routeList()) expect(generated).toContain(`    ${r.id}: {`);
  });
});
