import { render } from 'preact';
import { browserPlatform } from '../../lib/browser-platform.js';
import { loadSettings } from '../../lib/settings.js';
import { Options } from '../../ui/Options.js';
import '../../ui/styles.css';

const platform = browserPlatform();
render(<Options platform={platform} initial={await loadSettings(platform)} />, document.getElementById('app')!);
