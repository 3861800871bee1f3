/* newstrace pair page: link aligned sentences; show drift explanations on tap.
   Served as a file because the CSP allows no inline script. Article text is
   only ever read and written with textContent, never as HTML. */
(function () {
  "use strict";
  var pinned = null;
  function linked(el) {
    return (el.getAttribute("data-links") || "").split(" ").filter(Boolean)
      .map(function (id) { return document.getElementById(id); }).filter(Boolean);
  }
  function show(el, on) {
    el.classList.toggle("active", on);
    linked(el).forEach(function (x) { x.classList.toggle("hl", on); });
  }
  function inView(el) {
    var r = el.getBoundingClientRect();
    return r.top >= 0 && r.bottom <= window.innerHeight;
  }
  function pick(el) {
    var was = pinned;
    if (pinned) { show(pinned, false); pinned = null; }
    if (was === el) return;
    pinned = el; show(el, true);
    var t = linked(el)[0];
    if (t && !inView(t)) t.scrollIntoView({block: "center", behavior: "smooth"});
  }
  // A graph wider than a phone scrolls; start with its top centre (the origin) in view.
  document.querySelectorAll(".graph-wrap").forEach(function (w) {
    w.scrollLeft = (w.scrollWidth - w.clientWidth) / 2;
  });
  var tip = document.getElementById("tip");
  function explain(mark) {
    if (!tip) return;
    tip.textContent = mark.getAttribute("data-tip") || "";
    tip.hidden = false;
  }
  document.querySelectorAll(".cols .s").forEach(function (el) {
    el.addEventListener("mouseenter", function () { if (!pinned) show(el, true); });
    el.addEventListener("mouseleave", function () { if (!pinned) show(el, false); });
    el.addEventListener("click", function (e) {
      var mark = e.target.closest ? e.target.closest("mark[data-tip]") : null;
      if (mark) { explain(mark); }
      pick(el);
    });
    el.addEventListener("keydown", function (e) {
      if (e.key === "Enter" || e.key === " ") { e.preventDefault(); pick(el); }
    });
  });
  document.querySelectorAll("mark[data-tip]").forEach(function (m) {
    m.addEventListener("focus", function () { explain(m); });
  });
  if (tip) {
    tip.addEventListener("click", function () { tip.hidden = true; });
    document.addEventListener("keydown", function (e) { if (e.key === "Escape") tip.hidden = true; });
  }
})();
