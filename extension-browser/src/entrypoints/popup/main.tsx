import { render } from 'preact';
import { browserPlatform } from '../../lib/browser-platform.js';
import { takeDraft } from '../../lib/permission-draft.js';
import { loadHistory, loadRememberedKey, loadSettings, takePendingKey } from '../../lib/settings.js';
import { Popup, type PopupState } from '../../ui/Popup.js';
import '../../ui/styles.css';

// For the benchmark: the popup's own start-up begins here, after the browser loaded and parsed the page.
performance.mark('signus:script-start');
const platform = browserPlatform();
const app = document.getElementById('app')!;
// The form first: nothing the browser answers asynchronously (storage) stands between opening the popup
// and its first paint. What storage holds fills the form in a moment later (Popup's `initial`).
render(<Popup platform={platform} />, app);

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
render(<Popup platform={platform} initial={initial} />, app);
