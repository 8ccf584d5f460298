// One measurement in a fresh process: load the bundle and call activate() against a stand-in `vscode`
// module that accepts every call. Prints {loadMs, activateMs, cpuMs} as JSON (cpuMs: this process's CPU time for
// both, which a busy machine inflates far less than the wall time).
import Module, { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';

const require = createRequire(import.meta.url);

function universal() {
  const target = function () {};
  const proxy = new Proxy(target, {
    get(_t, prop) {
      if (prop === Symbol.iterator) return function* () {};
      if (prop === Symbol.toPrimitive) return () => '';
      if (prop === 'then') return undefined;
      if (prop === 'prototype') return Object.prototype;
      return proxy;
    },
    set: () => true,
    apply: () => proxy,
    construct: () => proxy,
  });
  return proxy;
}
// The bundle copies the module's own properties (esbuild's ESM interop), so they must be real ones.
class Stub {}
class EventEmitter {
  event = () => ({ dispose() {} });
  fire() {}
  dispose() {}
}
const vscode = {
  TreeItem: Stub,
  ThemeIcon: Stub,
  ThemeColor: Stub,
  MarkdownString: Stub,
  Range: Stub,
  Position: Stub,
  Selection: Stub,
  Diagnostic: Stub,
  CodeAction: Stub,
  Hover: Stub,
  WorkspaceEdit: Stub,
  EventEmitter,
  CodeActionKind: { QuickFix: 'quickfix' },
  StatusBarAlignment: { Left: 1, Right: 2 },
  TreeItemCollapsibleState: { None: 0 },
  ExtensionMode: { Production: 1, Development: 2, Test: 3 },
  ProgressLocation: { Notification: 15, Window: 10 },
  TaskScope: { Global: 1, Workspace: 2 },
  ConfigurationTarget: { Global: 1, Workspace: 2 },
  DiagnosticSeverity: { Error: 0, Warning: 1 },
  ViewColumn: { Active: -1 },
  Uri: universal(),
  window: universal(),
  workspace: universal(),
  languages: universal(),
  commands: universal(),
  debug: universal(),
  tasks: universal(),
  env: universal(),
  extensions: universal(),
};
const load = Module._load;
Module._load = function (request, ...rest) {
  return request === 'vscode' ? vscode : load.call(this, request, ...rest);
};

class Memento {
  constructor() {
    this.map = new Map();
  }
  get(key, fallback) {
    return this.map.has(key) ? this.map.get(key) : fallback;
  }
  update(key, value) {
    this.map.set(key, value);
    return Promise.resolve();
  }
  keys() {
    return [...this.map.keys()];
  }
}

const context = {
  subscriptions: [],
  globalState: new Memento(),
  workspaceState: new Memento(),
  secrets: {
    get: async () => undefined,
    store: async () => {},
    delete: async () => {},
    onDidChange: () => ({ dispose() {} }),
  },
  environmentVariableCollection: universal(),
  extensionPath: process.argv[3] ?? '.',
  extensionMode: 1,
};

const c0 = process.cpuUsage();
const t0 = performance.now();
const extension = require(process.argv[2]);
const t1 = performance.now();
extension.activate(context);
const t2 = performance.now();
const c = process.cpuUsage(c0);
process.stdout.write(JSON.stringify({ loadMs: t1 - t0, activateMs: t2 - t1, cpuMs: (c.user + c.system) / 1000 }));
process.exit(0);
