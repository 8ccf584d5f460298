export { startEmulator, type EmulatorOptions, type RunningEmulator } from './server.js';
export {
  EmulatorState,
  newSecret,
  type Fault,
  type EmulatedKey,
  type EmulatedAccount,
  type EmulatedTemplate,
} from './state.js';
