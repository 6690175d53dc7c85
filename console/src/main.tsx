// Entry point: read the runtime config, then render the console inside its session.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import '@cloudscape-design/global-styles/index.css';
import { loadConfig } from './config';
import { SessionProvider } from './session';
import { App } from './App';

const root = createRoot(document.getElementById('root') ?? document.body.appendChild(document.createElement('div')));

loadConfig().then(
  (config) =>
    root.render(
      <StrictMode>
        <SessionProvider config={config}>
          <App />
        </SessionProvider>
      </StrictMode>,
    ),
  (err: unknown) => root.render(<p role="alert">The console could not start: {(err as Error).message}</p>),
);
