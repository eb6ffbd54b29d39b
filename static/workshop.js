// Workshop mode: one slide at a time, arrow keys to move, R or Space to reveal the customers' view.
(function () {
  "use strict";
  var body = document.body;
  body.classList.add("js");
  var slides = Array.prototype.slice.call(document.querySelectorAll(".slide"));
  if (!slides.length) { return; }
  var current = 0;

  function indexFromHash() {
    var m = /^#slide-(\d+)$/.exec(window.location.hash);
    if (!m) { return 0; }
    var i = parseInt(m[1], 10);
    return i >= 0 && i < slides.length ? i : 0;
  }

  function show(i) {
    current = Math.max(0, Math.min(slides.length - 1, i));
    slides.forEach(function (s, k) { s.classList.toggle("current", k === current); });
    if (window.location.hash !== "#slide-" + current) {
      history.replaceState(null, "", "#slide-" + current);
    }
    window.scrollTo(0, 0);
  }

  function reveal() { slides[current].classList.add("revealed"); }

  function typing(el) {
    return el && (el.tagName === "INPUT" || el.tagName === "TEXTAREA" || el.tagName === "SELECT" || el.isContentEditable);
  }

  document.addEventListener("keydown", function (e) {
    if (typing(e.target) || e.altKey || e.ctrlKey || e.metaKey) { return; }
    if (e.key === "ArrowRight" || e.key === "PageDown") { show(current + 1); e.preventDefault(); }
    else if (e.key === "ArrowLeft" || e.key === "PageUp") { show(current - 1); e.preventDefault(); }
    else if (e.key === "r" || e.key === "R" || e.key === " ") { reveal(); e.preventDefault(); }
  });
  document.addEventListener("click", function (e) {
    var t = e.target;
    if (t.closest("[data-reveal]")) { reveal(); }
    else if (t.closest("[data-next]")) { show(current + 1); }
    else if (t.closest("[data-prev]")) { show(current - 1); }
    else if (t.closest("[data-print]")) { window.print(); }
  });
  window.addEventListener("hashchange", function () { show(indexFromHash()); });
  show(indexFromHash());
})();
