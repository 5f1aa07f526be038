// The article page: hovering a highlight lights up its whole attribution; clicking (or Enter) opens the
// panel with who said it, how, and the chain of intermediaries it came through. Built with DOM calls
// and textContent only, so article text is never parsed as markup.
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("attribution-data").textContent);
  var text = document.getElementById("article-text");
  var panel = document.getElementById("panel");
  var body = panel.querySelector(".panel-body");
  var hovered = null;

  function marks(id) {
    return text.querySelectorAll('.m[data-att~="' + CSS.escape(id) + '"]');
  }
  function first(mark) {
    return mark.getAttribute("data-att").split(" ")[0];
  }
  function toggle(id, name, on) {
    marks(id).forEach(function (m) { m.classList.toggle(name, on); });
  }
  function el(tag, cls, content) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (content !== undefined) node.textContent = content;
    return node;
  }
  function speaker(s, fallback) {
    if (!s) return el("span", "speaker none", fallback || "no source");
    // an extracted article's speakers are its own entities ("e1"), with no corpus page
    if (typeof s.id !== "number") return el("span", "speaker", s.name);
    var a = el("a", "speaker", s.name);
    a.href = "/speakers/" + encodeURIComponent(s.id);
    return a;
  }
  function row(dl, label, value) {
    dl.appendChild(el("dt", null, label));
    var dd = el("dd");
    if (typeof value === "string") dd.textContent = value; else dd.appendChild(value);
    dl.appendChild(dd);
  }
  function chain(via) {
    var span = el("span", "via");
    if (!via.length) { span.textContent = "directly (no intermediary)"; return span; }
    via.forEach(function (s, i) {
      if (i) span.appendChild(document.createTextNode(" \u2190 "));
      span.appendChild(speaker(s));
    });
    return span;
  }
  function names(subjects) {
    var span = el("span", "about");
    subjects.forEach(function (s, i) {
      if (i) span.appendChild(document.createTextNode(", "));
      span.appendChild(speaker(s));
    });
    return span;
  }
  function show(ids) {
    body.replaceChildren();
    ids.forEach(function (id, i) {
      var a = data[id];
      if (!a) return;
      var level = el("section", "level c" + a.colour);
      level.setAttribute("data-attribution", id);
      level.appendChild(el("h3", null, (i ? "inside " : "") + id + " \u00b7 " + a.kind.replace("_", " ")));
      var dl = el("dl");
      row(dl, "speaker", speaker(a.speaker, a.source));
      if (a.source) row(dl, "written as", a.source);
      row(dl, "cue", a.cue);
      row(dl, "through", chain(a.via));
      if (a.about.length) row(dl, "about", names(a.about));
      var link = el("a", null, "row in the table");
      link.href = "#row-" + id;
      row(dl, "see", link);
      level.appendChild(dl);
      body.appendChild(level);
    });
    panel.hidden = false;
  }
  function focus(id) {
    text.querySelectorAll(".m.focused").forEach(function (m) { m.classList.remove("focused"); });
    toggle(id, "focused", true);
    var mark = marks(id)[0];
    if (mark) show(mark.getAttribute("data-att").split(" ").slice(mark.getAttribute("data-att").split(" ").indexOf(id)));
  }

  text.addEventListener("mouseover", function (e) {
    var m = e.target.closest(".m");
    var id = m ? first(m) : null;
    if (id === hovered) return;
    if (hovered) toggle(hovered, "active", false);
    hovered = id;
    if (id) toggle(id, "active", true);
  });
  text.addEventListener("mouseleave", function () {
    if (hovered) toggle(hovered, "active", false);
    hovered = null;
  });
  text.addEventListener("click", function (e) {
    var m = e.target.closest(".m");
    if (!m) return;
    var ids = m.getAttribute("data-att").split(" ");
    text.querySelectorAll(".m.focused").forEach(function (x) { x.classList.remove("focused"); });
    toggle(ids[0], "focused", true);
    show(ids);
  });
  text.addEventListener("keydown", function (e) {
    if (e.key === "Enter" && e.target.classList.contains("m")) e.target.click();
  });
  panel.querySelector(".close").addEventListener("click", function () { panel.hidden = true; });

  function fromHash() {
    var id = decodeURIComponent(location.hash.slice(1));
    if (data[id]) focus(id);
  }
  window.addEventListener("hashchange", fromHash);
  fromHash();
})();
