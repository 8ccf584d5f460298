import { useEffect, useState } from 'preact/hooks';
import { grantedByManifest, originPattern } from '../lib/origins.js';
import { GUARDED_SITES_KEY, guardedSites, siteOrigin, sitePattern } from '../lib/paste-guard.js';
import type { OptionsPlatform } from '../lib/platform.js';
import type { Environment } from '../lib/settings.js';
import { FieldMessage } from './FieldMessage.js';

interface Props {
  platform: OptionsPlatform;
  /** Saved environments: a host one of them needs keeps its permission when its guard is turned off. */
  environments: Environment[];
}

type Message = { kind: 'ok' | 'error'; text: string } | undefined;

/**
 * The paste guard, per site: off everywhere until the user names a site here and allows the browser's
 * prompt for it (an optional host permission; nothing is asked for at install).
 */
export function PasteGuardOptions({ platform, environments }: Props) {
  const [sites, setSites] = useState<string[]>([]);
  const [site, setSite] = useState('');
  const [message, setMessage] = useState<Message>();

  useEffect(() => {
    void guardedSites(platform).then(setSites);
  }, []);

  const store = async (next: string[]) => {
    await platform.local.set(GUARDED_SITES_KEY, next);
    await platform.registerPasteGuard([...new Set(next.map(sitePattern))]);
    setSites(next);
  };

  const onAdd = async (event: Event) => {
    event.preventDefault();
    const origin = siteOrigin(site);
    if (!origin)
      return setMessage({ kind: 'error', text: 'Enter a site, e.g. github.com or https://chat.example.com.' });
    if (sites.includes(origin)) return setMessage({ kind: 'error', text: `The guard is already on for ${origin}.` });
    let granted: boolean;
    try {
      // Straight from the click, before any other await: the browser shows its prompt only then.
      granted = await platform.requestOrigins([sitePattern(origin)]);
    } catch (error) {
      const why = error instanceof Error ? error.message : String(error);
      return setMessage({ kind: 'error', text: `Could not ask for permission to run on ${origin}: ${why}.` });
    }
    if (!granted) {
      return setMessage({ kind: 'error', text: `Permission for ${origin} was refused, so the guard is not on there.` });
    }
    await store([...sites, origin]);
    setSite('');
    setMessage({ kind: 'ok', text: `The paste guard is on for ${origin}. Pages already open there need a reload.` });
  };

  const onRemove = async (origin: string) => {
    const next = sites.filter((s) => s !== origin);
    await store(next);
    const pattern = sitePattern(origin);
    const stillNeeded =
      grantedByManifest(origin) ||
      next.some((s) => sitePattern(s) === pattern) ||
      environments.some((env) => originPattern(env.baseUrl) === pattern);
    if (!stillNeeded) await platform.removeOrigins([pattern]);
    setMessage({ kind: 'ok', text: `The paste guard is off for ${origin}.` });
  };

  return (
    <section aria-labelledby="guard-title">
      <h2 id="guard-title">Paste guard</h2>
      <p class="muted">
        Stops a Signus key from being pasted or typed into a site you name here, and asks first: paste it anyway, paste
        a placeholder, or test it in the popup. It reads only what goes into the page's fields, sends nothing anywhere
        and keeps no key (keys you tested are known by a SHA-256 fingerprint).
      </p>
      {sites.length > 0 && (
        <ul class="envs sites" aria-label="Guarded sites">
          {sites.map((origin) => (
            <li key={origin}>
              <code>{origin}</code>
              <span class="buttons">
                <button type="button" aria-label={`Stop guarding ${origin}`} onClick={() => void onRemove(origin)}>
                  Stop guarding
                </button>
              </span>
            </li>
          ))}
        </ul>
      )}
      <form class="inline" onSubmit={(e) => void onAdd(e)} noValidate>
        <div class="field">
          <label for="guard-site">Site</label>
          <input
            id="guard-site"
            value={site}
            placeholder="github.com"
            spellcheck={false}
            autocomplete="off"
            aria-invalid={message?.kind === 'error' ? 'true' : 'false'}
            aria-describedby={message ? 'guard-message' : undefined}
            onInput={(e) => {
              setSite(e.currentTarget.value);
              setMessage(undefined);
            }}
          />
        </div>
        <span class="buttons">
          <button type="submit">Guard this site</button>
        </span>
        <FieldMessage id="guard-message" text={message?.text} kind={message?.kind === 'error' ? 'error' : 'note'} />
      </form>
    </section>
  );
}
