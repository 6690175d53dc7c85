// The settings secret (issue 29 item 5): only the listed large settings are copied into the environment, once per process, and the configuration is revalidated with them.
import { config, loadConfig } from '#http/config';
import { reportingOptionsOf } from '#http/reporting-options';
import { applyExternalSettings, EXTERNAL_SETTINGS, loadExternalSettings, SETTINGS_SECRET_ENV } from '#http/external-settings';

describe('external settings', () => {
  it('copies the listed settings as strings and refuses any other name, a prototype key included', () => {
    const env: NodeJS.ProcessEnv = {};
    expect(applyExternalSettings(env, JSON.stringify({ REPORTING: '{"productGroups":{}}' }))).toEqual(['REPORTING']);
    expect(env.REPORTING).toBe('{"productGroups":{}}');
    expect(() => applyExternalSettings({}, JSON.stringify({ NODE_OPTIONS: '--require /tmp/x.js' }))).toThrow(/NODE_OPTIONS/);
    expect(() => applyExternalSettings({}, '{"__proto__":"x"}')).toThrow(/__proto__/);
    expect(() => applyExternalSettings({}, JSON.stringify({ TRIAGE: { threshold: 0.5 } }))).toThrow(/TRIAGE.*string/);
    expect(() => applyExternalSettings({}, '[]')).toThrow(/JSON object/);
    expect(EXTERNAL_SETTINGS).toEqual(expect.arrayContaining(['APPROVAL_RULES', 'REPORTING']));
  });

  it('without SETTINGS_SECRET_ARN reads nothing (local mode)', async () => {
    const read = jest.fn(async () => '{}');
    await loadExternalSettings(read, {});
    expect(read).not.toHaveBeenCalled();
  });

  it('reads the secret once per process, retries after a failed read, and the next config() sees the settings', async () => {
    const env: NodeJS.ProcessEnv = { [SETTINGS_SECRET_ENV]: 'arn:aws:secretsmanager:eu-west-2:111111111111:secret:settings' };
    let calls = 0;
    const read = async (id: string) => {
      calls += 1;
      if (calls === 1) throw new Error('throttled');
      expect(id).toBe(env[SETTINGS_SECRET_ENV]);
      return JSON.stringify({ REPORTING: JSON.stringify({ productGroups: { cards: ['Credit card'] } }) });
    };
    await expect(loadExternalSettings(read, env)).rejects.toThrow('throttled');
    await loadExternalSettings(read, env);
    await loadExternalSettings(read, env);
    expect(calls).toBe(2);
    expect(reportingOptionsOf(loadConfig(env)).productGroups).toEqual({ cards: ['Credit card'] });
    // The process-wide configuration was dropped so it is validated again from process.env.
    expect(config()).toBeDefined();
  });
});
