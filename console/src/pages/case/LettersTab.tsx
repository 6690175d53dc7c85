// Letters: preview of the regime's letters for this case (acknowledgement, holding, summary resolution, final response).
import { useState } from 'react';
import Box from '@cloudscape-design/components/box';
import Container from '@cloudscape-design/components/container';
import FormField from '@cloudscape-design/components/form-field';
import Header from '@cloudscape-design/components/header';
import SegmentedControl from '@cloudscape-design/components/segmented-control';
import SpaceBetween from '@cloudscape-design/components/space-between';
import { unwrap, useApiQuery, type Schemas } from '../../api';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useCase } from './caseContext';

type Kind = Schemas['LetterPreview']['kind'];
const KINDS: { id: Kind; text: string }[] = [
  { id: 'acknowledgement', text: 'Acknowledgement' },
  { id: 'holding', text: 'Holding' },
  { id: 'summary_resolution', text: 'Summary resolution' },
  { id: 'final_response', text: 'Final response' },
];

export const LettersTab = () => {
  const { c, rev } = useCase();
  const [kind, setKind] = useState<Kind>('acknowledgement');
  const q = useApiQuery((api) => unwrap(api.GET('/v1/complaints/{id}/letters/{kind}', { params: { path: { id: c.id, kind } } })), [c.id, kind, rev]);
  const l = q.data;
  return (
    <SpaceBetween size="l">
      <FormField label="Letter">
        <SegmentedControl label="Letter" selectedId={kind} options={KINDS} onChange={(e) => setKind(e.detail.selectedId as Kind)} />
      </FormField>
      <ErrorAlert error={q.error} />
      {l ? (
        <Container
          header={
            <Header variant="h2" description={`Template ${l.template.id} ${l.template.version}; rules ${l.rules.map((r) => `${r.ref} (${r.version})`).join(', ') || 'none'}`}>
              {l.subject}
            </Header>
          }
        >
          <SpaceBetween size="s">
            <Box variant="pre" data-testid="letter-text">
              <span style={{ whiteSpace: 'pre-wrap' }}>{l.text}</span>
            </Box>
            {l.admissions.length ? <Box color="text-status-warning">Admissions: {l.admissions.join('; ')}</Box> : null}
          </SpaceBetween>
        </Container>
      ) : null}
    </SpaceBetween>
  );
};
