// The SPARQL editor: YASGUI on the app's own /sparql, with the catalogue as examples.
(function () {
  "use strict";
  var el = document.getElementById("yasgui");
  if (!el || typeof Yasgui === "undefined") { return; }
  var examples = JSON.parse(document.getElementById("query-examples").textContent);
  var endpoint = new URL(el.getAttribute("data-endpoint"), window.location.href).href;
  // Only the variables autocompleter: the others fetch prefixes and terms from the web.
  Yasgui.Yasqe.defaults.autocompleters = ["variables"];
  var yasgui = new Yasgui(el, {
    requestConfig: { endpoint: endpoint, method: "POST" },
    copyEndpointOnNewTab: true,
    endpointCatalogueOptions: { getData: function () { return [{ endpoint: endpoint }]; } },
    persistenceId: "diplograph-editor",
    populateFromUrl: true,
    yasqe: { autocompleters: ["variables"] }
  });
  var tab = yasgui.getTab();
  if (tab && !tab.getQuery().includes("dg:") && examples.length) {
    tab.setQuery(examples[0].query);
  }
  document.getElementById("example-select").addEventListener("change", function (evt) {
    var found = examples.filter(function (e) { return e.name === evt.target.value; })[0];
    if (found) { yasgui.getTab().setQuery(found.query); }
  });
  window.diplographEditor = yasgui;
}());
