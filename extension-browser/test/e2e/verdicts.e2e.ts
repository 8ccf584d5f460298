import { launchChromium } from './extension-browser.js';
import { describeVerdicts } from './verdict-suite.js';

describeVerdicts('Chromium', {
  // No network at test time: production's host name resolves nowhere, which is the unknown-host case.
  launch: () => launchChromium({ extraArgs: ['--host-resolver-rules=MAP api.signus.ai ~NOTFOUND'] }),
  // The clipboard permissions are granted to the extension's origin at launch.
  readClipboard: (_ext, page) => page.evaluate(() => navigator.clipboard.readText()),
});
