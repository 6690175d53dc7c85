// Export: request the locked case bundle, follow its status, download it (the signed manifest travels inside the ZIP).
import { useState } from 'react';
import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import Container from '@cloudscape-design/components/container';
import Header from '@cloudscape-design/components/header';
import KeyValuePairs from '@cloudscape-design/components/key-value-pairs';
import Link from '@cloudscape-design/components/link';
import SpaceBetween from '@cloudscape-design/components/space-between';
import StatusIndicator from '@cloudscape-design/components/status-indicator';
import { unwrap, useApiQuery } from '../../api';
import { formatTime } from '../../clock';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useCase, useCaseAction } from './caseContext';

const STATUS = { pending: 'pending', running: 'in-progress', ready: 'success', failed: 'error' } as const;

export const ExportTab = () => {
  const { c, rev, can, reload } = useCase();
  const action = useCaseAction();
  const [requested, setRequested] = useState<string>();
  const [refresh, setRefresh] = useState(0);
  const exportId = requested ?? c.activeExportId;
  const q = useApiQuery((api) => (exportId ? unwrap(api.GET('/v1/exports/{exportId}', { params: { path: { exportId } } })) : Promise.resolve(undefined)), [exportId, rev, refresh]);
  const key = useApiQuery((api) => unwrap(api.GET('/v1/exports/public-key')), []);
  const x = q.data;
  const request = async () => {
    const started = await action.run((api, headers) => api.POST('/v1/complaints/{id}/exports', { params: { path: { id: c.id } }, headers }));
    if (started) setRequested(started.exportId);
  };
  return (
    <SpaceBetween size="l">
      <ErrorAlert error={action.error ?? q.error} onReload={reload} onDismiss={action.clear} />
      <Container
        header={
          <Header
            variant="h2"
            description="A ZIP of the case, its timeline, evidence and letters, with manifest.json listing every file's SHA-256 and manifest.sig.json signing it."
            actions={
              <SpaceBetween size="xs" direction="horizontal">
                {exportId ? (
                  <Button iconName="refresh" onClick={() => setRefresh((r) => r + 1)}>
                    Refresh status
                  </Button>
                ) : null}
                {can.exports ? (
                  <Button variant="primary" loading={action.pending} onClick={() => void request()}>
                    Request export
                  </Button>
                ) : null}
              </SpaceBetween>
            }
          >
            Export bundle
          </Header>
        }
      >
        {x ? (
          <KeyValuePairs
            columns={3}
            items={[
              { label: 'Status', value: <StatusIndicator type={STATUS[x.status]}>{<span data-testid="export-status">{x.status}</span>}</StatusIndicator> },
              { label: 'Requested', value: `${formatTime(x.requestedAt)} by ${x.requestedBy}` },
              { label: 'Files', value: x.files ?? '—' },
              { label: 'Bundle SHA-256', value: x.sha256 ? <Box variant="code">{x.sha256}</Box> : '—' },
              { label: 'Manifest SHA-256', value: x.manifestSha256 ? <Box variant="code">{x.manifestSha256}</Box> : '—' },
              { label: 'Retained until', value: formatTime(x.retainUntil) },
              {
                label: 'Download',
                value: x.downloadUrl ? (
                  <Link href={x.downloadUrl} external externalIconAriaLabel="(opens in a new tab)" ariaLabel="Download bundle">
                    {x.reference}.zip (bundle with manifest.json and manifest.sig.json)
                  </Link>
                ) : (
                  '—'
                ),
              },
              { label: 'Verify with', value: key.data ? `key ${key.data.keyId} (${key.data.curve}), or: npx complaint-verify bundle.zip` : '—' },
              ...(x.error ? [{ label: 'Error', value: x.error }] : []),
            ]}
          />
        ) : (
          <Box>No export of this case yet.</Box>
        )}
      </Container>
    </SpaceBetween>
  );
};
