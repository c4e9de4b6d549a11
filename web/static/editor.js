// The SPARQL editor: YASGUI on the app's own /sparql, with the catalogue as examples.
// Tab and Shift-Tab leave the editor (no keyboard trap); the project's IRIs in results open
// their entity pages in the same tab; the example picker names the query the editor holds;
// "Make a permalink" stores the query (POST /q) and gives its short address, /q/<hash>,
// which opens this page holding it. Result views are in result-views.js and view-*.js.
(function () {
  "use strict";
  var el = document.getElementById("yasgui");
  if (!el || typeof Yasgui === "undefined") { return; }
  var examples = JSON.parse(document.getElementById("query-examples").textContent);
  var held = document.getElementById("permalink-query");
  var permalink = held ? JSON.parse(held.textContent) : null;
  var endpoint = new URL(el.getAttribute("data-endpoint"), window.location.href).href;
  var idNamespace = el.getAttribute("data-id-namespace");
  var picker = document.getElementById("example-select");
  var status = document.getElementById("editor-status");

  // CodeMirror indents on Tab; false hands the key back to the browser, which moves focus.
  Yasgui.Yasqe.defaults.extraKeys.Tab = false;
  Yasgui.Yasqe.defaults.extraKeys["Shift-Tab"] = false;
  // CodeMirror's contenteditable input lives inside its scroll area, so the region that
  // scrolls holds the focusable query text (axe: scrollable-region-focusable); it is also
  // the input CodeMirror recommends for screen readers. The hidden textarea input is not.
  Yasgui.Yasqe.defaults.inputStyle = "contenteditable";
  // Only the variables autocompleter: the others fetch prefixes and terms from the web.
  Yasgui.Yasqe.defaults.autocompleters = ["variables"];
  // YASQE's share dialog offers a short link: the same stored permalink as the button.
  Yasgui.Yasqe.defaults.createShortLink = function (yasqe) {
    return store(yasqe.getValue()).then(function (answer) { return absolute(answer.url); });
  };

  // The table links the project's IRIs to their entity pages rather than to w3id.org.
  var Table = Yasgui.Yasr.plugins.table;
  var linkOf = Table.prototype.getUriLinkFromBinding;
  var ours = new RegExp("href=([\"'])" + idNamespace.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&"));
  // (YASR's sanitizer sends every link to a new tab: an entity page opens in this one.)
  Table.prototype.getUriLinkFromBinding = function (binding, prefixes) {
    return linkOf.call(this, binding, prefixes).replace(/<a ([^>]*)>/g, function (tag, attrs) {
      if (!ours.test(attrs)) { return tag; }
      return "<a " + attrs.replace(ours, "href=$1/id/").replace(/\s(target|rel)=("[^"]*"|'[^']*')/g, "") + ">";
    });
  };

  var yasgui = new Yasgui(el, {
    requestConfig: { endpoint: endpoint, method: "POST" },
    copyEndpointOnNewTab: true,
    endpointCatalogueOptions: { getData: function () { return [{ endpoint: endpoint }]; } },
    persistenceId: "diplograph-editor",
    populateFromUrl: true,
    yasqe: { autocompleters: ["variables"] }
  });

  function query() { return yasgui.getTab().getQuery(); }

  function absolute(path) { return new URL(path, window.location.href).href; }

  // The picker shows the example the editor holds, or "your own query".
  function syncPicker() {
    var text = query().trim();
    var found = examples.filter(function (e) { return e.query.trim() === text; })[0];
    picker.value = found ? found.name : "";
  }

  function store(text) {
    return fetch(el.getAttribute("data-permalinks"), {
      method: "POST", headers: { "Content-Type": "application/sparql-query" }, body: text
    }).then(function (r) {
      if (r.ok) { return r.json(); }
      return r.text().then(function (t) { throw new Error(t.trim()); });
    });
  }

  function makePermalink() {
    var field = document.getElementById("permalink-url");
    store(query()).then(function (answer) {
      field.value = absolute(answer.url);
      field.parentNode.hidden = false;
      field.focus();
      field.select();
      status.textContent = "Permalink made: " + field.value;
    }).catch(function (e) { status.textContent = "No permalink: " + e.message; });
  }

  // Names for YASGUI's controls that have none (icon buttons, the hidden CodeMirror input,
  // the page-size list); run again whenever YASGUI redraws part of itself.
  var QUERY_NAME = "SPARQL query (Tab leaves the editor, Ctrl+Enter runs it)";
  var NAMES = [
    [".yasqe_queryButton", "Run query"], [".yasqe_share", "Share query"],
    [".yasqe_fullscreenButton, .fullscreenToggleBtns button", "Full screen"],
    [".tableSizer", "Rows per page"], [".yasr_external_ref_btn", "YASGUI documentation"],
    [".yasr_downloadIcon", "Download results"], [".addTab", "Add a query tab"],
    [".autocompleteWrapper input, .endpointText", "SPARQL endpoint"],
    [".tabMenu .closeTab, .closeTab", "Close query tab"], [".yasqe_resizeWrapper", "Resize the editor"]
  ];
  function nameControls() {
    NAMES.forEach(function (pair) {
      el.querySelectorAll(pair[0]).forEach(function (node) {
        if (!node.getAttribute("aria-label") && !node.textContent.trim()) { node.setAttribute("aria-label", pair[1]); }
      });
    });
    el.querySelectorAll(".yasr_btn svg, .yasqe_buttons svg, .plugin_icon").forEach(function (svg) {
      svg.setAttribute("aria-hidden", "true");
    });
    el.querySelectorAll(".yasqe .CodeMirror-code[contenteditable]").forEach(function (input) {
      input.setAttribute("role", "textbox");
      input.setAttribute("aria-multiline", "true");
      if (!input.getAttribute("aria-label")) { input.setAttribute("aria-label", QUERY_NAME); }
    });
    moveAddTab();
  }

  // A tablist may hold only tabs (axe: aria-required-children), but YASGUI puts its "+"
  // button in the list. The button moves beside the list; its empty wrapper stays, because
  // YASGUI inserts new tabs before it.
  function moveAddTab() {
    el.querySelectorAll(".tabsList[role=tablist]").forEach(function (list) {
      var button = list.querySelector(".addTab");
      if (!button) { return; }
      var bar = list.parentNode;
      if (!bar.classList.contains("dg-tabbar")) {
        bar = document.createElement("div");
        bar.className = "dg-tabbar";
        list.parentNode.insertBefore(bar, list);
        bar.appendChild(list);
      }
      bar.appendChild(button);
    });
  }
  var naming = false;
  new MutationObserver(function () {
    if (naming) { return; }
    naming = true;
    window.requestAnimationFrame(function () { naming = false; nameControls(); });
  }).observe(el, { childList: true, subtree: true });
  nameControls();

  if (permalink) {
    yasgui.getTab().setQuery(permalink.query);
    status.textContent = "Opened the permalink " + permalink.hash + ".";
  } else if (!query().includes("dg:") && examples.length) {
    yasgui.getTab().setQuery(examples[0].query);
  }
  syncPicker();

  // A fresh result opens in the view that fits it best (result-views.js).
  yasgui.on("queryResponse", function (_y, tab) {
    var yasr = tab.getYasr();
    if (yasr) { yasr.dgFresh = true; }
  });
  var watched = [];
  function watch() {  // the picker follows every edit of the active tab's query
    var yasqe = yasgui.getTab().getYasqe();
    if (yasqe && watched.indexOf(yasqe) < 0) { watched.push(yasqe); yasqe.on("change", syncPicker); }
    syncPicker();
  }
  watch();
  yasgui.on("tabSelect", function () { window.setTimeout(watch, 0); });
  picker.addEventListener("change", function (evt) {
    var found = examples.filter(function (e) { return e.name === evt.target.value; })[0];
    if (found) { yasgui.getTab().setQuery(found.query); }
    syncPicker();
  });
  document.getElementById("permalink-button").addEventListener("click", makePermalink);
  window.diplographEditor = yasgui;
}());
