// popup-boot.js, the popup's one script before its first paint; scripts/late-hydration.ts writes it into the
// build with the popup module's name for POPUP_MODULE (a literal: AMO's linter refuses import() of a variable).
// It starts the popup's module after the first paint: Chromium shows a popup only
// once its page has loaded, and a module script holds up the load event, so popup.html's prerendered form
// paints ~34 ms sooner when the module is imported after its first paint. Until it has hydrated the form, a submit
// (Enter in a field) is held here rather than reloading the page, and handed to the module.
(function () {
  'use strict';
  var boot = { submitted: false, release: release };
  function hold(event) {
    event.preventDefault();
    boot.submitted = true;
  }
  function release() {
    document.removeEventListener('submit', hold, true);
  }
  document.addEventListener('submit', hold, true);
  window.signusBoot = boot;
  var started = false;
  function start() {
    if (started) return;
    started = true;
    import('POPUP_MODULE').catch(function (error) {
      release();
      console.error('Signus key tester: the popup script did not load', error);
    });
  }
  function afterFirstPaint() {
    // Once the browser has painted the form, not in the way of its first frame. A document that is not
    // shown (a background tab) paints nothing; the timer starts it anyway.
    try {
      new PerformanceObserver(function (list, observer) {
        observer.disconnect();
        setTimeout(start, 0);
      }).observe({ type: 'paint', buffered: true });
    } catch {
      // No paint timing here: start in the next task.
      setTimeout(start, 0);
    }
    setTimeout(start, 250);
  }
  if (document.readyState === 'complete') afterFirstPaint();
  else addEventListener('load', afterFirstPaint, { once: true });
})();
