// A failed call shown plainly: 403 says what was refused, 412 offers the reload and keeps what the user typed.
import Alert from '@cloudscape-design/components/alert';
import Button from '@cloudscape-design/components/button';
import type { DisplayError } from '../api';

export const ErrorAlert = ({ error, onReload, onDismiss }: { error: DisplayError | undefined; onReload?: () => void; onDismiss?: () => void }) => {
  if (!error) return null;
  const header = error.kind === 'stale' ? 'This case changed; reload' : error.kind === 'forbidden' ? 'Not allowed (403)' : `${error.title ?? 'Request failed'} (${error.status || 'network'})`;
  return (
    <Alert
      type={error.kind === 'stale' ? 'warning' : 'error'}
      header={header}
      {...(onDismiss ? { dismissible: true, onDismiss } : {})}
      // The dismiss button's accessible name (without it the button is nameless to a screen reader: axe button-name).
      i18nStrings={{ dismissAriaLabel: 'Dismiss this message' }}
      {...(error.kind === 'stale' && onReload ? { action: <Button onClick={onReload}>Reload case</Button> } : {})}
    >
      <span data-testid="error-message">{error.message}</span>
      {error.fields?.length ? (
        <ul>
          {error.fields.map((f) => (
            <li key={f.field}>
              {f.field}: {f.message}
            </li>
          ))}
        </ul>
      ) : null}
    </Alert>
  );
};
