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

  /* Names underlined or not: the checkbox works without this file (the stylesheet reads it);
     here the reader's choice is remembered from page to page. */
  function namesSwitch() {
    var box = document.getElementById("tp-names");
    if (!box) { return; }
    if (store("teipress-names") === "off") { box.checked = false; }
    box.addEventListener("change", function () { store("teipress-names", box.checked ? "on" : "off"); });
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

  /* Citations: an edition without base_url prints them without an address (a site-relative path
     means nothing elsewhere); served over http(s), the page knows its absolute permalink and sets
     it into the citation's template (data-tp-template, made by teipress.model.citation.template). */
  function absolute(rel) {
    if (/^https?:/.test(rel)) { return rel; }
    if (!/^https?:$/.test(location.protocol)) { return ""; }  // never a file:// address
    return new URL(document.body.getAttribute("data-root") + rel, location.href).href;
  }
  function filled(template, address) {
    // without an address the link and its full stop go, as in the printed citation
    return address ? template.split("{permalink}").join(address)
                   : template.replace(/ ?\{permalink\}\S*\.(?= |$)/, "");
  }
  /* Parallel texts on a narrow screen: show both texts, unit by unit, or one of them
     (the grid's data-show; the CSS hides the other column).  Without JS both are shown. */
  function parallelSwitch() {
    var box = document.querySelector(".tp-parallel-switch");
    var grid = document.querySelector(".tp-parallel-grid");
    if (!box || !grid) { return; }
    box.hidden = false;
    var saved = store("teipress-parallel") || "both";
    box.querySelectorAll("input[name=tp-parallel-show]").forEach(function (input) {
      input.checked = input.value === saved;
      input.addEventListener("change", function () {
        if (input.checked) { grid.setAttribute("data-show", input.value); store("teipress-parallel", input.value); }
      });
    });
    grid.setAttribute("data-show", /^(both|original|translation)$/.test(saved) ? saved : "both");
  }

  /* Citations: when served over http(s), show the permalink as an absolute address. */
  function permalinks() {
    document.querySelectorAll("[data-tp-template]").forEach(function (el) {
      var abs = absolute(el.getAttribute("data-tp-permalink"));
      if (abs) { el.textContent = filled(el.getAttribute("data-tp-template"), abs); }
    });
  }

  /* Cite this passage: when the address names a passage (a ¶ permalink followed), the page's
     citation with that passage's permalink and its locator -- the printed page of the source
     (the last page marker before it) and the anchor.  The template is text made by the model
     (teipress.model.citation.passage); only textContent is set. */
  function passages() {
    var out = document.querySelector("[data-tp-passage]");
    if (!out) { return; }
    function show() {
      var id = decodeURIComponent(location.hash.slice(1));
      var target = id ? document.getElementById(id) : null;
      var text = document.querySelector(".tp-text");
      if (!target || !text || !text.contains(target) ||
          !target.querySelector('a.tp-permalink[href="#' + id.replace(/["\\]/g, "") + '"]')) {
        out.hidden = true;
        return;
      }
      var page = "";
      document.querySelectorAll(".tp-text .tp-pb").forEach(function (pb) {
        if (pb.compareDocumentPosition(target) & Node.DOCUMENT_POSITION_FOLLOWING) {
          // "[p. 20]", "[pp. 19–20]"; a break without a number ("[page break]") locates nothing
          var label = pb.textContent.replace(/^\[|\]$/g, "");
          page = /^pp?\. /.test(label) ? label : "";
        }
      });
      var locator = (page ? "Printed source " + page + ", " : "") + "passage " + id;
      var cited = out.getAttribute("data-tp-passage").replace("{locator}", locator).replace("{anchor}", id);
      out.textContent = "This passage: " + filled(cited, absolute(out.getAttribute("data-tp-permalink")));
      out.hidden = false;
    }
    show();
    window.addEventListener("hashchange", show);
  }

  /* Search: our own small UI on Pagefind's JS API, loaded from this site only, and only when
     the search page is open over http(s).  Everything the index holds (titles, register names,
     years, page text) comes from TEI and is DATA: every node is made with createElement and
     textContent, never innerHTML, so a title that reads "<img onerror=…>" is shown as those
     characters.  (Pagefind's own UI shows filter labels as HTML.) */
  var FILTER_GROUPS = [["document", "Document"], ["person", "Person"], ["year", "Year"]];
  var EXCERPT_WORDS = 30, PAGE_SIZE = 20, LONGEST_WORD = 120;
  // Elements a result may link to in preference to an inline one (a name, a date) before it.
  var BLOCKS = /^(p|li|h[1-6]|section|article|div|blockquote|dd|dt|td|th|figure|table|pre|aside)$/i;

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    return e;
  }

  function clip(word) {
    return word.length > LONGEST_WORD ? word.slice(0, LONGEST_WORD) + "…" : word;
  }

  /* Where a result opens: the first match inside the text (a match in the page's title,
     before any element with an id, is skipped if the word occurs in the text too), and the
     nearest element with an id at or before it: the paragraph (or heading, list item …)
     the word is in.  Returns {location, anchor}; anchor null = the top of the page. */
  function focusOf(data) {
    var locs = (data.locations || []).slice().sort(function (a, b) { return a - b; });
    var anchors = (data.anchors || []).filter(function (a) {
      return a && typeof a.id === "string" && a.id && typeof a.location === "number";
    });
    var firstAnchor = Math.min.apply(null, anchors.map(function (a) { return a.location; }));
    var inText = locs.filter(function (l) { return l >= firstAnchor; });
    var at = inText.length ? inText[0] : (locs.length ? locs[0] : null), any = null, block = null;
    if (at !== null) {
      anchors.forEach(function (a) {
        if (a.location > at) { return; }
        if (!any || a.location >= any.location) { any = a; }
        if (BLOCKS.test(String(a.element)) && (!block || a.location >= block.location)) { block = a; }
      });
    }
    return { location: at, anchor: block || any };
  }

  /* A page of this site only: Pagefind's URL is resolved against the site's root folder and
     dropped unless it stays on this origin (no javascript:, no other host). */
  function pageHref(url, siteRoot, anchor) {
    var u;
    try { u = new URL(String(url || "").replace(/^\/+/, ""), siteRoot); } catch (e) { return null; }
    if (u.origin !== location.origin || !/^https?:$/.test(u.protocol)) { return null; }
    if (anchor) { u.hash = anchor.id; } // the URL object percent-encodes it
    return u.href;
  }

  /* The excerpt, rebuilt from the page's words and the match positions (Pagefind's own
     excerpt is an HTML string): text nodes, and <mark> elements for the matched words. */
  function excerpt(data, at) {
    var words = String(data.content || "").split(/[\r\n\s]+/g);
    var locs = data.locations || [];
    if (!words.length || (words.length === 1 && !words[0])) { return null; }
    var start = at !== null ? Math.max(0, Math.min(at - 8, words.length - EXCERPT_WORDS)) : 0;
    var end = Math.min(words.length, start + EXCERPT_WORDS);
    var hits = new Set(locs), p = el("p", "tp-excerpt"), text = start > 0 ? "… " : "";
    for (var i = start; i < end; i++) {
      if (i > start) { text += " "; }
      if (hits.has(i)) {
        if (text) { p.appendChild(document.createTextNode(text)); text = ""; }
        p.appendChild(el("mark", null, clip(words[i])));
      } else { text += clip(words[i]); }
    }
    if (end < words.length) { text += " …"; }
    if (text) { p.appendChild(document.createTextNode(text)); }
    return p;
  }

  function search() {
    var form = document.getElementById("tp-search");
    if (!form || !/^https?:$/.test(location.protocol)) { return; } // file://: the note stays
    var bundle = new URL(form.getAttribute("data-bundle"), location.href); // import() needs a full URL
    var siteRoot = new URL("../", bundle); // pagefind/ sits in the site's root folder
    var input = document.getElementById("tp-q");
    var status = document.getElementById("tp-search-status");
    var list = document.getElementById("tp-results");
    var panel = document.getElementById("tp-filters");
    var note = document.getElementById("tp-search-note");
    var chosen = new Map(); // filter name → Set of chosen values
    var counts = new Map(); // "name\u0000value" → the count's element
    var totals = {}, pagefind = null, serial = 0, timer = null;

    /* The chosen filters: those Pagefind matches itself, and those it cannot (Pagefind 1.5
       finds no page for a filter value holding '"' or a backslash, e.g. a title with a
       quotation): these are applied here, to the results' own filter values. */
    var PAGEFIND_CANNOT = /["\\]/;
    function selected() {
      var server = {}, local = [], any = false;
      chosen.forEach(function (values, name) {
        if (!values.size) { return; }
        var list = Array.from(values);
        if (list.some(function (v) { return PAGEFIND_CANNOT.test(v); })) { local.push([name, values]); }
        else { server[name] = { any: list }; any = true; }
      });
      return { server: any ? server : null, local: local, none: !any && !local.length };
    }

    function keep(data, local) {
      return local.every(function (group) {
        var mine = (data.filters && data.filters[group[0]]) || [];
        return mine.some(function (v) { return group[1].has(v); });
      });
    }

    function countsOf(all) {
      var out = {};
      all.forEach(function (d) {
        Object.keys(d.filters || {}).forEach(function (name) {
          out[name] = out[name] || {};
          (d.filters[name] || []).forEach(function (v) { out[name][v] = (out[name][v] || 0) + 1; });
        });
      });
      return out;
    }

    function showCounts(byName) {
      counts.forEach(function (span, key) {
        var parts = key.split("\u0000"), group = byName && byName[parts[0]];
        var n = group && Object.prototype.hasOwnProperty.call(group, parts[1]) ? group[parts[1]] : 0;
        span.textContent = " (" + n + ")";
      });
    }

    function filterPanel(all) {
      totals = all || {};
      panel.replaceChildren();
      FILTER_GROUPS.forEach(function (group) {
        var name = group[0], values = totals[name];
        var keys = values ? Object.keys(values).sort(function (a, b) { return a.localeCompare(b); }) : [];
        if (!keys.length) { return; }
        var box = el("fieldset", "tp-filter");
        box.appendChild(el("legend", null, group[1]));
        var ul = el("ul", "tp-filter-values");
        keys.forEach(function (value) {
          var li = el("li"), label = el("label"), check = el("input");
          check.type = "checkbox";
          check.value = value; // a property, not markup
          check.addEventListener("change", function () {
            if (!chosen.has(name)) { chosen.set(name, new Set()); }
            if (check.checked) { chosen.get(name).add(value); } else { chosen.get(name).delete(value); }
            run();
          });
          var count = el("span", "tp-filter-count");
          counts.set(name + "\u0000" + value, count);
          label.appendChild(check);
          label.appendChild(el("span", "tp-filter-label", value));
          label.appendChild(count);
          li.appendChild(label);
          ul.appendChild(li);
        });
        box.appendChild(ul);
        panel.appendChild(box);
      });
      showCounts(totals);
    }

    function item(data) {
      var li = el("li", "tp-result"), h = el("h2", "tp-result-title");
      var title = (data.meta && data.meta.title) || String(data.url || "");
      var focus = focusOf(data), href = pageHref(data.url, siteRoot, focus.anchor);
      var a = el(href ? "a" : "span", null, title);
      if (href) { a.href = href; }
      h.appendChild(a);
      li.appendChild(h);
      var ex = excerpt(data, focus.location);
      if (ex) { li.appendChild(ex); }
      return li;
    }

    function more(results, from, mine) {
      var old = list.parentNode.querySelector(".tp-more");
      if (old) { old.remove(); }
      return Promise.all(results.slice(from, from + PAGE_SIZE).map(function (r) { return r.data(); }))
        .then(function (data) {
          if (mine !== serial) { return; }
          data.forEach(function (d) { list.appendChild(item(d)); });
          if (results.length > from + PAGE_SIZE) {
            var button = el("button", "tp-more", "Show more results");
            button.type = "button";
            button.addEventListener("click", function () {
              var next = list.children.length;
              more(results, from + PAGE_SIZE, mine).then(function () {
                var first = list.children[next] && list.children[next].querySelector("a");
                if (first) { first.focus(); } // keyboard users continue where the new results begin
              });
            });
            list.parentNode.appendChild(button);
          }
        });
    }

    function run() {
      var q = input.value.trim(), sel = selected(), mine = ++serial;
      var params = new URLSearchParams(location.search);
      if (q) { params.set("q", q); } else { params.delete("q"); }
      var qs = params.toString();
      history.replaceState(null, "", location.pathname + (qs ? "?" + qs : "") + location.hash);
      if (!q && sel.none) {
        list.replaceChildren();
        var old = list.parentNode.querySelector(".tp-more");
        if (old) { old.remove(); }
        status.textContent = "";
        showCounts(totals);
        return;
      }
      // Without a word and filters, Pagefind returns every page: the candidates for local filters.
      var filters = sel.server;
      pagefind.search(q || null, filters ? { filters: filters } : {}).then(function (r) {
        if (mine !== serial || !r) { return; }
        if (!sel.local.length) { return { results: r.results, counts: r.filters }; }
        return Promise.all(r.results.map(function (x) { return x.data(); })).then(function (all) {
          var kept = all.filter(function (d) { return keep(d, sel.local); });
          return { results: kept.map(function (d) { return { data: function () { return Promise.resolve(d); } }; }),
                   counts: countsOf(kept) };
        });
      }).then(function (found) {
        if (mine !== serial || !found) { return; }
        list.replaceChildren();
        showCounts(found.counts);
        var n = found.results.length;
        status.textContent = (n === 0 ? "No results" : n + (n === 1 ? " result" : " results")) +
          (q ? " for “" + q + "”" : "") + (sel.none ? "" : " (filtered)") + ".";
        return more(found.results, 0, mine);
      }).catch(function (err) {
        if (mine === serial) { status.textContent = "The search failed: " + err; }
      });
    }

    form.addEventListener("submit", function (ev) { ev.preventDefault(); clearTimeout(timer); run(); });
    input.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(run, 200); });

    import(new URL("pagefind.js", bundle).href).then(function (pf) {
      pagefind = pf;
      return pf.filters();
    }).then(function (all) {
      filterPanel(all);
      form.hidden = false;
      if (note) { note.hidden = true; }
      var q = new URLSearchParams(location.search).get("q");
      if (q) { input.value = q; run(); }
    }).catch(function () { /* no index (e.g. built without the search stage): the note stays */ });
  }

  /* The critical apparatus: an entry hovered or focused highlights its lemma in the text, a
     lemma hovered its entry; a switch shows the text of one witness (its reading in place of
     each lemma it does not share), and "the edition (lemma)" the edited text again.  Without
     JS the apparatus is a plain list whose line keys link to the lemmas. */
  function apparatus() {
    var entries = document.querySelectorAll(".tp-app[data-lemma]");
    if (!entries.length) { return; }
    entries.forEach(function (li) {
      function lemma() { return document.getElementById(li.getAttribute("data-lemma")); }
      function on() { var l = lemma(); if (l) { l.classList.add("tp-lemma-hl"); } }
      function off() { var l = lemma(); if (l) { l.classList.remove("tp-lemma-hl"); } }
      li.addEventListener("mouseenter", on);
      li.addEventListener("mouseleave", off);
      li.addEventListener("focusin", on);
      li.addEventListener("focusout", off);
      // and the other way: a lemma hovered shows its entry
      var l = lemma();
      if (l && l.classList.contains("tp-lemma")) {
        l.addEventListener("mouseenter", function () { li.classList.add("tp-app-hl"); });
        l.addEventListener("mouseleave", function () { li.classList.remove("tp-app-hl"); });
      }
    });
    var box = document.querySelector(".tp-reading");
    var text = document.querySelector(".tp-text");
    if (!box || !text) { return; }
    // the witnesses: those the conspectus lists as witnesses, else every siglum of the readings
    var ids = [], labels = {};
    document.querySelectorAll(".tp-app [data-wit]").forEach(function (el) {
      el.getAttribute("data-wit").split(/\s+/).forEach(function (w) {
        if (w && ids.indexOf(w) < 0) { ids.push(w); }
      });
    });
    var known = {};
    document.querySelectorAll('a.tp-siglum[data-kind="witness"]').forEach(function (a) {
      known[decodeURIComponent(a.getAttribute("href").slice(8))] = a.textContent;
    });
    if (Object.keys(known).length) {
      // in the order of the list of witnesses
      var listed = [];
      document.querySelectorAll(".tp-witnesses dt[id]").forEach(function (dt) {
        var w = dt.id.slice(7);
        if (known[w] !== undefined && ids.indexOf(w) >= 0) { listed.push(w); }
      });
      ids = listed;
    }
    ids.forEach(function (w) { labels[w] = known[w] || w; });
    if (!ids.length) { return; }
    var field = document.createElement("fieldset");
    field.className = "tp-witness-switch";
    var legend = document.createElement("legend");
    legend.textContent = "Witness";
    var label = document.createElement("label");
    label.textContent = "Text of ";
    var select = document.createElement("select");
    select.name = "tp-witness";
    var edited = document.createElement("option");
    edited.value = "";
    edited.textContent = "the edition (lemma)";
    select.appendChild(edited);
    ids.forEach(function (w) {
      var o = document.createElement("option");
      o.value = w;
      o.textContent = labels[w];
      select.appendChild(o);
    });
    label.appendChild(select);
    field.appendChild(legend);
    field.appendChild(label);
    if (!document.querySelector(".tp-alt, .tp-supplied")) {
      box.querySelectorAll("fieldset").forEach(function (f) { f.hidden = true; });  // no two readings here
    }
    box.appendChild(field);
    box.hidden = false;
    var saved = [];  // [lemma, its own children] for every lemma showing a witness's reading
    function restore() {
      saved.forEach(function (s) {
        while (s[0].firstChild) { s[0].removeChild(s[0].firstChild); }
        s[0].appendChild(s[1]);
        s[0].removeAttribute("data-witness-reading");
      });
      saved = [];
    }
    function show(w) {
      restore();
      if (!w) { return; }
      text.querySelectorAll(".tp-lemma[data-app]").forEach(function (lem) {
        if (!text.contains(lem)) { return; }  // inside a lemma already replaced
        var own = (lem.getAttribute("data-wit") || "").split(/\s+/);
        if (own.indexOf(w) >= 0) { return; }
        var li = document.getElementById("tp-app-" + lem.getAttribute("data-app"));
        if (!li) { return; }
        var rdg = Array.prototype.find.call(li.querySelectorAll(".tp-rdg[data-wit]"), function (r) {
          return r.getAttribute("data-wit").split(/\s+/).indexOf(w) >= 0;
        });
        if (!rdg) { return; }
        var kept = document.createDocumentFragment();
        while (lem.firstChild) { kept.appendChild(lem.firstChild); }
        saved.push([lem, kept]);
        var reading = rdg.querySelector(".tp-rdg-text");
        if (reading && !reading.querySelector(".tp-rdg-om")) {
          Array.prototype.forEach.call(reading.childNodes, function (n) { lem.appendChild(n.cloneNode(true)); });
        }
        lem.setAttribute("data-witness-reading", w);
      });
    }
    select.addEventListener("change", function () { show(select.value); });
  }

  function ready() { readings(); namesSwitch(); popovers(); parallelSwitch(); permalinks(); passages(); search(); apparatus(); }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", ready); } else { ready(); }
}());
