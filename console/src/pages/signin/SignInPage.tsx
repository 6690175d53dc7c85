// Sign-in: locally a user and roles picked for /local/token (local mode only); deployed, the Cognito Hosted UI.
import { useState } from 'react';
import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import Checkbox from '@cloudscape-design/components/checkbox';
import Container from '@cloudscape-design/components/container';
import ContentLayout from '@cloudscape-design/components/content-layout';
import Form from '@cloudscape-design/components/form';
import FormField from '@cloudscape-design/components/form-field';
import Header from '@cloudscape-design/components/header';
import Input from '@cloudscape-design/components/input';
import SpaceBetween from '@cloudscape-design/components/space-between';
import Alert from '@cloudscape-design/components/alert';
import { ROLES, useSession, type Role } from '../../session';

/** The seed's people, one click each (the reference case's owner, supervisor and compliance officer). */
const PRESETS: { id: string; roles: Role[]; label: string }[] = [
  { id: 'olive', roles: ['handler'], label: 'olive (handler)' },
  { id: 'sue', roles: ['supervisor'], label: 'sue (supervisor)' },
  { id: 'cora', roles: ['compliance'], label: 'cora (compliance)' },
  { id: 'adam', roles: ['admin'], label: 'adam (admin)' },
];

const LocalSignIn = () => {
  const session = useSession();
  const [userId, setUserId] = useState('olive');
  const [roles, setRoles] = useState<Role[]>(['handler']);
  const [touched, setTouched] = useState(false);
  const idError = touched && !/^[A-Za-z0-9._@-]{1,64}$/.test(userId) ? 'Letters, digits, . _ @ - (1–64)' : undefined;
  const rolesError = touched && roles.length === 0 ? 'Pick at least one role' : undefined;
  const submit = () => {
    setTouched(true);
    if (!/^[A-Za-z0-9._@-]{1,64}$/.test(userId) || roles.length === 0) return;
    void session.signIn({ id: userId, roles });
  };
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
    >
      <Form
        header={<Header variant="h1" description="Local mode: the embedded token issuer signs a token for any user and roles. This page does not exist in a deployed console.">Sign in (local)</Header>}
        actions={
          <Button variant="primary" formAction="submit" loading={session.loading}>
            Sign in
          </Button>
        }
        {...(session.error ? { errorText: session.error } : {})}
      >
        <Container>
          <SpaceBetween size="l">
            <FormField label="User id" description="The token's sub: cases are owned by this id." {...(idError ? { errorText: idError } : {})}>
              <Input value={userId} onChange={(e) => setUserId(e.detail.value)} ariaLabel="User id" />
            </FormField>
            <FormField label="Roles" {...(rolesError ? { errorText: rolesError } : {})}>
              <SpaceBetween size="xs" direction="horizontal">
                {ROLES.map((r) => (
                  <Checkbox key={r} checked={roles.includes(r)} onChange={(e) => setRoles((cur) => (e.detail.checked ? [...cur, r] : cur.filter((x) => x !== r)))}>
                    {r}
                  </Checkbox>
                ))}
              </SpaceBetween>
            </FormField>
            <FormField label="Quick pick">
              <SpaceBetween size="xs" direction="horizontal">
                {PRESETS.map((p) => (
                  <Button
                    key={p.id}
                    formAction="none"
                    onClick={() => {
                      setUserId(p.id);
                      setRoles(p.roles);
                    }}
                  >
                    {p.label}
                  </Button>
                ))}
              </SpaceBetween>
            </FormField>
          </SpaceBetween>
        </Container>
      </Form>
    </form>
  );
};

const HostedUiSignIn = () => {
  const session = useSession();
  return (
    <Container header={<Header variant="h1">Complaints console</Header>}>
      <SpaceBetween size="m">
        {session.error ? <Alert type="error">{session.error}</Alert> : null}
        <Box>Sign in with your organisation account.</Box>
        <Button variant="primary" loading={session.loading} onClick={() => void session.signIn()}>
          Sign in
        </Button>
      </SpaceBetween>
    </Container>
  );
};

const SignInPage = () => {
  const { mode } = useSession();
  return (
    <main>
      <ContentLayout>
        <Box padding="xxl">{mode === 'local' ? <LocalSignIn /> : <HostedUiSignIn />}</Box>
      </ContentLayout>
    </main>
  );
};

export default SignInPage;
