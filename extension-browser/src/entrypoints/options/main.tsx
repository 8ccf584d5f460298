import { render } from 'preact';
import { optionsPlatform } from '../../lib/paste-guard-registration.js';
import { loadSettings } from '../../lib/settings.js';
import { Options } from '../../ui/Options.js';
import '../../ui/styles.css';

const platform = optionsPlatform();
render(<Options platform={platform} initial={await loadSettings(platform)} />, document.getElementById('app')!);
