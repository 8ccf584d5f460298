import { CUSTOM_ID, type Environment } from '../lib/settings.js';
import { FieldMessage } from './FieldMessage.js';

interface Props {
  environments: Environment[];
  selected: string;
  onSelect: (id: string) => void;
  customUrl: string;
  onCustomUrl: (value: string) => void;
  customProblem?: string;
  customWarning?: string;
  /** How the URL was corrected, e.g. "…/v1" dropped. */
  customNote?: string;
}

export function EnvironmentField(props: Props) {
  const { environments, selected, onSelect, customUrl, onCustomUrl, customProblem, customWarning, customNote } = props;
  const message = customProblem ?? customWarning ?? customNote;
  return (
    <>
      <div class="field">
        <label for="environment">Environment</label>
        <select id="environment" value={selected} onChange={(e) => onSelect(e.currentTarget.value)}>
          {environments.map((env) => (
            <option key={env.id} value={env.id}>
              {env.name} — {env.baseUrl}
            </option>
          ))}
          <option value={CUSTOM_ID}>Custom…</option>
        </select>
      </div>
      {selected === CUSTOM_ID ? (
        <div class="field">
          <label for="base-url">Base URL</label>
          <input
            id="base-url"
            type="url"
            value={customUrl}
            placeholder="https://staging.example.com"
            spellcheck={false}
            aria-invalid={customProblem ? 'true' : 'false'}
            aria-describedby={message ? 'base-url-message' : undefined}
            onInput={(e) => onCustomUrl(e.currentTarget.value)}
          />
          <FieldMessage
            id="base-url-message"
            text={message}
            kind={customProblem ? 'error' : customWarning ? 'warning' : 'note'}
          />
        </div>
      ) : null}
    </>
  );
}
