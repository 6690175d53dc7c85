// Evidence: files hashed in the browser (SHA-256, WebCrypto), PUT straight to the presigned URL, then pending → verified; download.
import { useEffect, useRef, useState } from 'react';
import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import Container from '@cloudscape-design/components/container';
import FormField from '@cloudscape-design/components/form-field';
import Header from '@cloudscape-design/components/header';
import Link from '@cloudscape-design/components/link';
import SpaceBetween from '@cloudscape-design/components/space-between';
import StatusIndicator from '@cloudscape-design/components/status-indicator';
import Table from '@cloudscape-design/components/table';
import { toDisplayError, unwrap, useApi, useApiQuery, type DisplayError, type Schemas } from '../../api';
import { formatTime } from '../../clock';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useCase, useCaseAction } from './caseContext';

type Evidence = Schemas['Evidence'];
const STATUS = { pending: 'pending', verified: 'success', rejected: 'error' } as const;

/** Lower-case hex SHA-256 of the file's bytes, computed here so storage can check what arrived is what was registered. */
export const sha256Hex = async (data: ArrayBuffer): Promise<string> =>
  Array.from(new Uint8Array(await crypto.subtle.digest('SHA-256', data)), (b) => b.toString(16).padStart(2, '0')).join('');

const Download = ({ e }: { e: Evidence }) => {
  const { c } = useCase();
  const api = useApi();
  const [url, setUrl] = useState<string>();
  const [error, setError] = useState<DisplayError>();
  if (url)
    return (
      <Link href={url} external externalIconAriaLabel="(opens in a new tab)" ariaLabel={`Download ${e.fileName}`}>
        Download {e.fileName}
      </Link>
    );
  return (
    <SpaceBetween size="xxs">
      {error ? <Box color="text-status-error">{error.message}</Box> : null}
      <Button
        variant="inline-link"
        ariaLabel={`Get download link for ${e.fileName}`}
        onClick={() =>
          void unwrap(api.GET('/v1/complaints/{id}/evidence/{evidenceId}', { params: { path: { id: c.id, evidenceId: e.id } } })).then(
            (v) => (v.downloadUrl ? setUrl(v.downloadUrl) : setError({ status: 0, kind: 'other', message: 'No download link yet' })),
            (err: unknown) => setError(toDisplayError(err)),
          )
        }
      >
        Get download link
      </Button>
    </SpaceBetween>
  );
};

export const EvidenceTab = () => {
  const { c, rev, can, reload } = useCase();
  const [refresh, setRefresh] = useState(0);
  const q = useApiQuery((api) => unwrap(api.GET('/v1/complaints/{id}/evidence', { params: { path: { id: c.id }, query: { limit: 100 } } })), [c.id, rev, refresh]);
  const action = useCaseAction();
  const fileRef = useRef<HTMLInputElement>(null);
  const [file, setFile] = useState<File>();
  const [progress, setProgress] = useState<string>();
  const [uploadError, setUploadError] = useState<DisplayError>();
  const pending = (q.data?.items ?? []).some((e) => e.status === 'pending');
  // While a file awaits verification, look again now and then (the verifier runs on storage's Object Created event).
  // Verification changes the case too (its evidence counts and version), so the whole case is read again.
  useEffect(() => {
    if (!pending) return;
    const t = setTimeout(reload, 2000);
    return () => clearTimeout(t);
  }, [pending, q.data, reload]);

  const upload = async () => {
    if (!file) return;
    setUploadError(undefined);
    setProgress('Computing SHA-256 …');
    const bytes = await file.arrayBuffer();
    const sha256 = await sha256Hex(bytes);
    setProgress(`SHA-256 ${sha256}; registering …`);
    const reg = await action.run((api, headers) =>
      api.POST('/v1/complaints/{id}/evidence', { params: { path: { id: c.id } }, headers, body: { fileName: file.name, contentType: file.type || 'application/octet-stream', sizeBytes: file.size, sha256 } }),
    );
    if (!reg) return setProgress(undefined);
    setProgress('Uploading to storage …');
    try {
      const res = await fetch(reg.upload.url, { method: reg.upload.method, headers: reg.upload.headers, body: bytes });
      if (!res.ok) throw new Error(`storage answered ${res.status}`);
      setProgress(`Uploaded ${file.name}; waiting for verification`);
      setFile(undefined);
      if (fileRef.current) fileRef.current.value = '';
      setRefresh((r) => r + 1);
    } catch (err) {
      setProgress(undefined);
      setUploadError({ status: 0, kind: 'network', message: `The upload failed: ${(err as Error).message}` });
    }
  };

  return (
    <SpaceBetween size="l">
      <ErrorAlert error={q.error} />
      <Table<Evidence>
        header={
          <Header variant="h2" actions={<Button iconName="refresh" ariaLabel="Refresh evidence" onClick={() => setRefresh((r) => r + 1)} />}>
            Evidence
          </Header>
        }
        ariaLabels={{ tableLabel: 'Evidence' }}
        loading={q.loading && !q.data}
        items={q.data?.items ?? []}
        trackBy="id"
        empty={<Box>No evidence yet.</Box>}
        columnDefinitions={[
          { id: 'file', header: 'File', cell: (e) => e.fileName, isRowHeader: true },
          { id: 'size', header: 'Size', cell: (e) => `${e.sizeBytes} B` },
          { id: 'sha', header: 'SHA-256', cell: (e) => <Box variant="code" fontSize="body-s">{e.sha256}</Box> },
          { id: 'status', header: 'Status', cell: (e) => <StatusIndicator type={STATUS[e.status]}>{e.status}{e.rejection ? `: ${e.rejection.detail}` : ''}</StatusIndicator> },
          { id: 'at', header: 'Registered', cell: (e) => `${formatTime(e.registeredAt)} by ${e.registeredBy}` },
          { id: 'download', header: 'Download', cell: (e) => (e.status === 'verified' ? <Download e={e} /> : '—') },
        ]}
      />
      {can.evidence ? (
        <Container header={<Header variant="h3" description="The file goes straight to storage; its SHA-256 is computed here and checked there.">Upload evidence</Header>}>
          <SpaceBetween size="s">
            <ErrorAlert error={action.error ?? uploadError} onReload={reload} onDismiss={() => (action.clear(), setUploadError(undefined))} />
            <FormField label="File" controlId="evidence-file">
              <input id="evidence-file" ref={fileRef} type="file" onChange={(e) => setFile(e.target.files?.[0])} />
            </FormField>
            {progress ? <Box data-testid="upload-progress">{progress}</Box> : null}
            <Button variant="primary" disabled={!file} loading={action.pending} onClick={() => void upload()}>
              Upload
            </Button>
          </SpaceBetween>
        </Container>
      ) : null}
    </SpaceBetween>
  );
};
