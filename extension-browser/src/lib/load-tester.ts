/** Everything only a test needs: the request, its verdict, and the result's layout. */
export type Tester = typeof import('./tester.js');

let loading: Promise<Tester> | undefined;

/**
 * The popup paints its form without the tester (the core's request, verdicts, presentation and cURL
 * builder are half of its script): it is fetched once the form is on screen, and any test waits for it.
 */
export function loadTester(): Promise<Tester> {
  return (loading ??= import('./tester.js'));
}
