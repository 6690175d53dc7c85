// The runtime configuration (#http/config): each setting the environment sets is validated at load, each unset one
// takes its default from the generated table (no schema built for it), and the result is what the whole schema's parse gives.
import { CONFIG_SETTINGS, ConfigError, configSchema, loadConfig, type SettingName } from '#http/config';
import { DEFAULT_ASSIGNMENT_RULES } from '#domain/assignment';
import { DEFAULT_EVIDENCE_CONTENT_TYPES } from '#schemas/evidence';
import { TriageSettings } from '#schemas/triage';
import { readFileSync } from 'node:fs';
import { SETTING_DEFAULTS } from '../../shared/http/config-defaults';
import { CONFIG_DEFAULTS_FILE, configDefaultsModule } from '../../scripts/config-defaults';

const NAMES = Object.keys(CONFIG_SETTINGS) as SettingName[];

/** What a deployment sets (the CDK app's shape): names, ARNs, numbers, JSON settings and lists. */
const DEPLOYED: NodeJS.ProcessEnv = {
  TABLE_NAME: 'complaints-cases',
  IDEMPOTENCY_TABLE_NAME: 'complaints-idempotency',
  LIST_SHARDS: '8',
  REFERENCE_BLOCK_SIZE: '50',
  ORG_CLOSURES: '2026-12-24, 2026-12-31',
  REGIME_CALENDARS: '{"UK_FCA_DISP":{"region":"GB-SCT"}}',
  RETENTION_YEARS: '{"UK_FCA_DISP":6}',
  EVIDENCE_CONTENT_TYPES: 'application/pdf, IMAGE/PNG',
  APPROVAL_STAGE_TIMEOUT_HOURS: '72',
  APPROVAL_REMINDER_HOURS: '12',
  CHECKPOINT_FUNCTION_ARN: 'arn:aws:lambda:eu-west-2:111122223333:function:checkpoint',
  TRIAGE: '{"models":["local"],"threshold":0.7}',
  INBOUND_EMAIL_TRUST_UNAUTHENTICATED: 'false',
  PATH: '/usr/bin',
};

/** Each setting as plain data (the lazy defaults read), for comparison with the schema's parse. */
const settingsOf = (cfg: Record<string, unknown>) => Object.fromEntries(NAMES.map((k) => [k, cfg[k]]));

