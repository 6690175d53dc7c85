// Composition root of the export builder: the export service with the ZIP writer (yazl) and the PDF summary (pdfkit).
import { ExportService } from '#domain/export-service';
import { ZipBundleWriter } from '#adapters/export/zip-bundle-writer';
import { PdfSummaryRenderer } from '#adapters/export/pdf-summary';
import { auditDigestService } from './audit-container';
import { clock } from './container';
import { exportDeps } from './export-container';

let builder: ExportService | undefined;

export const exportBuilderService = (): ExportService => {
  if (!builder) {
    const c = clock();
    builder = new ExportService({ ...exportDeps(), anchoring: auditDigestService(), bundles: { writer: new ZipBundleWriter({ mtime: () => new Date(c.now()) }), summary: new PdfSummaryRenderer() } });
  }
  return builder;
};
