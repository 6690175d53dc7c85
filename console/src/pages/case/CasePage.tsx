// The case page: header (reference, status, owner and handoffs, regime, deadline bar) and the tabs that work the case.
import { useParams } from 'react-router-dom';
import Header from '@cloudscape-design/components/header';
import SpaceBetween from '@cloudscape-design/components/space-between';
import Spinner from '@cloudscape-design/components/spinner';
import { unwrap, useApiQuery } from '../../api';
import { ErrorAlert } from '../../components/ErrorAlert';
import { CaseHeader } from './CaseHeader';

const CasePage = () => {
  const { id = '' } = useParams();
  const q = useApiQuery((api) => unwrap(api.GET('/v1/complaints/{id}', { params: { path: { id } } })), [id]);
  if (!q.data) return q.error ? <ErrorAlert error={q.error} /> : <Spinner size="large" />;
  const c = q.data;
  return (
    <SpaceBetween size="l">
      <Header variant="h1" description={c.summary}>
        {c.reference}
      </Header>
      <CaseHeader c={c} />
    </SpaceBetween>
  );
};

export default CasePage;