describe('loadConfig', () => {
  it.each([
    ['an empty environment', {}],
    ['a deployed environment', DEPLOYED],
  ])('gives every setting the value the whole schema parses from %s', (_, env) => {
    const cfg = loadConfig(env);
    const whole = configSchema().parse(env) as Record<string, unknown>;
    expect(settingsOf(cfg as unknown as Record<string, unknown>)).toEqual(settingsOf(whole));
    // The same settings present, as the schema's parse leaves an unset optional setting out.
    expect(NAMES.filter((k) => Object.hasOwn(cfg, k))).toEqual(NAMES.filter((k) => Object.hasOwn(whole, k)));
  });

  it('derives the regime options, assignment rules, evidence types and triage settings as before', () => {
    const empty = loadConfig({});
    expect(empty.regimes).toEqual({});
    expect(empty.assignment).toEqual(DEFAULT_ASSIGNMENT_RULES);
    expect(empty.evidenceContentTypes).toEqual(DEFAULT_EVIDENCE_CONTENT_TYPES);
    expect(empty.triage).toEqual(TriageSettings.parse({}));
    const deployed = loadConfig(DEPLOYED);
    expect(deployed.regimes).toEqual({ closures: ['2026-12-24', '2026-12-31'], calendars: { UK_FCA_DISP: { region: 'GB-SCT' } }, retentionYears: { UK_FCA_DISP: 6 } });
    expect(deployed.evidenceContentTypes).toEqual(['application/pdf', 'image/png']);
    expect(deployed.triage.threshold).toBe(0.7);
  });

  it('refuses every invalid setting at load, naming each', () => {
    const load = () => loadConfig({ LIST_SHARDS: '0', TRIAGE: 'not json', EVIDENCE_BUCKET: 'x', CLOCK: 'sundial' });
    expect(load).toThrow(ConfigError);
    expect(load).toThrow(/LIST_SHARDS: .*; EVIDENCE_BUCKET: .*; TRIAGE: TRIAGE must be JSON; CLOCK: /);
  });

  it('applies the rules between settings, defaults included', () => {
    expect(() => loadConfig({ APPROVAL_REMINDER_HOURS: '48' })).toThrow('APPROVAL_REMINDER_HOURS (48) must be less than APPROVAL_STAGE_TIMEOUT_HOURS (48)');
    expect(() => loadConfig({ APPROVAL_STAGE_TIMEOUT_HOURS: '12' })).toThrow('APPROVAL_REMINDER_HOURS (24) must be less than APPROVAL_STAGE_TIMEOUT_HOURS (12)');
    expect(() => loadConfig({ INBOUND_EMAIL_TRUST_UNAUTHENTICATED: 'true' })).toThrow('INBOUND_EMAIL_TRUST_UNAUTHENTICATED is for local mode only');
    expect(loadConfig({ INBOUND_EMAIL_TRUST_UNAUTHENTICATED: 'true', INTEGRATIONS: 'local' }).INBOUND_EMAIL_TRUST_UNAUTHENTICATED).toBe(true);
  });

  it('takes the defaults from a table that is what the schema gives an empty environment (npm run config:defaults)', () => {
    expect(readFileSync(CONFIG_DEFAULTS_FILE, 'utf8')).toBe(configDefaultsModule());
    expect(SETTING_DEFAULTS).toEqual(configSchema().parse({}));
  });

  it('accepts every setting unset (none is required), so a setting missing from the table is one the schema leaves unset', () => {
    for (const name of NAMES) expect({ name, ok: CONFIG_SETTINGS[name]().safeParse(undefined).success }).toEqual({ name, ok: true });
  });

  it('builds the schema of each setting the environment sets, at load, and of none it leaves unset', () => {
    const built = new Map<string, number>();
    const spies = NAMES.map((name) => {
      const original = CONFIG_SETTINGS[name];
      return jest.spyOn(CONFIG_SETTINGS, name).mockImplementation((() => {
        built.set(name, (built.get(name) ?? 0) + 1);
        return original();
      }));
    });
    try {
      const cfg = loadConfig({ TABLE_NAME: 'complaints-cases', LIST_SHARDS: '8' });
      expect(cfg.OWNER_SHARDS).toBe(1);
      expect(cfg.ORG_TIME_ZONE).toBe('Europe/London');
      expect(cfg.EVIDENCE_BUCKET).toBeUndefined();
      expect([...built.entries()]).toEqual([
        ['TABLE_NAME', 1],
        ['LIST_SHARDS', 1],
      ]);
    } finally {
      spies.forEach((s) => s.mockRestore());
    }
  });

  it('reads the environment by its own setting names only: inherited and prototype-named keys are not settings', () => {
    const inherited = Object.create({ LIST_SHARDS: '0' }) as NodeJS.ProcessEnv;
    expect(loadConfig(inherited).LIST_SHARDS).toBe(4);
    const hostile = JSON.parse('{"__proto__": {"LIST_SHARDS": "0"}, "constructor": "x", "toString": "y", "TABLE_NAME": "cases"}') as NodeJS.ProcessEnv;
    const cfg = loadConfig(hostile);
    expect(cfg.LIST_SHARDS).toBe(4);
    expect(cfg.TABLE_NAME).toBe('cases');
    expect(Object.hasOwn(cfg, 'constructor')).toBe(false);
    expect(({} as Record<string, unknown>).LIST_SHARDS).toBeUndefined();
  });
});
