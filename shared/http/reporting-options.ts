// The organisation's reporting options (`REPORTING`), validated where reports are made: the reporting and problem
// composition roots, and the CDK app at synth (infra/app.ts). Not part of config(), so the functions that make no
// report do not construct these schemas at every cold start (issue 28).
import { ReportingOptions } from '#schemas/reporting-options';
import { ConfigError, type Config } from './config';

const parsed = new WeakMap<Config, ReportingOptions>();

/** The validated reporting options of a configuration (the defaults without REPORTING); ConfigError when invalid. */
export const reportingOptionsOf = (cfg: Config): ReportingOptions => {
  let options = parsed.get(cfg);
  if (!options) {
    const r = ReportingOptions.safeParse(cfg.REPORTING ?? {});
    if (!r.success) throw new ConfigError(`invalid configuration: ${r.error.issues.map((i) => `${['REPORTING', ...i.path.map(String)].join('.')}: ${i.message}`).join('; ')}`);
    parsed.set(cfg, (options = r.data));
  }
  return options;
};
