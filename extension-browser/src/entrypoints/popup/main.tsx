import { hydrate, render } from 'preact';
import { browserPlatform } from '../../lib/browser-platform.js';
import { takeDraft } from '../../lib/permission-draft.js';
import { loadHistory, loadRememberedKey, loadSettings, takePendingKey } from '../../lib/settings.js';
import { readEarlyInput } from '../../ui/early-input.js';
import { Popup, type PopupState } from '../../ui/Popup.js';
import '../../ui/styles.css';

/** Set by popup-boot.js, which starts this module after the first paint and holds early submits. */
declare global {
  interface Window {
    signusBoot?: { submitted: boolean; release(): void };
  }
}

// For the benchmark: the popup's own start-up begins here, after the browser loaded and parsed the page.
performance.mark('signus:script-start');
const platform = browserPlatform();
const app = document.getElementById('app')!;
// The form is already on screen: popup.html holds it, rendered at build time from the defaults
// (scripts/prerender-popup.ts), so the first frame waited for no script. Preact adopts those elements as
// they are, with whatever the user typed into them meanwhile; nothing the browser answers asynchronously
// (storage) stands in between. What storage holds fills the form in a moment later (Popup's `initial`).
const early = readEarlyInput(app);
hydrate(<Popup platform={platform} early={early} />, app);
// The form's own handler has the submits from here on.
const boot = window.signusBoot;
boot?.release();

const [settings, history, rememberedKey, pendingKey, draft] = await Promise.all([
  loadSettings(platform),
  loadHistory(platform),
  loadRememberedKey(platform),
  takePendingKey(platform),
  takeDraft(platform),
]);
const initial: PopupState = { settings, history };
if (rememberedKey !== undefined) initial.rememberedKey = rememberedKey;
if (pendingKey !== undefined) initial.pendingKey = pendingKey;
if (draft !== undefined) initial.draft = draft;
performance.mark('signus:state-loaded');
render(<Popup platform={platform} initial={initial} early={early} submittedEarly={boot?.submitted} />, app);
