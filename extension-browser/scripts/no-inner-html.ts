/**
 * Preact sets `innerHTML` for `dangerouslySetInnerHTML`, which this extension never uses. The plugin
 * replaces that one assignment with a throw, so the extension has no HTML sink at all and the store
 * linters (AMO's UNSAFE_VAR_ASSIGNMENT) have nothing to warn about. The build fails if Preact's code
 * changes shape, rather than letting the sink back in unnoticed.
 */
const ASSIGNMENT = /(\w+)\.innerHTML\s*=\s*(\w+)\.__html/g;

/** The part of a Vite plugin this needs (vite itself is WXT's dependency, not this package's). */
interface TransformPlugin {
  name: string;
  enforce: 'pre';
  transform(this: { error(message: string): never }, code: string, id: string): { code: string; map: null } | undefined;
}

export function noInnerHtml(): TransformPlugin {
  return {
    name: 'signus:no-inner-html',
    enforce: 'pre',
    transform(code, id) {
      if (!/[\\/]preact[\\/]dist[\\/]preact\.m?js$/.test(id.split('?')[0]!)) return undefined;
      const replaced = code.replace(
        ASSIGNMENT,
        '(()=>{throw new Error("dangerouslySetInnerHTML is not allowed in the Signus key tester")})()',
      );
      if (replaced === code) this.error(`no-inner-html: Preact's innerHTML assignment was not found in ${id}`);
      return { code: replaced, map: null };
    },
  };
}
