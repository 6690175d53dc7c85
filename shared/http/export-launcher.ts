// The export launcher the case-stream function starts builds with: Lambda in AWS, the in-process builder locally.
import type { ExportLauncher } from '#ports/export-launcher';
import { LambdaExportLauncher } from '#adapters/aws/lambda-export-launcher';
import { localExportLauncher } from '#adapters/local/local-export-launcher';
import { config, requireSetting } from './config';

let launcher: ExportLauncher | undefined;

export const exportLauncher = (): ExportLauncher => {
  if (!launcher) {
    const cfg = config();
    launcher = cfg.INTEGRATIONS === 'local' ? localExportLauncher : new LambdaExportLauncher({ functionArn: requireSetting('EXPORT_BUILDER_FUNCTION_ARN'), region: cfg.AWS_REGION });
  }
  return launcher;
};
