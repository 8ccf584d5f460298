// The baseline for scripts/bench.mjs: an extension that does nothing.
exports.activate = () => undefined;
