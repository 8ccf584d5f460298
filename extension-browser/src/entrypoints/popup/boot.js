// popup-boot.js, the popup's one script before its first paint; scripts/late-hydration.ts writes it into the
// build with the popup module's name for POPUP_MODULE (a literal: AMO's linter refuses import() of a variable).
// It starts the popup's module after the first paint: Chromium shows a popup only
// once its page has loaded, and a module script holds up the load event, so popup.html's prerendered form
// paints 34–45 ms sooner when the module is imported after its first paint. Until it has hydrated the form, a submit
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
  function start(by) {
    if (started) return;
    started = true;
    // What started it: the paint, the second frame, or the timer (the e2e tests read it).
    document.documentElement.setAttribute('data-started-by', by);
    import('POPUP_MODULE').catch(function (error) {
      release();
      console.error('Signus key tester: the popup script did not load', error);
    });
  }
  // true in the Firefox build (scripts/late-hydration.ts): Firefox records the paint late and never
  // tells an observer in a popup, so there the second frame decides (the first is out by then). In
  // Chromium the frames come before the paint is on screen: 11 of 25 opens painted before the script,
  // against 25 of 25 when the paint observer decides.
  var framesDecide = false;
  function afterFirstPaint() {
    // Once the form is painted, not in the way of that first frame. A page that is never shown (a
    // background tab) paints nothing; the timer starts it anyway, late enough (1 s) that a popup painting
    // slowly on a busy machine is still started by its paint.
    try {
      new PerformanceObserver(function (list, observer) {
        observer.disconnect();
        setTimeout(start, 0, 'paint');
      }).observe({ type: 'paint', buffered: true });
    } catch {
      // No paint timing: the timer decides.
    }
    if (framesDecide) {
      requestAnimationFrame(function () {
        requestAnimationFrame(function () {
          setTimeout(start, 0, 'frame');
        });
      });
    }
    setTimeout(start, 1000, 'timer');
  }
  if (document.readyState === 'complete') afterFirstPaint();
  else addEventListener('load', afterFirstPaint, { once: true });
})();
