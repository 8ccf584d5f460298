import { CUSTOM_ID, type Environment } from '../lib/settings.js';

interface Props {
  environments: Environment[];
  selected: string;
  onSelect: (id: string) => void;
  customUrl: string;
  onCustomUrl: (value: string) => void;
  customProblem?: string;
  customWarning?: string;
}

export function EnvironmentField(props: Props) {
  const { environments, selected, onSelect, customUrl, onCustomUrl, customProblem, customWarning } = props;
  const message = customProblem ?? customWarning;
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
          {message ? (
            <p id="base-url-message" class={`message ${customProblem ? 'error' : 'warning'}`}>
              {message}
            </p>
          ) : null}
        </div>
      ) : null}
    </>
  );
}
