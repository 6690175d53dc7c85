// The embedded stack's ExportLauncher: the local stack installs the export builder's handler, and a launch runs it
// in-process, retried like an asynchronous Lambda invocation (three attempts) before it is given up (logged).
import type { ExportLaunch, ExportLauncher } from '#ports/export-launcher';

type Builder = (job: ExportLaunch) => Promise<unknown>;

class LocalExportLauncher implements ExportLauncher {
  private builder: Builder | undefined;
  private log: (line: string) => void = () => undefined;
  readonly failed: { job: ExportLaunch; error: unknown }[] = [];

  install(builder: Builder, log?: (line: string) => void): void {
    this.builder = builder;
    if (log) this.log = log;
  }

  async launch(job: ExportLaunch): Promise<void> {
    if (!this.builder) throw new Error('the local export builder is not installed (start the local stack first)');
    for (let attempt = 1; ; attempt++) {
      try {
        await this.builder(job);
        return;
      } catch (error) {
        if (attempt >= 3) {
          this.failed.push({ job, error });
          this.log(`local export builder: ${job.exportId} failed after ${attempt} attempts: ${error instanceof Error ? error.message : String(error)}`);
          return;
        }
      }
    }
  }
}

export const localExportLauncher = new LocalExportLauncher();
