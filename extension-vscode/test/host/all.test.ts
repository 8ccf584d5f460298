// One entry, so the suites run in this order: the no-secrets check last, after everything wrote its files.
import './activation.js';
import './keys.js';
import './key-flows.js';
import './leaks.js';
import './allow.js';
import './commit.js';
import './protection.js';
import './staged-fixes.js';
import './launch.js';
import './references.js';
import './incident.js';
import './accessible-text.js';
import './no-secrets.js';
