// The settings loader every data route's handler runs first: the settings kept outside the environment, read from the
// settings secret once per container (external-settings.ts). Routes that touch no data (health, openapi) do not load it.
import { readSettingsSecret } from '#adapters/aws/settings-secret';
import { loadExternalSettings } from './external-settings';

export const loadSettings = (): Promise<void> => loadExternalSettings(readSettingsSecret);
