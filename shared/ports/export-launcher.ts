// Starts building an export once its request has committed (the case stream sees `export.requested`): an
// asynchronous Lambda invocation of the export builder in AWS, the same handler in-process locally.

export interface ExportLaunch {
  caseId: string;
  exportId: string;
}

export interface ExportLauncher {
  launch(job: ExportLaunch): Promise<void>;
}
