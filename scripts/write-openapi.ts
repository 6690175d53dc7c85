// Writes the OpenAPI document, generated from the route table, to the file given (or stdout): for the linters and the client generator.
import { writeFileSync } from 'node:fs';
import { buildOpenApi } from '#http/openapi';

const json = `${JSON.stringify(buildOpenApi(), null, 2)}\n`;
const out = process.argv[2];
if (out) writeFileSync(out, json);
else process.stdout.write(json);
