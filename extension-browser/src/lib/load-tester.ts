import { useEffect, useState } from 'preact/hooks';

/** Everything only a test needs: the request, its verdict, and the result's layout. */
export type Tester = typeof import('./tester.js');
/** The field checks and the permission step: needed once someone types, pastes or presses Test. */
export type PopupActions = typeof import('./popup-actions.js');

let loading: Promise<Tester> | undefined;
let actions: PopupActions | undefined;
let loadingActions: Promise<PopupActions> | undefined;

/**
 * The popup paints its form without the tester (the core's request, verdicts, presentation and cURL
 * builder are half of its script): it is fetched once the form is on screen, and any test waits for it.
 */
export function loadTester(): Promise<Tester> {
  return (loading ??= import('./tester.js'));
}

/** The popup's actions, fetched once; the same for every caller. */
export function loadPopupActions(): Promise<PopupActions> {
  return (loadingActions ??= import('./popup-actions.js').then((module) => (actions = module)));
}

/**
 * The popup's actions once loaded (undefined for the moment after first paint before they arrive);
 * asks for them once the component has painted.
 */
export function usePopupActions(): PopupActions | undefined {
  const [loaded, setLoaded] = useState(actions);
  useEffect(() => {
    if (!loaded) void loadPopupActions().then(setLoaded);
  }, []);
  return loaded;
}
