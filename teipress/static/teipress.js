/* teipress: progressive enhancement only; every page works without this file.
   Reading switch, accessible note popovers, absolute permalinks in citations, search. */
(function () {
  "use strict";
  var html = document.documentElement;

  function store(key, value) {
    try { if (value === undefined) { return window.localStorage.getItem(key); } window.localStorage.setItem(key, value); }
    catch (e) { return null; } // file:// or private mode: no storage, no problem
    return null;
  }

  /* Reading switch: "corrected" (default, also without JS) or "as published". */
  function readings() {
    var box = document.querySelector(".tp-reading");
    if (!box || !document.querySelector(".tp-alt, .tp-supplied")) { return; }
    box.hidden = false;
    var saved = store("teipress-reading") === "published" ? "published" : "corrected";
    function apply(value) {
      if (value === "published") { html.setAttribute("data-reading", "published"); }
      else { html.removeAttribute("data-reading"); }
    }
    box.querySelectorAll("input[name=tp-reading]").forEach(function (input) {
      input.checked = input.value === saved;
      input.addEventListener("change", function () {
        if (input.checked) { apply(input.value); store("teipress-reading", input.value); }
      });
    });
    apply(saved);
  }

  /* Note popovers: a note mark opens its footnote beside it (mouse, keyboard, touch);
     Escape or Close returns focus to the mark; the footnote list stays for reading and print. */
  function popovers() {
    var pop = document.getElementById("tp-popover");
    if (!pop) { return; }
    var body = pop.querySelector(".tp-popover-body");
    var head = pop.querySelector(".tp-popover-h");
    var go = pop.querySelector(".tp-popover-go");
    var opener = null;

    function close(restore) {
      if (pop.hidden) { return; }
      pop.hidden = true;
      if (opener) { opener.setAttribute("aria-expanded", "false"); if (restore) { opener.focus(); } }
      opener = null;
    }
    function open(mark) {
      var id = decodeURIComponent(mark.getAttribute("href").slice(1));
      var note = document.getElementById(id);
      if (!note) { return false; }
      var content = note.querySelector(".tp-note-body").cloneNode(true);
      content.querySelectorAll("[id]").forEach(function (el) { el.removeAttribute("id"); });
      content.querySelectorAll("[aria-describedby]").forEach(function (el) { el.removeAttribute("aria-describedby"); });
      body.replaceChildren(content);
      var meta = note.querySelector(".tp-note-meta");
      head.textContent = (note.getAttribute("value") || "") + ". " + (meta ? meta.textContent : "Note");
      go.setAttribute("href", "#" + id);
      pop.hidden = false;
      var r = mark.getBoundingClientRect();
      var width = Math.min(pop.offsetWidth, window.innerWidth - 16);
      var left = Math.max(8, Math.min(r.left + window.scrollX - 20, window.scrollX + window.innerWidth - width - 8));
      pop.style.left = left + "px";
      pop.style.top = (r.bottom + window.scrollY + 6) + "px";
      if (opener && opener !== mark) { opener.setAttribute("aria-expanded", "false"); }
      opener = mark;
      mark.setAttribute("aria-expanded", "true");
      pop.setAttribute("tabindex", "-1");
      pop.focus();
      return true;
    }
    document.querySelectorAll("a.tp-noteref").forEach(function (mark) {
      mark.setAttribute("aria-haspopup", "dialog");
      mark.setAttribute("aria-expanded", "false");
      mark.setAttribute("aria-controls", "tp-popover");
      mark.addEventListener("click", function (ev) {
        if (ev.ctrlKey || ev.metaKey || ev.shiftKey || ev.altKey) { return; }
        if (opener === mark && !pop.hidden) { ev.preventDefault(); close(true); return; }
        if (open(mark)) { ev.preventDefault(); }
      });
    });
    pop.querySelector(".tp-popover-close").addEventListener("click", function () { close(true); });
    go.addEventListener("click", function () { close(false); });
    document.addEventListener("keydown", function (ev) { if (ev.key === "Escape") { close(true); } });
    document.addEventListener("click", function (ev) {
      if (!pop.hidden && !pop.contains(ev.target) && !(ev.target.closest && ev.target.closest("a.tp-noteref"))) { close(false); }
    });
    pop.addEventListener("focusout", function (ev) {
      if (ev.relatedTarget && !pop.contains(ev.relatedTarget) && ev.relatedTarget !== opener) { close(false); }
    });
  }

  /* Citations: when served over http(s), show the permalink as an absolute address. */
  function permalinks() {
    if (!/^https?:$/.test(location.protocol)) { return; }
    document.querySelectorAll("[data-tp-permalink]").forEach(function (el) {
      var rel = el.getAttribute("data-tp-permalink");
      if (/^https?:/.test(rel)) { return; }
      var abs = new URL(document.body.getAttribute("data-root") + rel, location.href).href;
      el.textContent = el.textContent.replace(rel, abs);
    });
  }

  /* Search: Pagefind's UI, loaded from this site only when the search page is open. */
  function search() {
    var box = document.getElementById("tp-search");
    if (!box) { return; }
    var bundle = new URL(box.getAttribute("data-bundle"), location.href).href; // import() needs a full URL
    var note = document.getElementById("tp-search-note");
    if (location.protocol === "file:") { return; }
    var css = document.createElement("link");
    css.rel = "stylesheet"; css.href = bundle + "pagefind-ui.css";
    document.head.appendChild(css);
    var script = document.createElement("script");
    script.src = bundle + "pagefind-ui.js";
    script.onload = function () {
      /* global PagefindUI */
      new PagefindUI({ element: "#tp-search", bundlePath: bundle, showSubResults: true, resetStyles: false,
        translations: { placeholder: "Search the edition" } });
      if (note) { note.hidden = true; }
      var params = new URLSearchParams(location.search);
      var q = params.get("q");
      var input = box.querySelector("input");
      if (input) {
        input.setAttribute("aria-label", "Search the edition");
        if (q) { input.value = q; input.dispatchEvent(new Event("input", { bubbles: true })); }
      }
    };
    document.head.appendChild(script);
  }

  function ready() { readings(); popovers(); permalinks(); search(); }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", ready); } else { ready(); }
}());
