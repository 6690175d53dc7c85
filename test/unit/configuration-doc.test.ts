// docs/configuration.md is generated from the configuration schema: the committed page is exactly what the generator
// writes (run `npm run docs:config` after changing CONFIG_SETTINGS), and it names every variable the schema reads.
import { readFileSync } from 'node:fs';
import { configSchema } from '#http/config';
import { CONFIGURATION_DOC, configurationDoc } from '../../scripts/generate-config-docs';

describe('docs/configuration.md', () => {
  it('is the generated page, byte for byte (run `npm run docs:config`)', () => {
    expect(readFileSync(CONFIGURATION_DOC, 'utf8')).toBe(configurationDoc());
  });

  it('has a row for every variable of CONFIG_SETTINGS', () => {
    const doc = configurationDoc();
    const rows = doc.split('\n').filter((l) => l.startsWith('| `'));
    for (const key of Object.keys(configSchema().shape)) expect({ key, documented: rows.some((r) => r.split(' | ')[0]!.includes(`\`${key}\``)) }).toEqual({ key, documented: true });
  });
});
