// Workshop mode: one slide at a time; ← and → move, R (or Space, when no button or field has
// the focus) reveals the customers' view. Revealing asks the server for the slide with the
// answer: until then the customers' score is not in the page at all.
(function () {
  "use strict";
  var body = document.body;
  var workshop = document.querySelector(".workshop");
  // The print view shows every slide, revealed, as one document, and opens the print dialog.
  if (workshop && workshop.hasAttribute("data-print-now")) {
    window.addEventListener("load", function () { window.print(); });
    return;
  }
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

  function reveal() {
    var form = slides[current].querySelector("form.reveal-form");
    if (form) {
      if (form.requestSubmit) { form.requestSubmit(); } else { form.submit(); }
    }
  }

  // Keys that belong to the focused control: Space presses a button, types in a field,
  // follows nothing on a link; the slide shortcuts only act when no control has the focus.
  function control(el) {
    if (!el || el === body) { return false; }
    return /^(INPUT|TEXTAREA|SELECT|BUTTON|A|SUMMARY|OPTION)$/.test(el.tagName) ||
      el.isContentEditable || el.getAttribute("role") === "button";
  }

  document.addEventListener("keydown", function (e) {
    if (e.altKey || e.ctrlKey || e.metaKey) { return; }
    var t = e.target;
    if (t && (t.tagName === "INPUT" || t.tagName === "TEXTAREA" || t.tagName === "SELECT" || t.isContentEditable)) { return; }
    if (e.key === "ArrowRight" || e.key === "PageDown") { show(current + 1); e.preventDefault(); }
    else if (e.key === "ArrowLeft" || e.key === "PageUp") { show(current - 1); e.preventDefault(); }
    else if (e.key === "r" || e.key === "R") { reveal(); e.preventDefault(); }
    else if (e.key === " " && !control(t)) { reveal(); e.preventDefault(); }
  });
  document.addEventListener("click", function (e) {
    var t = e.target;
    if (t.closest("[data-next]")) { show(current + 1); }
    else if (t.closest("[data-prev]")) { show(current - 1); }
  });
  window.addEventListener("hashchange", function () { show(indexFromHash()); });
  show(indexFromHash());
  // The confirmation of an action just recorded: where the eye (and a screen reader) is.
  var done = slides[current].querySelector("[data-focus]");
  if (done) {
    done.focus();
    window.addEventListener("load", function () { done.focus(); });
  }
})();
