export {
  startHostileServer,
  TEMPLATES_PAGE,
  type HostileAnswer,
  type HostileRequest,
  type HostileScript,
  type RunningHostileServer,
} from './server.js';
export { ATTACKS, type Attack } from './attacks.js';
export { findKeyLeak, assertNoKeyLeak, type Leak } from './leak-check.js';
export {
  assertForRandomEchoes,
  buildEcho,
  echoAnswer,
  echoArb,
  keyArb,
  placementArb,
  type Echo,
  type Placement,
} from './arbitraries.js';
export * from './echo-forms.js';
export { hostileFetch } from './fetch.js';
