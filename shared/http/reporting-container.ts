// Composition root for reporting: the projection store on the cases table and the reporting service.
import { ReportingService } from '#domain/reporting/service';
import { DynamoReportStore } from '#adapters/aws/dynamo/report-store';
import { config, requireSetting } from './config';
import { reportingOptionsOf } from './reporting-options';
import { clock, dynamo } from './container';

let reporting: ReportingService | undefined;

export const reportStore = (): DynamoReportStore => new DynamoReportStore(dynamo().doc, { tableName: requireSetting('TABLE_NAME'), shards: config().REPORT_SHARDS });

export const reportingService = (): ReportingService =>
  (reporting ??= new ReportingService({ store: reportStore(), clock: clock(), config: { ...reportingOptionsOf(config()), timeZone: config().ORG_TIME_ZONE } }));
